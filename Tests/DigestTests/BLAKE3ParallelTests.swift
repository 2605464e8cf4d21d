import Foundation
import XCTest
@testable import Digest

final class BLAKE3ParallelTests: XCTestCase {
    private func sequentialHex(_ bytes: [UInt8], hasher: BLAKE3 = BLAKE3()) -> String {
        var h = hasher
        h.update(contentsOf: bytes)
        return Hex.encode(h.finalize())
    }

    func testParallelBufferMatchesSequential() {
        for length in [3 << 20, (3 << 20) + 1, (5 << 20) + 12_345] {
            let data = pseudoRandomBytes(count: length, seed: UInt64(length))
            var parallel = BLAKE3()
            data.withUnsafeBytes { parallel.update(parallel: $0, threads: 3) }
            XCTAssertEqual(Hex.encode(parallel.finalize()), sequentialHex(data), "length \(length)")
        }
    }

    func testHashParallelMatchesPlainDigest() {
        let data = pseudoRandomBytes(count: (3 << 20) + 77)
        XCTAssertEqual(data.withUnsafeBytes { Hex.encode(BLAKE3.hashParallel($0, threads: 2)) }, sequentialHex(data))
    }

    func testParallelKeyedModeMatchesSequential() {
        let data = pseudoRandomBytes(count: (4 << 20) + 99)
        let key = Array("whats the Elvish word for friend".utf8)
        var parallel = BLAKE3(key: key)
        data.withUnsafeBytes { parallel.update(parallel: $0, threads: 2) }
        XCTAssertEqual(Hex.encode(parallel.finalize()), sequentialHex(data, hasher: BLAKE3(key: key)))
    }

    func testUnalignedHasherFallsBackAndStillMatches() {
        let data = pseudoRandomBytes(count: (3 << 20) + 5)
        var parallel = BLAKE3()
        data.withUnsafeBytes { all in
            parallel.update(UnsafeRawBufferPointer(rebasing: all[0..<5]))
            parallel.update(parallel: UnsafeRawBufferPointer(rebasing: all[5...]), threads: 2)
        }
        XCTAssertEqual(Hex.encode(parallel.finalize()), sequentialHex(data))
    }

    func testParallelAfterWholeSegmentsOfStreamingMatchesSequential() {
        // After exactly 1 MiB the last chunk is still pending; the parallel path must finish it first.
        let data = pseudoRandomBytes(count: (4 << 20) + 3)
        var parallel = BLAKE3()
        data.withUnsafeBytes { all in
            parallel.update(UnsafeRawBufferPointer(rebasing: all[0..<(1 << 20)]))
            parallel.update(parallel: UnsafeRawBufferPointer(rebasing: all[(1 << 20)...]), threads: 2)
        }
        XCTAssertEqual(Hex.encode(parallel.finalize()), sequentialHex(data))
    }

    func testFileHashingMatchesSequentialForManySizes() throws {
        let dir = try makeTemporaryDirectory(self)
        let data = pseudoRandomBytes(count: (4 << 20) + 7)
        for length in [0, 1, 1024, (1 << 20), (2 << 20) + 1, (3 << 20), (4 << 20) + 7] {
            let url = dir.appendingPathComponent("f\(length)")
            let bytes = Array(data[0..<length])
            try Data(bytes).write(to: url)
            let fd = open(url.path, O_RDONLY)
            XCTAssertGreaterThanOrEqual(fd, 0)
            defer { close(fd) }
            var hasher = BLAKE3()
            try hasher.update(fileDescriptor: fd, threads: 2)
            XCTAssertEqual(Hex.encode(hasher.finalize()), sequentialHex(bytes), "length \(length)")
        }
    }

    func testBadDescriptorThrowsReadFailed() {
        var hasher = BLAKE3()
        XCTAssertThrowsError(try hasher.update(fileDescriptor: -1, threads: 2)) { error in
            XCTAssertEqual(error as? DigestError, .readFailed(errno: EBADF))
        }
    }
}
