import Foundation
import XCTest
import WorkerPool
@testable import Scan

/// `PipelinedReader`: a big file's pieces, read on a second thread, arrive whole and in order.
final class PipelinedReaderTests: XCTestCase {
    private var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pipelined-\(UUID().uuidString)").path
    }

    override func tearDown() {
        unlink(path)
    }

    /// A file of `size` bytes whose every byte tells its offset apart from its neighbours'.
    private func writeFile(size: Int) throws -> [UInt8] {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 ^ ($0 >> 9) ^ ($0 >> 17)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes
    }

    private func readAll(from offset: Int) throws -> (bytes: [UInt8], pieces: Int) {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        lseek(fd, off_t(offset), SEEK_SET)
        var bytes: [UInt8] = []
        var pieces = 0
        let finished = try PipelinedReader.forEachPiece(fd: fd, path: Array(path.utf8), cancellation: nil) { piece in
            XCTAssertLessThanOrEqual(piece.count, PipelinedReader.pieceSize)
            bytes += piece
            pieces += 1
            return true
        }
        XCTAssertTrue(finished)
        return (bytes, pieces)
    }

    func testPiecesArriveWholeAndInOrderFromTheCurrentOffset() throws {
        // More pieces than the ring holds, and a part-filled last piece.
        let size = PipelinedReader.pieceSize * (PipelinedReader.depth * 2 + 1) + 12_345
        let bytes = try writeFile(size: size)
        XCTAssertEqual(try readAll(from: 0).bytes, bytes)
        let (rest, pieces) = try readAll(from: 777)
        XCTAssertEqual(rest, Array(bytes[777...]))
        XCTAssertGreaterThan(pieces, PipelinedReader.depth)
    }

    func testAnEmptyRestEndsAtOnce() throws {
        _ = try writeFile(size: 100)
        XCTAssertEqual(try readAll(from: 100).pieces, 0)
    }

    func testBodyOrCancellationStopsEarly() throws {
        _ = try writeFile(size: PipelinedReader.pieceSize * 12)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var seen = 0
        XCTAssertFalse(try PipelinedReader.forEachPiece(fd: fd, path: Array(path.utf8), cancellation: nil) { _ in
            seen += 1
            return seen < 2
        })
        XCTAssertEqual(seen, 2)
        let token = CancellationToken()
        seen = 0
        XCTAssertFalse(try PipelinedReader.forEachPiece(fd: fd, path: Array(path.utf8), cancellation: token) { _ in
            seen += 1
            token.cancel()
            return true
        })
        XCTAssertEqual(seen, 1)
    }

    func testAReadErrorIsThrownWithThePath() throws {
        let directory = open(FileManager.default.temporaryDirectory.path, O_RDONLY | O_DIRECTORY)
        defer { close(directory) }
        XCTAssertThrowsError(try PipelinedReader.forEachPiece(fd: directory, path: Array("some/dir".utf8), cancellation: nil) { _ in true }) {
            XCTAssertEqual(($0 as? ReadError)?.description, "some/dir: Is a directory")
        }
    }
}
