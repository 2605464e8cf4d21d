/// SHA-1 (FIPS 180-4), portable Swift. Broken for collision resistance; kept for
/// verifying existing manifests and git-style checksums.
public struct SHA1: Hasher {
    private var state = SIMD8<UInt32>(0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0, 0, 0, 0)
    private var buffer = BlockBuffer()
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var input = bytes
        length &+= UInt64(input.count)
        if buffer.count > 0 {
            guard buffer.fill(from: &input, blockSize: 64) else { return }
            let block = buffer.takeBlock()
            withUnsafeBytes(of: block) { SHA1.compress(&state, $0.baseAddress!, blocks: 1) }
        }
        let blocks = input.count / 64
        if blocks > 0 {
            SHA1.compress(&state, input.baseAddress!, blocks: blocks)
            input = UnsafeRawBufferPointer(rebasing: input[(blocks * 64)...])
        }
        _ = buffer.fill(from: &input, blockSize: 64)
    }

    public mutating func finalize() -> [UInt8] {
        let tail = merkleDamgardTail(buffered: buffer.bytes, messageLength: length, blockSize: 64,
                                     lengthFieldSize: 8, bigEndian: true)
        tail.withUnsafeBytes { SHA1.compress(&state, $0.baseAddress!, blocks: tail.count / 64) }
        var digest = [UInt8]()
        digest.reserveCapacity(20)
        for i in 0..<5 { withUnsafeBytes(of: state[i].bigEndian) { digest.append(contentsOf: $0) } }
        return digest
    }

    static func compress(_ state: inout SIMD8<UInt32>, _ data: UnsafeRawPointer, blocks: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            for block in 0..<blocks {
                let p = data + 64 * block
                for i in 0..<16 { w[i] = p.bigEndianUInt32(at: 4 * i) }
                for i in 16..<80 { w[i] = rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], by: 1) }
                var a = state[0], b = state[1], c = state[2], d = state[3], e = state[4]
                @inline(__always) func step(_ f: UInt32, _ k: UInt32, _ i: Int) {
                    let t = rotateLeft(a, by: 5) &+ f &+ e &+ k &+ w[i]
                    e = d; d = c; c = rotateLeft(b, by: 30); b = a; a = t
                }
                for i in 0..<20 { step((b & c) | (~b & d), 0x5A827999, i) }
                for i in 20..<40 { step(b ^ c ^ d, 0x6ED9EBA1, i) }
                for i in 40..<60 { step((b & c) | (b & d) | (c & d), 0x8F1BBCDC, i) }
                for i in 60..<80 { step(b ^ c ^ d, 0xCA62C1D6, i) }
                state &+= SIMD8(a, b, c, d, e, 0, 0, 0)
            }
        }
    }
}
