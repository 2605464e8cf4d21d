/// The parsed form of a `-P` pattern (PCRE2 syntax), before it is compiled into a
/// `BacktrackProgram`. Case-insensitivity is already applied: a caseless literal is a
/// `.set` of its case orbit, and every class is closed under simple case folding.
indirect enum PCRENode: Equatable {
    case empty
    /// One scalar, matched exactly.
    case char(UInt32)
    /// One scalar in the set; `negated` sets also match a byte that is not valid UTF-8.
    case set(ScalarRanges, negated: Bool)
    /// `.`: any scalar, or any but `\n` when `dotAll` is false.
    case any(dotAll: Bool)
    case assertion(PCREAssertion)
    /// A group; `capture` is its number (1-based) or nil for `(?:...)`.
    case group(PCRENode, capture: Int?)
    case concat([PCRENode])
    case alternation([PCRENode])
    case repetition(PCRENode, min: Int, max: Int?, kind: PCRERepetitionKind)
    /// `(?>...)`: once the group matched, its inner choices are forgotten.
    case atomic(PCRENode)
    case look(PCRENode, behind: Bool, negative: Bool)
    case backreference(Int, caseless: Bool)
    /// `\K`: the reported match starts here.
    case keep
}

enum PCRERepetitionKind: Equatable { case greedy, lazy, possessive }

enum PCREAssertion: UInt8, Equatable {
    /// `^`, `$` with `(?m)`: next to any `\n` or the subject's ends.
    case lineStart, lineEnd
    /// `^` without `(?m)`, `\A`; `\z`; `$` without `(?m)` and `\Z`: the end or before a final `\n`.
    case subjectStart, subjectEnd, subjectEndOrFinalNewline
    case wordBoundary, notWordBoundary
    /// `\G`: where this search began.
    case searchStart
}

extension PCRENode {
    /// The scalars one position of this node can be, for a node that always consumes exactly
    /// one scalar; nil otherwise. Used to make a repetition possessive when what follows
    /// can never start with what it repeats (PCRE2's auto-possessification).
    var singleScalarSet: (ScalarRanges, negated: Bool)? {
        switch self {
        case .char(let c): return (ScalarRanges([c...c]), false)
        case .set(let s, let negated): return (s, negated)
        case .any(let dotAll):
            let all = ScalarRanges([0...ScalarRanges.maxScalar])
            return (dotAll ? all : all.removing(0x0A), true)
        case .group(let sub, nil): return sub.singleScalarSet
        default: return nil
        }
    }

    /// How many scalars every match of this node spans, when that is fixed (look-behind
    /// bodies must be, as in PCRE2).
    var fixedLength: Int? {
        switch self {
        case .empty, .assertion, .look, .keep: return 0
        case .char, .set, .any: return 1
        case .group(let sub, _), .atomic(let sub): return sub.fixedLength
        case .concat(let items):
            var total = 0
            for item in items {
                guard let n = item.fixedLength else { return nil }
                total += n
            }
            return total
        case .alternation(let branches):
            guard let first = branches.first?.fixedLength else { return 0 }
            return branches.allSatisfy({ $0.fixedLength == first }) ? first : nil
        case .repetition(let sub, let min, let max, _):
            guard max == min, let n = sub.fixedLength else { return nil }
            return n * min
        case .backreference: return nil
        }
    }

    /// Whether the node uses what only the backtracking engine offers (look-around,
    /// backreferences, atomic groups, possessive repetition, `\K`, `\G`).
    var needsBacktracking: Bool {
        switch self {
        case .look, .backreference, .atomic, .keep: return true
        case .assertion(let a): return a == .searchStart
        case .empty, .char, .set, .any: return false
        case .group(let sub, _): return sub.needsBacktracking
        case .concat(let items), .alternation(let items): return items.contains { $0.needsBacktracking }
        case .repetition(let sub, _, _, let kind): return kind == .possessive || sub.needsBacktracking
        }
    }
}
