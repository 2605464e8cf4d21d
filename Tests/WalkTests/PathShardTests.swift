import XCTest
@testable import Walk

final class PathShardTests: XCTestCase {
    func testHashIsFNV1a64() {
        // The published FNV-1a 64 values: the documented hash must not drift.
        XCTAssertEqual([UInt8]().withUnsafeBytes { PathShard.hash($0) }, 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(Array("a".utf8).withUnsafeBytes { PathShard.hash($0) }, 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(Array("foobar".utf8).withUnsafeBytes { PathShard.hash($0) }, 0x8594_4171_f739_67e8)
    }

    func testEveryPathFallsInExactlyOneShard() {
        for count in 1...7 {
            let shards = (1...count).map { PathShard(index: $0, count: count)! }
            for i in 0..<500 {
                let path = Array("dir\(i % 13)/file \(i).txt".utf8)
                XCTAssertEqual(shards.filter { $0.includes(relativePath: path) }.count, 1)
            }
        }
    }

    func testParsesOnlyValidShards() {
        XCTAssertEqual(PathShard("2/8"), PathShard(index: 2, count: 8))
        for text in ["0/3", "4/3", "1/0", "", "1", "a/b", "1/2/3", "-1/2", "1/"] { XCTAssertNil(PathShard(text), text) }
    }
}
