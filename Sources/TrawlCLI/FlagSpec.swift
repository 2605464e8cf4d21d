import WorkerPool

/// One flag of one subcommand: the single source for the parser, `--help`, the man page
/// and the shell completions, so they never disagree.
public struct FlagSpec: Sendable {
    /// What completes a flag's value in a shell.
    public enum ValueKind: Sendable, Equatable {
        case none
        case text(String)
        case number(String)
        case path(String)
        case choice(String, [String])
    }

    public let flag: Flag
    /// `ignore-case`: the name after `--`.
    public var long: String { flag.rawValue }
    public let short: Character?
    public let value: ValueKind
    public let help: String
    public let group: String
    /// The default, as the help shows it; nil when there is nothing to say.
    public let defaultValue: String?

    public init(_ flag: Flag, short: Character? = nil, value: ValueKind = .none, group: String,
                defaultValue: String? = nil, _ help: String) {
        self.flag = flag
        self.short = short
        self.value = value
        self.help = help
        self.group = group
        self.defaultValue = defaultValue
    }

    public var takesValue: Bool { value != .none }

    /// `VALUE` as help shows it.
    public var valueName: String? {
        switch value {
        case .none: return nil
        case .text(let name), .number(let name), .path(let name), .choice(let name, _): return name
        }
    }

    /// `-i, --ignore-case` / `    --json` / `-e, --regexp PATTERN`.
    public var synopsis: String {
        let shortPart = short.map { "-\($0), " } ?? "    "
        return shortPart + "--" + long + (valueName.map { " " + $0 } ?? "")
    }
}

/// A subcommand: its name, one-line summary, usage line, flags, and the function that runs it.
public struct CommandSpec: Sendable {
    /// Runs the command on its parsed arguments, writing to `output`, stopping early when
    /// `interrupt` is cancelled (SIGINT, SIGTERM); returns the exit status.
    typealias Run = @Sendable (_ arguments: ParsedArguments, _ output: OutputBuffer,
                               _ interrupt: CancellationToken) throws -> Int32

    public let name: String
    public let summary: String
    public let usage: String
    public let flags: [FlagSpec]
    public let details: String
    let run: Run

    public func flag(long: String) -> FlagSpec? { flags.first { $0.long == long } }
    public func flag(short: Character) -> FlagSpec? { flags.first { $0.short == short } }
}
