import CDigest

/// SHA-1 (FIPS 180-4). Broken for collision resistance; kept for verifying existing
/// manifests and git-style checksums. Uses the SHA extensions when present; the portable
/// Swift block function is the fallback and the reference it is tested against.
public struct SHA1: DigestHasher {
    private var state = SIMD8<UInt32>(0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0, 0, 0, 0)
    private var buffer = BlockBuffer()
    private var length: UInt64 = 0
    let kernel: SHA256.Kernel

    public init() { kernel = .automatic }

    init(kernel: SHA256.Kernel) { self.kernel = kernel }

    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        switch kernel {
        case .shaExtensions:
            withUnsafeMutableBytes(of: &state) { words in
                trawl_sha1_blocks_shani(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                        data.assumingMemoryBound(to: UInt8.self), blocks)
            }
        case .portable:
            SHA1.compress(&state, data, blocks: blocks)
        }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        // The buffer is taken out while it feeds the block function, which mutates `self`.
        var pending = buffer
        pending.absorb(bytes, blockSize: 64) { compress($0, blocks: $1) }
        buffer = pending
    }

    public mutating func finalize() -> [UInt8] {
        let tail = merkleDamgardTail(buffered: buffer.bytes, messageLength: length, blockSize: 64,
                                     lengthFieldSize: 8, bigEndian: true)
        tail.withUnsafeBytes { compress($0.baseAddress!, blocks: tail.count / 64) }
        var digest = [UInt8]()
        digest.reserveCapacity(20)
        for i in 0..<5 { withUnsafeBytes(of: state[i].bigEndian) { digest.append(contentsOf: $0) } }
        return digest
    }

    /// Five rounds per pass with the working variables renamed rather than shifted.
    static func compress(_ state: inout SIMD8<UInt32>, _ data: UnsafeRawPointer, blocks: Int) {
        @inline(__always) func round(_ a: UInt32, _ b: inout UInt32, _ f: UInt32, _ e: inout UInt32, _ kw: UInt32) {
            e = e &+ rotateLeft(a, by: 5) &+ f &+ kw
            b = rotateLeft(b, by: 30)
        }
        // The working variables live inside the closure so they stay in registers.
        state = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            var a = state[0], b = state[1], c = state[2], d = state[3], e = state[4]
            for block in 0..<blocks {
                let p = data + 64 * block
                for i in 0..<16 { w[i] = p.bigEndianUInt32(at: 4 * i) }
                for i in 16..<80 { w[i] = rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], by: 1) }
                let (a0, b0, c0, d0, e0) = (a, b, c, d, e)
                for i in stride(from: 0, to: 20, by: 5) {
                    round(a, &b, (b & c) | (~b & d), &e, 0x5A82_7999 &+ w[i])
                    round(e, &a, (a & b) | (~a & c), &d, 0x5A82_7999 &+ w[i + 1])
                    round(d, &e, (e & a) | (~e & b), &c, 0x5A82_7999 &+ w[i + 2])
                    round(c, &d, (d & e) | (~d & a), &b, 0x5A82_7999 &+ w[i + 3])
                    round(b, &c, (c & d) | (~c & e), &a, 0x5A82_7999 &+ w[i + 4])
                }
                for i in stride(from: 20, to: 40, by: 5) {
                    round(a, &b, b ^ c ^ d, &e, 0x6ED9_EBA1 &+ w[i])
                    round(e, &a, a ^ b ^ c, &d, 0x6ED9_EBA1 &+ w[i + 1])
                    round(d, &e, e ^ a ^ b, &c, 0x6ED9_EBA1 &+ w[i + 2])
                    round(c, &d, d ^ e ^ a, &b, 0x6ED9_EBA1 &+ w[i + 3])
                    round(b, &c, c ^ d ^ e, &a, 0x6ED9_EBA1 &+ w[i + 4])
                }
                for i in stride(from: 40, to: 60, by: 5) {
                    round(a, &b, (b & c) | (b & d) | (c & d), &e, 0x8F1B_BCDC &+ w[i])
                    round(e, &a, (a & b) | (a & c) | (b & c), &d, 0x8F1B_BCDC &+ w[i + 1])
                    round(d, &e, (e & a) | (e & b) | (a & b), &c, 0x8F1B_BCDC &+ w[i + 2])
                    round(c, &d, (d & e) | (d & a) | (e & a), &b, 0x8F1B_BCDC &+ w[i + 3])
                    round(b, &c, (c & d) | (c & e) | (d & e), &a, 0x8F1B_BCDC &+ w[i + 4])
                }
                for i in stride(from: 60, to: 80, by: 5) {
                    round(a, &b, b ^ c ^ d, &e, 0xCA62_C1D6 &+ w[i])
                    round(e, &a, a ^ b ^ c, &d, 0xCA62_C1D6 &+ w[i + 1])
                    round(d, &e, e ^ a ^ b, &c, 0xCA62_C1D6 &+ w[i + 2])
                    round(c, &d, d ^ e ^ a, &b, 0xCA62_C1D6 &+ w[i + 3])
                    round(b, &c, c ^ d ^ e, &a, 0xCA62_C1D6 &+ w[i + 4])
                }
                a &+= a0; b &+= b0; c &+= c0; d &+= d0; e &+= e0
            }
            return SIMD8(a, b, c, d, e, 0, 0, 0)
        }
    }
}
