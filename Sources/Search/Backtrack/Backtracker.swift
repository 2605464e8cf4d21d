import Glibc

/// Runs a `BacktrackProgram` over one subject (a line, or the whole buffer under `-U`)
/// by backtracking, with an explicit stack of frames rather than recursion, so a long
/// subject cannot overflow the thread's stack, and with a step budget so a runaway
/// pattern (`(a+)+$`) ends with `.budgetExceeded` instead of running for hours.
enum Backtracker {
    enum Outcome: Equatable {
        case match(Range<Int>)
        case noMatch
        case budgetExceeded
    }

    /// Frame kinds; a mark is `markBase + MarkKind.rawValue`.
    static let restoreFrame: Int32 = 0, branchFrame: Int32 = 1, greedyFrame: Int32 = 2, lazyFrame: Int32 = 3
    static let markBase: Int32 = 4

    /// The leftmost match in `haystack[lower..<upper]` starting at or after `start`, with the
    /// capture slots left in `scratch.slots`. Bytes outside `lower..<upper` are never read.
    static func search(_ program: BacktrackProgram, _ haystack: UnsafeRawBufferPointer, lower: Int, upper: Int,
                       from start: Int, budget: inout Int, scratch: BacktrackScratch) -> Outcome {
        guard let base = haystack.baseAddress?.assumingMemoryBound(to: UInt8.self), start <= upper else { return .noMatch }
        scratch.prepare(slotCount: program.slotCount)
        return program.code.withUnsafeBufferPointer { code in
            program.literals.withUnsafeBufferPointer { literals in
                program.sets.withUnsafeBufferPointer { sets in
                    var s = start
                    while s <= upper {
                        if let first = program.firstBytes {
                            // Skip to the next byte a match can begin with.
                            while s < upper && (first[Int(base[s] >> 6)] >> UInt64(base[s] & 63)) & 1 == 0 { s += 1 }
                            if s >= upper { return .noMatch }
                        } else if s < upper && s > lower && base[s] & 0xC0 == 0x80 && base[s - 1] >= 0x80 {
                            s += 1  // never begin inside a character
                            continue
                        }
                        if let lead = program.leadingRun {
                            switch leadingRunCheck(lead, code, literals, sets, base, from: s, upper: upper, budget: &budget) {
                            case .impossible(let end):
                                // No start inside the run can match.
                                s = max(end, s + 1)
                                continue
                            case .reference(let end, let at):
                                // The group is `base[t..<end]` for a start t, and the reference
                                // needs the same bytes at `at`: only starts passing that compare run.
                                var t = s
                                while t < end {
                                    let length = end - t
                                    if at + length <= upper && memcmp(base + t, base + at, length) == 0 {
                                        let outcome = run(program, code, literals, sets, base, lower: lower, upper: upper,
                                                          at: t, searchStart: start, budget: &budget, scratch: scratch)
                                        if outcome != .noMatch { return outcome }
                                        if budget < 0 { return .budgetExceeded }
                                    }
                                    t += 1
                                }
                                s = max(end, s + 1)
                                continue
                            case .unknown:
                                break
                            }
                        }
                        let outcome = run(program, code, literals, sets, base, lower: lower, upper: upper, at: s,
                                          searchStart: start, budget: &budget, scratch: scratch)
                        if outcome != .noMatch { return outcome }
                        if budget < 0 { return .budgetExceeded }
                        s += 1
                    }
                    return .noMatch
                }
            }
        }
    }

    /// The end of one scalar of `which` (a set index, -1: not `\n`, -2: any) at `q`, or -1.
    @inline(__always)
    static func one(_ sets: UnsafeBufferPointer<BacktrackProgram.CharacterSet>, _ which: Int32,
                    _ p: UnsafePointer<UInt8>, _ q: Int, _ upper: Int) -> Int {
        guard q < upper else { return -1 }
        let b = p[q]
        if b < 0x80 {
            if which >= 0 { return sets[Int(which)].containsASCII(b) ? q + 1 : -1 }
            return which == -1 && b == 0x0A ? -1 : q + 1
        }
        let (c, length) = decode(p, q, upper)
        if which < 0 { return q + length }
        if c == invalid { return sets[Int(which)].matchesInvalid ? q + 1 : -1 }
        return sets[Int(which)].hasNonASCII && sets[Int(which)].ranges.contains(c) ? q + length : -1
    }

    enum LeadingRunCheck {
        /// Nothing starting inside the run (which ends at `end`) can match.
        case impossible(end: Int)
        /// Every start t inside the run needs the group's text, `t..<end`, again at `at`.
        case reference(end: Int, at: Int)
        case unknown
    }

