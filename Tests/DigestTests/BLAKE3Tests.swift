import XCTest
@testable import Digest

final class BLAKE3Tests: XCTestCase {
    private func check(kernel: BLAKE3.Kernel, file: StaticString = #filePath, line: UInt = #line) {
        let key = BLAKE3.words(Array(blake3VectorKey.utf8))
        for vector in blake3Vectors {
            let input = patternBytes(count: vector.inputLength)
            var plain = BLAKE3(key: BLAKE3.iv, flags: 0, kernel: kernel)
            plain.update(contentsOf: input)
            XCTAssertEqual(Hex.encode(plain.finalize(length: 131)), vector.hash, "hash, length \(vector.inputLength)", file: file, line: line)
            XCTAssertEqual(Hex.encode(plain.finalize()), String(vector.hash.prefix(64)), file: file, line: line)

            var keyed = BLAKE3(key: key, flags: BLAKE3.Flags.keyedHash, kernel: kernel)
            keyed.update(contentsOf: input)
            XCTAssertEqual(Hex.encode(keyed.finalize(length: 131)), vector.keyedHash, "keyed, length \(vector.inputLength)", file: file, line: line)
        }
    }

    func testOfficialVectorsMatchOnPortableKernel() { check(kernel: .portable) }

    func testOfficialVectorsMatchOnAVX2Kernel() throws {
        try XCTSkipUnless(BLAKE3.Kernel.automatic != .portable, "CPU without AVX2")
        check(kernel: .avx2)
    }

    func testOfficialVectorsMatchOnAVX512Kernel() throws {
        try XCTSkipUnless(BLAKE3.Kernel.automatic == .avx512, "CPU without AVX-512")
        check(kernel: .avx512)
    }

    func testPublicKeyedInitializerMatchesVectors() {
        for vector in blake3Vectors {
            var hasher = BLAKE3(key: Array(blake3VectorKey.utf8))
            hasher.update(contentsOf: patternBytes(count: vector.inputLength))
            XCTAssertEqual(Hex.encode(hasher.finalize()), String(vector.keyedHash.prefix(64)))
        }
    }

    func testDeriveKeyMatchesVectors() {
        for vector in blake3Vectors {
            let derived = BLAKE3.deriveKey(context: blake3VectorContext, material: patternBytes(count: vector.inputLength), length: 131)
            XCTAssertEqual(Hex.encode(derived), vector.deriveKey, "derive, length \(vector.inputLength)")
        }
    }

    func testSIMDBatchesMatchPortableOnLargeOddInputs() throws {
        try XCTSkipUnless(BLAKE3.Kernel.automatic != .portable, "CPU without AVX2")
        let data = pseudoRandomBytes(count: 300_000)
        for length in [65 * 1024, 64 * 1024 + 1, 200_001, 300_000] {
            let input = Array(data[0..<length])
            var portable = BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .portable)
            portable.update(contentsOf: input)
            let expected = Hex.encode(portable.finalize())
            XCTAssertEqual(hexDigest(BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .automatic), input), expected)
            // Pieces that start off chunk boundaries exercise the fall-back between batch and chunk paths.
            XCTAssertEqual(hexDigestStreamed(BLAKE3(), input, pieceSizes: [1000, 70_000, 3, 65_536, 1024]), expected)
        }
    }

    func testHashManyMatchesPortableForEveryGroupFill() throws {
        try XCTSkipUnless(BLAKE3.Kernel.automatic != .portable, "CPU without AVX2")
        let kernels: [BLAKE3.Kernel] = BLAKE3.Kernel.automatic == .avx512 ? [.avx2, .avx512] : [.avx2]
        let data = pseudoRandomBytes(count: 40 * 1024)
        for kernel in kernels {
            for count in 1...40 {
                for (stride, blocks) in [(1024, 16), (64, 1)] {
                    var expected = [UInt8](repeating: 0, count: 32 * count)
                    var actual = [UInt8](repeating: 0, count: 32 * count)
                    data.withUnsafeBytes { input in
                        let flags = blocks == 1 ? BLAKE3.Flags.parent : 0
                        let (start, end) = blocks == 1 ? (UInt32(0), UInt32(0)) : (BLAKE3.Flags.chunkStart, BLAKE3.Flags.chunkEnd)
                        for (k, out) in [(BLAKE3.Kernel.portable, 0), (kernel, 1)] {
                            let body = { (o: UnsafeMutableRawBufferPointer) in
                                BLAKE3.hashMany(input.baseAddress!, stride: stride, count: count, blocks: blocks, key: BLAKE3.iv,
                                                counter: UInt64(1) << 32 - 3, incrementCounter: blocks > 1, flags: flags,
                                                flagsStart: start, flagsEnd: end, kernel: k, out: o.baseAddress!)
                            }
                            if out == 0 { expected.withUnsafeMutableBytes(body) } else { actual.withUnsafeMutableBytes(body) }
                        }
                    }
                    XCTAssertEqual(actual, expected, "\(kernel) count \(count) blocks \(blocks)")
                }
            }
        }
    }
}
