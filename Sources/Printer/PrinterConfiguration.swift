import Search

/// What a `GrepPrinter` prints and how, resolved once from the flags (by the command line
/// layer) and shared by every printer: a class, so a printer made per file costs one
/// retain, and a field read per line copies nothing.
///
/// Thread-safety: immutable; shared by all workers.
public final class PrinterConfiguration: Sendable {
    /// What is printed per file: lines (ripgrep's standard printer), a count, the path of a
    /// file with or without a match, nothing (`-q`), or ripgrep's `--json` records.
    public enum Mode: Sendable, Equatable { case lines, count, filesWithMatches, filesWithoutMatch, quiet, json }

    /// Finds the spans to colour, print (`-o`), replace (`-r`) or count on a reported line.
    public let matcher: any Matcher
    /// The flags beyond the plain line (`-r`, `--vimgrep`, `-b`, `-M`, separators, ...).
    public let output: GrepOutputOptions
    /// False when any of `output` needs the printer's slower, general path.
    public let plain: Bool
    public let mode: Mode
    /// `-U`: a reported line may be a block of lines.
    public let multiline: Bool
    /// `-v`: reported lines are those without a match (no spans to show).
    public let invert: Bool
    public let onlyMatching: Bool
    public let column: Bool
    public let lineNumbers: Bool
    public let heading: Bool
    public let withFilename: Bool
    public let color: Bool
    /// `-0/--null`: a NUL after each printed path instead of its separator.
    public let nullAfterPath: Bool
    /// Totals are kept (`--stats`, and `--json`'s summary): every match of every file is
    /// counted, whatever the mode prints.
    public let stats: Bool
    /// `--crlf`: the lines the printer makes (a match of -o, a count, a path) end with
    /// `\r\n`, as rg's; lines from the input keep their own terminator.
    public let crlf: Bool
    /// -c under -U with a pattern that can match `\n` counts matches, as rg's (a block may
    /// hold several); otherwise rg searches line by line and counts lines.
    public var multilineCountsMatches: Bool { multiline && matcher.canMatchNewline }

    public init(matcher: any Matcher, output: GrepOutputOptions, mode: Mode, multiline: Bool, invert: Bool,
                onlyMatching: Bool, column: Bool, lineNumbers: Bool, heading: Bool, withFilename: Bool, color: Bool,
                nullAfterPath: Bool, stats: Bool = false, crlf: Bool = false) {
        self.matcher = matcher
        self.output = output
        self.plain = output.isPlain
        self.mode = mode
        self.multiline = multiline
        self.invert = invert
        self.onlyMatching = onlyMatching
        self.column = column
        self.lineNumbers = lineNumbers
        self.heading = heading
        self.withFilename = withFilename
        self.color = color
        self.nullAfterPath = nullAfterPath
        self.stats = stats
        self.crlf = crlf
    }
}
