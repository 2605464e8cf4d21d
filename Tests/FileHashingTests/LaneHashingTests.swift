import Digest
import FileHashing
import Foundation
import Scan
import Walk
import WorkerPool
import XCTest

/// `LaneHashing.md5`: a run's small files side by side in SIMD lanes, the rest streamed by
/// the caller's `compute`; the records must not tell the two apart.
final class LaneHashingTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "lane-hashing-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Files of `sizes` bytes, each of its own bytes, as a walk would list them.
    private func run(_ sizes: [Int]) throws -> (entries: [WalkEntry], contents: [[UInt8]]) {
        var entries: [WalkEntry] = []
        var contents: [[UInt8]] = []
        for (index, size) in sizes.enumerated() {
            let path = directory + "/f\(index)"
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            entries.append(WalkEntry(path: Array(path.utf8), depth: 1, kind: .regular))
            contents.append(bytes)
        }
        return (entries, contents)
    }

    /// MD5 of the run, recording which files `compute` streamed.
    private func md5(_ entries: [WalkEntry], skip: (WalkEntry) -> Bool = { _ in false },
                     streamed: inout [[UInt8]]) -> [Result<FileDigest, ReadError>?] {
        var streamedPaths: [[UInt8]] = []
        let records = LaneHashing.md5(of: entries, cancellation: CancellationToken(), skip: skip) { entry, open throws(ReadError) in
            streamedPaths.append(entry.path)
            if let open { return try FileDigest.compute(fd: open, path: entry.path, algorithms: [.md5], cancellation: nil) }
            return try FileDigest.compute(path: entry.path, algorithms: [.md5], cancellation: nil)
        }
        streamed = streamedPaths
        return records
    }

    /// Sizes around MD5's block and padding edges, the lane limit and the run's buffer
    /// (twenty 60 KiB files overflow its 1 MiB).
    func testEveryFileGetsItsOneShotDigestInLaneOrStreamed() throws {
        let sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 4096, LaneHashing.largestInLane - 1, LaneHashing.largestInLane,
                     LaneHashing.largestInLane + 1, 300_000] + Array(repeating: 60 * 1024, count: 20)
        let (entries, contents) = try run(sizes)
        var streamed: [[UInt8]] = []
        let records = md5(entries, streamed: &streamed)
        XCTAssertEqual(records.count, entries.count)
        for (index, record) in records.enumerated() {
            guard case .success(let digest)? = record else { return XCTFail("file \(index): \(String(describing: record))") }
            XCTAssertEqual(digest.size, sizes[index], "file \(index)")
            XCTAssertEqual(digest.digests, [MD5.hash(contents[index])], "file \(index), \(sizes[index]) bytes")
        }
        // Too big for a lane: streamed. So is what no longer fits the run's buffer.
        let paths = entries.map(\.path)
        XCTAssertTrue(streamed.contains(paths[sizes.firstIndex(of: LaneHashing.largestInLane)!]))
        XCTAssertTrue(streamed.contains(paths[sizes.firstIndex(of: 300_000)!]))
        XCTAssertFalse(streamed.contains(paths[0]), "an empty file goes into a lane")
        XCTAssertLessThan(streamed.count, entries.count)
    }

    func testSkippedFilesHaveNoRecordAndUnreadableOnesAFailure() throws {
        var (entries, _) = try run([10, 20, 30])
        entries.append(WalkEntry(path: Array((directory + "/missing").utf8), depth: 1, kind: .regular))
        var streamed: [[UInt8]] = []
        let records = md5(entries, skip: { $0 == entries[1] }, streamed: &streamed)
        XCTAssertNotNil(records[0])
        XCTAssertNil(records[1])
        XCTAssertNotNil(records[2])
        guard case .failure(let error)? = records[3] else { return XCTFail("\(String(describing: records[3]))") }
        XCTAssertEqual(error.errno, ENOENT)
    }
}
