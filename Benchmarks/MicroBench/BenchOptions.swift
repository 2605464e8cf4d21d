#if canImport(Glibc)
import Glibc
#endif

/// `--name value` pairs and bare `--flag`s after the benchmark's name.
struct BenchOptions {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { fail("unexpected argument \(argument)") }
            let name = String(argument.dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[name] = arguments[index + 1]
                index += 2
            } else {
                values[name] = ""
                index += 1
            }
        }
    }

    subscript(name: String) -> String? { values[name] }

    func has(_ name: String) -> Bool { values[name] != nil }

    /// A comma-separated list, nil when the option is absent.
    func list(_ name: String) -> [String]? {
        values[name].map { $0.split(separator: ",").map(String.init) }
    }

    func integers(_ name: String, default fallback: [Int]) -> [Int] {
        list(name)?.map { integer($0, for: name) } ?? fallback
    }
}

/// `text` as a number, or a failed run naming the option.
func integer(_ text: String, for option: String) -> Int {
    guard let value = Int(text) else { fail("--\(option): \(text) is not a number") }
    return value
}

/// Prints `MicroBench: message` on stderr and exits 1: a wrong result or bad usage.
func fail(_ message: String) -> Never {
    var line = "MicroBench: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}
