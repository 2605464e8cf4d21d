/// Why a pattern could not be turned into a matcher. One case per kind of failure, each
/// printing a message a user can act on, with the 1-based column (in characters) of the
/// offending part of the pattern.
public struct RegexError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The pattern is not valid RE2/Rust regex syntax.
        case parse
        /// The pattern is valid but compiles to a program larger than the size limit.
        case sizeLimit
        /// Compilation stopped because the caller's cancellation check said so (Ctrl-C).
        case cancelled
    }

    public let kind: Kind
    /// What is wrong, e.g. "unclosed group".
    public let message: String
    /// 1-based character column of the problem in the pattern (0 when not tied to one spot).
    public let column: Int
    /// The pattern the column is in, when known: the message then shows it with a caret
    /// under the column, as ripgrep does.
    public var pattern: String?

    public init(kind: Kind = .parse, message: String, column: Int) {
        self.kind = kind
        self.message = message
        self.column = column
    }

    /// Patterns longer than this (a word list joined by `|`) keep the one-line form.
    static let longestShownPattern = 1000

    public var description: String {
        switch kind {
        case .parse:
            if let pattern, column > 0, !pattern.contains("\n"),
               pattern.unicodeScalars.count <= Self.longestShownPattern {
                let indent = String(repeating: " ", count: column - 1)
                return "regex parse error:\n    \(pattern)\n    \(indent)^\nerror: \(message)"
            }
            return "regex parse error: \(message) at column \(column)"
        case .sizeLimit: return "regex too big: \(message)"
        case .cancelled: return "regex compilation interrupted"
        }
    }
}
