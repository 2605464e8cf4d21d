import CShims
import Dispatch
import Foundation
import Synchronization
import XCTest
import Walk
import WorkerPool
@testable import Scan

final class ScanTests: XCTestCase {
    private func entries(_ names: [String]) -> [WalkEntry] {
        names.map { WalkEntry(path: Array($0.utf8), depth: 1, kind: .regular) }
    }

    private func tempTree(files: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        for i in 0..<files {
            let directory = root.appendingPathComponent("d\(i % 7)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("file \(i)\n".utf8).write(to: directory.appendingPathComponent("f\(i).txt"))
        }
        return root
    }

    /// The paths a scan of `root` hands over, in the order given.
    private func scannedPaths(_ root: URL, order: ScanOrder, pool: ThreadPoolExecutor) throws -> [[UInt8]] {
        let walker = try Walker(options: WalkOptions())
        var paths: [[UInt8]] = []
        FileScan(pool: pool, order: order).run(source: .walk(walker, roots: [Array(root.path.utf8)]),
                                           job: .pooled { $0.path }) { event in
            if case .record(_, let path) = event { paths.append(path) }
            return true
        }
        return paths
    }

    func testPooledJobRunsOncePerFileOnPoolThreads() {
        let pool = ThreadPoolExecutor(maxWorkers: 3, name: "scantest")
        defer { pool.shutdown() }
        let names = (0..<200).map { "file\($0)" }
        var seen: [String] = []
        FileScan(pool: pool).run(source: .entries(entries(names)), job: .pooled { entry -> String in
            let name = String(decoding: entry.path, as: UTF8.self)
            return name + "@" + (Thread.current.name ?? "")
        }) { event in
            if case .record(_, let value) = event { seen.append(value) }
            return true
        }
        XCTAssertEqual(seen.count, 200)
        XCTAssertEqual(Set(seen.map { String($0.split(separator: "@")[0]) }), Set(names))
        XCTAssertTrue(seen.allSatisfy { $0.contains("@scantest_") }, "jobs ran on the pool")
    }

    func testCompletionOrderOverGroupedDirectoriesReportsEveryFileOnce() throws {
        // Hundreds of files per directory: the walk hands them over in runs and the scan
        // submits them in groups, each file still one record.
        let root = try tempTree(files: 2000)
        defer { try? FileManager.default.removeItem(at: root) }
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let paths = try scannedPaths(root, order: .completion, pool: pool)
        XCTAssertEqual(paths.count, 2000)
        XCTAssertEqual(Set(paths).count, 2000)
        XCTAssertEqual(Set(paths), Set(try scannedPaths(root, order: .path, pool: pool)))
    }

    func testPathOrderEqualsSortedCompletionOrder() throws {
        let root = try tempTree(files: 300)
        defer { try? FileManager.default.removeItem(at: root) }
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let sorted = try scannedPaths(root, order: .path, pool: pool)
        let completion = try scannedPaths(root, order: .completion, pool: pool)
        XCTAssertEqual(sorted.count, 300)
        XCTAssertEqual(sorted, completion.sorted(by: pathPrecedes))
    }

    func testPathOrderOverAPathListEqualsTheSortedWalk() throws {
        let root = try tempTree(files: 200)
        defer { try? FileManager.default.removeItem(at: root) }
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let walked = try scannedPaths(root, order: .path, pool: pool)
        XCTAssertEqual(walked.count, 200)
        var listed: [[UInt8]] = []
        let shuffled = walked.shuffled().map { WalkEntry(path: $0, depth: 1, kind: .regular) }
        FileScan(pool: pool, order: .path).run(source: .entries(shuffled), job: .pooled { $0.path }) { event in
            if case .record(_, let path) = event { listed.append(path) }
            return true
        }
        XCTAssertEqual(listed, walked)
    }

    func testPathOrderHoldsAtMostTheWindowBehindASlowFile() throws {
        let root = try tempTree(files: 300)
        defer { try? FileManager.default.removeItem(at: root) }
        let walker = try Walker(options: WalkOptions())
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let started = Atomic<Int>(0)
        var consumed = 0
        var peakAhead = 0
        var first: [UInt8]?
        FileScan(pool: pool, order: .path, maxInFlight: 16).run(source: .walk(walker, roots: [Array(root.path.utf8)]),
                                                            job: .pooled { entry -> [UInt8] in
            // The first file in path order is slow: the others must wait in the window.
            if started.add(1, ordering: .relaxed).newValue == 1 { usleep(200_000) }
            return entry.path
        }) { event in
            guard case .record(_, let path) = event else { return true }
            if first == nil { first = path }
            consumed += 1
            peakAhead = max(peakAhead, started.load(ordering: .relaxed) - consumed)
            return true
        }
        XCTAssertEqual(consumed, 300)
        XCTAssertLessThanOrEqual(peakAhead, 16, "never more files started than the window holds")
    }

    func testPathOrderOverAPathListFileEqualsTheSortedWalk() throws {
        let root = try tempTree(files: 200)
        defer { try? FileManager.default.removeItem(at: root) }
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let walked = try scannedPaths(root, order: .path, pool: pool)
        let list = root.appendingPathComponent("list")
        try Data(walked.shuffled().map { $0 + [10] }.joined()).write(to: list)
        var listed: [[UInt8]] = []
        FileScan(pool: pool, order: .path, maxInFlight: 16).run(source: .pathList(path: Array(list.path.utf8), separator: 10),
                                                            job: .pooled { $0.path }) { event in
            if case .record(_, let path) = event { listed.append(path) }
            return true
        }
        XCTAssertEqual(listed, walked)
    }

    /// Past the first files, consecutive files go to the pool in groups: the window still
    /// bounds what is started ahead of the consumer, and the order is still path order.
    func testGroupedPathOrderHoldsAtMostTheWindowBehindASlowFile() throws {
        let root = try tempTree(files: 1200)
        defer { try? FileManager.default.removeItem(at: root) }
        let walker = try Walker(options: WalkOptions())
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let window = 256
        XCTAssertGreaterThan(PathOrderGroups(window: window).size(forFile: 900), 1, "the scan below submits groups")
        let started = Atomic<Int>(0)
        let slowPath = Mutex<[UInt8]?>(nil)
        var consumed: [[UInt8]] = []
        var peakAhead = 0
        FileScan(pool: pool, order: .path, maxInFlight: window).run(source: .walk(walker, roots: [Array(root.path.utf8)]),
                                                                job: .pooled { entry -> [UInt8] in
            // File 900 in path order is slow: those after it must wait in the window.
            if started.add(1, ordering: .relaxed).newValue == 900 {
                slowPath.withLock { $0 = entry.path }
                usleep(300_000)
            }
            return entry.path
        }) { event in
            guard case .record(_, let path) = event else { return true }
            consumed.append(path)
            peakAhead = max(peakAhead, started.load(ordering: .relaxed) - consumed.count)
            return true
        }
        XCTAssertEqual(consumed.count, 1200)
        XCTAssertEqual(consumed, consumed.sorted(by: pathPrecedes))
        XCTAssertNotNil(slowPath.withLock { $0 })
        XCTAssertLessThanOrEqual(peakAhead, window, "never more files started than the window holds")
    }

    /// A full window behind one unfinished file is reported once, naming that file; the
    /// report itself releases the file here, so the test waits for no clock.
    func testStallBehindOneFileIsReportedOnceNamingIt() throws {
        let root = try tempTree(files: 100)
        defer { try? FileManager.default.removeItem(at: root) }
        let walker = try Walker(options: WalkOptions())
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let first = Mutex<[UInt8]?>(nil)
        var stalls: [ScanStall] = []
        var consumed = 0
        FileScan(pool: pool, order: .path, maxInFlight: 16, stallNoticeDelay: 0)
            .run(source: .walk(walker, roots: [Array(root.path.utf8)]), job: .pooled { entry -> Int in
                let isFirst = first.withLock { name in
                    if name != nil { return false }
                    name = entry.path
                    return true
                }
                // Bounded only so a broken report cannot hang the test run.
                if isFirst { _ = release.wait(timeout: .now() + 30) }
                return 1
            }, whenStalled: { stall in
                stalls.append(stall)
                release.signal()
            }) { _ in
                consumed += 1
                return true
            }
        XCTAssertEqual(consumed, 100)
        XCTAssertEqual(stalls.count, 1, "reported exactly once")
        XCTAssertEqual(stalls.first?.entry.path, first.withLock { $0 })
        XCTAssertEqual(stalls.first?.filesHeld, 15, "the rest of a window of 16")
    }

    func testStallWatchIsDueOnlyAfterItsDelayWithoutProgress() {
        var patient = StallWatch(delay: 3600)
        XCTAssertFalse(patient.isDue(next: 0))
        var eager = StallWatch(delay: 0)
        XCTAssertTrue(eager.isDue(next: 0))
        XCTAssertTrue(eager.isDue(next: 1), "progress restarts the clock, and a zero delay is due at once")
        eager.reported = true
        XCTAssertFalse(eager.isDue(next: 1), "never twice")
    }

    func testReorderBufferHandsRecordsBackInSequenceAcrossGrowth() {
        var buffer = ReorderBuffer<Int>(capacity: 1000)
        var out: [Int] = []
        let numbers = Array(0..<500)
        // Arrive in reverse blocks of 100: up to 100 wait at once (more than the initial ring).
        for block in stride(from: 0, to: 500, by: 100) {
            for number in numbers[block..<block + 100].reversed() {
                buffer.insert(WalkEntry(path: [], depth: 0, kind: .regular), number * 10, number: number)
                while let (_, record) = buffer.popNext() { out.append(record!) }
            }
        }
        XCTAssertEqual(out, numbers.map { $0 * 10 })
        XCTAssertNil(buffer.popNext())
    }

    func testPathOrderGroupsStartSingleAndStayWellUnderTheWindow() {
        XCTAssertEqual(PathOrderGroups(window: 4096).size(forFile: 0), 1, "the first results go out one by one")
        XCTAssertEqual(PathOrderGroups(window: 4096).size(forFile: 1_000_000), PathOrderGroups.largest)
        XCTAssertEqual(PathOrderGroups(window: 16).size(forFile: 1_000_000), 1)
        XCTAssertLessThanOrEqual(PathOrderGroups(window: 256).size(forFile: 1_000_000) * 8, 256)
    }

    func testPathSortPutsSlashBeforeEveryOtherByte() {
        let paths = ["a-b", "a/b", "a", "a/b/c", "a.b", "B"].map { Array($0.utf8) }
        let order = PathSort.order(of: paths).map { String(decoding: paths[$0], as: UTF8.self) }
        XCTAssertEqual(order, ["B", "a", "a/b", "a/b/c", "a-b", "a.b"])
    }

    func testConsumerStopEndsTheScanEarly() {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "scantest")
        defer { pool.shutdown() }
        let ran = Atomic<Int>(0)
        var consumed = 0
        let scan = FileScan(pool: pool, maxInFlight: 8)
        scan.run(source: .entries(entries((0..<10_000).map { "f\($0)" })), job: .pooled { _ -> Int in
            ran.add(1, ordering: .relaxed)
            return 1
        }) { _ in
            consumed += 1
            return consumed < 5
        }
        XCTAssertEqual(consumed, 5)
        XCTAssertLessThan(ran.load(ordering: .relaxed), 200, "files past the stop were not processed")
        XCTAssertFalse(scan.cancellation.isCancelled, "a consumer stop is not an interrupt")
    }

