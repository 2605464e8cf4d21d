import CShims
import Glibc

/// trawl's regex engine: RE2 / Rust regex syntax, leftmost-first, UTF-8 aware, linear time.
///
/// A search runs, cheapest first: a literal prefilter (memmem, or a word-at-a-time scanner
/// for case-insensitive and multi-literal needles) finds candidate lines, a lazy DFA
/// confirms a line matches, and the PikeVM computes exact spans only on that line. A
/// pattern that is just a set of literals never reaches the automata.
///
/// Line-oriented (the default, `lineTerminatorFree`): a match never holds `\n`, and `\A`
/// and `\z` mean line start and end, as each line is its own text to ripgrep.
///
/// Thread-safety: immutable after `init` except for per-thread scratch memory handed out
/// under a lock; share one instance between all workers.
public final class CompiledRegex: Matcher {
    let nfa: NFA
    /// Some transition of the program consumes `\n` (see `Matcher.canMatchNewline`).
    public let canMatchNewline: Bool
    let options: RegexOptions
    let node: RegexNode
    package let dfa: LazyDFA
    /// Set when the pattern is a plain set of literals: the scanner alone gives spans.
    let exactScanner: LiteralScanner?
    /// Set when every match contains one of a few literals: candidate lines for the DFA.
    let requiredScanner: LiteralScanner?
    /// Multiline search only: the leftmost-first match end going forwards, then its start
    /// going backwards over the reversed pattern (RE2's and Rust's two-pass span search).
    let spanDFAs: (forward: LazyDFA, reverse: LazyDFA)?
    private let scratchPool: ScratchPool<RegexScratch>

    /// Compiles `pattern`. Throws `RegexError` naming the problem and its column, or a
    /// size-limit error for patterns whose program would be enormous.
    public convenience init(_ pattern: String, options: RegexOptions = .init()) throws(RegexError) {
        try self.init(patterns: [pattern], options: options)
    }

    /// Compiles the alternation of several patterns (grep's `-e A -e B`); flags set inside
    /// one pattern do not leak into the others. `isCancelled` is polled while parsing and
    /// between phases: when it turns true, a `.cancelled` error is thrown (Ctrl-C during
    /// a megabyte pattern stops at once).
    public init(patterns: [String], options: RegexOptions, isCancelled: (() -> Bool)? = nil) throws(RegexError) {
        func checkCancelled() throws(RegexError) {
            if let isCancelled, isCancelled() { throw RegexError(kind: .cancelled, message: "interrupted", column: 0) }
        }
        var branches: [RegexNode] = []
        for p in patterns {
            do {
                branches.append(try RegexParser.parse(p, options: options, isCancelled: isCancelled))
            } catch {
                var located = error
                located.pattern = p
                throw located
            }
            if branches.count & 1023 == 0 { try checkCancelled() }
        }
        node = branches.count == 1 ? branches[0] : .alternation(branches)
        self.options = options
        try checkCancelled()
        let literals = LiteralInfo.analyze(node)
        exactScanner = literals.exact.map(LiteralScanner.init)
        let nfa: NFA
        var automataSkipped = false
        do {
            nfa = try NFACompiler.compile(node)
        } catch where error.kind == .sizeLimit && exactScanner != nil {
            // A literal too long for the automata (a 1 MB word): every search goes to the
            // scanner, which checks `exactScanner` first, so the automata never run.
            nfa = NFACompiler.neverMatching
            automataSkipped = true
        }
        try checkCancelled()
        self.nfa = nfa
        canMatchNewline = nfa.states.contains { state in
            switch state {
            case .range(let lo, let hi, _): return lo <= 10 && 10 <= hi
            case .sparse(let transitions): return transitions.contains { $0.lo <= 10 && 10 <= $0.hi }
            default: return false
            }
        }
        requiredScanner = exactScanner == nil && options.lineTerminatorFree ? literals.required.map(LiteralScanner.init) : nil
        let dfa = LazyDFA(nfa: nfa)
        self.dfa = dfa
        // CRLF anchors (`(?R)` in the options or the pattern) have no mirrored kind to run
        // backwards: those spans use the PikeVM.
        let crlfAnchors = nfa.looks.contains(.startLineCRLF) || nfa.looks.contains(.endLineCRLF)
        // Spans from the two DFAs rather than the PikeVM: `-o '\w+lock'` over the 1 GiB
        // file (549k matches) took 1.1 s on the PikeVM (rg 0.34 s). A literal pattern has
        // its spans from the scanner and needs neither.
        if !crlfAnchors && !automataSkipped && exactScanner == nil {
            let reversed = try NFACompiler.compile(node, reverse: true)
            spanDFAs = (LazyDFA(nfa: nfa, mode: .leftmostFirst), LazyDFA(nfa: reversed, mode: .longest, anchored: true))
        } else {
            spanDFAs = nil
        }
        let spans = spanDFAs
        scratchPool = ScratchPool { RegexScratch(nfa: nfa, dfa: dfa, spanDFAs: spans) }
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
        var from = start
        while let m = findSplittingCodePoints(in: haystack, from: from) {
            // An empty match inside a code point's encoding is no match (the crate's UTF-8
            // mode): `\B` or the empty pattern on `鋸` match at 0 and 3 only.
            guard m.isEmpty, options.utf8, !UTF8Sequences.isBoundary(haystack, m.lowerBound) else { return m }
            from = m.lowerBound + 1
        }
        return nil
    }

