import CShims
import Foundation
import Synchronization
import XCTest
import Walk
import WorkerPool
@testable import Scan

/// `ReadAhead`: a task's files brought into the page cache with one io_uring submission,
/// and the scan that uses it while reads block.
final class ReadAheadTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("readahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// Pages of `path` in the page cache, from mincore over a mapping of the file.
    private func residentPages(_ path: String, size: Int) -> Int {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), mapping != MAP_FAILED else { return -1 }
        defer { munmap(mapping, size) }
        let pages = (size + 4095) / 4096
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(mapping, size, &vector) == 0 else { return -1 }
        return vector.reduce(0) { $0 + Int($1 & 1) }
    }

    /// Drops `path`'s clean pages from the page cache; false where the file system keeps them.
    private func evict(_ path: String, size: Int) -> Bool {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        fsync(fd)
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        return residentPages(path, size: size) == 0
    }

    func testReadAheadBringsEvictedFilesIntoThePageCache() throws {
        let size = 64 * 1024
        let paths = (0..<5).map { root.appendingPathComponent("f\($0)").path }
        for (index, path) in paths.enumerated() {
            try Data(repeating: UInt8(index), count: size).write(to: URL(fileURLWithPath: path))
        }
        guard paths.allSatisfy({ evict($0, size: size) }) else {
            throw XCTSkip("this file system keeps clean pages in memory (tmpfs?): nothing to read ahead")
        }
        let descriptors = paths.map { open($0, O_RDONLY) }
        defer { descriptors.forEach { close($0) } }
        let cachestat = trawl_is_cached(descriptors[0], UInt(size))
        XCTAssertTrue(cachestat == 0 || cachestat == -1, "evicted, or the kernel cannot tell")
        let result = trawl_read_ahead(descriptors, Int32(descriptors.count))
        guard result == 0 else { throw XCTSkip("io_uring is not available here (\(result)): FileScan reads one file per task") }
        for path in paths { XCTAssertEqual(residentPages(path, size: size), size / 4096, path) }
        if cachestat == 0 { XCTAssertEqual(trawl_is_cached(descriptors[0], UInt(size)), 1) }
    }

    func testReadAheadOfNoFilesOrUnopenableOnesIsHarmless() throws {
        XCTAssertEqual(trawl_read_ahead([], 0), 0)
        let entries = [WalkEntry(path: Array("/nonexistent-trawl/a".utf8), depth: 1, kind: .regular),
                       WalkEntry(path: Array(root.path.utf8), depth: 0, kind: .directory)]
        XCTAssertEqual(FileReader.withDirectoryCache { ReadAhead.files(entries) }, 0, "nothing opened, nothing read")
    }

    private func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    func testTheTaskReadsTheDescriptorsReadAheadOpenedAndTheRestCloseWithTheScope() throws {
        let paths = (0..<4).map { root.appendingPathComponent("k\($0)").path }
        for (index, path) in paths.enumerated() { try Data("kept \(index)\n".utf8).write(to: URL(fileURLWithPath: path)) }
        let entries = paths.map { WalkEntry(path: Array($0.utf8), depth: 1, kind: .regular) }
        let before = openDescriptors()
        try FileReader.withDirectoryCache {
            ReadAhead.files(entries)
            // Gone from the directory: only a descriptor opened before can still read it.
            for path in paths { unlink(path) }
            let fd = try FileReader.open(entries[1].path)
            defer { close(fd) }
            var bytes = [UInt8](repeating: 0, count: 64)
            XCTAssertEqual(String(decoding: bytes[..<read(fd, &bytes, 64)], as: UTF8.self), "kept 1\n")
            XCTAssertThrowsError(try FileReader.open(entries[1].path), "a kept descriptor is handed out once")
        }
        XCTAssertEqual(openDescriptors(), before, "the three never asked for close with the scope")
    }

    /// Writes dD/fF holding "D F\n" for each directory D and file F; returns their paths.
    private func writeTree(directories: Int, files: Int) throws -> [String] {
        var paths: [String] = []
        for directory in 0..<directories {
            let folder = root.appendingPathComponent("d\(directory)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in 0..<files {
                let path = folder.appendingPathComponent("f\(file)")
                try Data("\(directory) \(file)\n".utf8).write(to: path)
                paths.append(path.path)
            }
        }
        return paths
    }

    /// While reads block, the scan reads groups ahead (or, without io_uring, takes one file
    /// per task) and still hands over every file once, with its content.
    func testAScanWhoseReadsBlockHandsOverEveryFileOnce() throws {
        let expected = try writeTree(directories: 6, files: 40)
        let pool = ThreadPoolExecutor(maxWorkers: 8, name: "scantest")
        defer { pool.shutdown() }
        let walker = try Walker(options: WalkOptions())
        for order in [ScanOrder.completion, .path] {
            // Read-ahead skips what the page cache holds: drop the files from it if we can.
            let evicted = expected.allSatisfy { evict($0, size: 8) }
            let submissionsBefore = ReadAhead.submissions.load(ordering: .relaxed)
            var seen: [String: String] = [:]
            var scan = FileScan(pool: pool, order: order)
            scan.startsWithBlockingReads = true
            scan.run(source: .walk(walker, roots: [Array(root.path.utf8)]), job: .pooled { entry in
                usleep(200)
                var bytes: [UInt8] = []
                _ = try? FileReader.forEachChunk(path: entry.path, cancellation: nil) { bytes += $0; return true }
                return String(decoding: bytes, as: UTF8.self)
            }) { event in
                if case .record(let entry, let text) = event {
                    XCTAssertNil(seen.updateValue(text, forKey: String(decoding: entry.path, as: UTF8.self)), "reported twice")
                }
                return true
            }
            XCTAssertEqual(seen.keys.sorted(), expected.sorted(), "\(order)")
            if ReadAhead.isAvailable && evicted {
                XCTAssertGreaterThan(ReadAhead.submissions.load(ordering: .relaxed), submissionsBefore, "read ahead in \(order)")
            }
            for (path, text) in seen {
                let parts = path.split(separator: "/").suffix(2)
                XCTAssertEqual(text, "\(parts.first!.dropFirst()) \(parts.last!.dropFirst())\n", path)
            }
        }
    }

    /// `readAhead` bounds each submission (and 0 turns read-ahead off) without losing a file.
    func testReadAheadSizeBoundsEachSubmissionAndZeroSubmitsNothing() throws {
        let expected = try writeTree(directories: 2, files: 20)
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let walker = try Walker(options: WalkOptions())
        for order in [ScanOrder.completion, .path] {
            // 4 first: where it submits nothing (no io_uring, a cache that keeps the files),
            // 0 submitting nothing would prove nothing.
            for readAhead in [4, 0] {
                let evicted = expected.allSatisfy { evict($0, size: 5) }
                let submissionsBefore = ReadAhead.submissions.load(ordering: .relaxed)
                var seen: [String] = []
                var scan = FileScan(pool: pool, order: order, readAhead: readAhead)
                scan.startsWithBlockingReads = true
                scan.run(source: .walk(walker, roots: [Array(root.path.utf8)]), job: .pooled { entry in
                    usleep(200)  // gives up the CPU: counts as a read that blocked
                    return entry.path.count
                }) { event in
                    if case .record(let entry, _) = event { seen.append(String(decoding: entry.path, as: UTF8.self)) }
                    return true
                }
                XCTAssertEqual(seen.sorted(), expected.sorted(), "\(order), read-ahead \(readAhead)")
                let submissions = ReadAhead.submissions.load(ordering: .relaxed) - submissionsBefore
                if readAhead == 0 {
                    XCTAssertEqual(submissions, 0, "\(order): read-ahead off")
                } else {
                    guard ReadAhead.isAvailable && evicted && submissions > 0 else {
                        throw XCTSkip("nothing to read ahead here (no io_uring, or the files stay cached)")
                    }
                    XCTAssertGreaterThanOrEqual(submissions, expected.count / readAhead, "\(order): at most \(readAhead) files each")
                }
            }
        }
    }
}
