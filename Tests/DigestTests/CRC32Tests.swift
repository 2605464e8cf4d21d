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

    func testCarrylessFoldingMatchesTablesOnManyLengths() {
        let data = pseudoRandomBytes(count: 70_000)
        for length in boundaryLengths.filter({ $0 <= data.count }) + Array(120...300) {
            let input = Array(data[0..<length])
            XCTAssertEqual(hexDigest(CRC32(accelerated: true), input), hexDigest(CRC32(accelerated: false), input), "zlib \(length)")
            XCTAssertEqual(hexDigest(CksumCRC(accelerated: true), input), hexDigest(CksumCRC(accelerated: false), input), "cksum \(length)")
            // A running register carried into the fold: two pieces.
            XCTAssertEqual(hexDigestStreamed(CRC32(accelerated: true), input, pieceSizes: [133, 4099]),
                           hexDigest(CRC32(accelerated: false), input), "zlib pieces \(length)")
            XCTAssertEqual(hexDigestStreamed(CksumCRC(accelerated: true), input, pieceSizes: [133, 4099]),
                           hexDigest(CksumCRC(accelerated: false), input), "cksum pieces \(length)")
        }
    }
}
