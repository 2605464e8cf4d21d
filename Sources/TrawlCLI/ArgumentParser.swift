/// The arguments of one run, as the parser read them: flag occurrences in order and
/// positionals. Flags are keyed by their long name whichever spelling was typed.
public struct ParsedArguments: Sendable {
    public private(set) var occurrences: [(flag: Flag, value: String?)] = []
    public private(set) var positionals: [String] = []
    /// The flags of the command parsed for: asking for another is a bug in the caller
    /// (a debug build stops there; see `accepts`).
    private let accepted: Set<Flag>

    init(accepting command: CommandSpec) { accepted = Set(command.flags.map(\.flag)) }

    /// Whether the command's table has `flag`, for code shared by commands that differ in it.
    public func accepts(_ flag: Flag) -> Bool { accepted.contains(flag) }

    public func has(_ flag: Flag) -> Bool { !occurrences(of: flag).isEmpty }
    public func count(_ flag: Flag) -> Int { occurrences(of: flag).count }
    public func values(_ flag: Flag) -> [String] { occurrences(of: flag).compactMap(\.value) }
    /// The last value given (later flags override earlier ones, config file first).
    public func value(_ flag: Flag) -> String? { values(flag).last }

    /// The last occurrence of any of `flags`: which of a set of overriding flags wins
    /// (--heading / --no-heading / --pretty), with its value.
    public func last(of flags: Flag...) -> (flag: Flag, value: String?)? {
        for flag in flags { assertAccepted(flag) }
        return occurrences.last { flags.contains($0.flag) }
    }

    /// Which of the flags came last (for pairs such as --heading / --no-heading).
    public func lastOf(_ flags: Flag...) -> Flag? {
        for flag in flags { assertAccepted(flag) }
        return occurrences.last { flags.contains($0.flag) }?.flag
    }

    /// The flag's last value as a whole number of at least `minimum`, if given.
    func number(_ flag: Flag, minimum: Int = 0) throws -> Int? {
        try value(flag).map { try WalkFlags.number($0, flag: "--" + flag.rawValue, minimum: minimum) }
    }

    /// The flag's last value as a size (ripgrep's K, M and G suffixes), if given.
    func size(_ flag: Flag) throws -> Int64? {
        try value(flag).map { try WalkFlags.size($0, flag: "--" + flag.rawValue) }
    }

    private func occurrences(of flag: Flag) -> LazyFilterSequence<[(flag: Flag, value: String?)]> {
        assertAccepted(flag)
        return occurrences.lazy.filter { $0.flag == flag }
    }

    private func assertAccepted(_ flag: Flag) {
        assert(accepted.contains(flag), "--\(flag.rawValue) is not in this command's flag table; check accepts(_:) first")
    }

    mutating func add(_ flag: Flag, _ value: String?) { occurrences.append((flag, value)) }
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
        var parsed = ParsedArguments(accepting: command)
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
                    parsed.add(spec.flag, inline)
                } else {
                    if inline != nil { throw .unexpectedValue("--" + name) }
                    parsed.add(spec.flag, nil)
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
                    parsed.add(spec.flag, value)
                    break
                }
                parsed.add(spec.flag, nil)
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
