/// MD5 (RFC 1321), portable Swift. Broken for collision resistance; kept for verifying
/// existing manifests and for `md5sum` compatibility.
public struct MD5: DigestHasher {
    private var state = SIMD4<UInt32>(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476)
    private var buffer = BlockBuffer()
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        // The buffer is taken out while it feeds the block function, which mutates `self`.
        var pending = buffer
        pending.absorb(bytes, blockSize: 64) { MD5.compress(&state, $0, blocks: $1) }
        buffer = pending
    }

    public mutating func finalize() -> [UInt8] {
        let tail = merkleDamgardTail(buffered: buffer.bytes, messageLength: length, blockSize: 64,
                                     lengthFieldSize: 8, bigEndian: false)
        tail.withUnsafeBytes { MD5.compress(&state, $0.baseAddress!, blocks: tail.count / 64) }
        var digest = [UInt8]()
        digest.reserveCapacity(16)
        for i in 0..<4 { withUnsafeBytes(of: state[i].littleEndian) { digest.append(contentsOf: $0) } }
        return digest
    }

    /// floor(|sin(i + 1)| * 2^32), RFC 1321 section 3.4.
    static let sineTable: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]

    /// Four steps per pass with the variables renamed rather than shifted (RFC 1321's own
    /// [abcd k s i] notation). The round functions are written so the terms that do not
    /// depend on the previous step's result are computed first (G with + of disjoint
    /// bits, H with the older pair xored first): MD5 is latency-bound.
    static func compress(_ state: inout SIMD4<UInt32>, _ data: UnsafeRawPointer, blocks: Int) {
        @inline(__always) func step(_ a: inout UInt32, _ b: UInt32, _ f: UInt32, _ mt: UInt32, _ s: UInt32) {
            a = b &+ rotateLeft(a &+ mt &+ f, by: s)
        }
        // The working variables live inside the closure: captured from outside, they were
        // kept in memory and reloaded every step.
        state = sineTable.withUnsafeBufferPointer { t in
            var a = state[0], b = state[1], c = state[2], d = state[3]
            for block in 0..<blocks {
                let p = data + 64 * block
                @inline(__always) func m(_ i: Int) -> UInt32 { p.littleEndianUInt32(at: 4 * i) }
                let (a0, b0, c0, d0) = (a, b, c, d)
                for i in stride(from: 0, to: 16, by: 4) {
                    step(&a, b, (b & c) | (~b & d), m(i) &+ t[i], 7)
                    step(&d, a, (a & b) | (~a & c), m(i + 1) &+ t[i + 1], 12)
                    step(&c, d, (d & a) | (~d & b), m(i + 2) &+ t[i + 2], 17)
                    step(&b, c, (c & d) | (~c & a), m(i + 3) &+ t[i + 3], 22)
                }
                for i in stride(from: 16, to: 32, by: 4) {
                    step(&a, b, (c & ~d) &+ (b & d), m((5 * i + 1) & 15) &+ t[i], 5)
                    step(&d, a, (b & ~c) &+ (a & c), m((5 * i + 6) & 15) &+ t[i + 1], 9)
                    step(&c, d, (a & ~b) &+ (d & b), m((5 * i + 11) & 15) &+ t[i + 2], 14)
                    step(&b, c, (d & ~a) &+ (c & a), m((5 * i + 16) & 15) &+ t[i + 3], 20)
                }
                for i in stride(from: 32, to: 48, by: 4) {
                    step(&a, b, b ^ (c ^ d), m((3 * i + 5) & 15) &+ t[i], 4)
                    step(&d, a, a ^ (b ^ c), m((3 * i + 8) & 15) &+ t[i + 1], 11)
                    step(&c, d, d ^ (a ^ b), m((3 * i + 11) & 15) &+ t[i + 2], 16)
                    step(&b, c, c ^ (d ^ a), m((3 * i + 14) & 15) &+ t[i + 3], 23)
                }
                for i in stride(from: 48, to: 64, by: 4) {
                    step(&a, b, c ^ (b | ~d), m((7 * i) & 15) &+ t[i], 6)
                    step(&d, a, b ^ (a | ~c), m((7 * i + 7) & 15) &+ t[i + 1], 10)
                    step(&c, d, a ^ (d | ~b), m((7 * i + 14) & 15) &+ t[i + 2], 15)
                    step(&b, c, d ^ (c | ~a), m((7 * i + 21) & 15) &+ t[i + 3], 21)
                }
                a &+= a0; b &+= b0; c &+= c0; d &+= d0
            }
            return SIMD4(a, b, c, d)
        }
    }
}
