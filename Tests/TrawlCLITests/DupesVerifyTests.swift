import Foundation
import WorkerPool
import XCTest
@testable import TrawlCLI

/// `dupes --verify` compares files byte for byte in pieces, never whole in memory.
final class DupesVerifyTests: XCTestCase {
    private func write(_ bytes: [UInt8]) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return Array(url.path.utf8)
    }

    func testSameBytesAcrossSeveralPieces() throws {
        let content = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        XCTAssertTrue(try DupesCommand.sameBytes(write(content), write(content)))
    }

    func testDifferenceAfterTheFirstPieceIsFound() throws {
        let content = [UInt8](repeating: 1, count: 150_000)
        var changed = content
        changed[140_000] = 2
        XCTAssertFalse(try DupesCommand.sameBytes(write(content), write(changed)))
    }

    func testDifferentLengthsDiffer() throws {
        let content = [UInt8](repeating: 3, count: 70_000)
        XCTAssertFalse(try DupesCommand.sameBytes(write(content), write(Array(content.dropLast()))))
    }

    func testCancelledComparisonAnswersNotTheSame() throws {
        let content = [UInt8](repeating: 5, count: 100_000)
        let token = WorkerPool.CancellationToken()
        token.cancel()
        XCTAssertFalse(try DupesCommand.sameBytes(write(content), write(content), cancellation: token))
    }

    func testUnreadableFileIsAnError() throws {
        XCTAssertThrowsError(try DupesCommand.sameBytes(write([1]), Array("/nonexistent-trawl".utf8)))
    }
}
