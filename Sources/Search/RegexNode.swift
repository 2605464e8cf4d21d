/// A zero-width assertion.
enum Look: UInt8, Sendable, Hashable, CaseIterable {
    case startText, endText
    case startLine, endLine
    /// `^`/`$` under `(?R)`: `\r`, `\n` and `\r\n` all end lines.
    case startLineCRLF, endLineCRLF
    case wordBoundaryASCII, notWordBoundaryASCII
    case wordBoundaryUnicode, notWordBoundaryUnicode

    var isUnicodeWordBoundary: Bool { self == .wordBoundaryUnicode || self == .notWordBoundaryUnicode }
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
