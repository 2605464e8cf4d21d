/// XXH64 (seed 0), as `xxhsum -H1` prints it: the 64-bit value big-endian. Not a
/// cryptographic hash: for change detection and deduplication candidates only.
public struct XXH64: DigestHasher {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1 = prime1 &+ prime2, v2 = prime2, v3: UInt64 = 0, v4 = 0 &- prime1
    private var buffer = BlockBuffer()
    private var length: UInt64 = 0

    public init() {}

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotateLeft(acc &+ input &* prime2, by: 31) &* prime1
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var input = bytes
        length &+= UInt64(input.count)
        if buffer.count > 0 {
            guard buffer.fill(from: &input, blockSize: 32) else { return }
            let stripe = buffer.takeBlock()
            withUnsafeBytes(of: stripe) { consume($0.baseAddress!, stripes: 1) }
        }
        let stripes = input.count / 32
        if stripes > 0 {
            consume(input.baseAddress!, stripes: stripes)
            input = UnsafeRawBufferPointer(rebasing: input[(stripes * 32)...])
        }
        _ = buffer.fill(from: &input, blockSize: 32)
    }

    private mutating func consume(_ p: UnsafeRawPointer, stripes: Int) {
        var a = v1, b = v2, c = v3, d = v4
        for s in 0..<stripes {
            let q = p + 32 * s
            a = XXH64.round(a, q.littleEndianUInt64(at: 0))
            b = XXH64.round(b, q.littleEndianUInt64(at: 8))
            c = XXH64.round(c, q.littleEndianUInt64(at: 16))
            d = XXH64.round(d, q.littleEndianUInt64(at: 24))
        }
        v1 = a; v2 = b; v3 = c; v4 = d
    }

    /// The hash as a number, as the reference XXH64() returns it.
    public var value: UInt64 {
        var h: UInt64
        if length >= 32 {
            h = rotateLeft(v1, by: 1) &+ rotateLeft(v2, by: 7) &+ rotateLeft(v3, by: 12) &+ rotateLeft(v4, by: 18)
            for v in [v1, v2, v3, v4] { h = (h ^ XXH64.round(0, v)) &* XXH64.prime1 &+ XXH64.prime4 }
        } else {
            h = XXH64.prime5
        }
        h &+= length
        let tail = buffer.bytes
        tail.withUnsafeBytes { bytes in
            var p = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            var remaining = bytes.count
            while remaining >= 8 {
                h ^= XXH64.round(0, p.littleEndianUInt64(at: 0))
                h = rotateLeft(h, by: 27) &* XXH64.prime1 &+ XXH64.prime4
                p += 8; remaining -= 8
            }
            if remaining >= 4 {
                h ^= UInt64(p.littleEndianUInt32(at: 0)) &* XXH64.prime1
                h = rotateLeft(h, by: 23) &* XXH64.prime2 &+ XXH64.prime3
                p += 4; remaining -= 4
            }
            while remaining > 0 {
                h ^= UInt64(p.load(as: UInt8.self)) &* XXH64.prime5
                h = rotateLeft(h, by: 11) &* XXH64.prime1
                p += 1; remaining -= 1
            }
        }
        return XXH64.avalanche(h)
    }

    public mutating func finalize() -> [UInt8] { bigEndianBytes(value) }

    @inline(__always) static func avalanche(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }
}