    /// Follows the leading run from `s` and the instructions after it that depend on no
    /// start or capture (saves, possessive repeats, sets, literals), as every start inside
    /// the run would.
    static func leadingRunCheck(_ lead: BacktrackProgram.LeadingRun, _ code: UnsafeBufferPointer<BacktrackProgram.Instruction>,
                                _ literals: UnsafeBufferPointer<UInt8>, _ sets: UnsafeBufferPointer<BacktrackProgram.CharacterSet>,
                                _ p: UnsafePointer<UInt8>, from s: Int, upper: Int, budget: inout Int) -> LeadingRunCheck {
        let runIns = code[lead.repeat]
        var end = s
        var count: Int32 = 0
        while true {
            let r = one(sets, runIns.a, p, end, upper)
            if r < 0 { break }
            end = r
            count += 1
        }
        budget -= Int(count >> 3)
        if count < runIns.b { return .impossible(end: end) }
        var q = end
        var pc = lead.next
        while true {
            let ins = code[pc]
            switch ins.op {
            case .save:
                pc += 1
            case .bytes:
                let n = Int(ins.a)
                var i = 0
                while i < Int(ins.b) && q + i < upper && p[q + i] == literals[n + i] { i += 1 }
                if i < Int(ins.b) { return .impossible(end: end) }
                q += i
                pc += 1
            case .set:
                let r = one(sets, ins.a, p, q, upper)
                if r < 0 { return .impossible(end: end) }
                q = r
                pc += 1
            case .repeatPossessive:
                var n: Int32 = 0
                while ins.c < 0 || n < ins.c {
                    let r = one(sets, ins.a, p, q, upper)
                    if r < 0 { break }
                    q = r
                    n += 1
                }
                if n < ins.b { return .impossible(end: end) }
                pc += 1
            case .repeatGreedy, .repeatLazy:
                // Its extent may change on backtracking: only its first character is certain.
                return ins.b == 0 || one(sets, ins.a, p, q, upper) >= 0 ? .unknown : .impossible(end: end)
            case .backreference where ins.b == 0 && ins.a == lead.group:
                return .reference(end: end, at: q)
            default:
                return .unknown
            }
        }
    }

