#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Default arguments from the file `TRAWL_CONFIG_PATH` names, as ripgrep's RIPGREP_CONFIG_PATH:
/// one argument per line (no shell quoting: `--glob=!*.min.js` is one argument), `#` starts a
/// comment line, blank lines and surrounding spaces are ignored. A flag's value may follow on
/// the next line or after `=`.
///
/// trawl has subcommands and ripgrep has not, so one file serves them all: each command
/// takes only the flags it knows (`--hidden` applies to grep, not to check) and skips the
/// others silently. A flag no command knows (a typo, or one of rg's that trawl lacks, since
/// RIPGREP_CONFIG_PATH is read too) is skipped with a warning naming the file and line, and
/// so is a line that is not a flag right after it (its value); a value missing at the end
/// or a bad number is an error: a file read on every run must not mislead silently.
public struct ConfigFile: Sendable {
    /// One argument and the 1-based line it came from.
    public struct Line: Sendable, Equatable {
        public let number: Int
        public let text: String
    }

    public let path: String
    public let lines: [Line]
    /// The environment variable that named the file, for messages.
    public var variable = "TRAWL_CONFIG_PATH"

    /// Splits `contents` into arguments, dropping comments and blank lines.
    public init(path: String, contents: String) {
        self.path = path
        var lines: [Line] = []
        var number = 0
        // Split on \n only: a \r left by an editor is trimmed with the other whitespace.
        for raw in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let text = raw.trimmingWhitespace()
            if text.isEmpty || text.hasPrefix("#") { continue }
            lines.append(Line(number: number, text: text))
        }
        self.lines = lines
    }

    /// Reads the file at `path`. Throws `ConfigError.unreadable` when it cannot be read.
    public static func load(path: String, variable: String = "TRAWL_CONFIG_PATH") throws(ConfigError) -> ConfigFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, variable: variable, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes: [UInt8]
        switch WholeInput.read(fd) {
        case .success(let read): bytes = read
        case .failure(let failure):
            throw .unreadable(path: path, variable: variable, reason: String(cString: strerror(failure.errno)))
        }
        var file = ConfigFile(path: path, contents: String(decoding: bytes, as: UTF8.self))
        file.variable = variable
        return file
    }

    /// The arguments that apply to `command`, in file order, ready to go before the
    /// command line's own (which therefore win where a flag takes one value).
    /// - Parameter commands: every command; a flag is unknown only when none of them has it.
    public func arguments(for command: CommandSpec, among commands: [CommandSpec] = Commands.all)
        throws(ConfigError) -> [String] {
        var skipped: [ConfigError] = []
        return try arguments(for: command, among: commands, skipped: &skipped)
    }

    /// As `arguments(for:among:)`; the unknown flags skipped are added to `skipped`, each
    /// a warning to print.
    public func arguments(for command: CommandSpec, among commands: [CommandSpec] = Commands.all,
                          skipped: inout [ConfigError]) throws(ConfigError) -> [String] {
        var result: [String] = []
        var index = 0
        /// The value of a flag at `line`: attached text, or the next line.
        func value(attached: String?, flag: String, line: Line) throws(ConfigError) -> Line {
            if let attached, !attached.isEmpty { return Line(number: line.number, text: attached) }
            guard index < lines.count else { throw error(line, .missingValue(flag)) }
            defer { index += 1 }
            return lines[index]
        }
        /// After an unknown flag: a next line that is not a flag is its value, skipped with it.
        func skipValue(after attached: String?) {
            if attached == nil, index < lines.count, !lines[index].text.hasPrefix("-") { index += 1 }
        }
        while index < lines.count {
            let line = lines[index]
            index += 1
            let text = line.text
            if text.hasPrefix("--"), text.count > 2 {
                let body = text.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                guard let spec = commands.lazy.compactMap({ $0.flag(long: name) }).first else {
                    let suggestion = ArgumentParser.nearest(to: name, among: commands.flatMap { $0.flags.map(\.long) })
                    skipped.append(error(line, .unknownFlag("--" + name, suggestion: suggestion.map { "--" + $0 })))
                    skipValue(after: attached)
                    continue
                }
                let applies = command.flag(long: name) != nil
                if spec.takesValue {
                    let given = try value(attached: attached, flag: "--" + name, line: line)
                    try check(given, for: spec, flag: "--" + name)
                    if applies { result += ["--" + name + "=" + given.text] }
                } else {
                    if attached != nil { throw error(line, .unexpectedValue("--" + name)) }
                    if applies { result.append(text) }
                }
            } else if text.hasPrefix("-"), text.count > 1, text != "--" {
                // A cluster such as -uu or -j4 is read whole with this command's table. Short
                // letters differ between commands (-a is grep's --text, hash's --algo), so a
                // cluster that only another command reads is skipped whole, value line included.
                if let own = Self.cluster(text, for: command) {
                    result += own.tokens
                    if let spec = own.valueFlag {
                        let given = try value(attached: own.attached, flag: own.tokens.last!, line: line)
                        try check(given, for: spec, flag: own.tokens.last!)
                        result.append(given.text)
                    }
                } else if let other = commands.lazy.compactMap({ Self.cluster(text, for: $0) }).first {
                    if let valueFlag = other.valueFlag {
                        _ = try value(attached: other.attached, flag: "-" + String(valueFlag.short!), line: line)
                    }
                } else {
                    let unknown = text.dropFirst().first { letter in !commands.contains { $0.flag(short: letter) != nil } }
                    skipped.append(error(line, .unknownFlag("-" + String(unknown ?? text.dropFirst().first!), suggestion: nil)))
                    skipValue(after: text.count > 2 ? "" : nil)
                }
            } else {
                throw error(line, .notAFlag(text))
            }
        }
        return result
    }

    /// A short-flag cluster read with `command`'s table: its flags, and the flag whose value
    /// is `attached` (or on the next line when that is empty). Nil when a letter is unknown.
    static func cluster(_ text: String, for command: CommandSpec)
        -> (tokens: [String], valueFlag: FlagSpec?, attached: String?)? {
        var tokens: [String] = []
        var letters = Substring(text.dropFirst())
        while let letter = letters.first {
            letters = letters.dropFirst()
            guard let spec = command.flag(short: letter) else { return nil }
            tokens.append("-" + String(letter))
            if spec.takesValue { return (tokens, spec, String(letters)) }
        }
        return (tokens, nil, nil)
    }

    /// Numbers are checked here, where the line is known; other values are the command's job.
    private func check(_ value: Line, for spec: FlagSpec, flag: String) throws(ConfigError) {
        if case .number = spec.value, Int(value.text) == nil {
            throw error(value, .invalidValue(flag: flag, value: value.text, reason: "expected a whole number"))
        }
    }

    private func error(_ line: Line, _ problem: ConfigError.Problem) -> ConfigError {
        .badLine(path: path, line: line.number, problem: problem)
    }
}

/// A config file that cannot be used: a bad line stops trawl with exit status 2; an
/// unreadable file and an unknown flag are warnings (as rg's missing config file is).
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case unknownFlag(String, suggestion: String?)
        case missingValue(String)
        case unexpectedValue(String)
        case invalidValue(flag: String, value: String, reason: String)
        case notAFlag(String)
    }

    case unreadable(path: String, variable: String, reason: String)
    case badLine(path: String, line: Int, problem: Problem)

    public var description: String {
        switch self {
        case .unreadable(let path, let variable, let reason):
            return "config file \(path) (\(variable)): cannot read it: \(reason)"
        case .badLine(let path, let line, let problem):
            let what: String
            switch problem {
            case .unknownFlag(let flag, let suggestion):
                what = "unknown flag \(flag)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
            case .missingValue(let flag): what = "flag \(flag) needs a value (on the same line after '=', or on the next line)"
            case .unexpectedValue(let flag): what = "flag \(flag) takes no value"
            case .invalidValue(let flag, let value, let reason): what = "invalid value '\(value)' for \(flag): \(reason)"
            case .notAFlag(let text): what = "'\(text)' is not a flag (a config file holds flags only, one per line)"
            }
            return "config file \(path), line \(line): \(what)"
        }
    }
}
