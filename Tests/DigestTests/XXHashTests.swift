import XCTest
@testable import Digest

final class XXHashTests: XCTestCase {
    func testEmptyInputMatchesReference() {
        XCTAssertEqual(hexDigest(XXH64.self, ""), "ef46db3751d8e999")
        XCTAssertEqual(hexDigest(XXH3.self, ""), "2d06800538d394c2")
        XCTAssertEqual(hexDigest(XXH128.self, ""), "99aa06d3014798d86001c324468d497f")
    }

    func testAbcMatchesXxhsum() {
        // xxhsum 0.8.1 -H1 / -H3 / -H2 on a file holding "abc".
        XCTAssertEqual(hexDigest(XXH64.self, "abc"), "44bc2cf5ad770999")
        XCTAssertEqual(hexDigest(XXH3.self, "abc"), "78af5f94892f3950")
        XCTAssertEqual(hexDigest(XXH128.self, "abc"), "06b05ab6733a618578af5f94892f3950")
    }

    func testXXH32MatchesXxhsumH0() {
        // xxhsum 0.8.1 -H0 on files holding "", "abc" and 36 bytes (two stripes and a tail).
        XCTAssertEqual(hexDigest(XXH32.self, ""), "02cc5d05")
        XCTAssertEqual(hexDigest(XXH32.self, "abc"), "32d153ff")
        XCTAssertEqual(hexDigest(XXH32.self, "0123456789abcdefghijklmnopqrstuvwxyz"), "9aa38e7e")
    }

    func testAVX2AccumulationMatchesScalar() {
        let data = pseudoRandomBytes(count: 20_000)
        for length in boundaryLengths.filter({ $0 <= data.count }) + [1024 * 3, 1024 * 3 + 64, 19_999] {
            let input = Array(data[0..<length])
            XCTAssertEqual(hexDigest(XXH3(accelerated: true), input), hexDigest(XXH3(accelerated: false), input), "length \(length)")
            XCTAssertEqual(hexDigest(XXH128(accelerated: true), input), hexDigest(XXH128(accelerated: false), input), "length \(length)")
        }
    }
}
