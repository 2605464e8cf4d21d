extension CompiledRegex {
    /// The compiled program's size in bytes, what `--regex-size-limit` bounds: the NFA's
    /// states and the transition and target lists they own (a Unicode class is a tree of
    /// UTF-8 byte ranges, so `[0-9]\w+` is over 10K here as in rg, whose limit is on the
    /// same kind of program).
    public var compiledSize: Int {
        var bytes = nfa.states.count * MemoryLayout<NFA.State>.stride
        for state in nfa.states {
            switch state {
            case .sparse(let transitions): bytes += transitions.count * MemoryLayout<NFA.Transition>.stride
            case .union(let targets): bytes += targets.count * MemoryLayout<Int32>.stride
            default: break
            }
        }
        return bytes
    }
}
