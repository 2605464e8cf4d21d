import CShims

/// Finds the leftmost occurrence of any of a few literals. One case-sensitive literal goes
/// to glibc's memmem; otherwise each literal is screened 16 positions at a time by two of
/// its rarest bytes with SIMD compares (a "packed pair" filter, ASCII case folding by
/// `| 0x20`), and candidates are verified byte by byte.
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let plainNeedle: [UInt8]?
    private let filters: [PairFilter]
    /// The furthest byte a filter reads past a candidate start, plus one.
    private let reach: Int
    let minLength: Int

    struct PairFilter: Sendable, Hashable {
        var offsetA: Int
        var byteA: UInt8
        var foldA: UInt8
        var offsetB: Int
        var byteB: UInt8
        var foldB: UInt8
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
            // The two rarest positions (the first one on a tie); one-byte literals pair with themselves.
            let order = lit.indices.sorted { ByteFrequency.rarity(lit[$0]) > ByteFrequency.rarity(lit[$1]) || (ByteFrequency.rarity(lit[$0]) == ByteFrequency.rarity(lit[$1]) && $0 < $1) }
            let a = order[0], b = order.count > 1 ? order[1] : order[0]
            let f = PairFilter(offsetA: a, byteA: lit[a].byte, foldA: lit[a].fold ? 0x20 : 0,
                               offsetB: b, byteB: lit[b].byte, foldB: lit[b].fold ? 0x20 : 0)
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
        // SIMD blocks: positions p..<p+16 are candidates; loads reach p+reach+15 < end.
        while p + reach + 16 <= end {
            var any = false
            var mask = SIMDMask<SIMD16<Int8>>(repeating: false)
            for f in filters {
                let va = (base + p + f.offsetA).loadUnaligned(as: SIMD16<UInt8>.self)
                let vb = (base + p + f.offsetB).loadUnaligned(as: SIMD16<UInt8>.self)
                let m = ((va | SIMD16(repeating: f.foldA)) .== SIMD16(repeating: f.byteA))
                    .& ((vb | SIMD16(repeating: f.foldB)) .== SIMD16(repeating: f.byteB))
                mask = mask .| m
            }
            any = Swift.any(mask)
            if any {
                for lane in 0..<16 where mask[lane] {
                    if let k = verify(base, at: p + lane, end: end) { return (p + lane, k) }
                }
            }
            p += 16
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
