import CShims
import CTeddy
import Glibc

/// Finds the leftmost occurrence of any of a few literals. One case-sensitive literal of
/// four bytes or more goes to `trawl_memmem`; other sets go to the AVX2 Teddy prefilter
/// (`TeddyPrefilter`) when the CPU has AVX2. Otherwise (the portable path) each literal is
/// screened by two of its rarest bytes, eight candidate starts per 64-bit word (a "packed
/// pair" filter in SWAR form, ASCII case folding by `| 0x20`), and candidates are verified
/// byte by byte. Thread-safety: immutable.
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let plainNeedle: [UInt8]?
    private let filters: [PairFilter]
    /// The furthest byte a filter reads past a candidate start, plus one.
    private let reach: Int
    let minLength: Int
    /// Literals found by their first non-ASCII byte rather than a filter: (index, offset).
    private let nonASCII: [(literal: Int, offset: Int)]
    /// The address of the Teddy object that finds sets (0: the portable filters run), and
    /// its owner. An integer and an array, not a class field: a class field in this struct
    /// made CompiledRegex copy the scanner (five retains and releases) around every find, 18% of a
    /// `grep -c 'e|t'` profile.
    private let teddy: UInt
    private let teddyOwner: [TeddyPrefilter]
    /// Whether finds run on the Teddy prefilter (tests check both paths really ran).
    var usesTeddy: Bool { teddy != 0 }

    /// Bytes and fold masks broadcast to all eight byte lanes of a word.
    struct PairFilter: Sendable, Hashable {
        var offsetA: Int
        var byteA: UInt64
        var foldA: UInt64
        var offsetB: Int
        var byteB: UInt64
        var foldB: UInt64
    }

    init(_ literals: [Literal]) { self.init(literals, allowsTeddy: true) }

    /// `allowsTeddy: false` forces the portable path (tests compare both).
    init(_ literals: [Literal], allowsTeddy: Bool) {
        precondition(!literals.isEmpty && !literals.contains(where: \.isEmpty))
        self.literals = literals
        // glibc's memmem restarts from a memchr of the first byte: fine for long needles,
        // slow for short ones with a common first byte (\wAh's "Ah" over big.txt: memmem
        // 1.4 GB/s, the pair filter 1.7-2.5 GB/s; for PM_RESUME memmem wins, 3.4 vs 2.0 GB/s).
        if literals.count == 1, literals[0].count >= 4, !literals[0].contains(where: \.fold) {
            plainNeedle = literals[0].map(\.byte)
        } else {
            plainNeedle = nil
        }
        let owner = TeddyPrefilter(literals, enabled: plainNeedle == nil && allowsTeddy)
        teddyOwner = [owner]
        teddy = owner.address
        // Literals with a non-ASCII byte (case variants like ERR_\u{17F}YS or \u{212A})
        // are rare in code: instead of a filter each, they are found through their first
        // non-ASCII byte, which a word-at-a-time skip over ASCII finds fast
        // (-i ERR_SYS|...: a filter each, 10, ran at 584 MB/s; 4 plus the skip, 0.9-1.2 GB/s).
        let asciiOnly = literals.indices.filter { !literals[$0].contains { $0.byte >= 0x80 } }
        let screened = asciiOnly.isEmpty ? Array(literals.indices) : asciiOnly
        let lanes: UInt64 = 0x0101_0101_0101_0101
        func filter(_ lit: Literal, _ a: Int, _ b: Int) -> PairFilter {
            PairFilter(offsetA: a, byteA: UInt64(lit[a].byte) &* lanes, foldA: lit[a].fold ? 0x20 &* lanes : 0,
                       offsetB: b, byteB: UInt64(lit[b].byte) &* lanes, foldB: lit[b].fold ? 0x20 &* lanes : 0)
        }
        var filters: [PairFilter] = []
        for index in screened {
            let lit = literals[index]
            var (a, b) = Self.rarestPair(lit, within: lit.count)
            // A word with s or k has -i variants (\u{17F}, \u{212A}); a pair read before that
            // letter is shared by them all, if it is not much weaker (at most 4x the hits).
            if let unstable = lit.firstIndex(where: { $0.fold && ($0.byte == 0x73 || $0.byte == 0x6B) }), unstable >= 2 {
                let (sa, sb) = Self.rarestPair(lit, within: unstable)
                if ByteFrequency.rarity(lit[sa]) + ByteFrequency.rarity(lit[sb]) + 16
                    >= ByteFrequency.rarity(lit[a]) + ByteFrequency.rarity(lit[b]) { (a, b) = (sa, sb) }
            }
            let f = filter(lit, a, b)
            if !filters.contains(f) { filters.append(f) }
        }
        var aside: [(literal: Int, offset: Int)] = []
        if !asciiOnly.isEmpty {
            for i in literals.indices where !asciiOnly.contains(i) {
                let lit = literals[i]
                let first = lit.firstIndex { $0.byte >= 0x80 }!
                if first >= 1 {
                    let (a, b) = Self.rarestPair(lit, within: first)
                    if filters.contains(filter(lit, a, b)) { continue } // screened by a shared filter
                }
                aside.append((i, first))
            }
        }
        nonASCII = aside
        self.filters = filters
        reach = filters.map { max($0.offsetA, $0.offsetB) }.max()! + 1
        minLength = literals.map(\.count).min()!
    }

    /// The two rarest positions among the first `n` (the earlier on a tie); a one-byte
    /// literal pairs with itself.
    private static func rarestPair(_ lit: Literal, within n: Int) -> (Int, Int) {
        let order = (0..<n).sorted {
            let ra = ByteFrequency.rarity(lit[$0]), rb = ByteFrequency.rarity(lit[$1])
            return ra > rb || (ra == rb && $0 < $1)
        }
        return (order[0], order.count > 1 ? order[1] : order[0])
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
        if teddy != 0 { // alive as long as self, through teddyOwner
            var literal = 0
            let p = trawl_teddy_find(OpaquePointer(bitPattern: teddy), base, from, end, &literal)
            return p < 0 ? nil : (p, literal)
        }
        let filtered = scanFiltered(base, from: from, to: end)
        if nonASCII.isEmpty { return filtered }
        // A non-ASCII literal can only win if it starts before the filtered hit.
        let limit = filtered?.start ?? end
        if let p = scanNonASCII(base, from: from, before: limit, end: end) {
            return (p, verify(base, at: p, end: end)!)
        }
        return filtered
    }

    /// The leftmost start in `from..<limit` of a literal holding a non-ASCII byte.
    private func scanNonASCII(_ base: UnsafeRawPointer, from: Int, before limit: Int, end: Int) -> Int? {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var best: Int? = nil
        let maxOffset = nonASCII.map(\.offset).max()!
        var q = from
        while true {
            q = LazyDFA.skipASCII(bytes, from: q, to: end)
            if q >= end { break }
            if let b = best, q > b + maxOffset { break }
            if q - maxOffset >= limit { break }
            for (i, k) in nonASCII where q - k >= from && q - k < limit && q - k < (best ?? Int.max) {
                let p = q - k
                if p + literals[i].count <= end && matches(literals[i], bytes, at: p) { best = p }
            }
            q += 1
        }
        return best
    }

    @inline(__always)
    private func matches(_ lit: Literal, _ bytes: UnsafePointer<UInt8>, at p: Int) -> Bool {
        for i in 0..<lit.count where !lit[i].matches(bytes[p + i]) { return false }
        return true
    }

    /// The leftmost start of a filtered literal (all literals when none is set aside).
    private func scanFiltered(_ base: UnsafeRawPointer, from: Int, to end: Int) -> (start: Int, literal: Int)? {
        if filters.isEmpty { return nil }
        var p = from
        // SWAR blocks of 8 candidate starts: loads reach p+reach+7 < end (p+reach+15 in a
        // two-word round). Swift's SIMD16 types bought nothing on baseline x86-64 (1.29 vs
        // 1.23 GB/s standalone; a first in-tree version even ran lane by lane, 22 MB/s).
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Two words per round: each filter's constants are read once per 16 positions;
        // a round with a candidate is redone word by word below, with verification.
        while true {
            filters.withUnsafeBufferPointer { fs in
                while p + reach + 16 <= end {
                    var low: UInt64 = 0, high: UInt64 = 0
                    for f in fs {
                        let a = base + p + f.offsetA, b = base + p + f.offsetB
                        let x0 = ((a.loadUnaligned(as: UInt64.self) | f.foldA) ^ f.byteA)
                            | ((b.loadUnaligned(as: UInt64.self) | f.foldB) ^ f.byteB)
                        let x1 = (((a + 8).loadUnaligned(as: UInt64.self) | f.foldA) ^ f.byteA)
                            | (((b + 8).loadUnaligned(as: UInt64.self) | f.foldB) ^ f.byteB)
                        // High bit set in every lane where both bytes agree (and maybe a
                        // few lanes above one, through the borrow: verified anyway).
                        low |= (x0 &- ones) & ~x0 & highs
                        high |= (x1 &- ones) & ~x1 & highs
                    }
                    if low | high != 0 { break }
                    p += 16
                }
            }
            let stop = p + reach + 16 <= end ? p + 16 : end
            while p + reach + 8 <= end && p < stop {
                var mask: UInt64 = 0
                for f in filters {
                    let x = (((base + p + f.offsetA).loadUnaligned(as: UInt64.self) | f.foldA) ^ f.byteA)
                        | (((base + p + f.offsetB).loadUnaligned(as: UInt64.self) | f.foldB) ^ f.byteB)
                    mask |= (x &- ones) & ~x & highs
                }
                while mask != 0 {
                    let lane = mask.trailingZeroBitCount >> 3
                    if let k = verify(base, at: p + lane, end: end) { return (p + lane, k) }
                    mask &= mask &- 1
                }
                p += 8
            }
            if stop == end || p + reach + 16 > end { break }
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

/// Owns a C Teddy object (teddy.c): literals in 8 buckets, a fingerprint of 1-3 bytes at one
/// offset into every literal, 32 candidate starts per AVX2 step, candidates verified in C.
/// Thread-safety: `@unchecked Sendable` because the C object is immutable once built and
/// only read afterwards; it is freed in deinit, when no search can hold it.
final class TeddyPrefilter: @unchecked Sendable {
    private let handle: OpaquePointer?

    /// Inactive (no C object) without AVX2, for more than 64 literals, or when not `enabled`.
    init(_ literals: [Literal], enabled: Bool) {
        guard enabled, trawl_teddy_is_available() != 0, !literals.isEmpty, literals.count <= 64,
              let minLength = literals.map(\.count).min(), minLength >= 1 else {
            handle = nil
            return
        }
        let width = min(3, minLength)
        let offset = Self.bestOffset(literals, width: width, maxOffset: min(16, minLength - width))
        let buckets = Self.buckets(literals.map { Array($0[offset..<(offset + width)]) })
        let bytes = literals.flatMap { $0.map(\.byte) }
        let folds = literals.flatMap { $0.map { UInt8($0.fold ? 1 : 0) } }
        let lengths = literals.map(\.count)
        handle = trawl_teddy_new(bytes, folds, lengths, buckets, literals.count, offset, width)
    }

    deinit { if let handle { trawl_teddy_free(handle) } }

    /// The C object's address for `trawl_teddy_find`, valid while self lives; 0 when inactive.
    var address: UInt { UInt(bitPattern: Int(bitPattern: handle)) }

    /// The window offset with the fewest expected chance candidates, summed over the
    /// distinct windows (`windowRarity`). For ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT
    /// the prefixes ERR, PME, LIN, CFG occur 26.5k times in the first 64 MiB of big.txt,
    /// the windows at offset 2 (R_S, E_T, NK_, G_B) 13.3k times.
    static func bestOffset(_ literals: [Literal], width: Int, maxOffset: Int) -> Int {
        var best = 0, bestCost = Double.infinity
        for offset in 0...maxOffset {
            let windows = Set(literals.map { $0[offset..<(offset + width)] })
            let cost = windows.reduce(0.0) { $0 + exp2(-Double(windowRarity($1)) / 8) }
            if cost < bestCost { (best, bestCost) = (offset, cost) }
        }
        return best
    }

    /// -8 log2 of a window's frequency, like `ByteFrequency.rarity`. Bytes are not independent:
    /// identifiers run in one case, so a byte after one of its class (upper, lower, digit;
    /// a folding letter's class is any letter) costs its rarity less its class's. Without
    /// that, CFG rated rarer than G_B, though it is 4.8x as common in big.txt.
    static func windowRarity(_ window: ArraySlice<LiteralByte>) -> Int {
        var sum = 0
        var previous: ByteClass? = nil
        for lb in window {
            let current = ByteClass(lb)
            var rarity = ByteFrequency.rarity(lb)
            if let current, current == previous { rarity = max(0, rarity - current.rarity) }
            sum += rarity
            previous = current
        }
        return sum
    }

    enum ByteClass {
        case upper, lower, digit, letter

        init?(_ lb: LiteralByte) {
            switch lb.byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z") where lb.fold: self = .letter
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): self = .upper
            case UInt8(ascii: "a")...UInt8(ascii: "z"): self = .lower
            case UInt8(ascii: "0")...UInt8(ascii: "9"): self = .digit
            default: return nil
            }
        }

        /// -8 log2 of the class's share of all bytes (upper 23, lower 8, digit 33, letter 5).
        var rarity: Int { Self.rarities[self]! }

        private static let rarities: [ByteClass: Int] = {
            func share(_ range: ClosedRange<UInt8>) -> Double {
                range.reduce(0.0) { $0 + exp2(-Double(ByteFrequency.rarity($1)) / 8) }
            }
            let upper = share(UInt8(ascii: "A")...UInt8(ascii: "Z")), lower = share(UInt8(ascii: "a")...UInt8(ascii: "z"))
            let digit = share(UInt8(ascii: "0")...UInt8(ascii: "9"))
            func rarity(_ p: Double) -> Int { Int((-8 * log2(p)).rounded()) }
            return [.upper: rarity(upper), .lower: rarity(lower), .digit: rarity(digit), .letter: rarity(upper + lower)]
        }()
    }

    /// A bucket (0-7) per literal: literals with the same window share a bucket (they always
    /// fire together); past 8 distinct windows, neighbours in sorted order share one, so a
    /// bucket's nibble tables admit few bytes beyond its own.
    static func buckets(_ windows: [[LiteralByte]]) -> [UInt8] {
        var distinct: [[LiteralByte]] = []
        for w in windows where !distinct.contains(w) { distinct.append(w) }
        var bucketOf: [[LiteralByte]: UInt8] = [:]
        if distinct.count <= 8 {
            for (i, w) in distinct.enumerated() { bucketOf[w] = UInt8(i) }
        } else {
            let sorted = distinct.sorted { a, b in
                a.lexicographicallyPrecedes(b) { ($0.byte, $0.fold ? 1 : 0) < ($1.byte, $1.fold ? 1 : 0) }
            }
            for (i, w) in sorted.enumerated() { bucketOf[w] = UInt8(i * 8 / sorted.count) }
        }
        return windows.map { bucketOf[$0]! }
    }
}