    func testBackpressureBoundsFilesInFlight() {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "scantest")
        defer { pool.shutdown() }
        let started = Atomic<Int>(0)
        var peakAhead = 0
        var consumed = 0
        FileScan(pool: pool, maxInFlight: 16).run(source: .entries(entries((0..<500).map { "f\($0)" })), job: .pooled { _ -> Int in
            started.add(1, ordering: .relaxed)
            return 1
        }) { _ in
            consumed += 1
            usleep(200) // a slow consumer
            peakAhead = max(peakAhead, started.load(ordering: .relaxed) - consumed)
            return true
        }
        XCTAssertEqual(consumed, 500)
        // maxInFlight admitted, plus at most one batch the consumer holds.
        XCTAssertLessThanOrEqual(peakAhead, 32, "never more than 2 x maxInFlight files ahead of the consumer")
    }

    func testInterruptStopsTheWalkAndPendingJobs() {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "scantest")
        defer { pool.shutdown() }
        let token = CancellationToken()
        var consumed = 0
        FileScan(pool: pool, maxInFlight: 4, cancellation: token).run(source: .entries(entries((0..<10_000).map { "f\($0)" })),
                                                                 job: .pooled { _ -> Int in 1 }) { _ in
            consumed += 1
            if consumed == 3 { token.cancel() }
            return true
        }
        XCTAssertLessThan(consumed, 100)
    }

    func testWalkErrorsReachTheConsumer() throws {
        let walker = try Walker(options: WalkOptions())
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "scantest")
        defer { pool.shutdown() }
        var errors: [String] = []
        FileScan(pool: pool).run(source: .walk(walker, roots: [Array("/nonexistent-trawl-path".utf8)]), job: .inline { $0.path }) { event in
            if case .walkError(let error) = event { errors.append(error.description) }
            return true
        }
        XCTAssertEqual(errors, ["/nonexistent-trawl-path: No such file or directory"])
    }

    func testFileReaderStopsAtCancellationBetweenChunks() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString)")
        try Data(repeating: 65, count: FileReader.chunkSize * 4).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let token = CancellationToken()
        var chunks = 0
        let finished = try FileReader.forEachChunk(path: Array(url.path.utf8), cancellation: token) { _ in
            chunks += 1
            token.cancel()
            return true
        }
        XCTAssertFalse(finished)
        XCTAssertEqual(chunks, 1)
        XCTAssertThrowsError(try FileReader.open(Array("/nonexistent-trawl".utf8))) {
            XCTAssertEqual(($0 as? ReadError)?.description, "/nonexistent-trawl: No such file or directory")
        }
    }
}

