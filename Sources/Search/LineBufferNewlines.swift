import Glibc
import CShims

/// Byte scans the searcher runs between reported lines; all bounds-checked by the caller.
@usableFromInline
package enum NewlineScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let newlines: UInt64 = ones &* 0x0A
    private static let low7: UInt64 = ones &* 0x7F

    /// The number of `\n` bytes in `start[0..<count]`.
    ///
    /// 32 bytes per step: a vector compare gives -1 per matching lane, subtracted into byte
    /// counters that are widened into the total every 255 steps, before they can wrap.
    /// Measured on 256 MiB (2-core EPYC, noisy): 6.6-10.5 GB/s; the word loop below
    /// 3.6-7.6 GB/s; `replacing(with:where:)` instead of the bit cast 0.08 GB/s.
    @usableFromInline
    package static func count(in start: UnsafeRawPointer, count: Int) -> Int {
        var total = 0
        var i = 0
        let newline = SIMD32<UInt8>(repeating: 0x0A)
        // Bounds: each load reads start[i..<i+32] with i + 32 <= count.
        while i + 32 <= count {
            var lanes = SIMD32<UInt8>.zero
            var steps = 0
            while steps < 255 && i + 32 <= count {
                let chunk = start.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // SIMDMask<SIMD32<Int8>> is 32 lanes of 0 or -1: the cast keeps the bits.
                lanes &-= unsafeBitCast(chunk .== newline, to: SIMD32<UInt8>.self)
                i += 32
                steps += 1
            }
            total &+= Int(SIMD32<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        return total &+ countByWords(in: start + i, count: count - i)
    }

    /// Eight bytes per step with an exact zero-byte test (no false positives, unlike the
    /// `(x - 0x01..) & ~x & 0x80..` trick): bit 7 of `((x & 0x7F..) + 0x7F..) | x` is set
    /// exactly for the non-zero bytes of `x = word ^ 0x0A..`, and no carry crosses a byte.
    package static func countByWords(in start: UnsafeRawPointer, count: Int) -> Int {
        var total = 0
        var i = 0
        // Bounds: every load reads start[i..<i+8] with i + 8 <= count.
        while i + 8 <= count {
            total &+= zeroBytes(start.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ newlines)
            i += 8
        }
        while i < count {
            if start.load(fromByteOffset: i, as: UInt8.self) == 0x0A { total &+= 1 }
            i += 1
        }
        return total
    }

    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> Int {
        let nonZeroHighBits = ((x & low7) &+ low7) | x
        return (~(nonZeroHighBits | low7)).nonzeroBitCount
    }

    /// Index of the first `\n` in `base[from..<to]`, or nil.
    @inlinable
    static func first(in base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        guard from < to, let hit = memchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Index of the last `\n` in `base[from..<to]`, or nil.
    @inlinable
    static func last(in base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        guard from < to, let hit = trawl_memrchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: hit)
    }

    /// End (one past the `\n`) of the line holding `index`, or `limit` if no `\n` before it.
    @inlinable
    static func lineEnd(in base: UnsafeRawPointer, at index: Int, limit: Int) -> Int {
        if let nl = first(in: base, from: index, to: limit) { return nl + 1 }
        return limit
    }

    /// Start of the line holding `index`, looking back no further than `floor`.
    @inlinable
    static func lineStart(in base: UnsafeRawPointer, at index: Int, floor: Int) -> Int {
        if let nl = last(in: base, from: floor, to: index) { return nl + 1 }
        return floor
    }
}
