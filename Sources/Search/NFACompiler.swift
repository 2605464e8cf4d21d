/// Compiles a `RegexNode` into a byte-level Thompson NFA, refusing programs over the size
/// limit before building them.
struct NFACompiler {
    /// At most this many NFA states (about 40 bytes each). Rust's default limit (10 MB)
    /// is of the same order; `(a{1000}){1000}` is refused, `\w{50}` is fine.
    static let stateLimit = 500_000

    private var states: [NFA.State] = []
    private var looks: Set<Look> = []
    private var boundaries = [Bool](repeating: false, count: 257)
    /// Build the automaton of the reversed language (for finding match starts backwards).
    private var reverse = false

    static func compile(_ node: RegexNode, reverse: Bool = false) throws(RegexError) -> NFA {
        let estimate = Self.estimate(node)
        if estimate > stateLimit {
            throw RegexError(kind: .sizeLimit,
                             message: "the compiled program would need about \(estimate) states, over the limit of \(stateLimit)",
                             column: 0)
        }
        var c = NFACompiler()
        c.reverse = reverse
        let match = c.add(.match)
        let start = c.compile(node, next: match)
        return NFA(states: c.states, start: start, looks: c.looks, byteBoundaries: c.boundaries)
    }

    /// Stands in for a program never run (the pattern's literals decide every search).
    static let neverMatching = NFA(states: [.fail], start: 0, looks: [], byteBoundaries: [Bool](repeating: false, count: 257))

    /// An upper bound on the states `compile` creates; saturates instead of overflowing.
    static func estimate(_ node: RegexNode) -> Int {
        let cap = stateLimit + 1
        switch node {
        case .empty, .look: return 1
        case .literal(let bytes): return bytes.count
        case .byteClass: return 1
        case .unicodeClass(let set): return min(cap, set.ranges.count * 4 + 4)
        case .repetition(let sub, let min, let max, _):
            let copies = Swift.max(1, max ?? (min + 1))
            let (product, overflow) = estimate(sub).multipliedReportingOverflow(by: copies)
            return overflow ? cap : Swift.min(cap, product + copies)
        case .concat(let nodes), .alternation(let nodes):
            return Swift.min(cap, nodes.reduce(1) { Swift.min(cap, $0 + estimate($1)) })
        case .group(let sub, _): return estimate(sub)
        }
    }

    /// A branch as literal strings in priority order, when it is a small set of literals
    /// (grep -F -f WORDS, also with -i: a folding letter is one trie edge for both cases).
    private static func literals(of node: RegexNode) -> [Literal]? {
        var n = node
        while case .group(let inner, _) = n { n = inner }
        switch n {
        case .literal(let bytes): return [bytes.map { LiteralByte(byte: $0, fold: false) }]
        case .empty: return [[]]
        default: return LiteralInfo.analyze(n).exact
        }
    }

    /// False when a letter is both folding and exact somewhere (mixed inline flags): trie
    /// edges out of one node must not overlap.
    private static func edgesAreDisjoint(_ literals: [Literal]) -> Bool {
        var folded = Set<UInt8>(), plain = Set<UInt8>()
        for lit in literals { for lb in lit { if lb.fold { folded.insert(lb.byte) } else { plain.insert(lb.byte) } } }
        return !folded.contains { plain.contains($0) || plain.contains($0 & ~0x20) }
    }

    /// An alternation of literals as a trie, so a DFA state holds the few trie nodes still
    /// alive instead of every branch (2000 words over 100 MB: 11 MB/s as a plain union,
    /// 323 MB/s as a trie). Leftmost-first order survives: where a literal ends inside the
    /// trie, literals ranked before it are tried first, then the end, then those after it.
    private mutating func compileLiteralTrie(_ literals: [(bytes: Literal, rank: Int)], depth: Int, next: Int32) -> Int32 {
        guard let end = literals.first(where: { $0.bytes.count == depth }) else {
            return compileTrieChildren(literals, depth: depth, next: next)
        }
        var options: [Int32] = []
        let before = literals.filter { $0.bytes.count > depth && $0.rank < end.rank }
        let after = literals.filter { $0.bytes.count > depth && $0.rank > end.rank }
        if !before.isEmpty { options.append(compileTrieChildren(before, depth: depth, next: next)) }
        options.append(next)
        if !after.isEmpty { options.append(compileTrieChildren(after, depth: depth, next: next)) }
        return options.count == 1 ? options[0] : add(.union(options))
    }

    /// One edge per distinct position at `depth` (all literals are longer than it); a
    /// folding letter's edge takes both of its bytes.
    private mutating func compileTrieChildren(_ literals: [(bytes: Literal, rank: Int)], depth: Int, next: Int32) -> Int32 {
        var groups: [LiteralByte: [(bytes: Literal, rank: Int)]] = [:]
        for lit in literals { groups[lit.bytes[depth], default: []].append(lit) }
        var transitions: [NFA.Transition] = []
        for key in groups.keys {
            let child = compileLiteralTrie(groups[key]!, depth: depth + 1, next: next)
            for b in key.fold ? [key.byte & ~0x20, key.byte] : [key.byte] {
                noteRange(b, b)
                transitions.append(NFA.Transition(lo: b, hi: b, next: child))
            }
        }
        transitions.sort { $0.lo < $1.lo }
        if transitions.count == 1 {
            return add(.range(lo: transitions[0].lo, hi: transitions[0].hi, next: transitions[0].next))
        }
        return add(.sparse(transitions))
    }

    /// The assertion that, read right to left, means what `look` means left to right.
    /// CRLF line anchors have no mirror among the kinds (callers avoid reversing them).
    private mutating func add(_ state: NFA.State) -> Int32 {
        states.append(state)
        return Int32(states.count - 1)
    }

