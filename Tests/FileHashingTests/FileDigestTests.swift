import Digest
import FileHashing
import Foundation
import Manifest
import Scan
import WorkerPool
import XCTest

/// `FileDigest.compute`: every algorithm from one read, equal to what the peer tools wrote
/// into `Fixtures/manifests`, on both sides of the parallel threshold.
final class FileDigestTests: XCTestCase {
    static let manifests = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/manifests").path

    func testEveryAlgorithmInOneReadMatchesThePeerToolManifests() throws {
        let algorithms = Algorithm.allCases
        var digests: [String: FileDigest] = [:]
        for name in ["tree/a.txt", "tree/b.txt", "tree/empty", "tree/sub/c d.txt"] {
            digests[name] = try XCTUnwrap(FileDigest.compute(path: Array((Self.manifests + "/" + name).utf8),
                                                             algorithms: algorithms, cancellation: nil))
        }
        for (index, algorithm) in algorithms.enumerated() {
            let text = try String(contentsOfFile: Self.manifests + "/\(algorithm.name).txt", encoding: .utf8)
            let lines = text.split(separator: "\n").compactMap { ManifestLine.parse(Array($0.utf8)) }
            XCTAssertEqual(lines.count, 4, algorithm.name)
            for line in lines {
                let digest = try XCTUnwrap(digests[String(decoding: line.path, as: UTF8.self)], algorithm.name)
                XCTAssertTrue(line.matches(digest.digests[index], algorithm: algorithm),
                              "\(algorithm): \(algorithm.format(digest.digests[index])) vs \(line.digest)")
                if let size = line.size { XCTAssertEqual(size, digest.size) }
            }
        }
    }

    /// Past the threshold BLAKE3 alone hashes on several threads and the others read on a
    /// second thread: both give the one-shot digest.
    func testFilePastTheParallelThresholdHashesAsOneShot() throws {
        let path = NSTemporaryDirectory() + "file-digest-\(getpid()).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = FileDigest.parallelThreshold + 12_345
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for algorithms in [[Algorithm.blake3], [.sha256, .xxh3]] {
            var pieces = 0
            var total = 0
            let digest = try XCTUnwrap(FileDigest.compute(path: Array(path.utf8), algorithms: algorithms, cancellation: nil,
                                                          progress: { pieces += 1; total += $0 }))
            XCTAssertEqual(digest.size, count)
            XCTAssertEqual(digest.digests, algorithms.map { $0.makeHasherDigest(bytes) }, "\(algorithms)")
            if algorithms != [.blake3] { XCTAssertEqual(total, count, "progress hears every byte") }
        }
    }
}

extension FileDigestTests {
    func testCancelledBeforeTheFirstReadGivesNoDigest() throws {
        let cancelled = CancellationToken()
        cancelled.cancel()
        XCTAssertNil(try FileDigest.compute(path: Array((Self.manifests + "/tree/a.txt").utf8), algorithms: [.sha256],
                                            cancellation: cancelled))
    }

    func testMissingFileThrowsAReadErrorNamingIt() {
        let path = Array("/nonexistent/trawl-file-digest".utf8)
        XCTAssertThrowsError(try FileDigest.compute(path: path, algorithms: [.sha256], cancellation: nil)) { error in
            XCTAssertEqual((error as? ReadError)?.path, path)
            XCTAssertEqual((error as? ReadError)?.errno, ENOENT)
        }
    }
}

private extension Algorithm {
    func makeHasherDigest(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = makeHasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