final class BlockingReadsTests: XCTestCase {
    func testTasksThatBlockMakeBlockingCommonAndFastOnesClearIt() {
        let reads = BlockingReads()
        XCTAssertFalse(reads.areCommon, "starts assuming a warm cache")
        for _ in 0..<20 { reads.record(files: 1, switches: 1) }
        XCTAssertTrue(reads.areCommon, "every file blocked")
        for _ in 0..<20 { reads.record(files: 32, switches: 0) }
        XCTAssertFalse(reads.areCommon, "reads returned at once again")
        for _ in 0..<20 { reads.record(files: 32, switches: 2) }
        XCTAssertFalse(reads.areCommon, "a lock wait now and then is not a cold cache")
    }

    func testMeasureCountsASleepAsBlocking() {
        let reads = BlockingReads()
        for _ in 0..<20 { _ = reads.measure(files: 1) { usleep(100) } }
        XCTAssertTrue(reads.areCommon)
    }

    func testAReadAheadCountsTheFilesTheDiskFetchedOrElseWhetherItWaited() {
        let reads = BlockingReads()
        for _ in 0..<20 { reads.measureReadAhead(files: 32, { usleep(100); return nil }, then: {}) }
        XCTAssertTrue(reads.areCommon, "one wait for 32 files still means their reads block")
        for _ in 0..<20 { reads.measureReadAhead(files: 32, { nil }, then: {}) }
        XCTAssertFalse(reads.areCommon)
        for _ in 0..<20 { reads.measureReadAhead(files: 32, { 32 }, then: {}) }
        XCTAssertTrue(reads.areCommon, "every file needed the disk")
        for _ in 0..<20 { reads.measureReadAhead(files: 32, { usleep(100); return 0 }, then: {}) }
        XCTAssertFalse(reads.areCommon, "all were cached: a wait is not theirs")
        for _ in 0..<20 { reads.measureReadAhead(files: 2, { 0 }, then: { usleep(100); usleep(100) }) }
        XCTAssertTrue(reads.areCommon, "the reads after the read-ahead blocked")
    }

