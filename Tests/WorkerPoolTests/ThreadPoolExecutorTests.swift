import Foundation
import Synchronization
import XCTest
@testable import WorkerPool
import CShims

/// Names of this process's threads, from /proc/self/task/*/comm.
func threadNames() -> [String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        .map { $0.trimmingCharacters(in: .newlines) }
}

final class ThreadPoolExecutorTests: XCTestCase {
    func testDefaultMaxWorkersIsPythonsRule() {
        // TRAWL_CPU_COUNT: the cores the suite is told to pretend (trawl_active_processor_count).
        let cores = ProcessInfo.processInfo.environment["TRAWL_CPU_COUNT"].flatMap { Int($0) }
            ?? ProcessInfo.processInfo.activeProcessorCount
        XCTAssertEqual(ThreadPoolExecutor.defaultMaxWorkers, min(32, cores + 4))
        let pool = ThreadPoolExecutor(name: "d")
        XCTAssertEqual(pool.maxWorkers, min(32, cores + 4))
        pool.shutdown()
    }

    func testThreadsCarryTheirNamesInProc() throws {
        let gate = Gate()
        let started = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 3, name: "namecheck") { pool in
            let futures = try (0..<3).map { _ in try pool.submit { started.open(); gate.pass() } }
            for _ in 0..<3 { started.pass() }
            let names = threadNames().filter { $0.hasPrefix("namecheck_") }.sorted()
            XCTAssertEqual(names, ["namecheck_0", "namecheck_1", "namecheck_2"])
            gate.open(3)
            for future in futures { try future.result() }
        }
    }

    func testLongNamesAreTruncatedToFifteenBytes() throws {
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "averyverylongpoolname") { pool in
            let name = try pool.submit { () -> String in
                let tid = Int(trawl_gettid())
                return (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)) ?? ""
            }.result()
            XCTAssertEqual(name.trimmingCharacters(in: .newlines), "averyverylongpo")
        }
    }

    func testThreadsStartLazilyAndIdleOnesAreReused() throws {
        try ThreadPoolExecutor.with(maxWorkers: 8, name: "lazy") { pool in
            XCTAssertEqual(pool.threadCount, 0, "no thread before work arrives")
            for i in 0..<50 { XCTAssertEqual(try pool.submit { i }.result(), i) }
            XCTAssertEqual(pool.threadCount, 1, "sequential work reuses the idle thread")
        }
    }

    func testNeverMoreThanMaxWorkersThreads() throws {
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        try ThreadPoolExecutor.with(maxWorkers: 3, name: "cap") { pool in
            let futures = try (0..<40).map { _ in
                try pool.submit {
                    let now = running.add(1, ordering: .relaxed).newValue
                    _ = peak.max(now, ordering: .relaxed)
                    usleep(1000)
                    running.subtract(1, ordering: .relaxed)
                }
            }
            for future in futures { try future.result() }
            XCTAssertLessThanOrEqual(pool.threadCount, 3)
        }
        XCTAssertLessThanOrEqual(peak.load(ordering: .relaxed), 3)
        XCTAssertGreaterThan(peak.load(ordering: .relaxed), 1, "work ran in parallel")
    }

    func testConcurrencyLimitCapsRunningTasksAndRaisingItLetsMoreRun() throws {
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        func task() -> @Sendable () -> Void {
            {
                let now = running.add(1, ordering: .relaxed).newValue
                _ = peak.max(now, ordering: .relaxed)
                usleep(2000)
                running.subtract(1, ordering: .relaxed)
            }
        }
        try ThreadPoolExecutor.with(maxWorkers: 8, name: "limit") { pool in
            pool.limitConcurrency(to: 2)
            let limited = try (0..<40).map { _ in try pool.submit(task()) }
            for future in limited { try future.result() }
            XCTAssertEqual(peak.load(ordering: .relaxed), 2, "never more than the limit, and the limit used")

            // Raised while work is queued: held-back workers take it at once.
            peak.store(0, ordering: .relaxed)
            let more = try (0..<40).map { _ in try pool.submit(task()) }
            pool.limitConcurrency(to: 8)
            for future in more { try future.result() }
            XCTAssertGreaterThan(peak.load(ordering: .relaxed), 2)
            XCTAssertLessThanOrEqual(peak.load(ordering: .relaxed), 8)
        }
    }

    func testShutdownRunsWorkHeldBackByTheLimit() throws {
        let done = Atomic<Int>(0)
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "limitdown")
        pool.limitConcurrency(to: 1)
        for _ in 0..<20 {
            _ = try pool.submit {
                usleep(200)
                done.add(1, ordering: .relaxed)
            }
        }
        pool.shutdown(wait: true)
        XCTAssertEqual(done.load(ordering: .relaxed), 20)
        XCTAssertEqual(pool.threadCount, 0)
    }

    func testInitializerRunsOncePerThread() throws {
        let initialized = Atomic<Int>(0)
        let gate = Gate()
        let started = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 2, name: "init", initializer: { initialized.add(1, ordering: .relaxed) }) { pool in
            let futures = try (0..<2).map { _ in try pool.submit { started.open(); gate.pass() } }
            started.pass(); started.pass()
            gate.open(2)
            for future in futures { try future.result() }
            for i in 0..<20 { _ = try pool.submit { i }.result() }
        }
        XCTAssertEqual(initialized.load(ordering: .relaxed), 2)
    }

    func testFailingInitializerBreaksThePool() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "broken", initializer: { throw Boom(code: 9) })
        let first = try pool.submit { 1 }
        XCTAssertThrowsError(try first.result(timeout: .seconds(30))) {
            guard case .broken = $0 as? ExecutorError else { return XCTFail("expected .broken, got \($0)") }
        }
        // The pool is broken once the failing thread has marked it; later submits throw.
        var brokenSubmit = false
        for _ in 0..<1000 where !brokenSubmit {
            do { _ = try pool.submit { 2 }; usleep(1000) } catch ExecutorError.broken { brokenSubmit = true }
        }
        XCTAssertTrue(brokenSubmit)
        pool.shutdown()
    }

    func testShutdownRunsQueuedWorkThenRefusesNew() throws {
        let done = Atomic<Int>(0)
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "sd")
        let futures = try (0..<20).map { _ in try pool.submit { usleep(200); done.add(1, ordering: .relaxed) } }
        pool.shutdown(wait: true)
        XCTAssertEqual(done.load(ordering: .relaxed), 20, "queued work ran before shutdown returned")
        XCTAssertTrue(futures.allSatisfy { $0.isDone && !$0.isCancelled })
        XCTAssertThrowsError(try pool.submit { 1 }) { XCTAssertEqual($0 as? ExecutorError, .shutdown) }
    }

    func testShutdownCancelPendingCancelsQueuedAndSignalsRunning() throws {
        let started = Gate()
        let sawCancellation = Atomic<Bool>(false)
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "cp")
        let running = try pool.submit { () -> Int in
            started.open()
            while !(CancellationToken.current?.isCancelled ?? false) { usleep(500) }
            sawCancellation.store(true, ordering: .relaxed)
            return 1
        }
        let queued = try (0..<5).map { _ in try pool.submit { 2 } }
        started.pass()
        pool.shutdown(wait: true, cancelPending: true)
        XCTAssertTrue(sawCancellation.load(ordering: .relaxed), "running work saw its token cancelled")
        XCTAssertEqual(try running.result(), 1)
        XCTAssertTrue(queued.allSatisfy(\.isCancelled))
    }

    func testCallerTokenStopsWork() throws {
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "tok") { pool in
            let token = CancellationToken()
            let started = Gate()
            let future = try pool.submit(cancellation: token) { () -> Int in
                started.open()
                var rounds = 0
                while !(CancellationToken.current?.isCancelled ?? false) { rounds += 1; usleep(200) }
                return rounds
            }
            started.pass()
            token.cancel()
            XCTAssertGreaterThanOrEqual(try future.result(timeout: .seconds(30)), 0)
            let cancelledFirst = CancellationToken()
            cancelledFirst.cancel()
            let never = try pool.submit(cancellation: cancelledFirst) { 1 }
            XCTAssertThrowsError(try never.result()) { XCTAssertEqual($0 as? ExecutorError, .cancelled) }
        }
    }

    func testNoThreadLeakAfterShutdown() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "leakchk")
        let futures = try (0..<100).map { i in try pool.submit { usleep(100); return i } }
        for future in futures { _ = try future.result() }
        XCTAssertFalse(threadNames().filter { $0.hasPrefix("leakchk_") }.isEmpty)
        pool.shutdown(wait: true)
        XCTAssertEqual(threadNames().filter { $0.hasPrefix("leakchk_") }, [])
        XCTAssertEqual(pool.threadCount, 0)
    }

    func testWithShutsDownOnThrow() {
        var captured: ThreadPoolExecutor?
        XCTAssertThrowsError(try ThreadPoolExecutor.with(maxWorkers: 1, name: "w") { pool in
            captured = pool
            throw Boom(code: 1)
        })
        XCTAssertThrowsError(try captured?.submit { 1 }) { XCTAssertEqual($0 as? ExecutorError, .shutdown) }
    }

    func testTaskExecutorRunsOnPoolThreads() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "taskexec")
        let task = Task(executorPreference: pool) { () -> String in
            let tid = Int(trawl_gettid())
            return (try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)) ?? ""
        }
        let name = await task.value
        XCTAssertTrue(name.hasPrefix("taskexec_"), "ran on \(name)")
        pool.shutdown()
    }
}
