import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

struct Boom: Error, Equatable { let code: Int }

/// A gate a test opens to let blocked work continue.
final class Gate: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func open(_ count: Int = 1) { for _ in 0..<count { semaphore.signal() } }
    func pass() { semaphore.wait() }
}

final class FutureTests: XCTestCase {
    func testResultPropagatesValue() throws {
        try ThreadPoolExecutor.with(maxWorkers: 2, name: "t") { pool in
            XCTAssertEqual(try pool.submit { 6 * 7 }.result(), 42)
        }
    }

    func testResultRethrowsTheWorksError() throws {
        try ThreadPoolExecutor.with(maxWorkers: 2, name: "t") { pool in
            let future: Future<Int> = try pool.submit { throw Boom(code: 3) }
            XCTAssertThrowsError(try future.result()) { XCTAssertEqual($0 as? Boom, Boom(code: 3)) }
            XCTAssertEqual(try future.error() as? Boom, Boom(code: 3))
        }
    }

    func testErrorIsNilOnSuccess() throws {
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            XCTAssertNil(try pool.submit { 1 }.error())
        }
    }

    func testCancelBeforeStartNeverRuns() throws {
        let ran = Atomic<Int>(0)
        let gate = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let blocker = try pool.submit { gate.pass() }
            let pending = try pool.submit { ran.add(1, ordering: .relaxed) }
            XCTAssertTrue(pending.cancel())
            XCTAssertTrue(pending.isCancelled)
            XCTAssertTrue(pending.isDone)
            gate.open()
            try blocker.result()
            XCTAssertThrowsError(try pending.result()) { XCTAssertEqual($0 as? ExecutorError, .cancelled) }
            XCTAssertThrowsError(try pending.error()) { XCTAssertEqual($0 as? ExecutorError, .cancelled) }
        }
        XCTAssertEqual(ran.load(ordering: .relaxed), 0)
    }

    func testCancelWhileRunningReturnsFalse() throws {
        let started = Gate()
        let release = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let future = try pool.submit { started.open(); release.pass(); return 5 }
            started.pass()
            XCTAssertTrue(future.isRunning)
            XCTAssertFalse(future.cancel())
            XCTAssertFalse(future.isCancelled)
            release.open()
            XCTAssertEqual(try future.result(), 5)
            XCTAssertFalse(future.cancel(), "a finished future cannot be cancelled")
        }
    }

    func testResultTimesOutWhileWorkIsBlocked() throws {
        let release = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let future = try pool.submit { release.pass(); return 1 }
            let start = ContinuousClock.now
            XCTAssertThrowsError(try future.result(timeout: .milliseconds(50))) {
                XCTAssertEqual($0 as? ExecutorError, .timeout(unfinished: 1, of: 1))
            }
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(50), "must not return early")
            XCTAssertFalse(future.isDone)
            release.open()
            XCTAssertEqual(try future.result(timeout: .seconds(30)), 1)
        }
    }

    func testCallbackRunsExactlyOnce() throws {
        let calls = Atomic<Int>(0)
        let release = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let future = try pool.submit { release.pass(); return 1 }
            future.whenDone { _ in calls.add(1, ordering: .relaxed) }
            release.open()
            _ = try future.result()
        }
        XCTAssertEqual(calls.load(ordering: .relaxed), 1)
    }

    func testCallbackAddedAfterCompletionRunsAtOnce() throws {
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let future = try pool.submit { 9 }
            _ = try future.result()
            let calls = Atomic<Int>(0)
            future.whenDone { done in
                XCTAssertEqual(try done.result(), 9)
                calls.add(1, ordering: .relaxed)
            }
            XCTAssertEqual(calls.load(ordering: .relaxed), 1, "ran before whenDone returned")
        }
    }

    func testCallbackRunsOnCancel() {
        let promise = Promise<Int>()
        let calls = Atomic<Int>(0)
        promise.future.whenDone { _ in calls.add(1, ordering: .relaxed) }
        XCTAssertTrue(promise.future.cancel())
        XCTAssertTrue(promise.future.cancel(), "cancelling twice still reports cancelled")
        XCTAssertEqual(calls.load(ordering: .relaxed), 1)
    }

    func testThrowingCallbackNeverBreaksThePool() throws {
        let later = Atomic<Int>(0)
        try ThreadPoolExecutor.with(maxWorkers: 1, name: "t") { pool in
            let future = try pool.submit { 1 }
            future.whenDone { _ in throw Boom(code: 1) }
            future.whenDone { _ in later.add(1, ordering: .relaxed) }
            _ = try future.result()
            XCTAssertEqual(try pool.submit { 2 }.result(), 2)
        }
        XCTAssertEqual(later.load(ordering: .relaxed), 1, "the callback after a throwing one still ran")
    }

    func testAsyncValueBridge() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "t")
        defer { pool.shutdown() }
        let future = try pool.submit { usleep(10_000); return "done" }
        let value = try await future.value
        XCTAssertEqual(value, "done")
        let failing: Future<Int> = try pool.submit { throw Boom(code: 7) }
        do {
            _ = try await failing.value
            XCTFail("expected the work's error")
        } catch {
            XCTAssertEqual(error as? Boom, Boom(code: 7))
        }
    }

    func testPromiseCompletesOnceOnly() throws {
        let promise = Promise<Int>()
        try promise.succeed(1)
        XCTAssertThrowsError(try promise.succeed(2)) { XCTAssertEqual($0 as? ExecutorError, .alreadyCompleted) }
        XCTAssertThrowsError(try promise.fail(Boom(code: 1))) { XCTAssertEqual($0 as? ExecutorError, .alreadyCompleted) }
        XCTAssertEqual(try promise.future.result(), 1)
    }

    func testPromiseFailurePropagates() throws {
        let promise = Promise<Int>()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) { try? promise.fail(Boom(code: 2)) }
        XCTAssertThrowsError(try promise.future.result(timeout: .seconds(30))) { XCTAssertEqual($0 as? Boom, Boom(code: 2)) }
    }

    func testPromiseCannotCompleteAfterCancel() {
        let promise = Promise<Int>()
        promise.future.cancel()
        XCTAssertThrowsError(try promise.succeed(1)) { XCTAssertEqual($0 as? ExecutorError, .alreadyCompleted) }
    }
}
