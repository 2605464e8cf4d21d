extension CompiledRegex {
    /// The compiled program's size in bytes (its NFA states), what `--regex-size-limit`
    /// bounds: ripgrep's limit is on the same kind of program, so `[0-9]\w+` (Unicode
    /// classes compile to many UTF-8 states) exceeds 10K in both.
    public var compiledSize: Int { nfa.states.count * MemoryLayout<NFA.State>.stride }
}
