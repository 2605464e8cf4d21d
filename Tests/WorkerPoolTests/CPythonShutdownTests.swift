import Foundation
import XCTest
@testable import WorkerPool

/// CPython's test_shutdown.py (ExecutorShutdownTest + ThreadPoolShutdownTest), ported. The
/// tests that run a child interpreter run WorkerPoolExitProbe, built beside the tests.
final class CPythonShutdownTests: ThreadPoolTestCase {
    /// Runs the exit probe with `scenario`; nil (the test skips) when it was not built.
    func runProbe(_ scenario: String) throws -> (status: Int32, out: String, err: String) {
        let bundle = Bundle.allBundles.first { $0.bundleURL.pathExtension == "xctest" }?.bundleURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let probe = bundle.deletingLastPathComponent().appendingPathComponent("WorkerPoolExitProbe")
        guard FileManager.default.isExecutableFile(atPath: probe.path) else {
            throw XCTSkip("WorkerPoolExitProbe is not built beside the tests (swift build --build-tests builds it)")
        }
        let process = Process()
        process.executableURL = probe
        process.arguments = [scenario]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func test_run_after_shutdown() {
        executor.shutdown()
        XCTAssertThrowsError(try executor.submit { 2 * 5 }) { XCTAssertEqual($0 as? ExecutorError, .shutdown) }
    }

    func test_interpreter_shutdown() throws {
        let (status, out, err) = try runProbe("interpreter-shutdown")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(err, "")
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "apple")
    }

    func test_submit_after_interpreter_shutdown() throws {
        let (_, out, err) = try runProbe("submit-after-exit")
        XCTAssertTrue(err.contains("cannot schedule new futures after the process began exiting"), err)
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "runtime-error")
    }

    func test_hang_issue12364() throws {
        let futures = try (0..<50).map { _ in try executor.submit { usleep(100_000) } }
        executor.shutdown()
        for future in futures { _ = try future.result() }
    }

    func test_cancel_futures() throws {
        XCTAssertLessThanOrEqual(workerCount, 5, "test needs few workers")
        let started = Event()
        let futures = try (0..<50).map { _ in try executor.submit { started.set(); usleep(100_000) } }
        // In CPython a worker has taken a task by now (a thread starts running at once under
        // the GIL); here one may not have been scheduled yet on a loaded machine: wait for one.
        started.wait()
        executor.shutdown(cancelPending: true)
        let cancelled = futures.filter(\.isCancelled)
        XCTAssertGreaterThan(cancelled.count, 20)
        let others = futures.filter { !$0.isCancelled }
        for future in others {
            XCTAssertTrue(future.isDone, future.description)
            XCTAssertNil(try future.error())
        }
        XCTAssertGreaterThan(others.count, 0)
    }

    func test_hang_gh83386() throws {
        let (status, out, err) = try runProbe("shutdown-no-wait")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(err, "")
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "apple")
    }

    func test_hang_gh94440() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 1)
        _ = try pool.submit { 0 }.result()
        try pool.submit { 0 }.cancel()
        let finished = Event()
        let thread = Thread {
            pool.shutdown(wait: true)
            finished.set()
        }
        thread.start()
        XCTAssertTrue(finished.wait(timeout: 60), "timed out waiting for shutdown")
    }

    func test_threads_terminate() throws {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<3 { _ = try executor.submit { semaphore.wait() } }
        XCTAssertEqual(executor.threadCount, 3)
        for _ in 0..<3 { semaphore.signal() }
        executor.shutdown()
        XCTAssertEqual(executor.threadCount, 0)
    }

    func test_context_manager_shutdown() async throws {
        var captured: ThreadPoolExecutor?
        let values = try await ThreadPoolExecutor.with(maxWorkers: 5) { pool in
            captured = pool
            return try await pool.map(-5..<5) { abs($0) }.collect()
        }
        XCTAssertEqual(values, [5, 4, 3, 2, 1, 0, 1, 2, 3, 4])
        XCTAssertEqual(captured?.threadCount, 0)
    }

    func test_del_shutdown() async throws {
        var pool: ThreadPoolExecutor? = ThreadPoolExecutor(maxWorkers: 5)
        let results = pool!.map(-5..<5) { abs($0) }
        weak let core = pool!.core
        pool = nil
        // The results were all computed: dropping the executor let queued work run.
        let values = try await results.collect()
        XCTAssertEqual(values, (-5..<5).map { abs($0) })
        _ = core
    }

    func test_shutdown_no_wait() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 5)
        let results = pool.map(-5..<5) { abs($0) }
        pool.shutdown(wait: false)
        let values = try await results.collect()
        XCTAssertEqual(values, (-5..<5).map { abs($0) })
    }

    func test_thread_names_assigned() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 5, name: "SpecialPool")
        let names = SharedList<String>()
        let gate = DispatchSemaphore(value: 0)
        let futures = try (0..<5).map { _ in
            try pool.submit {
                names.append(ThreadPoolExecutor.currentThreadName ?? "")
                gate.wait()
            }
        }
        while names.values.count < 5 { usleep(1000) }
        for _ in 0..<5 { gate.signal() }
        for future in futures { try future.result() }
        pool.shutdown()
        XCTAssertEqual(names.values.count, 5)
        for name in names.values {
            XCTAssertNotNil(name.range(of: "^SpecialPool_[0-4]$", options: .regularExpression), name)
        }
    }

    func test_thread_names_default() throws {
        let first = ThreadPoolExecutor(maxWorkers: 5)
        let second = ThreadPoolExecutor(maxWorkers: 5)
        let names = try [first, second].map { pool in try pool.submit { ThreadPoolExecutor.currentThreadName ?? "" }.result() }
        first.shutdown()
        second.shutdown()
        for name in names {
            XCTAssertNotNil(name.range(of: "ThreadPoolExecutor-\\d+_[0-4]$", options: .regularExpression), name)
        }
        XCTAssertNotEqual(names[0], names[1], "default names are unique per pool")
    }

    func test_cancel_futures_wait_false() throws {
        let (status, out, err) = try runProbe("cancel-futures-wait-false")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(err, "")
        // gh-116682: stdout may be empty if shutdown happens before the task starts.
        XCTAssertTrue(["apple", ""].contains(out.trimmingCharacters(in: .whitespacesAndNewlines)), out)
    }

    /// Beyond CPython: queued work, not only running work, finishes before the process exits.
    func testQueuedWorkFinishesAtExit() throws {
        let (status, out, _) = try runProbe("queued-work-finishes")
        XCTAssertEqual(status, 0)
        let lines = out.split(separator: "\n").map(String.init).sorted()
        XCTAssertEqual(lines, (0..<6).map { "task \($0)" })
    }

    /// `shutdown(cancelPending: true)` cancels only queued tasks: one a worker has taken runs.
    func testCancelPendingRunsTakenTasks() throws {
        let started = Event()
        let release = Event()
        let pool = ThreadPoolExecutor(maxWorkers: 1)
        let taken = try pool.submit { () -> Int in
            started.set()
            release.wait()
            return 1
        }
        let queued = try pool.submit { 2 }
        started.wait()
        pool.shutdown(wait: false, cancelPending: true)
        release.set()
        XCTAssertEqual(try taken.result(), 1)
        XCTAssertTrue(queued.isCancelled)
        pool.shutdown(wait: true)
    }
}
