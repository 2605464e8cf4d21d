import Digest

/// `-a` values: repeatable and comma lists, in the order given, duplicates dropped.
func parseAlgorithms(_ values: [String], default fallback: Algorithm?) throws -> [Algorithm] {
    var algorithms: [Algorithm] = []
    for value in values {
        for name in value.split(separator: ",") {
            guard let algorithm = Algorithm.from(name: String(name)) else {
                throw ArgumentError.invalidValue(flag: "--algo", value: String(name),
                                                 reason: "known algorithms: " + Algorithm.allCases.map(\.name).joined(separator: ", "))
            }
            if !algorithms.contains(algorithm) { algorithms.append(algorithm) }
        }
    }
    if algorithms.isEmpty, let fallback { algorithms = [fallback] }
    return algorithms
}
