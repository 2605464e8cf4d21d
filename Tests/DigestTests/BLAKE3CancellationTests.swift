#if canImport(Glibc)
import Glibc
#endif
import Digest
import Foundation
import Synchronization
import XCTest

/// `BLAKE3.update(fileDescriptor:shouldStop:)` asks before each 1 MiB segment: a cancelled
/// hash of a huge file stops at once instead of at the file's end.
final class BLAKE3CancellationTests: XCTestCase {
    private func sparseFile(_ size: Int) throws -> Int32 {
        let url = try makeTemporaryDirectory(self).appendingPathComponent("sparse")
        let fd = open(url.path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0, ftruncate(fd, off_t(size)) == 0 else { throw XCTSkip("cannot make a sparse file") }
        return fd
    }

    func testCancelledHashStopsAfterFewSegments() throws {
        // 1 TiB of holes: hashed to the end, this would take many minutes.
        let fd = try sparseFile(1 << 40)
        defer { close(fd) }
        let asked = Atomic<Int>(0)
        var hasher = BLAKE3()
        let completed = try hasher.update(fileDescriptor: fd, threads: 2, shouldStop: {
            asked.wrappingAdd(1, ordering: .relaxed).oldValue >= 8
        })
        XCTAssertFalse(completed)
        XCTAssertLessThan(asked.load(ordering: .relaxed), 64, "segments went on after the cancellation")
    }

    func testUncancelledHashCompletesWithTheSameDigest() throws {
        let fd = try sparseFile((5 << 20) + 3)
        defer { close(fd) }
        var hasher = BLAKE3()
        XCTAssertTrue(try hasher.update(fileDescriptor: fd, threads: 2, shouldStop: { false }))
        var plain = BLAKE3()
        plain.update(contentsOf: [UInt8](repeating: 0, count: (5 << 20) + 3))
        XCTAssertEqual(hasher.finalize(), plain.finalize())
    }
}
