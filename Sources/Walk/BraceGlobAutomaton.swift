/// A glob with brace alternatives (`*.{c,h}`, `{src,lib}/**/*.rs`) as a Thompson automaton,
/// simulated one state set per candidate byte: O(n * m) for n bytes and m states, never
/// backtracking and never expanding the braces (`{a,b}` x 30 would be 2^30 globs).
/// Globs without braces keep ByteGlob's cheaper forms; braces are rare in ignore files.
/// Thread-safety: immutable value, safe to share.
struct BraceGlobAutomaton: Sendable {
    enum State: Sendable {
        case byte(UInt8, next: Int32)
        case anyButSlash(next: Int32)
        case anyByte(next: Int32)
        case byteClass(ByteSet, next: Int32)
        /// Epsilon moves to both.
        case split(Int32, Int32)
        case accept
    }

    private(set) var states: [State] = [.accept]
    private(set) var start: Int32 = 0

    init(_ pieces: [GlobPiece], caseInsensitive: Bool) {
        start = compile(pieces[...], next: 0, fold: caseInsensitive)
    }

    /// Compiles `pieces` back to front: each piece is given the state that follows it.
    private mutating func compile(_ pieces: ArraySlice<GlobPiece>, next: Int32, fold: Bool) -> Int32 {
        var next = next
        for piece in pieces.reversed() {
            switch piece {
            case .token(let token): next = compile(token, next: next, fold: fold)
            case .alternatives(let branches):
                let starts = branches.map { compile($0[...], next: next, fold: fold) }
                next = starts.dropLast().reversed().reduce(starts.last!) { rest, branch in add(.split(branch, rest)) }
            }
        }
        return next
    }

    private mutating func compile(_ token: ByteGlob.Token, next: Int32, fold: Bool) -> Int32 {
        switch token {
        case .byte(let byte): return add(.byte(fold ? asciiLower(byte) : byte, next: next))
        case .anyButSlash: return add(.anyButSlash(next: next))
        case .byteClass(let set): return add(.byteClass(set, next: next))
        case .star, .anything:
            // loop: split(consume -> loop, next)
            let loop = add(.accept)
            let consume = add(token == .star ? .anyButSlash(next: loop) : .anyByte(next: loop))
            states[Int(loop)] = .split(consume, next)
            return loop
        case .directories:
            // `**/`: empty, or any bytes ending with `/`.
            let loop = add(.accept)
            let any = add(.anyByte(next: loop))
            let slash = add(.byte(UInt8(ascii: "/"), next: next))
            states[Int(loop)] = .split(any, slash)
            return add(.split(next, loop))
        }
    }

    private mutating func add(_ state: State) -> Int32 {
        states.append(state)
        return Int32(states.count - 1)
    }

    /// Whether the whole of `candidate` matches (bytes lowered first with `fold`).
    func matches(_ candidate: UnsafeRawBufferPointer, fold: Bool) -> Bool {
        let count = states.count
        return states.withUnsafeBufferPointer { states in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * count) { memory in
                // Bounds: four areas of `count` each. A state enters a list (and the stack)
                // only when its mark is not the current generation, so no area overflows.
                var current = UnsafeMutableBufferPointer(rebasing: memory[0..<count])
                var next = UnsafeMutableBufferPointer(rebasing: memory[count..<(2 * count)])
                let marks = UnsafeMutableBufferPointer(rebasing: memory[(2 * count)..<(3 * count)])
                let stack = UnsafeMutableBufferPointer(rebasing: memory[(3 * count)...])
                marks.update(repeating: -1)
                var generation: Int32 = 0
                var currentCount = 0, nextCount = 0
                /// Adds `state` and everything it reaches by epsilon moves to `list`.
                func enter(_ state: Int32, _ list: UnsafeMutableBufferPointer<Int32>, _ listCount: inout Int) {
                    if marks[Int(state)] == generation { return }
                    marks[Int(state)] = generation
                    stack[0] = state
                    var depth = 1
                    func push(_ target: Int32) {
                        guard marks[Int(target)] != generation else { return }
                        marks[Int(target)] = generation
                        stack[depth] = target
                        depth += 1
                    }
                    while depth > 0 {
                        depth -= 1
                        let index = stack[depth]
                        if case .split(let first, let second) = states[Int(index)] {
                            push(second)
                            push(first)
                        } else {
                            list[listCount] = index
                            listCount += 1
                        }
                    }
                }
                enter(start, current, &currentCount)
                for var byte in candidate {
                    if fold { byte = asciiLower(byte) }
                    generation += 1
                    nextCount = 0
                    for position in 0..<currentCount {
                        switch states[Int(current[position])] {
                        case .byte(let want, let to) where want == byte: enter(to, next, &nextCount)
                        case .anyButSlash(let to) where byte != UInt8(ascii: "/"): enter(to, next, &nextCount)
                        case .anyByte(let to): enter(to, next, &nextCount)
                        case .byteClass(let set, let to) where set.contains(byte): enter(to, next, &nextCount)
                        default: break
                        }
                    }
                    if nextCount == 0 { return false }
                    swap(&current, &next)
                    currentCount = nextCount
                }
                // State 0 is the accept state; it is in the list when reached.
                return marks[0] == generation
            }
        }
    }
}
