/// XXH32 (seed 0), as `xxhsum -H0` prints it: the 32-bit value big-endian. Not a
/// cryptographic hash: here so that `check` verifies `xxhsum -H0` manifests.
public struct XXH32: DigestHasher {
    static let prime1: UInt32 = 0x9E37_79B1
    static let prime2: UInt32 = 0x85EB_CA77
    static let prime3: UInt32 = 0xC2B2_AE3D
    static let prime4: UInt32 = 0x27D4_EB2F
    static let prime5: UInt32 = 0x1656_67B1

    private var v1 = prime1 &+ prime2, v2 = prime2, v3: UInt32 = 0, v4 = 0 &- prime1
    private var buffer = BlockBuffer()
    private var length: UInt64 = 0

    public init() {}

    @inline(__always) static func round(_ acc: UInt32, _ input: UInt32) -> UInt32 {
        rotateLeft(acc &+ input &* prime2, by: 13) &* prime1
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var a = v1, b = v2, c = v3, d = v4
        buffer.absorb(bytes, blockSize: 16) { p, stripes in
            for s in 0..<stripes {
                let q = p + 16 * s
                a = XXH32.round(a, q.littleEndianUInt32(at: 0))
                b = XXH32.round(b, q.littleEndianUInt32(at: 4))
                c = XXH32.round(c, q.littleEndianUInt32(at: 8))
                d = XXH32.round(d, q.littleEndianUInt32(at: 12))
            }
        }
        v1 = a; v2 = b; v3 = c; v4 = d
    }

    /// The hash as a number, as the reference XXH32() returns it.
    public var value: UInt32 {
        var h: UInt32
        if length >= 16 {
            h = rotateLeft(v1, by: 1) &+ rotateLeft(v2, by: 7) &+ rotateLeft(v3, by: 12) &+ rotateLeft(v4, by: 18)
        } else {
            h = XXH32.prime5
        }
        h &+= UInt32(truncatingIfNeeded: length)
        let tail = buffer.bytes
        var index = 0
        while index + 4 <= tail.count {
            let word = UInt32(tail[index]) | UInt32(tail[index + 1]) << 8 | UInt32(tail[index + 2]) << 16 | UInt32(tail[index + 3]) << 24
            h = rotateLeft(h &+ word &* XXH32.prime3, by: 17) &* XXH32.prime4
            index += 4
        }
        while index < tail.count {
            h = rotateLeft(h &+ UInt32(tail[index]) &* XXH32.prime5, by: 11) &* XXH32.prime1
            index += 1
        }
        h ^= h >> 15
        h &*= XXH32.prime2
        h ^= h >> 13
        h &*= XXH32.prime3
        h ^= h >> 16
        return h
    }

    public mutating func finalize() -> [UInt8] { bigEndianBytes(value) }
}