    func testPathOrderRunsFewTasksWhileReadsReturnAtOnceAndAllWhileTheyBlock() {
        // More workers than the warm limit on any machine (a fixed 16 is no more than the
        // limit from 15 cores up), so limited and full width can be told apart.
        let pool = ThreadPoolExecutor(maxWorkers: BlockingReads.warmConcurrency + 8, name: "scantest")
        defer { pool.shutdown() }
        func peakConcurrency(blocking: Bool) -> Int {
            let running = Atomic<Int>(0)
            let peak = Atomic<Int>(0)
            // A window smaller than the file count, as in any big tree: files are still
            // being handed out while the first tasks tell how their reads went.
            FileScan(pool: pool, order: .path, maxInFlight: 512).run(source: .entries((0..<3000).map {
                WalkEntry(path: Array("f\($0)".utf8), depth: 1, kind: .regular)
            }), job: .pooled { _ -> Int in
                let now = running.add(1, ordering: .relaxed).newValue
                _ = peak.max(now, ordering: .relaxed)
                if blocking { usleep(300) } else { for _ in 0..<20_000 { trawl_cpu_relax() } }
                running.subtract(1, ordering: .relaxed)
                return 1
            }) { _ in true }
            return peak.load(ordering: .relaxed)
        }
        XCTAssertLessThanOrEqual(peakConcurrency(blocking: false), BlockingReads.warmConcurrency)
        XCTAssertGreaterThan(peakConcurrency(blocking: true), BlockingReads.warmConcurrency, "blocked reads get every worker")
        // The limit was this scan's: the pool runs at full width again afterwards.
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        let futures = (0..<64).map { _ in
            try! pool.submit {
                _ = peak.max(running.add(1, ordering: .relaxed).newValue, ordering: .relaxed)
                usleep(2000)
                running.subtract(1, ordering: .relaxed)
            }
        }
        for future in futures { try? future.result() }
        XCTAssertGreaterThan(peak.load(ordering: .relaxed), BlockingReads.warmConcurrency)
    }
}
