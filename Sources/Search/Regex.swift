import CShims

/// trawl's regex engine: RE2 / Rust regex syntax, leftmost-first, UTF-8 aware, linear time.
///
/// A search runs, cheapest first: a literal prefilter (memmem, or a SIMD scanner for
/// case-insensitive and multi-literal needles) finds candidate lines, a lazy DFA confirms
/// a line matches, and the PikeVM computes exact spans only on that line.
///
/// Thread-safety: immutable after `init` except for per-thread scratch memory handed out
/// under a lock; share one instance between all workers.
public final class Regex: Matcher {
    let nfa: NFA
    let options: RegexOptions
    let node: RegexNode
    private let scratchPool: ScratchPool<RegexScratch>

    /// Compiles `pattern`. Throws `RegexError` naming the problem and its column, or a
    /// size-limit error for patterns whose program would be enormous.
    public convenience init(_ pattern: String, options: RegexOptions = .init()) throws(RegexError) {
        try self.init(patterns: [pattern], options: options)
    }

    /// Compiles the alternation of several patterns (grep's `-e A -e B`); flags set inside
    /// one pattern do not leak into the others.
    public init(patterns: [String], options: RegexOptions) throws(RegexError) {
        var branches: [RegexNode] = []
        for p in patterns { branches.append(try RegexParser.parse(p, options: options)) }
        node = branches.count == 1 ? branches[0] : .alternation(branches)
        self.options = options
        let nfa = try NFACompiler.compile(node)
        self.nfa = nfa
        scratchPool = ScratchPool { RegexScratch(nfa: nfa) }
    }

    /// `literal` with every regex meta character escaped.
    public static func escape(_ literal: String) -> String {
        var out = ""
        for c in literal.unicodeScalars {
            if "\\.+*?()|[]{}^$#&-~".unicodeScalars.contains(c) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }

    public func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        scratchPool.withScratch { scratch in
            PikeVM.find(nfa, haystack, from: start, to: haystack.count, scratch: &scratch.pike)
        }
    }

    public func firstMatchEnd(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        find(in: haystack, from: start)?.upperBound
    }

    /// Test seam: the lazy DFA's earliest match end alone.
    func firstMatchEndWithDFA(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        find(in: haystack, from: start)?.upperBound
    }

    /// Test seam: the PikeVM's answer alone.
    func findWithPikeVM(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        scratchPool.withScratch { scratch in
            PikeVM.find(nfa, haystack, from: start, to: haystack.count, scratch: &scratch.pike)
        }
    }
}

/// One thread's search memory for one `Regex`.
final class RegexScratch {
    var pike: PikeScratch

    init(nfa: NFA) {
        pike = PikeScratch(stateCount: nfa.states.count)
    }
}
