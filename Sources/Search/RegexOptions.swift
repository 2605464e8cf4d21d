/// How a pattern is compiled. The defaults are ripgrep's: Unicode-aware, `^`/`$` at line
/// ends, and a matcher that never matches the line terminator.
public struct RegexOptions: Sendable, Equatable {
    /// `(?i)`: Unicode simple case folding (ASCII only under `unicode = false`).
    public var caseInsensitive = false
    /// `(?m)`: `^` and `$` match next to `\n` as well as at the haystack ends.
    public var multiLine = true
    /// `(?s)`: `.` also matches `\n` (only meaningful when `lineTerminatorFree` is false).
    public var dotMatchesNewline = false
    /// `(?x)`: whitespace and `#` comments in the pattern are ignored.
    public var ignoreWhitespace = false
    /// `(?U)`: `*` is lazy and `*?` greedy.
    public var swapGreed = false
    /// `(?u)`: classes, `.`, `\w`, `\b` and case folding work on Unicode scalars.
    public var unicode = true
    /// `(?R)`: `$` also matches before `\r\n`, `^` after `\r`; `.` does not match `\r`.
    public var crlf = false
    /// The crate's UTF-8 mode for empty matches: an empty match never lies inside a code
    /// point's encoding (rg 15 disables it and reports them; the crate's default wins).
    public var utf8 = true
    /// The compiled matcher never matches `\n` (classes drop it, a literal `\n` is an
    /// error). False for multiline search (`-U`).
    public var lineTerminatorFree = true

    public init(caseInsensitive: Bool = false, multiLine: Bool = true, dotMatchesNewline: Bool = false,
                ignoreWhitespace: Bool = false, swapGreed: Bool = false, unicode: Bool = true,
                crlf: Bool = false, lineTerminatorFree: Bool = true, utf8: Bool = true) {
        self.caseInsensitive = caseInsensitive
        self.multiLine = multiLine
        self.dotMatchesNewline = dotMatchesNewline
        self.ignoreWhitespace = ignoreWhitespace
        self.swapGreed = swapGreed
        self.unicode = unicode
        self.crlf = crlf
        self.lineTerminatorFree = lineTerminatorFree
        self.utf8 = utf8
    }
}