    private static func run(_ program: BacktrackProgram, _ code: UnsafeBufferPointer<BacktrackProgram.Instruction>,
                            _ literals: UnsafeBufferPointer<UInt8>, _ sets: UnsafeBufferPointer<BacktrackProgram.CharacterSet>,
                            _ p: UnsafePointer<UInt8>, lower: Int, upper: Int, at begin: Int,
                            searchStart: Int, budget: inout Int, scratch: BacktrackScratch) -> Outcome {
        let slots = scratch.slots
        for i in 0..<program.slotCount { slots[i] = -1 }
        var sp = 0
        var topMark = -1
        var pc = 0
        var pos = begin
        var steps = budget
        defer { budget = steps }
        let unicodeWord = program.unicodeWord

        @inline(__always) func one(_ which: Int32, _ q: Int) -> Int { Backtracker.one(sets, which, p, q, upper) }

        @inline(__always) func push(_ kind: Int32, _ a: Int32, _ position: Int, _ extra: Int) {
            if sp == scratch.capacity { scratch.grow() }
            scratch.frames[sp] = BacktrackFrame(kind: kind, a: a, pos: position, extra: extra)
            sp += 1
        }

        func assertion(_ kind: PCREAssertion) -> Bool {
            switch kind {
            case .lineStart: return pos == lower || p[pos - 1] == 0x0A
            case .lineEnd: return pos == upper || p[pos] == 0x0A
            case .subjectStart: return pos == lower
            case .subjectEnd: return pos == upper
            case .subjectEndOrFinalNewline: return pos == upper || (pos == upper - 1 && p[pos] == 0x0A)
            case .wordBoundary, .notWordBoundary:
                let before = isWordBefore(p, pos, lower: lower, unicode: unicodeWord)
                let after = isWordAt(p, pos, upper: upper, unicode: unicodeWord)
                return (before != after) == (kind == .wordBoundary)
            case .searchStart: return pos == searchStart
            }
        }

        while true {
            var ok = true
            steps -= 1
            if steps < 0 { return .budgetExceeded }
            let ins = code[pc]
            switch ins.op {
            case .bytes:
                let n = Int(ins.b)
                if pos + n <= upper {
                    let lit = literals.baseAddress! + Int(ins.a)
                    var i = 0
                    while i < n && p[pos + i] == lit[i] { i += 1 }
                    if i == n { pos += n; pc += 1 } else { ok = false }
                } else {
                    ok = false
                }
            case .set:
                let q = one(ins.a, pos)
                if q >= 0 { pos = q; pc += 1 } else { ok = false }
            case .anyButNewline, .anyScalar:
                let q = one(ins.op == .anyScalar ? -2 : -1, pos)
                if q >= 0 { pos = q; pc += 1 } else { ok = false }
            case .assertion:
                if assertion(PCREAssertion(rawValue: UInt8(ins.a))!) { pc += 1 } else { ok = false }
            case .split:
                push(branchFrame, ins.b, pos, 0)
                pc = Int(ins.a)
            case .jump:
                pc = Int(ins.a)
            case .save, .progressSave:
                push(restoreFrame, ins.a, slots[Int(ins.a)], 0)
                slots[Int(ins.a)] = pos
                pc += 1
            case .progressCheck:
                pc = pos == slots[Int(ins.a)] ? Int(ins.b) : pc + 1
            case .repeatGreedy, .repeatPossessive:
                var q = pos
                var count: Int32 = 0
                var minimum = ins.b == 0 ? pos : -1
                while ins.c < 0 || count < ins.c {
                    let r = one(ins.a, q)
                    if r < 0 { break }
                    q = r
                    count += 1
                    if count == ins.b { minimum = q }
                }
                steps -= Int(count >> 3)
                if count < ins.b {
                    ok = false
                } else {
                    if ins.op == .repeatGreedy && q > minimum { push(greedyFrame, Int32(pc + 1), q, minimum) }
                    pos = q
                    pc += 1
                }
            case .repeatLazy:
                var q = pos
                var count: Int32 = 0
                while count < ins.b {
                    let r = one(ins.a, q)
                    if r < 0 { break }
                    q = r
                    count += 1
                }
                if count < ins.b {
                    ok = false
                } else {
                    if ins.c < 0 || count < ins.c { push(lazyFrame, Int32(pc), q, Int(count)) }
                    pos = q
                    pc += 1
                }
            case .backreference:
                let from = slots[2 * Int(ins.a)], to = slots[2 * Int(ins.a) + 1]
                if from < 0 || to < 0 {
                    ok = false
                } else if let q = matchReference(p, from: from, to: to, at: pos, upper: upper, caseless: ins.b != 0) {
                    pos = q
                    pc += 1
                } else {
                    ok = false
                }
            case .markStart:
                let kind = BacktrackProgram.MarkKind(rawValue: ins.a)!
                var target = pos
                if kind == .lookBehind || kind == .negativeLookBehind {
                    var n = ins.c
                    while n > 0 && target > lower {
                        target = previousBoundary(p, target, lower: lower)
                        n -= 1
                    }
                    if n > 0 {
                        // Too few characters before: the look-behind cannot match.
                        if kind == .negativeLookBehind { pc = Int(ins.b) } else { ok = false }
                        break
                    }
                }
                push(markBase + ins.a, ins.b, pos, topMark)
                topMark = sp - 1
                pos = target
                pc += 1
            case .markEnd:
                let mark = scratch.frames[topMark]
                // The body's choices are dropped; its capture restores stay.
                var w = topMark
                for i in (topMark + 1)..<sp where scratch.frames[i].kind == restoreFrame {
                    scratch.frames[w] = scratch.frames[i]
                    w += 1
                }
                sp = w
                topMark = mark.extra
                switch BacktrackProgram.MarkKind(rawValue: mark.kind - markBase)! {
                case .atomic: pc += 1
                case .lookAhead, .lookBehind: pos = mark.pos; pc += 1
                case .negativeLookAhead, .negativeLookBehind: ok = false
                }
            case .match:
                return .match(slots[0]..<pos)
            }
            if ok { continue }

            // Backtrack to the latest choice.
            backtrack: while true {
                if sp == 0 { return .noMatch }
                steps -= 1
                if steps < 0 { return .budgetExceeded }
                let f = scratch.frames[sp - 1]
                switch f.kind {
                case restoreFrame:
                    slots[Int(f.a)] = f.pos
                    sp -= 1
                case branchFrame:
                    sp -= 1
                    pc = Int(f.a)
                    pos = f.pos
                    break backtrack
                case greedyFrame:
                    let q = previousBoundary(p, f.pos, lower: f.extra)
                    if q > f.extra { scratch.frames[sp - 1].pos = q } else { sp -= 1 }
                    pc = Int(f.a)
                    pos = q
                    break backtrack
                case lazyFrame:
                    let repeatIns = code[Int(f.a)]
                    let r = one(repeatIns.a, f.pos)
                    if r < 0 { sp -= 1; continue }
                    let count = f.extra + 1
                    if repeatIns.c >= 0 && count >= Int(repeatIns.c) {
                        sp -= 1
                    } else {
                        scratch.frames[sp - 1].pos = r
                        scratch.frames[sp - 1].extra = count
                    }
                    pc = Int(f.a) + 1
                    pos = r
                    break backtrack
                default:
                    // A mark: its body failed. A negative look-around holds.
                    sp -= 1
                    topMark = f.extra
                    let kind = BacktrackProgram.MarkKind(rawValue: f.kind - markBase)!
                    if kind == .negativeLookAhead || kind == .negativeLookBehind {
                        pc = Int(f.a)
                        pos = f.pos
                        break backtrack
                    }
                }
            }
        }
    }

