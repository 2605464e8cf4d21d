import XCTest
import CDigest
@testable import Digest

final class SHA1Tests: XCTestCase {
    func testEmptyInputMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA1.self, ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    func testAbcMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA1.self, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    func testTwoBlockMessageMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA1.self, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    func testMillionAMatchesFIPS() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(hexDigest(SHA1(), input), "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    func testSHAExtensionsMatchPortableOnManyInputs() throws {
        try XCTSkipUnless(trawl_cpu_has_sha_ni() != 0, "CPU without SHA extensions")
        let data = pseudoRandomBytes(count: 70_000)
        for length in Array(0...300) + boundaryLengths.filter({ $0 <= data.count }) {
            let input = Array(data[0..<length])
            XCTAssertEqual(hexDigest(SHA1(kernel: .shaExtensions), input), hexDigest(SHA1(kernel: .portable), input),
                           "length \(length)")
        }
    }

    func testPortableKernelMatchesFIPS() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(hexDigest(SHA1(kernel: .portable), input), "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}