    private mutating func noteRange(_ lo: UInt8, _ hi: UInt8) {
        boundaries[Int(lo)] = true
        boundaries[Int(hi) + 1] = true
    }

    private mutating func compile(_ node: RegexNode, next: Int32) -> Int32 {
        switch node {
        case .empty:
            return next
        case .literal(let bytes):
            var target = next
            for b in (reverse ? bytes : bytes.reversed()) {
                noteRange(b, b)
                target = add(.range(lo: b, hi: b, next: target))
            }
            return target
        case .byteClass(let set):
            let transitions = set.ranges.map { NFA.Transition(lo: UInt8($0.lowerBound), hi: UInt8($0.upperBound), next: next) }
            for t in transitions { noteRange(t.lo, t.hi) }
            if transitions.isEmpty { return add(.fail) }
            if transitions.count == 1 { return add(.range(lo: transitions[0].lo, hi: transitions[0].hi, next: next)) }
            return add(.sparse(transitions))
        case .unicodeClass(let set):
            return compileUTF8(set, next: next)
        case .look(let forward):
            let look = reverse ? forward.mirrored : forward
            looks.insert(look)
            return add(.look(look, next: next))
        case .group(let sub, _):
            return compile(sub, next: next)
        case .concat(let nodes):
            var target = next
            for n in (reverse ? nodes : nodes.reversed()) { target = compile(n, next: target) }
            return target
        case .alternation(let nodes):
            // Maximal runs of literal branches become tries; order between runs and other
            // branches is kept, so leftmost-first priority is unchanged.
            var starts: [Int32] = []
            var run: [(node: RegexNode, literals: [Literal])] = []
            func flush(_ c: inout NFACompiler) {
                let literals = run.flatMap(\.literals)
                if run.count >= 2, Self.edgesAreDisjoint(literals) {
                    starts.append(c.compileLiteralTrie(
                        literals.enumerated().map { (bytes: c.reverse ? Literal($1.reversed()) : $1, rank: $0) },
                        depth: 0, next: next))
                } else {
                    for item in run { starts.append(c.compile(item.node, next: next)) }
                }
                run.removeAll()
            }
            for n in nodes {
                if let literals = Self.literals(of: n) {
                    run.append((n, literals))
                } else {
                    flush(&self)
                    starts.append(compile(n, next: next))
                }
            }
            flush(&self)
            return starts.count == 1 ? starts[0] : add(.union(starts))
        case .repetition(let sub, let min, let max, let greedy):
            return compileRepetition(sub, min: min, max: max, greedy: greedy, next: next)
        }
    }

    private mutating func split(_ preferred: Int32, _ other: Int32, greedy: Bool) -> NFA.State {
        greedy ? .split(preferred, other) : .split(other, preferred)
    }

    private mutating func compileRepetition(_ sub: RegexNode, min: Int, max: Int?, greedy: Bool, next: Int32) -> Int32 {
        var target = next
        if let max {
            // Optional copies, nested: x{2,4} = x x (x (x)?)?
            for _ in 0..<(max - min) {
                let body = compile(sub, next: target)
                target = add(split(body, target, greedy: greedy))
            }
            if target == next && min == 0 && max == 0 { return next }
        } else {
            // x* where x can match empty is (x+)?, as the Rust crate compiles it: an empty
            // pass through x then ends the loop at the priority x gave it, so `(?:|a)*`
            // on `aaa` matches empty (the empty branch is preferred), not `aaa`.
            if min == 0 && sub.canMatchEmpty {
                let plus = compileRepetition(sub, min: 1, max: nil, greedy: greedy, next: next)
                return add(split(plus, next, greedy: greedy))
            }
            // A loop: the last mandatory copy (or a split) feeds back to itself.
            let loop = add(.fail)
            let body = compile(sub, next: loop)
            states[Int(loop)] = split(body, next, greedy: greedy)
            if min == 0 { return loop }
            target = body
            for _ in 0..<(min - 1) { target = compile(sub, next: target) }
            return target
        }
        for _ in 0..<min { target = compile(sub, next: target) }
        return target
    }

    /// A class as a byte-range trie over its UTF-8 sequences: shared leading bytes share
    /// states, keeping `\w` (hundreds of ranges) small.
    private mutating func compileUTF8(_ set: ScalarRanges, next: Int32) -> Int32 {
        final class TrieNode {
            var children: [(lo: UInt8, hi: UInt8, node: TrieNode)] = []
        }
        let root = TrieNode()
        var sequences = UTF8Sequences.sequences(for: set)
        if reverse {
            // Reversed sequences, sorted so equal leading ranges sit together in the trie.
            sequences = sequences.map { Array($0.reversed()) }.sorted { a, b in
                for (x, y) in zip(a, b) where x != y { return x.lo != y.lo ? x.lo < y.lo : x.hi < y.hi }
                return a.count < b.count
            }
        }
        for seq in sequences {
            var node = root
            for r in seq {
                if let last = node.children.last, last.lo == r.lo, last.hi == r.hi {
                    node = last.node
                } else {
                    let child = TrieNode()
                    node.children.append((r.lo, r.hi, child))
                    node = child
                }
            }
        }
        func build(_ node: TrieNode) -> Int32 {
            if node.children.isEmpty { return next }
            var transitions: [NFA.Transition] = []
            for child in node.children {
                noteRange(child.lo, child.hi)
                transitions.append(NFA.Transition(lo: child.lo, hi: child.hi, next: build(child.node)))
            }
            if transitions.count == 1 { return add(.range(lo: transitions[0].lo, hi: transitions[0].hi, next: transitions[0].next)) }
            return add(.sparse(transitions))
        }
        if root.children.isEmpty { return add(.fail) }
        return build(root)
    }
}
