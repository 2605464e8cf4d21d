import XCTest
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
}
