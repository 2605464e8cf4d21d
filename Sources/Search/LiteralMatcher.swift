import CShims

/// A `Matcher` for one fixed string: glibc's memmem, or a byte loop with ASCII case folding.
///
/// Stands in for the regex engine in the line searcher's tests and benchmarks; it follows
/// the `Matcher` contract as long as the literal holds no `\n` (a literal with `\n` is a
/// multiline pattern: only use it with `SearchOptions.multiline`).
/// Thread-safety: immutable, share one instance between threads.
public struct LiteralMatcher: Matcher {
    public let literal: [UInt8]
    public let caseInsensitive: Bool
    /// `literal` with ASCII letters lowered, used when `caseInsensitive`.
    private let folded: [UInt8]

    public init(_ literal: String, caseInsensitive: Bool = false) {
        self.init(bytes: Array(literal.utf8), caseInsensitive: caseInsensitive)
    }

    public var canMatchNewline: Bool { literal.contains(10) }

    public init(bytes: [UInt8], caseInsensitive: Bool = false) {
        self.literal = bytes
        self.caseInsensitive = caseInsensitive
        self.folded = bytes.map(LiteralMatcher.asciiLower)
    }

    public func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        guard start <= haystack.count, let base = haystack.baseAddress else {
            return literal.isEmpty && start == 0 ? 0..<0 : nil
        }
        let n = literal.count
        if n == 0 { return start..<start }
        if haystack.count - start < n { return nil }
        if !caseInsensitive {
            let hit = literal.withUnsafeBytes { needle in
                trawl_memmem(base + start, haystack.count - start, needle.baseAddress!, n)
            }
            guard let hit else { return nil }
            let offset = base.distance(to: hit)
            return offset..<(offset + n)
        }
        return folded.withUnsafeBufferPointer { needle in
            // Bounds: i + n <= haystack.count, so every load below is inside the haystack.
            let first = needle[0]
            var i = start
            let last = haystack.count - n
            while i <= last {
                if LiteralMatcher.asciiLower(haystack[i]) == first {
                    var j = 1
                    while j < n && LiteralMatcher.asciiLower(haystack[i + j]) == needle[j] { j += 1 }
                    if j == n { return i..<(i + n) }
                }
                i += 1
            }
            return nil
        }
    }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