    private func findSplittingCodePoints(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        guard start <= haystack.count else { return nil }
        if let exactScanner {
            guard let (p, k) = exactScanner.find(haystack, from: start, to: haystack.count) else { return nil }
            return p..<(p + exactScanner.literals[k].count)
        }
        return scratchPool.withScratch { scratch in
            guard options.lineTerminatorFree else { return findAcrossLines(haystack, from: start, scratch: scratch) }
            guard let end = firstMatchEnd(haystack, from: start, scratch: scratch) else { return nil }
            // The leftmost-first match lies on the line holding the earliest match end:
            // a match on an earlier line would have ended earlier. The PikeVM is not bounded
            // by the line's end: no thread crosses `\n` and it stops once they die, and
            // finding that end per match made `-o` on a 2 MB line quadratic (19.5 s).
            let lineStart = max(start, Self.lineStart(haystack, before: end, notBefore: start))
            if let found = dfaSpan(haystack, from: lineStart, scratch: scratch), let span = found { return span }
            return PikeVM.find(nfa, haystack, from: lineStart, to: haystack.count, scratch: &scratch.pike)
        }
    }

    /// Multiline search: matches may span lines, so the span comes from the two-pass DFA
    /// search, or from the PikeVM over the rest of the window when a DFA gives up.
    private func findAcrossLines(_ haystack: UnsafeRawBufferPointer, from start: Int, scratch: RegexScratch) -> Range<Int>? {
        if let span = dfaSpan(haystack, from: start, scratch: scratch) { return span }
        return PikeVM.find(nfa, haystack, from: start, to: haystack.count, scratch: &scratch.pike)
    }

    /// The leftmost-first match from `start` by the two-pass DFA search: its end going
    /// forwards, its start going backwards over the reversed pattern. `.some(nil)`: no
    /// match; nil: a DFA gave up (the caller asks the PikeVM).
    private func dfaSpan(_ haystack: UnsafeRawBufferPointer, from start: Int, scratch: RegexScratch) -> Range<Int>?? {
        guard let (forward, reverse) = spanDFAs, let caches = scratch.spanCaches else { return nil }
        switch forward.lastMatchEnd(haystack, from: start, to: haystack.count, cache: caches.forward) {
        case .noMatch: return .some(nil)
        case .match(let end):
            if case .match(let begin) = reverse.longestStartBackward(haystack, end: end, floor: start, cache: caches.reverse) {
                return begin..<end
            }
            return nil
        case .gaveUp: return nil
        }
    }

    /// Streams long lines through the lazy DFA, except where the DFA would have to hand a
    /// line to the PikeVM (a Unicode `\b` next to non-ASCII text) or matches may span lines.
    public func makeLineScanner() -> (any LineScanner)? {
        guard options.lineTerminatorFree else { return nil }
        if let exactScanner { return LiteralLineScanner(scanner: exactScanner) }
        guard !dfa.quitOnNonASCII else { return nil }
        return DFALineScanner(dfa: dfa)
    }

    public func firstMatchEnd(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start <= haystack.count else { return nil }
        if let exactScanner {
            guard let (p, k) = exactScanner.find(haystack, from: start, to: haystack.count) else { return nil }
            return p + exactScanner.literals[k].count
        }
        return scratchPool.withScratch { scratch in firstMatchEnd(haystack, from: start, scratch: scratch) }
    }

    private func firstMatchEnd(_ haystack: UnsafeRawBufferPointer, from start: Int, scratch: RegexScratch) -> Int? {
        guard let scanner = requiredScanner else {
            return dfaEarliest(haystack, from: start, to: haystack.count, scratch: scratch)
        }
        // Each line holding a required literal is checked once by the DFA, then skipped.
        var pos = start
        while pos <= haystack.count, let (p, _) = scanner.find(haystack, from: pos, to: haystack.count) {
            let lineStart = Self.lineStart(haystack, before: p, notBefore: pos)
            guard let lineEnd = Self.lineEnd(haystack, from: p, within: Self.lineEndReach) else {
                // A long line: the DFA runs on from it (the earliest match end after it is
                // on the first line holding one), rather than seeking the line's end for
                // every match, which is quadratic in the line.
                return dfaEarliest(haystack, from: max(start, lineStart), to: haystack.count, scratch: scratch)
            }
            if let e = dfaEarliest(haystack, from: max(start, lineStart), to: lineEnd, scratch: scratch) { return e }
            pos = lineEnd + 1
        }
        return nil
    }

