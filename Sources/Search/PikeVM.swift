/// A sparse set of NFA states in insertion (= priority) order, each with the start offset
/// of the thread that reached it. Clearing is O(1).
struct ThreadList {
    private var dense: [Int32]
    private var sparse: [Int32]
    private(set) var starts: [Int]
    private(set) var count = 0

    init(capacity: Int) {
        dense = [Int32](repeating: 0, count: capacity)
        sparse = [Int32](repeating: 0, count: capacity)
        starts = [Int](repeating: 0, count: capacity)
    }

    @inline(__always) func contains(_ s: Int32) -> Bool {
        let i = Int(sparse[Int(s)])
        return i < count && dense[i] == s
    }

    /// Marks `s` visited; returns false if it already was.
    @inline(__always) mutating func insert(_ s: Int32, start: Int) -> Bool {
        if contains(s) { return false }
        dense[count] = s
        starts[count] = start
        sparse[Int(s)] = Int32(count)
        count += 1
        return true
    }

    @inline(__always) func state(at i: Int) -> Int32 { dense[i] }
    @inline(__always) mutating func clear() { count = 0 }
}

/// Per-search memory for the PikeVM, reused across searches by one thread.
struct PikeScratch {
    var current: ThreadList
    var next: ThreadList
    var stack: [Int32] = []

    init(stateCount: Int) {
        current = ThreadList(capacity: stateCount)
        next = ThreadList(capacity: stateCount)
    }
}

/// The NFA simulation (Pike's VM): every thread advances in lock step, so time is
/// O(pattern x haystack) for any pattern. Gives exact leftmost-first spans; used where
/// the DFA cannot (span starts, Unicode `\b` on non-ASCII text, a thrashing DFA cache).
enum PikeVM {
    /// The leftmost-first match starting in `start..<end` (or empty at `end`) and ending
    /// at or before `end`. Bytes outside the range are still look-around context.
    static func find(_ nfa: NFA, _ hay: UnsafeRawBufferPointer, from start: Int, to end: Int,
                     scratch: inout PikeScratch) -> Range<Int>? {
        var matched: Range<Int>? = nil
        scratch.current.clear()
        var i = start
        while true {
            if matched == nil {
                addThread(nfa, hay, nfa.start, threadStart: i, at: i, into: &scratch.current, stack: &scratch.stack)
            }
            if scratch.current.count == 0 { break }
            scratch.next.clear()
            let byte: Int = i < end ? Int(hay[i]) : -1
            var k = 0
            threads: while k < scratch.current.count {
                let s = scratch.current.state(at: k)
                let threadStart = scratch.current.starts[k]
                k += 1
                switch nfa.states[Int(s)] {
                case .match:
                    matched = threadStart..<i
                    break threads // lower-priority threads lose
                case .range(let lo, let hi, let next):
                    if byte >= Int(lo) && byte <= Int(hi) {
                        addThread(nfa, hay, next, threadStart: threadStart, at: i + 1, into: &scratch.next, stack: &scratch.stack)
                    }
                case .sparse(let transitions):
                    guard byte >= 0 else { continue }
                    for t in transitions where byte >= Int(t.lo) && byte <= Int(t.hi) {
                        addThread(nfa, hay, t.next, threadStart: threadStart, at: i + 1, into: &scratch.next, stack: &scratch.stack)
                    }
                default:
                    break
                }
            }
            if i >= end { break }
            swap(&scratch.current, &scratch.next)
            i += 1
        }
        return matched
    }

    /// Follows epsilon transitions from `s` in priority order, adding the consuming and
    /// match states reached; assertions are checked at offset `at`.
    private static func addThread(_ nfa: NFA, _ hay: UnsafeRawBufferPointer, _ s: Int32, threadStart: Int, at: Int,
                                  into list: inout ThreadList, stack: inout [Int32]) {
        stack.removeAll(keepingCapacity: true)
        stack.append(s)
        while let s = stack.popLast() {
            guard list.insert(s, start: threadStart) else { continue }
            switch nfa.states[Int(s)] {
            case .split(let a, let b):
                stack.append(b)
                stack.append(a)
            case .union(let targets):
                for t in targets.reversed() { stack.append(t) }
            case .look(let look, let next):
                if LookContext.holds(look, hay, at: at) { stack.append(next) }
            default:
                break
            }
        }
    }
}
