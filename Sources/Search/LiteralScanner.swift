import CShims

/// Finds the leftmost occurrence of any of a few literals. One case-sensitive literal goes
/// to glibc's memmem; otherwise each literal is screened by two of its rarest bytes, eight
/// candidate starts per 64-bit word (a "packed pair" filter in SWAR form, ASCII case folding
/// by `| 0x20`), and candidates are verified byte by byte.
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let plainNeedle: [UInt8]?
    private let filters: [PairFilter]
    /// The furthest byte a filter reads past a candidate start, plus one.
    private let reach: Int
    let minLength: Int

    /// Bytes and fold masks broadcast to all eight byte lanes of a word.
    struct PairFilter: Sendable, Hashable {
        var offsetA: Int
        var byteA: UInt64
        var foldA: UInt64
        var offsetB: Int
        var byteB: UInt64
        var foldB: UInt64
    }

    init(_ literals: [Literal]) {
        precondition(!literals.isEmpty && !literals.contains(where: \.isEmpty))
        self.literals = literals
        if literals.count == 1, !literals[0].contains(where: \.fold) {
            plainNeedle = literals[0].map(\.byte)
        } else {
            plainNeedle = nil
        }
        var filters: [PairFilter] = []
        for lit in literals {
            // Case variants of one word (ERR_SYS, ERR_\u{17F}YS) share the filter when it reads
            // only the prefix before the first letter with a non-ASCII fold (s, k): one
            // filter instead of four (-i ERR_SYS|...: 367 -> see commit message).
            var stable = lit.firstIndex { $0.byte >= 0x80 || ($0.fold && ($0.byte == 0x73 || $0.byte == 0x6B)) } ?? lit.count
            if stable < 2 { stable = lit.count }
            // The two rarest positions (the first one on a tie); one-byte literals pair with themselves.
            let order = lit.indices.prefix(stable).sorted { ByteFrequency.rarity(lit[$0]) > ByteFrequency.rarity(lit[$1]) || (ByteFrequency.rarity(lit[$0]) == ByteFrequency.rarity(lit[$1]) && $0 < $1) }
            let a = order[0], b = order.count > 1 ? order[1] : order[0]
            let lanes: UInt64 = 0x0101_0101_0101_0101
            let f = PairFilter(offsetA: a, byteA: UInt64(lit[a].byte) &* lanes, foldA: lit[a].fold ? 0x20 &* lanes : 0,
                               offsetB: b, byteB: UInt64(lit[b].byte) &* lanes, foldB: lit[b].fold ? 0x20 &* lanes : 0)
            if !filters.contains(f) { filters.append(f) }
        }
        self.filters = filters
        reach = filters.map { max($0.offsetA, $0.offsetB) }.max()! + 1
        minLength = literals.map(\.count).min()!
    }

    /// The leftmost start `p >= from` of a literal lying wholly in `from..<end`, with the
    /// index of the first literal (in priority order) found there.
    func find(_ hay: UnsafeRawBufferPointer, from: Int, to end: Int) -> (start: Int, literal: Int)? {
        guard let base = hay.baseAddress, from < end else { return nil }
        if let needle = plainNeedle {
            guard end - from >= needle.count else { return nil }
            let p = needle.withUnsafeBytes { n in trawl_memmem(base + from, end - from, n.baseAddress!, n.count) }
            guard let p else { return nil }
            return (base.distance(to: p), 0)
        }
        var p = from
        // SWAR blocks of 8 candidate starts: loads reach p+reach+7 < end. (Swift's SIMD16
        // types compiled to a lane-by-lane loop here: 22 MB/s against 2+ GB/s for this.)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while p + reach + 8 <= end {
            var mask: UInt64 = 0
            for f in filters {
                let xa = ((base + p + f.offsetA).loadUnaligned(as: UInt64.self) | f.foldA) ^ f.byteA
                let xb = ((base + p + f.offsetB).loadUnaligned(as: UInt64.self) | f.foldB) ^ f.byteB
                // High bit set in every zero byte (and maybe a few above one: verified anyway).
                mask |= ((xa &- ones) & ~xa & highs) & ((xb &- ones) & ~xb & highs)
            }
            while mask != 0 {
                let lane = mask.trailingZeroBitCount >> 3
                if let k = verify(base, at: p + lane, end: end) { return (p + lane, k) }
                mask &= mask &- 1
            }
            p += 8
        }
        while p + minLength <= end {
            if let k = verify(base, at: p, end: end) { return (p, k) }
            p += 1
        }
        return nil
    }

    @inline(__always)
    private func verify(_ base: UnsafeRawPointer, at p: Int, end: Int) -> Int? {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        outer: for (k, lit) in literals.enumerated() where p + lit.count <= end {
            for i in 0..<lit.count where !lit[i].matches(bytes[p + i]) { continue outer }
            return k
        }
        return nil
    }
}
