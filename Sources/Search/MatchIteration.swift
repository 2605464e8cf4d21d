extension Matcher {
    /// Calls `body` with every match in `haystack[start...]` in order, until it returns
    /// false. Iterates as the Rust regex crate (and ripgrep's `find_iter`) does: the next
    /// search starts where a match ended, one byte further after an empty match, and an
    /// empty match ending where the previous match ended is skipped (`b|` on `abc` gives
    /// [0,0] [1,2] [3,3]). Every `-o`, `--json`, colouring and count loop goes through here.
    @inlinable
    public func forEachMatch(in haystack: UnsafeRawBufferPointer, from start: Int = 0,
                             _ body: (Range<Int>) -> Bool) {
        var position = start
        var lastEnd = -1
        while position <= haystack.count, let m = find(in: haystack, from: position) {
            if m.isEmpty {
                position = m.upperBound + 1
                if m.upperBound == lastEnd { continue }
            } else {
                position = m.upperBound
            }
            lastEnd = m.upperBound
            if !body(m) { return }
        }
    }
}
