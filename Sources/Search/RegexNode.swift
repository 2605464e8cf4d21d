/// A zero-width assertion.
enum Look: UInt8, Sendable, Hashable, CaseIterable {
    case startText, endText
    case startLine, endLine
    /// `^`/`$` under `(?R)`: `\r`, `\n` and `\r\n` all end lines.
    case startLineCRLF, endLineCRLF
    case wordBoundaryASCII, notWordBoundaryASCII
    case wordBoundaryUnicode, notWordBoundaryUnicode
    /// `\b{start}` (`\<`), `\b{end}` (`\>`), `\b{start-half}`, `\b{end-half}`.
    case wordStartASCII, wordEndASCII, wordStartHalfASCII, wordEndHalfASCII
    case wordStartUnicode, wordEndUnicode, wordStartHalfUnicode, wordEndHalfUnicode

    /// Whether the assertion reads Unicode word characters (the DFA quits on non-ASCII).
    var isUnicodeWordBoundary: Bool {
        switch self {
        case .wordBoundaryUnicode, .notWordBoundaryUnicode, .wordStartUnicode, .wordEndUnicode,
             .wordStartHalfUnicode, .wordEndHalfUnicode: return true
        default: return false
        }
    }

    /// For a word assertion, whether it holds between a word character or not before and
    /// after; nil for line and text anchors.
    func holdsBetween(wordBefore before: Bool, wordAfter after: Bool) -> Bool? {
        switch self {
        case .wordBoundaryASCII, .wordBoundaryUnicode: return before != after
        case .notWordBoundaryASCII, .notWordBoundaryUnicode: return before == after
        case .wordStartASCII, .wordStartUnicode: return !before && after
        case .wordEndASCII, .wordEndUnicode: return before && !after
        case .wordStartHalfASCII, .wordStartHalfUnicode: return !before
        case .wordEndHalfASCII, .wordEndHalfUnicode: return !after
        default: return nil
        }
    }

    /// The same assertion read right to left (for the reverse span DFA).
    var mirrored: Look {
        switch self {
        case .startText: return .endText
        case .endText: return .startText
        case .startLine: return .endLine
        case .endLine: return .startLine
        case .wordStartASCII: return .wordEndASCII
        case .wordEndASCII: return .wordStartASCII
        case .wordStartHalfASCII: return .wordEndHalfASCII
        case .wordEndHalfASCII: return .wordStartHalfASCII
        case .wordStartUnicode: return .wordEndUnicode
        case .wordEndUnicode: return .wordStartUnicode
        case .wordStartHalfUnicode: return .wordEndHalfUnicode
        case .wordEndHalfUnicode: return .wordStartHalfUnicode
        default: return self
        }
    }
}

/// The parsed pattern with every flag already applied (RE2's "HIR"): case folding has
/// turned letters into classes, `.` into a class, `^` into the right `Look`.
indirect enum RegexNode: Equatable, Sendable {
    /// Matches the empty string.
    case empty
    /// Matches exactly these bytes (UTF-8 of the literal characters).
    case literal([UInt8])
    /// Matches one Unicode scalar, UTF-8 encoded, from the set.
    case unicodeClass(ScalarRanges)
    /// Matches one byte from the set (ranges within 0...255); `(?-u)` classes.
    case byteClass(ScalarRanges)
    case look(Look)
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// A capture group; captures are not reported, the node only keeps the structure.
    case group(RegexNode, name: String?)

    /// Whether the node matches the empty string somewhere (assertions count as empty).
    var canMatchEmpty: Bool {
        switch self {
        case .empty, .look: return true
        case .literal(let bytes): return bytes.isEmpty
        case .unicodeClass, .byteClass: return false
        case .repetition(let n, let min, _, _): return min == 0 || n.canMatchEmpty
        case .group(let n, _): return n.canMatchEmpty
        case .concat(let ns): return ns.allSatisfy(\.canMatchEmpty)
        case .alternation(let ns): return ns.contains { $0.canMatchEmpty }
        }
    }

    /// Whether any `\b`/`\B` in the tree needs Unicode word characters.
    var hasUnicodeWordBoundary: Bool {
        switch self {
        case .look(let l): return l.isUnicodeWordBoundary
        case .repetition(let n, _, _, _), .group(let n, _): return n.hasUnicodeWordBoundary
        case .concat(let ns), .alternation(let ns): return ns.contains { $0.hasUnicodeWordBoundary }
        default: return false
        }
    }
}
