/// Splits a scalar range into sequences of byte ranges, each matching exactly the UTF-8
/// encodings of a sub-range (RE2's and Rust's technique): `[\u{80}-\u{10FFFF}]` becomes a
/// handful of `[C2-DF][80-BF]`-style sequences, so the automata run on bytes and invalid
/// UTF-8 simply fails to match.
enum UTF8Sequences {
    typealias ByteRange = (lo: UInt8, hi: UInt8)

    static func sequences(for set: ScalarRanges) -> [[ByteRange]] {
        var out: [[ByteRange]] = []
        for r in set.ranges { split(r.lowerBound, r.upperBound, into: &out) }
        return out
    }

    private static let lengthLimits: [UInt32] = [0x7F, 0x7FF, 0xFFFF, 0x10FFFF]

    private static func split(_ lo: UInt32, _ hi: UInt32, into out: inout [[ByteRange]]) {
        if lo > hi { return }
        // Surrogates have no encoding.
        if lo <= 0xDFFF && hi >= 0xD800 {
            if lo < 0xD800 { split(lo, 0xD7FF, into: &out) }
            if hi > 0xDFFF { split(0xE000, hi, into: &out) }
            return
        }
        // Both ends must have the same encoded length.
        for limit in lengthLimits.dropLast() where lo <= limit && hi > limit {
            split(lo, limit, into: &out)
            split(limit + 1, hi, into: &out)
            return
        }
        if hi <= 0x7F {
            out.append([(UInt8(lo), UInt8(hi))])
            return
        }
        let n = encodedLength(lo)
        // Split until every continuation position spans its full 80-BF range or a prefix
        // shared by both ends.
        for i in 1..<n {
            let m: UInt32 = (1 << (6 * UInt32(i))) - 1
            if lo & ~m != hi & ~m {
                if lo & m != 0 {
                    split(lo, lo | m, into: &out)
                    split((lo | m) + 1, hi, into: &out)
                    return
                }
                if hi & m != m {
                    split(lo, (hi & ~m) - 1, into: &out)
                    split(hi & ~m, hi, into: &out)
                    return
                }
            }
        }
        let a = encode(lo), b = encode(hi)
        out.append((0..<n).map { (a[$0], b[$0]) })
    }

    static func encodedLength(_ c: UInt32) -> Int {
        c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    }

    static func encode(_ c: UInt32) -> [UInt8] {
        switch encodedLength(c) {
        case 1: return [UInt8(c)]
        case 2: return [UInt8(0xC0 | (c >> 6)), UInt8(0x80 | (c & 0x3F))]
        case 3: return [UInt8(0xE0 | (c >> 12)), UInt8(0x80 | ((c >> 6) & 0x3F)), UInt8(0x80 | (c & 0x3F))]
        default:
            return [UInt8(0xF0 | (c >> 18)), UInt8(0x80 | ((c >> 12) & 0x3F)),
                    UInt8(0x80 | ((c >> 6) & 0x3F)), UInt8(0x80 | (c & 0x3F))]
        }
    }

    /// Whether offset `i` is not inside a code point's encoding: the end, or a byte that
    /// is not a continuation byte (the crate's `is_boundary`; invalid bytes count as text).
    @inline(__always)
    static func isBoundary(_ p: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        i >= p.count || p[i] & 0xC0 != 0x80
    }

    /// Decodes the scalar starting at `i`, or nil for invalid UTF-8 (never reads past `end`).
    static func decode(_ p: UnsafeRawBufferPointer, at i: Int, end: Int) -> UInt32? {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return b0 }
        let n: Int, initial: UInt32, minimum: UInt32
        switch b0 {
        case 0xC2...0xDF: n = 2; initial = b0 & 0x1F; minimum = 0x80
        case 0xE0...0xEF: n = 3; initial = b0 & 0x0F; minimum = 0x800
        case 0xF0...0xF4: n = 4; initial = b0 & 0x07; minimum = 0x10000
        default: return nil
        }
        guard i + n <= end else { return nil }
        var c = initial
        for k in 1..<n {
            let b = UInt32(p[i + k])
            guard b & 0xC0 == 0x80 else { return nil }
            c = (c << 6) | (b & 0x3F)
        }
        guard c >= minimum, c <= 0x10FFFF, !ScalarRanges.surrogates.contains(c) else { return nil }
        return c
    }

    /// Decodes the scalar ending just before `i`, or nil (never reads before `begin`).
    static func decodeBackward(_ p: UnsafeRawBufferPointer, before i: Int, begin: Int) -> UInt32? {
        guard i > begin else { return nil }
        var start = i - 1
        while start > begin && i - start < 4 && p[start] & 0xC0 == 0x80 { start -= 1 }
        guard let c = decode(p, at: start, end: i), start + encodedLength(c) == i else { return nil }
        return c
    }
}
