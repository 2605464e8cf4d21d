import CDigest

extension BLAKE3 {
    /// The BLAKE3 compression function, portable Swift: 7 rounds of the ChaCha-style G
    /// over a 4x4 state, message words permuted between rounds. Returns all 16 output
    /// words: `low` is the next chaining value, `high` the rest of an extended output.
    static func compress(_ cv: ChainingValue, _ block: UnsafeRawPointer, counter: UInt64,
                         blockLength: UInt32, flags: UInt32) -> (low: ChainingValue, high: ChainingValue) {
        var m0 = block.littleEndianUInt32(at: 0), m1 = block.littleEndianUInt32(at: 4)
        var m2 = block.littleEndianUInt32(at: 8), m3 = block.littleEndianUInt32(at: 12)
        var m4 = block.littleEndianUInt32(at: 16), m5 = block.littleEndianUInt32(at: 20)
        var m6 = block.littleEndianUInt32(at: 24), m7 = block.littleEndianUInt32(at: 28)
        var m8 = block.littleEndianUInt32(at: 32), m9 = block.littleEndianUInt32(at: 36)
        var m10 = block.littleEndianUInt32(at: 40), m11 = block.littleEndianUInt32(at: 44)
        var m12 = block.littleEndianUInt32(at: 48), m13 = block.littleEndianUInt32(at: 52)
        var m14 = block.littleEndianUInt32(at: 56), m15 = block.littleEndianUInt32(at: 60)

        var v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7]
        var v8 = iv[0], v9 = iv[1], v10 = iv[2], v11 = iv[3]
        var v12 = UInt32(truncatingIfNeeded: counter), v13 = UInt32(truncatingIfNeeded: counter >> 32)
        var v14 = blockLength, v15 = flags

        @inline(__always) func g(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32, _ d: inout UInt32,
                                 _ x: UInt32, _ y: UInt32) {
            a = a &+ b &+ x
            d = rotateRight(d ^ a, by: 16)
            c = c &+ d
            b = rotateRight(b ^ c, by: 12)
            a = a &+ b &+ y
            d = rotateRight(d ^ a, by: 8)
            c = c &+ d
            b = rotateRight(b ^ c, by: 7)
        }

        for round in 0..<7 {
            g(&v0, &v4, &v8, &v12, m0, m1)
            g(&v1, &v5, &v9, &v13, m2, m3)
            g(&v2, &v6, &v10, &v14, m4, m5)
            g(&v3, &v7, &v11, &v15, m6, m7)
            g(&v0, &v5, &v10, &v15, m8, m9)
            g(&v1, &v6, &v11, &v12, m10, m11)
            g(&v2, &v7, &v8, &v13, m12, m13)
            g(&v3, &v4, &v9, &v14, m14, m15)
            if round < 6 {
                // The message permutation: new word i is old word [2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8][i].
                (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) =
                    (m2, m6, m3, m10, m7, m0, m4, m13, m1, m11, m12, m5, m9, m14, m15, m8)
            }
        }
        let low = ChainingValue(v0 ^ v8, v1 ^ v9, v2 ^ v10, v3 ^ v11, v4 ^ v12, v5 ^ v13, v6 ^ v14, v7 ^ v15)
        let high = ChainingValue(v8, v9, v10, v11, v12, v13, v14, v15) ^ cv
        return (low, high)
    }

    /// Hashes `count` inputs of `blocks` blocks each, `stride` bytes apart, into chaining
    /// values at `out` (32 bytes each): SIMD lanes for as many as fill them, portable
    /// compression for the rest. `out` may overlap `inputs` when `stride >= 32` and
    /// outputs precede inputs (the parent-level reduction writes in place).
    static func hashMany(_ inputs: UnsafeRawPointer, stride: Int, count: Int, blocks: Int, key: ChainingValue,
                         counter: UInt64, incrementCounter: Bool, flags: UInt32, flagsStart: UInt32,
                         flagsEnd: UInt32, kernel: Kernel, out: UnsafeMutableRawPointer) {
        var done = 0
        if kernel != .portable {
            withUnsafeBytes(of: key) { keyBytes in
                let keyWords = keyBytes.baseAddress!.assumingMemoryBound(to: UInt32.self)
                let input = inputs.assumingMemoryBound(to: UInt8.self)
                let output = out.assumingMemoryBound(to: UInt8.self)
                let f = UInt8(flags), fs = UInt8(flagsStart), fe = UInt8(flagsEnd)
                let inc: Int32 = incrementCounter ? 1 : 0
                if kernel == .avx512 {
                    done = trawl_blake3_hash_many_avx512(input, stride, count, blocks, keyWords, counter, inc, f, fs, fe, output)
                } else {
                    done = trawl_blake3_hash_many_avx2(input, stride, count, blocks, keyWords, counter, inc, f, fs, fe, output)
                }
            }
        }
        for i in done..<count {
            var cv = key
            let base = inputs + i * stride
            let inputCounter = counter + (incrementCounter ? UInt64(i) : 0)
            for b in 0..<blocks {
                var blockFlags = flags
                if b == 0 { blockFlags |= flagsStart }
                if b == blocks - 1 { blockFlags |= flagsEnd }
                cv = compress(cv, base + 64 * b, counter: inputCounter, blockLength: 64, flags: blockFlags).low
            }
            for w in 0..<8 { out.storeBytes(of: cv[w].littleEndian, toByteOffset: 32 * i + 4 * w, as: UInt32.self) }
        }
    }

    /// The chaining value of a complete, non-root subtree: `chunks` (a power of two >= 2)
    /// full chunks at `data`, the first numbered `counter`. `scratch` holds 32 bytes per chunk.
    static func subtreeChainingValue(_ data: UnsafeRawPointer, chunks: Int, counter: UInt64, key: ChainingValue,
                                     flags: UInt32, kernel: Kernel, scratch: UnsafeMutableRawPointer) -> ChainingValue {
        hashMany(data, stride: chunkLength, count: chunks, blocks: chunkLength / 64, key: key, counter: counter,
                 incrementCounter: true, flags: flags, flagsStart: Flags.chunkStart, flagsEnd: Flags.chunkEnd,
                 kernel: kernel, out: scratch)
        var nodes = chunks
        while nodes > 1 {
            // Pairs of adjacent chaining values are parent blocks; reduce one level in place.
            nodes /= 2
            hashMany(UnsafeRawPointer(scratch), stride: 64, count: nodes, blocks: 1, key: key, counter: 0,
                     incrementCounter: false, flags: flags | Flags.parent, flagsStart: 0, flagsEnd: 0,
                     kernel: kernel, out: scratch)
        }
        var cv = ChainingValue()
        for w in 0..<8 { cv[w] = UnsafeRawPointer(scratch).littleEndianUInt32(at: 4 * w) }
        return cv
    }
}