    static let invalid: UInt32 = 0xFFFF_FFFF

    /// The scalar at `q` and its length; `invalid` and 1 for a byte that begins no valid
    /// UTF-8 sequence within `upper`.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ q: Int, _ upper: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[q])
        if b0 < 0x80 { return (b0, 1) }
        @inline(__always) func cont(_ i: Int) -> UInt32? {
            guard q + i < upper, p[q + i] & 0xC0 == 0x80 else { return nil }
            return UInt32(p[q + i] & 0x3F)
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return (invalid, 1) }
            return ((b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = cont(1), let c2 = cont(2) else { return (invalid, 1) }
            let c = (b0 & 0x0F) << 12 | c1 << 6 | c2
            if c < 0x800 || (0xD800...0xDFFF).contains(c) { return (invalid, 1) }
            return (c, 3)
        case 0xF0...0xF4:
            guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return (invalid, 1) }
            let c = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if c < 0x10000 || c > 0x10FFFF { return (invalid, 1) }
            return (c, 4)
        default:
            return (invalid, 1)
        }
    }

    /// The start of the character ending at `q` (never before `lower`).
    @inline(__always)
    static func previousBoundary(_ p: UnsafePointer<UInt8>, _ q: Int, lower: Int) -> Int {
        var r = q - 1
        if p[r] < 0x80 { return r }
        var steps = 0
        while r > lower && p[r] & 0xC0 == 0x80 && steps < 3 { r -= 1; steps += 1 }
        // A run of stray continuation bytes: step over one byte only.
        if p[r] & 0xC0 == 0x80 || decode(p, r, q).1 != q - r { return q - 1 }
        return r
    }

    static func isWordAt(_ p: UnsafePointer<UInt8>, _ q: Int, upper: Int, unicode: Bool) -> Bool {
        guard q < upper else { return false }
        if p[q] < 0x80 || !unicode { return UnicodeTables.isASCIIWordByte(p[q]) }
        let (c, _) = decode(p, q, upper)
        return c != invalid && UnicodeTables.isWordScalar(c)
    }

    static func isWordBefore(_ p: UnsafePointer<UInt8>, _ q: Int, lower: Int, unicode: Bool) -> Bool {
        guard q > lower else { return false }
        if p[q - 1] < 0x80 || !unicode { return UnicodeTables.isASCIIWordByte(p[q - 1]) }
        let r = previousBoundary(p, q, lower: lower)
        let (c, _) = decode(p, r, q)
        return c != invalid && UnicodeTables.isWordScalar(c)
    }

    /// The end of the text `p[from..<to]` found again at `q`, or nil.
    static func matchReference(_ p: UnsafePointer<UInt8>, from: Int, to: Int, at q: Int, upper: Int,
                               caseless: Bool) -> Int? {
        let length = to - from
        if !caseless {
            guard q + length <= upper, memcmp(p + from, p + q, length) == 0 else { return nil }
            return q + length
        }
        var i = from, j = q
        while i < to {
            guard j < upper else { return nil }
            let (a, la) = decode(p, i, to)
            let (b, lb) = decode(p, j, upper)
            if a == invalid || b == invalid {
                guard a == b, p[i] == p[j] else { return nil }
            } else if a != b {
                if a < 0x80 && b < 0x80 {
                    guard a | 0x20 == b | 0x20, (0x61...0x7A).contains(a | 0x20) else { return nil }
                } else if !CaseFolding.orbit(a).contains(b) {
                    return nil
                }
            }
            i += la
            j += lb
        }
        return j
    }
}

struct BacktrackFrame {
    var kind: Int32
    var a: Int32
    var pos: Int
    var extra: Int
}

/// One thread's backtracking memory: the frame stack (grown by doubling, kept between
/// searches) and the capture slots.
final class BacktrackScratch {
    private(set) var frames: UnsafeMutablePointer<BacktrackFrame>
    private(set) var capacity: Int
    private(set) var slots: UnsafeMutablePointer<Int>
    private var slotCapacity: Int

    init() {
        capacity = 256
        frames = .allocate(capacity: capacity)
        slotCapacity = 16
        slots = .allocate(capacity: slotCapacity)
    }

    deinit {
        frames.deallocate()
        slots.deallocate()
    }

    func prepare(slotCount: Int) {
        guard slotCount > slotCapacity else { return }
        slots.deallocate()
        slotCapacity = slotCount
        slots = .allocate(capacity: slotCount)
    }

    func grow() {
        let bigger = UnsafeMutablePointer<BacktrackFrame>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: frames, count: capacity)
        frames.deallocate()
        frames = bigger
        capacity *= 2
    }
}
