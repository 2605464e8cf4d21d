// Word-level helpers every algorithm shares: rotations, unaligned endian loads, and
// big-endian serialisation of digest words.

@inline(__always) func rotateRight(_ x: UInt32, by n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
@inline(__always) func rotateLeft(_ x: UInt32, by n: UInt32) -> UInt32 { (x << n) | (x >> (32 &- n)) }
@inline(__always) func rotateRight(_ x: UInt64, by n: UInt64) -> UInt64 { (x >> n) | (x << (64 &- n)) }
@inline(__always) func rotateLeft(_ x: UInt64, by n: UInt64) -> UInt64 { (x << n) | (x >> (64 &- n)) }

extension UnsafeRawPointer {
    @inline(__always) func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inline(__always) func bigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    @inline(__always) func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inline(__always) func littleEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

@inline(__always) func bigEndianBytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

@inline(__always) func bigEndianBytes(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
}
