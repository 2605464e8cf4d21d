/// Why a glob does not parse, worded as ripgrep's globset words it, so that
/// `trawl: error parsing glob '[abc': unclosed character class; missing ']'` reads as rg's.
public enum GlobSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    case unclosedClass
    case invalidRange(UInt8, UInt8)
    case unopenedAlternates
    case unclosedAlternates
    case danglingEscape
    /// Groups inside groups deeper than `GlobParser.maximumDepth` (a hostile glob, not a typo).
    case nestedTooDeep

    public var description: String {
        switch self {
        case .unclosedClass: return "unclosed character class; missing ']'"
        case .invalidRange(let low, let high):
            return "invalid range; '\(Character(Unicode.Scalar(low)))' > '\(Character(Unicode.Scalar(high)))'"
        case .unopenedAlternates: return "unopened alternate group; missing '{' (maybe escape '}' with '[}]'?)"
        case .unclosedAlternates: return "unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)"
        case .danglingEscape: return "dangling '\\'"
        case .nestedTooDeep: return "alternate groups nested more than \(GlobParser.maximumDepth) deep"
        }
    }

    /// The whole message for `glob`: `error parsing glob 'GLOB': REASON`.
    public func message(glob: String) -> String { "error parsing glob '\(glob)': \(description)" }
}

/// A parsed glob: tokens, with brace alternatives (`{a,b}`) as nested branches.
indirect enum GlobPiece: Sendable, Equatable {
    case token(ByteGlob.Token)
    case alternatives([[GlobPiece]])
}

/// Parses glob syntax into pieces. With `braces`, `{a,b}` are alternatives (nested too,
/// empty ones dropped, as rg's globset) and `,` separates them inside a group only.
/// With `strict`, malformed globs throw; otherwise what does not parse is literal
/// (an unclosed `[`, a trailing `\`), git's reading, and only unbalanced braces throw.
struct GlobParser {
    /// Bounds the parser's and the compiler's recursion (rg's regex translation stops at 250).
    static let maximumDepth = 100
    let pattern: [UInt8]
    let braces: Bool
    let strict: Bool
    /// An unclosed `[` is a literal even when strict (gitignore files, as rg reads them).
    let allowUnclosedClass: Bool
    let caseInsensitive: Bool
    private var index = 0
    private var depth = 0
    /// Once a `[` found no `]`, none later will: every later `[` is literal (keeps `[[[[...`
    /// linear, as globset does).
    private var sawUnclosedClass = false

    init(_ pattern: [UInt8], braces: Bool, strict: Bool, allowUnclosedClass: Bool, caseInsensitive: Bool) {
        self.pattern = pattern
        self.braces = braces
        self.strict = strict
        self.allowUnclosedClass = allowUnclosedClass
        self.caseInsensitive = caseInsensitive
    }

    mutating func parse() throws(GlobSyntaxError) -> [GlobPiece] {
        let pieces = try sequence()
        if index < pattern.count { throw .unopenedAlternates }  // a `}` with no group open
        return pieces
    }

    /// Pieces up to the end, or (inside a group) up to the `,` or `}` that ends a branch.
    private mutating func sequence() throws(GlobSyntaxError) -> [GlobPiece] {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        let count = pattern.count
        var pieces: [GlobPiece] = []
        func append(_ token: ByteGlob.Token) {
            // `**/**/` is one `**/`, `**` in the middle one `*`.
            if (token == .directories || token == .star), pieces.last == .token(token) { return }
            pieces.append(.token(token))
        }
        while index < count {
            let byte = pattern[index]
            switch byte {
            case UInt8(ascii: "{") where braces:
                index += 1
                depth += 1
                if depth > GlobParser.maximumDepth { throw .nestedTooDeep }
                var branches: [[GlobPiece]] = []
                while true {
                    let branch = try sequence()
                    if !branch.isEmpty { branches.append(branch) }
                    guard index < count else { throw .unclosedAlternates }
                    let separator = pattern[index]
                    index += 1
                    if separator == UInt8(ascii: "}") { break }
                }
                depth -= 1
                if branches.count == 1 { pieces += branches[0] } else if !branches.isEmpty { pieces.append(.alternatives(branches)) }
            case UInt8(ascii: "}") where braces:
                if depth == 0 { throw .unopenedAlternates }
                return pieces
            case UInt8(ascii: ",") where braces && depth > 0:
                return pieces
            case star:
                var end = index
                while end < count && pattern[end] == star { end += 1 }
                let before = index == 0 ? slash : pattern[index - 1]
                let after = end == count ? slash : pattern[end]
                let inGroup = braces && depth > 0
                let atStart = before == slash || (inGroup && (before == UInt8(ascii: "{") || before == UInt8(ascii: ",")))
                let endsBranch = inGroup && (after == UInt8(ascii: ",") || after == UInt8(ascii: "}"))
                if end - index >= 2 && atStart && (after == slash || endsBranch) {
                    if end == count || endsBranch {
                        append(.anything)  // `a/**` or a lone `**`
                        index = end
                    } else {
                        append(.directories)  // `**/` (the `/` before it is already a token)
                        index = end + 1
                    }
                } else {
                    append(.star)
                    index = end
                }
            case UInt8(ascii: "?"):
                append(.anyButSlash)
                index += 1
            case UInt8(ascii: "["):
                var invalidRange: (UInt8, UInt8)?
                if !sawUnclosedClass,
                   let (set, next) = ByteSet.parseBracket(pattern, from: index, bothCases: caseInsensitive, invalidRange: &invalidRange) {
                    if strict, let (low, high) = invalidRange { throw .invalidRange(low, high) }
                    append(.byteClass(set))
                    index = next
                } else {
                    if strict && !allowUnclosedClass { throw .unclosedClass }
                    sawUnclosedClass = true
                    append(.byte(byte))  // no closing `]`: a literal `[`
                    index += 1
                }
            case UInt8(ascii: "\\"):
                if index + 1 < count {
                    append(.byte(pattern[index + 1]))
                    index += 2
                } else {
                    if strict { throw .danglingEscape }
                    append(.byte(byte))
                    index += 1
                }
            default:
                append(.byte(byte))
                index += 1
            }
        }
        return pieces
    }
}

extension [GlobPiece] {
    /// The tokens, when no piece is a group of alternatives.
    var flatTokens: [ByteGlob.Token]? {
        var tokens: [ByteGlob.Token] = []
        tokens.reserveCapacity(count)
        for piece in self {
            guard case .token(let token) = piece else { return nil }
            tokens.append(token)
        }
        return tokens
    }
}
