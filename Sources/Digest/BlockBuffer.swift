/// The partial block a block-oriented hash keeps between `update` calls: up to 128 bytes,
/// stored inline so a hasher never allocates while streaming.
struct BlockBuffer: Sendable {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                          UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes held, 0 ..< blockSize between calls.
    private(set) var count = 0

    static let capacity = 128

    /// Moves bytes from the front of `input` until the buffer holds `blockSize` bytes or
    /// `input` is empty; returns true when the buffer is full.
    mutating func fill(from input: inout UnsafeRawBufferPointer, blockSize: Int) -> Bool {
        precondition(blockSize <= Self.capacity)
        let take = min(blockSize - count, input.count)
        if take > 0 {
            withUnsafeMutableBytes(of: &storage) { bytes in
                // count + take <= blockSize <= capacity, so the copy stays inside storage.
                bytes.baseAddress!.advanced(by: count).copyMemory(from: input.baseAddress!, byteCount: take)
            }
            count += take
            input = UnsafeRawBufferPointer(rebasing: input[take...])
        }
        return count == blockSize
    }

    /// A copy of the bytes held, for the caller to compress; leaves the buffer empty.
    mutating func takeBlock() -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                  UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
        count = 0
        return storage
    }

    /// The bytes held, as an array (used once per digest, when padding).
    var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0.prefix(count)) }
    }
}

/// Merkle-Damgard padding shared by MD5 and the SHA family: 0x80, zeros, then the
/// message length in bits (`lengthFieldSize` bytes, big- or little-endian).
func merkleDamgardTail(buffered: [UInt8], messageLength: UInt64, blockSize: Int,
                       lengthFieldSize: Int, bigEndian: Bool) -> [UInt8] {
    var tail = buffered
    tail.reserveCapacity(2 * blockSize)
    tail.append(0x80)
    while tail.count % blockSize != blockSize - lengthFieldSize { tail.append(0) }
    let bits = messageLength &* 8
    // Lengths beyond 2^64 bits do not occur in practice: the high bytes of a 128-bit field are zero.
    let highBits = messageLength >> 61
    var field = [UInt8](repeating: 0, count: lengthFieldSize)
    for i in 0..<8 { field[lengthFieldSize - 1 - i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i))) }
    if lengthFieldSize > 8 { field[lengthFieldSize - 9] = UInt8(truncatingIfNeeded: highBits) }
    tail.append(contentsOf: bigEndian ? field : field.reversed())
    return tail
}

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
