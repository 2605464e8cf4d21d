/// A large set of literal strings (`grep -F -f` with 100,000 words) matched with an
/// Aho-Corasick automaton: a trie of the literals with failure links, walked once over the
/// haystack. Memory and build time are linear in the literals' total length, where the
/// regex program of the same set is refused as too big.
///
/// Spans are leftmost-first, as `CompiledRegex` gives them for an alternation of the literals: the
/// automaton finds the earliest match end `e`; the leftmost start lies in `e - longest...`,
/// up to that match's own start, and the trie walked from each candidate start gives the
/// literal that ranks first there. The automaton's scan is linear in the haystack; placing
/// a match tries at most `longest` starts of at most `longest` bytes each, so a match costs
/// O(longest²) on top, a constant for a fixed set.
///
/// Case-insensitive sets are ASCII: letters fold by table, and `k` and `s`, whose simple
/// case folding also holds K (U+212A) and ſ (U+017F), are entered in the trie in each
/// spelling (at most 2^`maxUnicodeLetters` per literal). Literals never contain `\n` (a line
/// matcher's contract) and are not empty.
/// Thread-safety: immutable after `init`; share one instance between workers.
public final class LiteralSetMatcher: Matcher {
    /// Edges of node n: `edgeBytes[edgeStart[n]..<edgeStart[n + 1]]`, sorted, with targets.
    private let edgeStart: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    /// The root's edges as a full table (0: back to the root), the hottest lookups.
    private let rootNext: [Int32]
    private let failure: [Int32]
    /// The best-ranked literal ending exactly at the node, or -1.
    private let rank: [Int32]
    /// The length of some literal that ends at the node or at a node on its failure
    /// chain (a match ends here), or 0 when none does.
    private let outputLength: [Int32]
    private let longest: Int
    /// Haystack bytes pass through this table: identity, or ASCII lower-casing.
    private let fold: [UInt8]

    /// No literal here holds `\n` (see `accepts`).
    public var canMatchNewline: Bool { false }

    /// Whether `literals` can be matched here with `caseInsensitive`: none empty, none
    /// holding `\n`, and under case folding ASCII only, without `k` or `s`.
    public static func accepts(_ literals: [[UInt8]], caseInsensitive: Bool) -> Bool {
        for literal in literals {
            if literal.isEmpty || literal.contains(10) { return false }
            if caseInsensitive {
                if literal.contains(where: { $0 >= 0x80 }) { return false }
                if literal.count(where: { unicodeVariant($0) != nil }) > maxUnicodeLetters { return false }
            }
        }
        return !literals.isEmpty
    }

    /// 2^8 spellings of a literal at most: past that the set is left to the regex engine.
    static let maxUnicodeLetters = 8

    /// The UTF-8 of the non-ASCII member of an ASCII letter's case orbit, if it has one.
    private static func unicodeVariant(_ byte: UInt8) -> [UInt8]? {
        switch byte | 0x20 {
        case UInt8(ascii: "k"): return [0xE2, 0x84, 0xAA]  // U+212A KELVIN SIGN
        case UInt8(ascii: "s"): return [0xC5, 0xBF]  // U+017F LATIN SMALL LETTER LONG S
        default: return nil
        }
    }

    /// Every spelling of `literal` under Unicode simple case folding (ASCII letters fold
    /// by table; `k` and `s` also as their non-ASCII variants).
    private static func spellings(_ literal: [UInt8]) -> [[UInt8]] {
        var spellings: [[UInt8]] = [[]]
        for byte in literal {
            if let variant = unicodeVariant(byte) {
                spellings = spellings.flatMap { [$0 + [byte], $0 + variant] }
            } else {
                for index in spellings.indices { spellings[index].append(byte) }
            }
        }
        return spellings
    }

