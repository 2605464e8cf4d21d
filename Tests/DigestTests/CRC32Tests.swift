import XCTest
@testable import Digest

final class CRC32Tests: XCTestCase {
    func testZlibCheckValueMatches() {
        XCTAssertEqual(hexDigest(CRC32.self, "123456789"), "cbf43926")
        var crc = CRC32()
        crc.update(contentsOf: Array("123456789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }

    func testZlibCRCOfEmptyInputIsZero() {
        XCTAssertEqual(hexDigest(CRC32.self, ""), "00000000")
    }

    func testCksumValueMatchesPOSIX() {
        // `printf 123456789 | cksum` prints "930766865 9"; empty input prints "4294967295 0".
        var crc = CksumCRC()
        crc.update(contentsOf: Array("123456789".utf8))
        XCTAssertEqual(crc.value, 930_766_865)
        XCTAssertEqual(crc.length, 9)
        XCTAssertEqual(CksumCRC().value, 4_294_967_295)
    }

    func testCksumDigestFormatsAsDecimal() {
        XCTAssertEqual(Algorithm.crc32.format(CksumCRC.hash(Array("123456789".utf8))), "930766865")
    }

    func testSliceByEightMatchesBytewiseOnUnalignedPieces() {
        let data = pseudoRandomBytes(count: 5000)
        // Byte-at-a-time reference: pieces of 1 byte never reach the 8-byte loop.
        XCTAssertEqual(hexDigestStreamed(CRC32(), data, pieceSizes: [1]), hexDigest(CRC32(), data))
        XCTAssertEqual(hexDigestStreamed(CksumCRC(), data, pieceSizes: [1]), hexDigest(CksumCRC(), data))
    }
}
