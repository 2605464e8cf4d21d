import CDigest

/// The streaming state XXH3 and XXH128 share: eight accumulators fed 64-byte stripes,
/// scrambled after every 16 stripes. A stripe is consumed only once input is known to
/// continue past it, because the input's last 64 bytes are hashed differently; inputs
/// up to 240 bytes never touch the accumulators and use the short-input formulas.
struct XXH3Core: Sendable {
    typealias Bytes64 = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private var acc = SIMD8<UInt64>(UInt64(XXH3Core.prime32_3), XXH64.prime1, XXH64.prime2, XXH64.prime3,
                                    XXH64.prime4, UInt64(XXH3Core.prime32_2), XXH64.prime5, UInt64(XXH3Core.prime32_1))
    /// Unconsumed input, 0...256 bytes.
    private var buffer: (Bytes64, Bytes64, Bytes64, Bytes64) = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0),
                                                               (0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
    private var bufferCount = 0
    /// The last 64 consumed bytes: the final stripe reaches back into them when fewer
    /// than 64 bytes remain unconsumed.
    private var consumedTail: Bytes64 = (0, 0, 0, 0, 0, 0, 0, 0)
    private var stripesInBlock = 0
    private var totalLength: UInt64 = 0
    private let accelerated: Bool

    static let prime32_1: UInt32 = 0x9E37_79B1
    static let prime32_2: UInt32 = 0x85EB_CA77
    static let prime32_3: UInt32 = 0xC2B2_AE3D
    static let primeMX1: UInt64 = 0x1656_6791_9E37_79F9
    static let primeMX2: UInt64 = 0x9FB2_1C65_1E98_DF25
    static let bufferSize = 256
    static let stripesPerBlock = 16   // (secret size 192 - stripe 64) / 8
    static let hasAVX2 = trawl_cpu_has_avx2() != 0

    /// XXH3's default 192-byte secret (from FARSH).
    static let secret: [UInt8] = [
        0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
        0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
        0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
        0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
        0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
        0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
        0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
        0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
        0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
        0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
        0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
        0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
    ]

    init(accelerated: Bool = XXH3Core.hasAVX2) { self.accelerated = accelerated }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var input = bytes
        totalLength &+= UInt64(input.count)
        if bufferCount + input.count <= XXH3Core.bufferSize {
            append(input)
            return
        }
        if bufferCount > 0 {
            // More input follows the buffer, so all four of its stripes can be consumed.
            let take = XXH3Core.bufferSize - bufferCount
            append(UnsafeRawBufferPointer(rebasing: input[..<take]))
            input = UnsafeRawBufferPointer(rebasing: input[take...])
            let full = buffer
            withUnsafeBytes(of: full) { consumeStripes($0.baseAddress!, count: 4) }
            consumedTail = full.3
            bufferCount = 0
        }
        if input.count > XXH3Core.bufferSize {
            let stripes = (input.count - 1) / 64
            consumeStripes(input.baseAddress!, count: stripes)
            withUnsafeMutableBytes(of: &consumedTail) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[(stripes * 64 - 64)..<(stripes * 64)]))
            }
            input = UnsafeRawBufferPointer(rebasing: input[(stripes * 64)...])
        }
        append(input)
    }

    private mutating func append(_ input: UnsafeRawBufferPointer) {
        guard input.count > 0 else { return }
        let offset = bufferCount
        withUnsafeMutableBytes(of: &buffer) {
            // offset + input.count <= bufferSize: checked by every caller.
            $0.baseAddress!.advanced(by: offset).copyMemory(from: input.baseAddress!, byteCount: input.count)
        }
        bufferCount += input.count
    }

    private mutating func consumeStripes(_ data: UnsafeRawPointer, count: Int) {
        var p = data
        var remaining = count
        let useAVX2 = accelerated
        XXH3Core.secret.withUnsafeBytes { secret in
            let s = secret.baseAddress!
            withUnsafeMutableBytes(of: &acc) { accBytes in
                let a = accBytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
                while remaining > 0 {
                    let take = min(remaining, XXH3Core.stripesPerBlock - stripesInBlock)
                    XXH3Core.accumulate(a, p, s + 8 * stripesInBlock, stripes: take, avx2: useAVX2)
                    stripesInBlock += take
                    p += 64 * take
                    remaining -= take
                    if stripesInBlock == XXH3Core.stripesPerBlock {
                        XXH3Core.scramble(a, s + 192 - 64)
                        stripesInBlock = 0
                    }
                }
            }
        }
    }

    @inline(__always)
    static func accumulate(_ acc: UnsafeMutablePointer<UInt64>, _ input: UnsafeRawPointer,
                           _ secret: UnsafeRawPointer, stripes: Int, avx2: Bool) {
        if avx2 {
            trawl_xxh3_accumulate_avx2(acc, input.assumingMemoryBound(to: UInt8.self),
                                       secret.assumingMemoryBound(to: UInt8.self), stripes)
            return
        }
        var a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5], a6 = acc[6], a7 = acc[7]
        for s in 0..<stripes {
            let p = input + 64 * s, k = secret + 8 * s
            @inline(__always) func lane(_ i: Int, _ same: inout UInt64, _ neighbour: inout UInt64) {
                let data = p.littleEndianUInt64(at: 8 * i)
                let keyed = data ^ k.littleEndianUInt64(at: 8 * i)
                neighbour &+= data
                same &+= (keyed & 0xFFFF_FFFF) &* (keyed >> 32)
            }
            lane(0, &a0, &a1); lane(1, &a1, &a0); lane(2, &a2, &a3); lane(3, &a3, &a2)
            lane(4, &a4, &a5); lane(5, &a5, &a4); lane(6, &a6, &a7); lane(7, &a7, &a6)
        }
        acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3; acc[4] = a4; acc[5] = a5; acc[6] = a6; acc[7] = a7
    }

    static func scramble(_ acc: UnsafeMutablePointer<UInt64>, _ secret: UnsafeRawPointer) {
        for i in 0..<8 {
            var a = acc[i]
            a ^= a >> 47
            a ^= secret.littleEndianUInt64(at: 8 * i)
            a &*= UInt64(prime32_1)
            acc[i] = a
        }
    }

    // MARK: digests

    /// The accumulators after the unconsumed stripes and the final (last 64 bytes) stripe,
    /// for inputs longer than 240 bytes; the streaming state itself is left untouched.
    private func finalAccumulators() -> SIMD8<UInt64> {
        var finalAcc = acc
        var stripes = stripesInBlock
        let count = bufferCount
        var lastStripe: Bytes64 = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeBytes(of: buffer) { buffered in
            withUnsafeMutableBytes(of: &lastStripe) { last in
                if count >= 64 {
                    last.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffered[(count - 64)..<count]))
                } else {
                    withUnsafeBytes(of: consumedTail) { tail in
                        last.copyMemory(from: UnsafeRawBufferPointer(rebasing: tail[count...]))
                    }
                    last.baseAddress!.advanced(by: 64 - count).copyMemory(from: buffered.baseAddress!, byteCount: count)
                }
            }
            XXH3Core.secret.withUnsafeBytes { secret in
                let s = secret.baseAddress!
                withUnsafeMutableBytes(of: &finalAcc) { accBytes in
                    let a = accBytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
                    var p = buffered.baseAddress!
                    var remaining = (count - 1) / 64
                    while remaining > 0 {
                        let take = min(remaining, XXH3Core.stripesPerBlock - stripes)
                        XXH3Core.accumulate(a, p, s + 8 * stripes, stripes: take, avx2: false)
                        stripes += take
                        p += 64 * take
                        remaining -= take
                        if stripes == XXH3Core.stripesPerBlock {
                            XXH3Core.scramble(a, s + 192 - 64)
                            stripes = 0
                        }
                    }
                    withUnsafeBytes(of: lastStripe) { last in
                        XXH3Core.accumulate(a, last.baseAddress!, s + 192 - 64 - 7, stripes: 1, avx2: false)
                    }
                }
            }
        }
        return finalAcc
    }

    private static func mergeAccumulators(_ acc: SIMD8<UInt64>, _ secret: UnsafeRawPointer, start: UInt64) -> UInt64 {
        var result = start
        for i in 0..<4 {
            result &+= fold(acc[2 * i] ^ secret.littleEndianUInt64(at: 16 * i),
                            acc[2 * i + 1] ^ secret.littleEndianUInt64(at: 16 * i + 8))
        }
        return avalanche(result)
    }

    func digest64() -> UInt64 {
        let length = totalLength
        if length <= 240 {
            return withUnsafeBytes(of: buffer) { buffered in
                XXH3Core.secret.withUnsafeBytes { secret in
                    XXH3Core.short64(buffered.baseAddress!, count: Int(length), secret.baseAddress!)
                }
            }
        }
        let finalAcc = finalAccumulators()
        return XXH3Core.secret.withUnsafeBytes { secret in
            XXH3Core.mergeAccumulators(finalAcc, secret.baseAddress! + 11, start: length &* XXH64.prime1)
        }
    }

    func digest128() -> (high: UInt64, low: UInt64) {
        let length = totalLength
        if length <= 240 {
            return withUnsafeBytes(of: buffer) { buffered in
                XXH3Core.secret.withUnsafeBytes { secret in
                    XXH3Core.short128(buffered.baseAddress!, count: Int(length), secret.baseAddress!)
                }
            }
        }
        let finalAcc = finalAccumulators()
        return XXH3Core.secret.withUnsafeBytes { secret in
            let low = XXH3Core.mergeAccumulators(finalAcc, secret.baseAddress! + 11, start: length &* XXH64.prime1)
            let high = XXH3Core.mergeAccumulators(finalAcc, secret.baseAddress! + 192 - 64 - 11,
                                                  start: ~(length &* XXH64.prime2))
            return (high, low)
        }
    }

    // MARK: mixers

    @inline(__always) static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always) static func avalanche(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h >> 37
        h &*= primeMX1
        h ^= h >> 32
        return h
    }

    @inline(__always) static func rrmxmx(_ hash: UInt64, length: UInt64) -> UInt64 {
        var h = hash
        h ^= rotateLeft(h, by: 49) ^ rotateLeft(h, by: 24)
        h &*= primeMX2
        h ^= (h >> 35) &+ length
        h &*= primeMX2
        return h ^ (h >> 28)
    }

    @inline(__always) static func mix16(_ input: UnsafeRawPointer, _ secret: UnsafeRawPointer, seed: UInt64 = 0) -> UInt64 {
        fold(input.littleEndianUInt64(at: 0) ^ (secret.littleEndianUInt64(at: 0) &+ seed),
             input.littleEndianUInt64(at: 8) ^ (secret.littleEndianUInt64(at: 8) &- seed))
    }

    @inline(__always) static func mix32(_ acc: inout (high: UInt64, low: UInt64), _ a: UnsafeRawPointer,
                                        _ b: UnsafeRawPointer, _ secret: UnsafeRawPointer) {
        acc.low &+= mix16(a, secret)
        acc.low ^= b.littleEndianUInt64(at: 0) &+ b.littleEndianUInt64(at: 8)
        acc.high &+= mix16(b, secret + 16)
        acc.high ^= a.littleEndianUInt64(at: 0) &+ a.littleEndianUInt64(at: 8)
    }

    // MARK: short inputs (<= 240 bytes)

    static func short64(_ p: UnsafeRawPointer, count: Int, _ s: UnsafeRawPointer) -> UInt64 {
        let length = UInt64(count)
        switch count {
        case 0:
            return XXH64.avalanche(s.littleEndianUInt64(at: 56) ^ s.littleEndianUInt64(at: 64))
        case 1...3:
            let c1 = UInt32(p.load(fromByteOffset: 0, as: UInt8.self))
            let c2 = UInt32(p.load(fromByteOffset: count >> 1, as: UInt8.self))
            let c3 = UInt32(p.load(fromByteOffset: count - 1, as: UInt8.self))
            let combined = (c1 << 16) | (c2 << 24) | c3 | (UInt32(count) << 8)
            let bitflip = UInt64(s.littleEndianUInt32(at: 0) ^ s.littleEndianUInt32(at: 4))
            return XXH64.avalanche(UInt64(combined) ^ bitflip)
        case 4...8:
            let first = UInt64(p.littleEndianUInt32(at: 0)), last = UInt64(p.littleEndianUInt32(at: count - 4))
            let bitflip = s.littleEndianUInt64(at: 8) ^ s.littleEndianUInt64(at: 16)
            return rrmxmx((last &+ (first << 32)) ^ bitflip, length: length)
        case 9...16:
            let low = p.littleEndianUInt64(at: 0) ^ (s.littleEndianUInt64(at: 24) ^ s.littleEndianUInt64(at: 32))
            let high = p.littleEndianUInt64(at: count - 8) ^ (s.littleEndianUInt64(at: 40) ^ s.littleEndianUInt64(at: 48))
            return avalanche(length &+ low.byteSwapped &+ high &+ fold(low, high))
        case 17...128:
            var acc = length &* XXH64.prime1
            if count > 32 {
                if count > 64 {
                    if count > 96 {
                        acc &+= mix16(p + 48, s + 96)
                        acc &+= mix16(p + count - 64, s + 112)
                    }
                    acc &+= mix16(p + 32, s + 64)
                    acc &+= mix16(p + count - 48, s + 80)
                }
                acc &+= mix16(p + 16, s + 32)
                acc &+= mix16(p + count - 32, s + 48)
            }
            acc &+= mix16(p, s)
            acc &+= mix16(p + count - 16, s + 16)
            return avalanche(acc)
        default:
            var acc = length &* XXH64.prime1
            for i in 0..<8 { acc &+= mix16(p + 16 * i, s + 16 * i) }
            var accEnd = mix16(p + count - 16, s + 136 - 17)
            acc = avalanche(acc)
            for i in 8..<(count / 16) { accEnd &+= mix16(p + 16 * i, s + 16 * (i - 8) + 3) }
            return avalanche(acc &+ accEnd)
        }
    }

    static func short128(_ p: UnsafeRawPointer, count: Int, _ s: UnsafeRawPointer) -> (high: UInt64, low: UInt64) {
        let length = UInt64(count)
        switch count {
        case 0:
            let low = XXH64.avalanche(s.littleEndianUInt64(at: 64) ^ s.littleEndianUInt64(at: 72))
            let high = XXH64.avalanche(s.littleEndianUInt64(at: 80) ^ s.littleEndianUInt64(at: 88))
            return (high, low)
        case 1...3:
            let c1 = UInt32(p.load(fromByteOffset: 0, as: UInt8.self))
            let c2 = UInt32(p.load(fromByteOffset: count >> 1, as: UInt8.self))
            let c3 = UInt32(p.load(fromByteOffset: count - 1, as: UInt8.self))
            let combinedLow = (c1 << 16) | (c2 << 24) | c3 | (UInt32(count) << 8)
            let combinedHigh = rotateLeft(combinedLow.byteSwapped, by: 13)
            let bitflipLow = UInt64(s.littleEndianUInt32(at: 0) ^ s.littleEndianUInt32(at: 4))
            let bitflipHigh = UInt64(s.littleEndianUInt32(at: 8) ^ s.littleEndianUInt32(at: 12))
            let low = XXH64.avalanche(UInt64(combinedLow) ^ bitflipLow)
            let high = XXH64.avalanche(UInt64(combinedHigh) ^ bitflipHigh)
            return (high, low)
        case 4...8:
            let inputLow = UInt64(p.littleEndianUInt32(at: 0)), inputHigh = UInt64(p.littleEndianUInt32(at: count - 4))
            let bitflip = s.littleEndianUInt64(at: 16) ^ s.littleEndianUInt64(at: 24)
            let keyed = (inputLow &+ (inputHigh << 32)) ^ bitflip
            let m = keyed.multipliedFullWidth(by: XXH64.prime1 &+ (length << 2))
            var high = m.high, low = m.low
            high &+= low << 1
            low ^= high >> 3
            low ^= low >> 35
            low &*= primeMX2
            low ^= low >> 28
            high = avalanche(high)
            return (high, low)
        case 9...16:
            let bitflipLow = s.littleEndianUInt64(at: 32) ^ s.littleEndianUInt64(at: 40)
            let bitflipHigh = s.littleEndianUInt64(at: 48) ^ s.littleEndianUInt64(at: 56)
            let inputLow = p.littleEndianUInt64(at: 0)
            var inputHigh = p.littleEndianUInt64(at: count - 8)
            let m = (inputLow ^ inputHigh ^ bitflipLow).multipliedFullWidth(by: XXH64.prime1)
            var mLow = m.low, mHigh = m.high
            mLow &+= (length - 1) << 54
            inputHigh ^= bitflipHigh
            mHigh &+= inputHigh &+ UInt64(UInt32(truncatingIfNeeded: inputHigh)) &* UInt64(prime32_2 - 1)
            mLow ^= mHigh.byteSwapped
            let h = mLow.multipliedFullWidth(by: XXH64.prime2)
            let high = h.high &+ mHigh &* XXH64.prime2
            return (avalanche(high), avalanche(h.low))
        case 17...128:
            var acc: (high: UInt64, low: UInt64) = (0, length &* XXH64.prime1)
            if count > 32 {
                if count > 64 {
                    if count > 96 { mix32(&acc, p + 48, p + count - 64, s + 96) }
                    mix32(&acc, p + 32, p + count - 48, s + 64)
                }
                mix32(&acc, p + 16, p + count - 32, s + 32)
            }
            mix32(&acc, p, p + count - 16, s)
            return finish128(acc, length: length)
        default:
            var acc: (high: UInt64, low: UInt64) = (0, length &* XXH64.prime1)
            for i in 0..<4 { mix32(&acc, p + 32 * i, p + 32 * i + 16, s + 32 * i) }
            acc.low = avalanche(acc.low)
            acc.high = avalanche(acc.high)
            for i in 4..<(count / 32) { mix32(&acc, p + 32 * i, p + 32 * i + 16, s + 3 + 32 * (i - 4)) }
            mix32(&acc, p + count - 16, p + count - 32, s + 136 - 17 - 16)
            return finish128(acc, length: length)
        }
    }

    @inline(__always) private static func finish128(_ acc: (high: UInt64, low: UInt64), length: UInt64) -> (high: UInt64, low: UInt64) {
        let low = acc.low &+ acc.high
        let high = (acc.low &* XXH64.prime1) &+ (acc.high &* XXH64.prime4) &+ (length &* XXH64.prime2)
        return (0 &- avalanche(high), avalanche(low))
    }
}
