import XCTest
@testable import Digest

final class StreamingTests: XCTestCase {
    func testOddPiecesEqualOneShotForEveryAlgorithm() {
        let data = pseudoRandomBytes(count: 150_000)
        let splits: [[Int]] = [[1], [7], [63, 1, 0, 65], [255, 257], [1023, 2], [4097], [100_000, 13]]
        for algorithm in Algorithm.allCases {
            for length in boundaryLengths where length <= data.count {
                let input = Array(data[0..<length])
                var oneShot = algorithm.makeHasher()
                input.withUnsafeBytes { oneShot.update($0) }
                let expected = Hex.encode(oneShot.finalize())
                for split in splits where length <= 5000 || split[0] > 100 {
                    XCTAssertEqual(hexDigestStreamed(algorithm.makeHasher(), input, pieceSizes: split), expected,
                                   "\(algorithm) length \(length) pieces \(split)")
                }
            }
        }
    }

    func testDigestLengthMatchesFinalizedSize() {
        for algorithm in Algorithm.allCases {
            var hasher = algorithm.makeHasher()
            hasher.update(contentsOf: [1, 2, 3])
            XCTAssertEqual(hasher.finalize().count, algorithm.digestLength, "\(algorithm)")
        }
    }

    func testMultiHasherGivesEachAlgorithmsOwnDigest() {
        let data = pseudoRandomBytes(count: 10_000)
        var multi = MultiHasher([.sha256, .md5, .blake3])
        data.withUnsafeBytes { all in
            multi.update(UnsafeRawBufferPointer(rebasing: all[0..<3333]))
            multi.update(UnsafeRawBufferPointer(rebasing: all[3333...]))
        }
        let digests = multi.finalize()
        XCTAssertEqual(digests.map(Hex.encode), [hexDigest(SHA256(), data), hexDigest(MD5(), data), hexDigest(BLAKE3(), data)])
    }
}
