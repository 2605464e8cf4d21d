/// A lazy DFA (RE2's and Rust's design): DFA states are sets of NFA states, built on first
/// use and cached per thread. It answers one question fast, "where does the earliest match
/// end?", which is all the line searcher needs; spans come from the PikeVM afterwards.
///
/// The transition table is a flat Int32 array: a state's id is its row offset, a row has one
/// column per byte class plus one for end of input. Negative entries are the special
/// states below, so the inner loop is one load, one add, one load and one sign test per
/// byte. Matches are reported one byte late (the state entered *after* seeing byte i says
/// "a match ended at i"), which is how `$` and `\b` get their look-ahead byte.
package final class LazyDFA: Sendable {
    static let unknown: Int32 = .min
    static let match: Int32 = -1
    static let dead: Int32 = -2
    /// A byte the DFA cannot handle (non-ASCII next to a Unicode `\b`): use the PikeVM.
    static let quit: Int32 = -3

    /// What a search wants from the automaton.
    enum Mode: Sendable {
        /// Stop at the first match end (the line searcher's question).
        case earliest
        /// Follow Perl priorities to the end of the leftmost-first match.
        case leftmostFirst
        /// Keep every thread; report the last (longest) match (the reverse start search).
        case longest
    }

    package enum Outcome: Equatable {
        case match(end: Int)
        case noMatch
        /// The DFA cannot go on at `at` (a byte it must quit on, or a thrashing cache);
        /// no match ends before `at`.
        case gaveUp(at: Int)
    }

    /// Look-behind facts a state may depend on.
    struct Behind {
        static let atStart: UInt8 = 1
        static let afterNewline: UInt8 = 2
        static let afterCR: UInt8 = 4
        static let afterWord: UInt8 = 8
    }

    let nfa: NFA
    let mode: Mode
    /// The start: unless anchored, a lowest-priority any-byte loop in front of the pattern.
    let unanchoredStart: Int32
    let byteClass: [UInt8]
    package let classCount: Int
    let representative: [UInt8]
    var stride: Int { classCount + 1 }
    /// Which look-behind bits any assertion reads; others are masked out of states.
    let behindMask: UInt8
    let quitOnNonASCII: Bool
    /// Cache bound: past this many table entries the cache is cleared (8 MiB of Int32).
    let maxTableEntries: Int

    init(nfa base: NFA, mode: Mode = .earliest, anchored: Bool = false, maxTableBytes: Int = 8 << 20) {
        var nfa = base
        self.mode = mode
        if anchored {
            unanchoredStart = base.start
        } else {
            let loop = Int32(nfa.states.count)
            nfa.states.append(.split(base.start, loop + 1))
            nfa.states.append(.range(lo: 0, hi: 255, next: loop))
            unanchoredStart = loop
        }
        self.nfa = nfa

        var boundaries = base.byteBoundaries
        var mask: UInt8 = 0
        for look in base.looks {
            switch look {
            case .startText: mask |= Behind.atStart
            case .endText: break
            case .startLine, .endLine: mask |= Behind.atStart | Behind.afterNewline
            case .startLineCRLF, .endLineCRLF: mask |= Behind.atStart | Behind.afterNewline | Behind.afterCR
            default: mask |= Behind.afterWord
            }
            for b in [0x0A, 0x0B, 0x0D, 0x0E] { boundaries[b] = true }
            if look.isUnicodeWordBoundary { boundaries[0x80] = true }
            if mask & Behind.afterWord != 0 {
                for b in [0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B] { boundaries[b] = true }
            }
        }
        behindMask = mask
        quitOnNonASCII = base.hasUnicodeWordBoundary

        var classes = [UInt8](repeating: 0, count: 256)
        var reps: [UInt8] = [0]
        var current = 0
        for b in 1..<256 {
            if boundaries[b] { current += 1; reps.append(UInt8(b)) }
            classes[b] = UInt8(current)
        }
        byteClass = classes
        classCount = current + 1
        representative = reps
        maxTableEntries = max(maxTableBytes / 4, 64 * (current + 2))
    }

    /// Facts about the byte before `i` (or the haystack start).
    @inline(__always)
    func behind(_ hay: UnsafeRawBufferPointer, _ i: Int) -> UInt8 {
        guard i > 0 else { return Behind.atStart & behindMask }
        let b = hay[i - 1]
        var f: UInt8 = 0
        if b == 0x0A { f |= Behind.afterNewline }
        if b == 0x0D { f |= Behind.afterCR }
        if UnicodeTables.isASCIIWordByte(b) { f |= Behind.afterWord }
        return f & behindMask
    }

    /// The earliest end of a match starting at or after `start`, looking at bytes up to
    /// `end` (the byte at `end`, if any, is look-ahead context only).
    package func earliestMatchEnd(_ hay: UnsafeRawBufferPointer, from start: Int, to end: Int, cache: DFACache) -> Outcome {
        if quitOnNonASCII && start > 0 && hay[start - 1] >= 0x80 { return .gaveUp(at: start) }
        guard hay.baseAddress != nil, start <= end else { return .noMatch }
        cache.clearsThisSearch = 0
        return earliestMatchEnd(hay, state: Int(cache.startState(self, behind: behind(hay, start))), at: start, to: end, cache: cache)
    }

    /// `earliestMatchEnd` over `start..<end` run as two halves in step, `start..<split` and
    /// `split..<end`, for a pattern that cannot match `\n` with `split` just after one (so
    /// no match spans the split): the DFA is a chain of dependent table loads, one per
    /// byte, and two independent chains overlap their latency on one core. The halves go
    /// on one after the other once either meets anything but a plain transition.
    package func earliestMatchEnd(_ hay: UnsafeRawBufferPointer, from start: Int, split: Int, to end: Int,
                                  cache: DFACache) -> Outcome {
        guard !quitOnNonASCII, let base = hay.baseAddress, start < split, split < end else {
            return earliestMatchEnd(hay, from: start, to: end, cache: cache)
        }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let cp = cache.classes
        cache.clearsThisSearch = 0
        let generation = cache.generation
        var a = Int(cache.startState(self, behind: behind(hay, start)))
        var b = Int(cache.startState(self, behind: behind(hay, split)))
        var i = start, j = split
        // State offsets are valid only while the cache is not cleared.
        var valid = cache.generation == generation
        pairing: while valid {
            let tp = cache.table
            // Bounds: i < split <= hay.count and j < end <= hay.count; a and b are row offsets.
            while i < split && j < end {
                let ta = tp[a &+ Int(cp[Int(bytes[i])])]
                let tb = tp[b &+ Int(cp[Int(bytes[j])])]
                if ta < 0 || tb < 0 { break }
                a = Int(ta)
                b = Int(tb)
                i &+= 1
                j &+= 1
            }
            guard i < split && j < end else { break }
            // A transition not computed yet is filled in and the pairing goes on; anything
            // else (a match, a dead or accelerated state) ends it.
            let columnA = Int(cp[Int(bytes[i])]), columnB = Int(cp[Int(bytes[j])])
            if tp[a + columnA] == LazyDFA.unknown && cache.computeTransition(self, from: Int32(a), column: columnA) == nil {
                break
            }
            if cache.generation == generation && cache.table[b + columnB] == LazyDFA.unknown
                && cache.computeTransition(self, from: Int32(b), column: columnB) == nil {
                break
            }
            valid = cache.generation == generation
            if !valid || cache.table[a + columnA] < 0 || cache.table[b + columnB] < 0 { break pairing }
        }
        valid = valid && cache.generation == generation
        // A clear while pairing leaves neither offset usable: both halves start over.
        let first = valid ? earliestMatchEnd(hay, state: a, at: i, to: split, cache: cache)
                          : earliestMatchEnd(hay, from: start, to: split, cache: cache)
        if case .noMatch = first {} else { return first }
        if valid && cache.generation == generation {
            return earliestMatchEnd(hay, state: b, at: j, to: end, cache: cache)
        }
        return earliestMatchEnd(hay, from: split, to: end, cache: cache)
    }

    /// The search loop of `earliestMatchEnd`, from state offset `s` at `start`.
    private func earliestMatchEnd(_ hay: UnsafeRawBufferPointer, state: Int, at start: Int, to end: Int,
                                  cache: DFACache) -> Outcome {
        let bytes = hay.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let cp = cache.classes
        var s = state
        var i = start
        while true {
            // Hot loop, unrolled four times. Bounds: s is always a valid row offset, every
            // class id < classCount < stride, and i + k < end <= hay.count.
            // Each step adds the byte's column to the table base first (off the chain of
            // dependent loads), so the next state is one load indexed by the last: the state
            // chain is a load per byte, not a load and an add (no_literal, 1 GiB, one core:
            // 2.15 -> 1.85 s, as fast as rg -j1).
            let tp = cache.table
            var t: Int32 = 0
            while i &+ 3 < end {
                let c0 = tp + Int(cp[Int(bytes[i])])
                let c1 = tp + Int(cp[Int(bytes[i &+ 1])])
                let c2 = tp + Int(cp[Int(bytes[i &+ 2])])
                let c3 = tp + Int(cp[Int(bytes[i &+ 3])])
                let t0 = c0[s]
                if t0 < 0 { t = t0; break }
                let t1 = c1[Int(t0)]
                if t1 < 0 { s = Int(t0); i &+= 1; t = t1; break }
                let t2 = c2[Int(t1)]
                if t2 < 0 { s = Int(t1); i &+= 2; t = t2; break }
                let t3 = c3[Int(t2)]
                if t3 < 0 { s = Int(t2); i &+= 3; t = t3; break }
                s = Int(t3)
                i &+= 4
            }
            if t >= 0 {
                while i < end {
                    t = tp[s &+ Int(cp[Int(bytes[i])])]
                    if t < 0 { break }
                    s = Int(t)
                    i &+= 1
                }
            }
            if i >= end {
                // Only the look-ahead transition is left: does a match end at `end`?
                let column = end < hay.count ? Int(cp[Int(bytes[end])]) : classCount
                t = cache.table[s + column]
                if t == LazyDFA.unknown {
                    guard let next = cache.computeTransition(self, from: Int32(s), column: column) else { return .gaveUp(at: end) }
                    t = next
                }
                return t == LazyDFA.match ? .match(end: end) : (t == LazyDFA.quit ? .gaveUp(at: end) : .noMatch)
            }
            if t == LazyDFA.unknown {
                guard let next = cache.computeTransition(self, from: Int32(s), column: Int(cp[Int(bytes[i])])) else {
                    return .gaveUp(at: i)
                }
                t = next
            }
            if t >= 0 {
                s = Int(t)
                i += 1
                continue
            }
            if t <= LazyDFA.acceleratedBase {
                // An ASCII self-loop (e.g. \p{Greek}'s start state): skip ASCII a word at a time.
                s = Int(LazyDFA.acceleratedBase - t)
                i = Self.skipASCII(bytes, from: i + 1, to: end)
                continue
            }
            switch t {
            case LazyDFA.match: return .match(end: i)
            case LazyDFA.quit: return .gaveUp(at: i)
            default: return .noMatch
            }
        }
    }

    /// Entries at or below this (and above `unknown`) mean "a match ended just before this
    /// byte; go on in the state at offset `matchTagBase - entry`" (non-earliest modes).
    static let matchTagBase: Int32 = -(1 << 30)

    /// The end of the leftmost-first match (mode `.leftmostFirst`) or of the longest match
    /// (`.longest`) starting in `start..<end`. Not unrolled: used for spans in multiline
    /// search only, after a match is known to exist.
    func lastMatchEnd(_ hay: UnsafeRawBufferPointer, from start: Int, to end: Int, cache: DFACache) -> Outcome {
        if quitOnNonASCII && start > 0 && hay[start - 1] >= 0x80 { return .gaveUp(at: start) }
        guard start <= end else { return .noMatch }
        cache.clearsThisSearch = 0
        var s = Int(cache.startState(self, behind: behind(hay, start)))
        var last: Int? = nil
        var i = start
        while true {
            let column = i < end ? Int(byteClass[Int(hay[i])]) : (end < hay.count ? Int(byteClass[Int(hay[end])]) : classCount)
            var t = cache.table[s + column]
            if t == LazyDFA.unknown {
                guard let next = cache.computeTransition(self, from: Int32(s), column: column) else { return .gaveUp(at: i) }
                t = next
            }
            if i >= end {
                if t == LazyDFA.match || (t <= LazyDFA.matchTagBase && t != LazyDFA.unknown) { last = end }
                if t == LazyDFA.quit { return .gaveUp(at: end) }
                break
            }
            if t == LazyDFA.dead { break }
            if t == LazyDFA.quit { return .gaveUp(at: i) }
            if t <= LazyDFA.matchTagBase {
                last = i
                s = Int(LazyDFA.matchTagBase - t)
            } else if t <= LazyDFA.acceleratedBase {
                s = Int(LazyDFA.acceleratedBase - t)
            } else {
                s = Int(t)
            }
            i += 1
        }
        return last.map { .match(end: $0) } ?? .noMatch
    }

    /// For a DFA over the reversed pattern: the smallest start `s >= floor` such that
    /// `s..<end` matches, reading right to left from `end` (mode `.longest`, anchored).
    func longestStartBackward(_ hay: UnsafeRawBufferPointer, end: Int, floor: Int, cache: DFACache) -> Outcome {
        if quitOnNonASCII && end < hay.count && hay[end] >= 0x80 { return .gaveUp(at: end) }
        cache.clearsThisSearch = 0
        // Reading backwards, "behind" is the byte after `end`.
        var behindFlags: UInt8
        if end == hay.count {
            behindFlags = Behind.atStart
        } else {
            let b = hay[end]
            behindFlags = (b == 0x0A ? Behind.afterNewline : 0) | (UnicodeTables.isASCIIWordByte(b) ? Behind.afterWord : 0)
        }
        var s = Int(cache.startState(self, behind: behindFlags & behindMask))
        var last: Int? = nil
        var i = end
        while true {
            let column = i > floor ? Int(byteClass[Int(hay[i - 1])]) : (floor > 0 ? Int(byteClass[Int(hay[floor - 1])]) : classCount)
            var t = cache.table[s + column]
            if t == LazyDFA.unknown {
                guard let next = cache.computeTransition(self, from: Int32(s), column: column) else { return .gaveUp(at: i) }
                t = next
            }
            if i <= floor {
                if t == LazyDFA.match || (t <= LazyDFA.matchTagBase && t != LazyDFA.unknown) { last = floor }
                if t == LazyDFA.quit { return .gaveUp(at: floor) }
                break
            }
            if t == LazyDFA.dead { break }
            if t == LazyDFA.quit { return .gaveUp(at: i) }
            if t <= LazyDFA.matchTagBase {
                last = i
                s = Int(LazyDFA.matchTagBase - t)
            } else if t <= LazyDFA.acceleratedBase {
                s = Int(LazyDFA.acceleratedBase - t)
            } else {
                s = Int(t)
            }
            i -= 1
        }
        return last.map { .match(end: $0) } ?? .noMatch
    }

    /// Entries at or below this encode "self-loop on ASCII" for the state at offset
    /// `acceleratedBase - entry`.
    static let acceleratedBase: Int32 = -16

    /// The first offset in `from..<end` holding a byte >= 0x80, or `end`.
    @inline(__always)
    static func skipASCII(_ bytes: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        var i = from
        while i + 8 <= end {
            let w = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
            let high = w & 0x8080_8080_8080_8080
            if high != 0 { return i + high.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end && bytes[i] < 0x80 { i += 1 }
        return i
    }

    // MARK: determinization

    /// Whether `look` holds between the facts `behind` and the byte `next` (-1: end).
    func holds(_ look: Look, behind: UInt8, next: Int) -> Bool {
        let atStart = behind & Behind.atStart != 0
        let afterNL = behind & Behind.afterNewline != 0
        let afterCR = behind & Behind.afterCR != 0
        switch look {
        case .startText: return atStart
        case .endText: return next < 0
        case .startLine: return atStart || afterNL
        case .endLine: return next < 0 || next == 0x0A
        case .startLineCRLF: return atStart || afterNL || (afterCR && next != 0x0A)
        case .endLineCRLF: return next < 0 || next == 0x0D || (next == 0x0A && !afterCR)
        default:
            // Word assertions; Unicode ones only ever see ASCII here (`quitOnNonASCII`).
            let before = behind & Behind.afterWord != 0
            let after = next >= 0 && UnicodeTables.isASCIIWordByte(UInt8(next))
            return look.holdsBetween(wordBefore: before, wordAfter: after) ?? false
        }
    }
}

/// One thread's lazily built DFA states for one `LazyDFA`.
package final class DFACache {
    struct Key: Hashable {
        var set: [Int32]
        var behind: UInt8
    }

    /// The transition table, grown by doubling; rows of `stride` entries.
    private(set) var table: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var count = 0
    /// A per-thread copy of the byte classes, so the hot loop reads plain pointers.
    let classes: UnsafeMutablePointer<UInt8>
    private var keys: [Key] = []
    private var index: [Key: Int32] = [:]
    private var starts = [Int32](repeating: LazyDFA.unknown, count: 16)
    var clearsThisSearch = 0
    /// Bumped by every clear: state offsets from before it are stale.
    private(set) var generation = 0
    private var visited: ThreadList
    private var stack: [Int32] = []
    private var consuming: [Int32] = []
    private var seeds: [Int32] = []

    package init(dfa: LazyDFA) {
        visited = ThreadList(capacity: dfa.nfa.states.count)
        classes = .allocate(capacity: 256)
        for b in 0..<256 { classes[b] = dfa.byteClass[b] }
        capacity = dfa.stride * 16
        table = .allocate(capacity: capacity)
    }

    deinit {
        table.deallocate()
        classes.deallocate()
    }

    func startState(_ dfa: LazyDFA, behind: UInt8) -> Int32 {
        let cached = starts[Int(behind)]
        if cached != LazyDFA.unknown { return cached }
        let set = pendingClosure(dfa, [dfa.unanchoredStart])
        let s = intern(dfa, Key(set: set, behind: behind))
        starts[Int(behind)] = s
        accelerateIfASCIILoop(dfa, s)
        if starts[Int(behind)] != s {
            // Computing the loop's transitions filled the cache, which was cleared: the
            // offset is stale. Build the start state again, unaccelerated.
            let fresh = intern(dfa, Key(set: set, behind: behind))
            starts[Int(behind)] = fresh
            return fresh
        }
        return s
    }

    /// Marks a start state whose every ASCII byte leads back to itself, so the search can
    /// skip ASCII text eight bytes at a time (\p{Greek} over big.txt: 465 MB/s -> 10-13 GB/s).
    private func accelerateIfASCIILoop(_ dfa: LazyDFA, _ s: Int32) {
        var columns = Set<Int>()
        for b in 0..<128 { columns.insert(Int(classes[b])) }
        for c in columns {
            guard let t = computeTransition(dfa, from: s, column: c), t == s, clearsThisSearch == 0 else { return }
        }
        for c in columns { table[Int(s) + c] = LazyDFA.acceleratedBase - s }
    }

    /// Epsilon closure leaving assertions unresolved (their look-ahead byte is unknown).
    /// Leftmost-first states keep the unclosed seeds instead: resolving the whole closure
    /// at the next byte, in priority order with one visited set, is exactly the PikeVM's
    /// thread order (deferring only the assertions reordered threads: a differential run
    /// against rg found `(?:(c|^)|[^\s]?)+a*` ending one byte late).
    private func pendingClosure(_ dfa: LazyDFA, _ from: [Int32]) -> [Int32] {
        if dfa.mode == .leftmostFirst {
            visited.clear()
            return from.filter { visited.insert($0, start: 0) }
        }
        visited.clear()
        var out: [Int32] = []
        stack.removeAll(keepingCapacity: true)
        for s in from.reversed() { stack.append(s) }
        while let s = stack.popLast() {
            guard visited.insert(s, start: 0) else { continue }
            switch dfa.nfa.states[Int(s)] {
            case .split(let a, let b): stack.append(b); stack.append(a)
            case .union(let ts): for t in ts.reversed() { stack.append(t) }
            case .fail: break
            default: out.append(s)
            }
        }
        // Earliest and longest need sets, not priorities: sorting merges equivalent states.
        if dfa.mode != .leftmostFirst { out.sort() }
        return out
    }

    /// Fills in `table[from + column]`; nil when the cache thrashes (caller falls back).
    func computeTransition(_ dfa: LazyDFA, from: Int32, column: Int) -> Int32? {
        let key = keys[Int(from) / dfa.stride]
        let next: Int = column == dfa.classCount ? -1 : Int(dfa.representative[column])
        var result: Int32
        if dfa.quitOnNonASCII && next >= 0x80 {
            result = LazyDFA.quit
        } else {
            // Resolve assertions now that the next byte is known; step over it.
            visited.clear()
            consuming.removeAll(keepingCapacity: true)
            stack.removeAll(keepingCapacity: true)
            var isMatch = false
            for s in key.set.reversed() { stack.append(s) }
            // Leftmost-first (and earliest) cut the lower-priority threads at a match;
            // longest keeps them all.
            while let s = stack.popLast() {
                guard visited.insert(s, start: 0) else { continue }
                switch dfa.nfa.states[Int(s)] {
                case .split(let a, let b): stack.append(b); stack.append(a)
                case .union(let ts): for t in ts.reversed() { stack.append(t) }
                case .look(let look, let n): if dfa.holds(look, behind: key.behind, next: next) { stack.append(n) }
                case .match: isMatch = true
                case .range, .sparse: consuming.append(s)
                case .fail: break
                }
                if isMatch && dfa.mode != .longest { break }
            }
            if isMatch && dfa.mode == .earliest {
                result = LazyDFA.match
            } else if next < 0 {
                result = isMatch ? LazyDFA.match : LazyDFA.dead
            } else {
                seeds.removeAll(keepingCapacity: true)
                for s in consuming {
                    switch dfa.nfa.states[Int(s)] {
                    case .range(let lo, let hi, let n): if next >= Int(lo) && next <= Int(hi) { seeds.append(n) }
                    case .sparse(let ts): for t in ts where next >= Int(t.lo) && next <= Int(t.hi) { seeds.append(t.next) }
                    default: break
                    }
                }
                let set = pendingClosure(dfa, seeds)
                if set.isEmpty && !isMatch {
                    result = LazyDFA.dead
                } else {
                    let b = UInt8(next)
                    var behind: UInt8 = 0
                    if b == 0x0A { behind |= LazyDFA.Behind.afterNewline }
                    if b == 0x0D { behind |= LazyDFA.Behind.afterCR }
                    if UnicodeTables.isASCIIWordByte(b) { behind |= LazyDFA.Behind.afterWord }
                    let newKey = Key(set: set, behind: behind & dfa.behindMask)
                    let offset: Int32
                    if let existing = index[newKey] {
                        offset = existing
                    } else {
                        if count + dfa.stride > dfa.maxTableEntries {
                            // Full: start over with only the new state. Repeated clears in
                            // one search mean the DFA is no faster than the NFA: give up.
                            clearsThisSearch += 1
                            if clearsThisSearch > 3 { return nil }
                            clear()
                            let fresh = intern(dfa, newKey)
                            return isMatch ? LazyDFA.matchTagBase - fresh : fresh
                        }
                        offset = intern(dfa, newKey)
                    }
                    result = isMatch ? LazyDFA.matchTagBase - offset : offset
                }
            }
        }
        table[Int(from) + column] = result
        return result
    }

    private func intern(_ dfa: LazyDFA, _ key: Key) -> Int32 {
        if let existing = index[key] { return existing }
        let offset = Int32(count)
        if count + dfa.stride > capacity {
            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
            bigger.update(from: table, count: count)
            table.deallocate()
            table = bigger
            capacity *= 2
        }
        (table + count).initialize(repeating: LazyDFA.unknown, count: dfa.stride)
        count += dfa.stride
        keys.append(key)
        index[key] = offset
        return offset
    }

    private func clear() {
        generation += 1
        count = 0
        keys.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        for i in starts.indices { starts[i] = LazyDFA.unknown }
    }

    package var stateCount: Int { keys.count }
}