    /// Builds the automaton; `literals` in priority order (the first listed wins a tie).
    /// Precondition: `accepts(literals, caseInsensitive:)`.
    public init(_ literals: [[UInt8]], caseInsensitive: Bool) {
        precondition(Self.accepts(literals, caseInsensitive: caseInsensitive))
        var fold = [UInt8](repeating: 0, count: 256)
        for byte in 0..<256 {
            let value = UInt8(byte)
            fold[byte] = caseInsensitive && value >= 0x41 && value <= 0x5A ? value | 0x20 : value
        }
        // The trie, children as unsorted lists while building.
        var children: [[(byte: UInt8, node: Int32)]] = [[]]
        var rank: [Int32] = [-1]
        var depth: [Int32] = [0]
        var longest = 0
        for (index, original) in literals.enumerated() {
            for literal in caseInsensitive ? Self.spellings(original) : [original] {
                var node: Int32 = 0
                for raw in literal {
                    let byte = fold[Int(raw)]
                    if let child = children[Int(node)].first(where: { $0.byte == byte }) {
                        node = child.node
                    } else {
                        let child = Int32(children.count)
                        children.append([])
                        rank.append(-1)
                        depth.append(depth[Int(node)] + 1)
                        children[Int(node)].append((byte, child))
                        node = child
                    }
                }
                if rank[Int(node)] < 0 { rank[Int(node)] = Int32(index) }
                longest = max(longest, literal.count)
            }
        }
        let count = children.count
        var edgeStart = [Int32](repeating: 0, count: count + 1)
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        edgeBytes.reserveCapacity(count)
        edgeTargets.reserveCapacity(count)
        for node in 0..<count {
            edgeStart[node] = Int32(edgeBytes.count)
            for edge in children[node].sorted(by: { $0.byte < $1.byte }) {
                edgeBytes.append(edge.byte)
                edgeTargets.append(edge.node)
            }
        }
        edgeStart[count] = Int32(edgeBytes.count)
        children = []
        var rootNext = [Int32](repeating: 0, count: 256)
        for edge in Int(edgeStart[0])..<Int(edgeStart[1]) { rootNext[Int(edgeBytes[edge])] = edgeTargets[edge] }

        // Failure links breadth first: a node's failure is the longest proper suffix of
        // its string that is in the trie.
        var failure = [Int32](repeating: 0, count: count)
        var outputLength = [Int32](repeating: 0, count: count)
        var queue: [Int32] = []
        queue.reserveCapacity(count)
        for edge in Int(edgeStart[0])..<Int(edgeStart[1]) { queue.append(edgeTargets[edge]) }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            outputLength[node] = rank[node] >= 0 ? depth[node] : outputLength[Int(failure[node])]
            for edge in Int(edgeStart[node])..<Int(edgeStart[node + 1]) {
                let byte = edgeBytes[edge], child = edgeTargets[edge]
                var fallback = failure[node]
                while true {
                    if let next = Self.child(of: fallback, byte, edgeStart, edgeBytes, edgeTargets) { failure[Int(child)] = next; break }
                    if fallback == 0 { failure[Int(child)] = rootNext[Int(byte)] == child ? 0 : rootNext[Int(byte)]; break }
                    fallback = failure[Int(fallback)]
                }
                queue.append(child)
            }
        }
        self.edgeStart = edgeStart
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.rootNext = rootNext
        self.failure = failure
        self.rank = rank
        self.outputLength = outputLength
        self.longest = longest
        self.fold = fold
    }

    /// The child of `node` on `byte` by binary search over its sorted edges.
    @inline(__always)
    private static func child(of node: Int32, _ byte: UInt8, _ edgeStart: [Int32], _ edgeBytes: [UInt8],
                              _ edgeTargets: [Int32]) -> Int32? {
        var low = Int(edgeStart[Int(node)]), high = Int(edgeStart[Int(node) + 1])
        while low < high {
            let middle = (low + high) / 2
            let found = edgeBytes[middle]
            if found == byte { return edgeTargets[middle] }
            if found < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The earliest end of any literal in `haystack[start...]`, with that literal's length.
    private func earliestEnd(_ haystack: UnsafeRawBufferPointer, from start: Int) -> (end: Int, length: Int)? {
        var state: Int32 = 0
        var index = start
        while index < haystack.count {
            let byte = fold[Int(haystack[index])]
            index += 1
            if state == 0 {
                state = rootNext[Int(byte)]
            } else {
                while true {
                    if let next = Self.child(of: state, byte, edgeStart, edgeBytes, edgeTargets) { state = next; break }
                    if state == 0 { break }
                    state = failure[Int(state)]
                    if state == 0 { state = rootNext[Int(byte)]; break }
                }
            }
            let length = outputLength[Int(state)]
            if length > 0 { return (index, Int(length)) }
        }
        return nil
    }

    /// The best-ranked literal starting at `start`, as its length, walking the trie.
    private func bestLiteral(_ haystack: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var node: Int32 = 0
        var best: (rank: Int32, length: Int)? = nil
        var index = start
        while index < haystack.count {
            guard let next = Self.child(of: node, fold[Int(haystack[index])], edgeStart, edgeBytes, edgeTargets) else { break }
            node = next
            index += 1
            let found = rank[Int(node)]
            if found >= 0 && (best == nil || found < best!.rank) { best = (found, index - start) }
        }
        return best?.length
    }

    public func firstMatchEnd(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start <= haystack.count else { return nil }
        return earliestEnd(haystack, from: start)?.end
    }

    public func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        guard start <= haystack.count, let (end, length) = earliestEnd(haystack, from: start) else { return nil }
        // A match starting earlier ends later, but no later than `longest` after its start.
        var candidate = max(start, end - longest)
        while candidate <= end - length {
            if let found = bestLiteral(haystack, at: candidate) { return candidate..<(candidate + found) }
            candidate += 1
        }
        return nil  // unreachable: the earliest-ending literal starts at end - length
    }
}
