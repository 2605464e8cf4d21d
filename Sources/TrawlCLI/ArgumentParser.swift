/// The arguments of one run, as the parser read them: flag occurrences in order and
/// positionals. Flags are keyed by their long name whichever spelling was typed.
public struct ParsedArguments: Sendable {
    public private(set) var occurrences: [(flag: String, value: String?)] = []
    public private(set) var positionals: [String] = []

    public func has(_ flag: String) -> Bool { occurrences.contains { $0.flag == flag } }
    public func count(_ flag: String) -> Int { occurrences.filter { $0.flag == flag }.count }
    public func values(_ flag: String) -> [String] { occurrences.filter { $0.flag == flag }.compactMap(\.value) }
    /// The last value given (later flags override earlier ones, config file first).
    public func value(_ flag: String) -> String? { values(flag).last }

    /// Which of the two flags came last (for pairs such as --heading / --no-heading).
    public func lastOf(_ a: String, _ b: String) -> String? {
        occurrences.last { $0.flag == a || $0.flag == b }?.flag
    }

    mutating func add(_ flag: String, _ value: String?) { occurrences.append((flag, value)) }
    mutating func addPositional(_ value: String) { positionals.append(value) }
}

/// A command line that cannot be understood; each prints as trawl's message.
public enum ArgumentError: Error, Equatable, CustomStringConvertible {
    case unknownFlag(String, suggestion: String?)
    case missingValue(String)
    case unexpectedValue(String)
    case invalidValue(flag: String, value: String, reason: String)
    case unknownCommand(String, suggestion: String?)
    case missingArgument(String)

    public var description: String {
        switch self {
        case .unknownFlag(let flag, let suggestion):
            return "unknown flag \(flag)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
        case .missingValue(let flag): return "flag \(flag) needs a value"
        case .unexpectedValue(let flag): return "flag \(flag) takes no value"
        case .invalidValue(let flag, let value, let reason): return "invalid value '\(value)' for \(flag): \(reason)"
        case .unknownCommand(let name, let suggestion):
            return "unknown command '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .missingArgument(let what): return "missing \(what)"
        }
    }
}

/// GNU-style parsing against a command's flag table: short flags combine (`-inw`), a
/// short flag's value may be attached (`-j4`, `-ePAT`) or follow, long flags take
/// `--flag=value` or `--flag value`, `--` ends the flags, flags may repeat.
public enum ArgumentParser {
    public static func parse(_ arguments: [String], for command: CommandSpec) throws(ArgumentError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var flagsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if flagsEnded || argument == "-" || !argument.hasPrefix("-") {
                parsed.addPositional(argument)
                continue
            }
            if argument == "--" {
                flagsEnded = true
                continue
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name: String
                var inline: String?
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inline = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
                guard let spec = command.flag(long: name) else {
                    throw .unknownFlag("--" + name, suggestion: suggestFlag(for: name, in: command))
                }
                if spec.takesValue {
                    if inline == nil {
                        guard index < arguments.count else { throw .missingValue("--" + name) }
                        inline = arguments[index]
                        index += 1
                    }
                    parsed.add(spec.long, inline)
                } else {
                    if inline != nil { throw .unexpectedValue("--" + name) }
                    parsed.add(spec.long, nil)
                }
                continue
            }
            // A cluster of short flags.
            var characters = Substring(argument.dropFirst())
            while let letter = characters.first {
                characters = characters.dropFirst()
                guard let spec = command.flag(short: letter) else {
                    throw .unknownFlag("-" + String(letter), suggestion: suggestLong(forSingleDash: argument, in: command))
                }
                if spec.takesValue {
                    var value = String(characters)
                    if value.isEmpty {
                        guard index < arguments.count else { throw .missingValue("-" + String(letter)) }
                        value = arguments[index]
                        index += 1
                    }
                    parsed.add(spec.long, value)
                    break
                }
                parsed.add(spec.long, nil)
            }
        }
        return parsed
    }

    /// The flag nearest to a mistyped one, when it is near enough to be a typo.
    static func suggestFlag(for name: String, in command: CommandSpec) -> String? {
        nearest(to: name, among: command.flags.map(\.long)).map { "--" + $0 }
    }

    /// `-hidden` typed for `--hidden`: a long flag given one dash, when near enough to one.
    static func suggestLong(forSingleDash argument: String, in command: CommandSpec) -> String? {
        let word = String(argument.dropFirst())
        guard word.count > 2 else { return nil }
        return suggestFlag(for: word, in: command)
    }

    /// The candidate within an edit distance of about a third of the word, if any.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance over characters (words are short: O(n·m) is fine).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...max(1, b.count) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
