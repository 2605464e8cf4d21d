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
