import XCTest
@testable import Digest

final class AlgorithmTests: XCTestCase {
    func testCommonSpellingsResolve() {
        let spellings: [(String, Algorithm)] = [
            ("sha256", .sha256), ("SHA256", .sha256), ("sha-256", .sha256), ("SHA_256", .sha256),
            ("sha512", .sha512), ("SHA-512", .sha512), ("sha1", .sha1), ("SHA-1", .sha1), ("md5", .md5), ("MD5", .md5),
            ("blake3", .blake3), ("b3", .blake3), ("BLAKE3", .blake3), ("xxh3", .xxh3), ("XXH3-64", .xxh3),
            ("xxh128", .xxh128), ("xxh64", .xxh64), ("crc32", .crc32), ("cksum", .crc32), ("crc32b", .crc32b),
        ]
        for (name, algorithm) in spellings { XCTAssertEqual(Algorithm.from(name: name), algorithm, name) }
    }

    func testUnknownNameIsNil() {
        XCTAssertNil(Algorithm.from(name: "sha3"))
        XCTAssertNil(Algorithm.from(name: ""))
    }

    func testEveryCanonicalNameRoundTrips() {
        for algorithm in Algorithm.allCases { XCTAssertEqual(Algorithm.from(name: algorithm.name), algorithm) }
    }

    func testHexLengthGuessesTheEstablishedTool() {
        XCTAssertEqual(Algorithm.guess(fromHexLength: 64), .sha256)
        XCTAssertEqual(Algorithm.guess(fromHexLength: 128), .sha512)
        XCTAssertEqual(Algorithm.guess(fromHexLength: 40), .sha1)
        XCTAssertEqual(Algorithm.guess(fromHexLength: 32), .md5)
        XCTAssertEqual(Algorithm.guess(fromHexLength: 16), .xxh64)
        XCTAssertEqual(Algorithm.guess(fromHexLength: 8), .crc32b)
        XCTAssertNil(Algorithm.guess(fromHexLength: 63))
        XCTAssertEqual(Algorithm.candidates(forHexLength: 64), [.sha256, .blake3])
    }

    func testEveryHexAlgorithmIsACandidateOfItsLengthAndNoOther() {
        for algorithm in Algorithm.allCases {
            let length = algorithm.digestLength * 2
            let hex = algorithm.format([UInt8](repeating: 0xAB, count: algorithm.digestLength)).utf8.count == length
            XCTAssertEqual(Algorithm.candidates(forHexLength: length).contains(algorithm), hex, "\(algorithm)")
            for other in Set(Algorithm.allCases.map { $0.digestLength * 2 }) where other != length {
                XCTAssertFalse(Algorithm.candidates(forHexLength: other).contains(algorithm), "\(algorithm) at \(other)")
            }
        }
        XCTAssertEqual(Algorithm.candidates(forHexLength: 16), [.xxh64, .xxh3])
        XCTAssertEqual(Algorithm.candidates(forHexLength: 8), [.crc32b, .xxh32])
    }

    func testBSDTagsMatchTheTools() {
        XCTAssertEqual(Algorithm.allCases.map(\.tag),
                       ["SHA256", "SHA512", "SHA1", "MD5", "BLAKE3", "XXH3", "XXH128", "XXH64", "XXH32", "CRC", "CRC32"])
    }

    func testHexRoundTripsAndRejectsBadInput() {
        XCTAssertEqual(Hex.encode([0x00, 0xab, 0xff]), "00abff")
        XCTAssertEqual(Hex.decode("00ABff"), [0x00, 0xab, 0xff])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }
}