    /// The DFA's earliest match end in `start..<end`, with the PikeVM standing in when the
    /// DFA gives up (Unicode `\b` next to non-ASCII, a thrashing cache). In line search
    /// the PikeVM takes only the line where the DFA stopped, and the DFA resumes after it:
    /// one accented letter must not hand a whole buffer to the slow engine.
    private func dfaEarliest(_ haystack: UnsafeRawBufferPointer, from start: Int, to end: Int, scratch: RegexScratch) -> Int? {
        var from = start
        var split = pairSplit(haystack, from: start, to: end)
        while true {
            let outcome = split.map { dfa.earliestMatchEnd(haystack, from: from, split: $0, to: end, cache: scratch.dfa) }
                ?? dfa.earliestMatchEnd(haystack, from: from, to: end, cache: scratch.dfa)
            split = nil
            switch outcome {
            case .match(let e): return e
            case .noMatch: return nil
            case .gaveUp(let at):
                guard options.lineTerminatorFree else {
                    return PikeVM.find(nfa, haystack, from: from, to: end, scratch: &scratch.pike)?.upperBound
                }
                let lineStart = Self.lineStart(haystack, before: at, notBefore: from)
                // A long line goes to the PikeVM whole (see `lineEndReach`).
                let stop = min(Self.lineEnd(haystack, from: at, within: Self.lineEndReach) ?? end, end)
                if let m = PikeVM.find(nfa, haystack, from: max(from, lineStart), to: stop, scratch: &scratch.pike) {
                    return m.upperBound
                }
                if stop >= end { return nil }
                from = stop + 1
            }
        }
    }

    /// Where a DFA search of `start..<end` splits into two halves run in step
    /// (`LazyDFA.earliestMatchEnd(_:from:split:to:cache:)`): just after the first `\n` past
    /// the middle, for a pattern that cannot match one over a range worth it; nil otherwise.
    /// no_literal (`\w{5}\s+...`) over the Linux tree: 2.77 -> 1.95 CPU-seconds (rg 2.66).
    private func pairSplit(_ haystack: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard !canMatchNewline, options.lineTerminatorFree, end - start >= Self.pairMinimum,
              let base = haystack.baseAddress else { return nil }
        let middle = start + (end - start) / 2
        guard let p = memchr(base + middle, 0x0A, end - middle) else { return nil }
        let split = base.distance(to: UnsafeRawPointer(p)) + 1
        return split < end ? split : nil
    }

    /// Below this the halves' set-up costs more than their overlap gains.
    static let pairMinimum = 1024

    /// How far past an offset its line's end is sought. Lines within it (nearly all) are
    /// searched one by one; a longer line is searched on to the next match instead, so
    /// successive matches on it cost their own distance, not the line's length each.
    static let lineEndReach = 4096

    /// The start of the line holding offset `i`: after the previous `\n`, searching no
    /// earlier than `floor`. Costs `i - floor` at most.
    static func lineStart(_ hay: UnsafeRawBufferPointer, before i: Int, notBefore floor: Int) -> Int {
        guard let base = hay.baseAddress, i > floor, let p = trawl_memrchr(base + floor, 0x0A, i - floor) else { return floor }
        return base.distance(to: p) + 1
    }

    /// The offset of the first `\n` at or after `i`, or the haystack's end, when that is
    /// within `reach` bytes; nil for a line going on further.
    static func lineEnd(_ hay: UnsafeRawBufferPointer, from i: Int, within reach: Int) -> Int? {
        guard let base = hay.baseAddress, i < hay.count else { return hay.count }
        let length = min(reach, hay.count - i)
        if let p = memchr(base + i, 0x0A, length) { return base.distance(to: UnsafeRawPointer(p)) }
        return length == hay.count - i ? hay.count : nil
    }

    /// Test seam: the lazy DFA's earliest match end, without literal prefilters.
    func firstMatchEndWithDFA(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start <= haystack.count else { return nil }
        return scratchPool.withScratch { scratch in dfaEarliest(haystack, from: start, to: haystack.count, scratch: scratch) }
    }

    /// Test seam: how the DFA alone answers (to check it gives up where it must).
    func dfaOutcome(in haystack: UnsafeRawBufferPointer, from start: Int) -> LazyDFA.Outcome {
        scratchPool.withScratch { scratch in
            dfa.earliestMatchEnd(haystack, from: start, to: haystack.count, cache: scratch.dfa)
        }
    }

    /// Test seam: the PikeVM's answer alone (over the whole rest of the haystack).
    func findWithPikeVM(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        scratchPool.withScratch { scratch in
            PikeVM.find(nfa, haystack, from: start, to: haystack.count, scratch: &scratch.pike)
        }
    }
}

/// One thread's search memory for one `CompiledRegex`.
final class RegexScratch {
    var pike: PikeScratch
    let dfa: DFACache
    private let spanDFAs: (forward: LazyDFA, reverse: LazyDFA)?
    /// Made on the first span asked for: most searches (`-c`, `-l`, plain lines) never ask.
    private(set) lazy var spanCaches: (forward: DFACache, reverse: DFACache)? =
        spanDFAs.map { (DFACache(dfa: $0.forward), DFACache(dfa: $0.reverse)) }

    init(nfa: NFA, dfa: LazyDFA, spanDFAs: (forward: LazyDFA, reverse: LazyDFA)?) {
        pike = PikeScratch(stateCount: nfa.states.count)
        self.dfa = DFACache(dfa: dfa)
        self.spanDFAs = spanDFAs
    }
}
