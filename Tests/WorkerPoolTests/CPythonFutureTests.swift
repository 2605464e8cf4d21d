import Foundation
import XCTest
@testable import WorkerPool

/// CPython's Lib/test/test_concurrent_futures/test_future.py (FutureTests), ported: each
/// test is named after its Python original. Not ported: see CPYTHON.md.
final class CPythonFutureTests: XCTestCase {
    func test_done_callback_with_result() throws {
        let seen = SharedList<Int>()
        let promise = Promise<Int>()
        promise.future.whenDone { seen.append(try $0.result()) }
        try promise.succeed(5)
        XCTAssertEqual(seen.values, [5])
    }

    func test_done_callback_with_exception() throws {
        let seen = SharedList<String>()
        let promise = Promise<Int>()
        promise.future.whenDone { seen.append((try $0.error() as? ValueError)?.message ?? "none") }
        try promise.fail(ValueError(message: "test"))
        XCTAssertEqual(seen.values, ["test"])
    }

    func test_done_callback_with_cancel() {
        let seen = SharedList<Bool>()
        let future = Promise<Int>().future
        future.whenDone { seen.append($0.isCancelled) }
        XCTAssertTrue(future.cancel())
        XCTAssertEqual(seen.values, [true])
    }

    func test_done_callback_raises() throws {
        let reported = SharedList<String>()
        Futures.callbackErrorHandler = { error, future in reported.append("\(error) for \(future)") }
        defer { Futures.callbackErrorHandler = nil }
        let raisingWasCalled = SharedList<Bool>()
        let fnWasCalled = SharedList<Bool>()
        let promise = Promise<Int>()
        promise.future.whenDone { _ in
            raisingWasCalled.append(true)
            throw ValueError(message: "doh!")
        }
        promise.future.whenDone { _ in fnWasCalled.append(true) }
        try promise.succeed(5)
        XCTAssertEqual(raisingWasCalled.values, [true])
        XCTAssertEqual(fnWasCalled.values, [true])
        XCTAssertEqual(reported.values.count, 1)
        XCTAssertTrue(reported.values[0].contains("doh!"), reported.values[0])
    }

    func test_done_callback_already_successful() throws {
        let seen = SharedList<Int>()
        let promise = Promise<Int>()
        try promise.succeed(5)
        promise.future.whenDone { seen.append(try $0.result()) }
        XCTAssertEqual(seen.values, [5])
    }

    func test_done_callback_already_failed() throws {
        let seen = SharedList<Bool>()
        let promise = Promise<Int>()
        try promise.fail(ValueError(message: "test"))
        promise.future.whenDone { seen.append(try $0.error() as? ValueError == ValueError(message: "test")) }
        XCTAssertEqual(seen.values, [true])
    }

    func test_done_callback_already_cancelled() {
        let seen = SharedList<Bool>()
        let future = Promise<Int>().future
        XCTAssertTrue(future.cancel())
        future.whenDone { seen.append($0.isCancelled) }
        XCTAssertEqual(seen.values, [true])
    }

    func test_done_callback_raises_already_succeeded() throws {
        let reported = SharedList<String>()
        Futures.callbackErrorHandler = { error, future in reported.append("exception calling callback for \(future): \(error)") }
        defer { Futures.callbackErrorHandler = nil }
        let promise = Promise<Int>()
        try promise.succeed(5)
        promise.future.whenDone { _ in throw ValueError(message: "doh!") }
        XCTAssertEqual(reported.values.count, 1)
        XCTAssertTrue(reported.values[0].contains("exception calling callback for <Future at 0x"), reported.values[0])
        XCTAssertTrue(reported.values[0].contains("doh!"), reported.values[0])
    }

    /// Without a handler the report goes to standard error, as Python's logger writes it.
    func test_done_callback_raises_reports_to_stderr_by_default() throws {
        let pipe = Pipe()
        let saved = dup(2)
        dup2(pipe.fileHandleForWriting.fileDescriptor, 2)
        let promise = Promise<Int>()
        try promise.succeed(5)
        promise.future.whenDone { _ in throw ValueError(message: "doh!") }
        dup2(saved, 2)
        close(saved)
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.contains("exception calling callback for <Future at 0x"), text)
        XCTAssertTrue(text.contains("doh!"), text)
    }

    func test_repr() {
        let futures = StateFutures()
        func matches(_ future: Future<Int>, _ pattern: String) {
            let text = future.description
            XCTAssertNotNil(text.range(of: "^<Future at 0x[0-9a-f]+ \(pattern)>$", options: .regularExpression), text)
        }
        matches(futures.pending, "state=pending")
        matches(futures.running, "state=running")
        matches(futures.cancelled, "state=cancelled")
        matches(futures.exception, "state=finished raised OSError")
        matches(futures.successful, "state=finished returned Int")
    }

    func test_cancel() {
        let f1 = createFuture(.pending)
        let f2 = createFuture(.running)
        let f3 = createFuture(.cancelled)
        let f5 = createFuture(.finishedWithError)
        let f6 = createFuture(.finished(5))

        XCTAssertTrue(f1.cancel())
        XCTAssertTrue(f1.isCancelled)
        XCTAssertFalse(f2.cancel())
        XCTAssertTrue(f2.isRunning)
        XCTAssertTrue(f3.cancel())
        XCTAssertTrue(f3.isCancelled)
        XCTAssertFalse(f5.cancel())
        XCTAssertTrue(f5.isDone && !f5.isCancelled)
        XCTAssertFalse(f6.cancel())
        XCTAssertTrue(f6.isDone && !f6.isCancelled)
    }

    func test_cancelled() {
        let futures = StateFutures()
        XCTAssertFalse(futures.pending.isCancelled)
        XCTAssertFalse(futures.running.isCancelled)
        XCTAssertTrue(futures.cancelled.isCancelled)
        XCTAssertFalse(futures.exception.isCancelled)
        XCTAssertFalse(futures.successful.isCancelled)
    }

    func test_done() {
        let futures = StateFutures()
        XCTAssertFalse(futures.pending.isDone)
        XCTAssertFalse(futures.running.isDone)
        XCTAssertTrue(futures.cancelled.isDone)
        XCTAssertTrue(futures.exception.isDone)
        XCTAssertTrue(futures.successful.isDone)
    }

    func test_running() {
        let futures = StateFutures()
        XCTAssertFalse(futures.pending.isRunning)
        XCTAssertTrue(futures.running.isRunning)
        XCTAssertFalse(futures.cancelled.isRunning)
        XCTAssertFalse(futures.exception.isRunning)
        XCTAssertFalse(futures.successful.isRunning)
    }

    func test_result_with_timeout() {
        let futures = StateFutures()
        XCTAssertThrowsError(try futures.pending.result(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .timeout(unfinished: 1, of: 1))
        }
        XCTAssertThrowsError(try futures.running.result(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .timeout(unfinished: 1, of: 1))
        }
        XCTAssertThrowsError(try futures.cancelled.result(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .cancelled)
        }
        XCTAssertThrowsError(try futures.exception.result(timeout: .zero)) { XCTAssertTrue($0 is OSError) }
        XCTAssertEqual(try futures.successful.result(timeout: .zero), 42)
    }

    func test_result_with_success() throws {
        let promise = Promise<Int>()
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.2)  // let the main thread wait first
            try! promise.succeed(42)
        }
        thread.start()
        XCTAssertEqual(try promise.future.result(timeout: .seconds(60)), 42)
    }

    func test_result_with_cancel() {
        let future = createFuture(.pending)
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            future.cancel()
        }
        thread.start()
        XCTAssertThrowsError(try future.result(timeout: .seconds(60))) {
            XCTAssertEqual($0 as? ExecutorError, .cancelled)
        }
    }

    func test_exception_with_timeout() throws {
        let futures = StateFutures()
        XCTAssertThrowsError(try futures.pending.error(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .timeout(unfinished: 1, of: 1))
        }
        XCTAssertThrowsError(try futures.running.error(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .timeout(unfinished: 1, of: 1))
        }
        XCTAssertThrowsError(try futures.cancelled.error(timeout: .zero)) {
            XCTAssertEqual($0 as? ExecutorError, .cancelled)
        }
        XCTAssertTrue(try futures.exception.error(timeout: .zero) is OSError)
        XCTAssertNil(try futures.successful.error(timeout: .zero))
    }

    func test_exception_with_success() throws {
        let promise = Promise<Int>()
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            try! promise.fail(OSError())
        }
        thread.start()
        XCTAssertTrue(try promise.future.error(timeout: .seconds(60)) is OSError)
    }

    func test_multiple_set_result() throws {
        let promise = Promise<Int>()
        try promise.succeed(1)
        XCTAssertThrowsError(try promise.succeed(2)) { XCTAssertEqual($0 as? ExecutorError, .alreadyCompleted) }
        XCTAssertTrue(promise.future.isDone)
        XCTAssertEqual(try promise.future.result(), 1)
        XCTAssertTrue(promise.future.description.hasSuffix("state=finished returned Int>"))
    }

    func test_multiple_set_exception() throws {
        let promise = Promise<Int>()
        try promise.fail(ValueError(message: "first"))
        XCTAssertThrowsError(try promise.fail(OSError())) { XCTAssertEqual($0 as? ExecutorError, .alreadyCompleted) }
        XCTAssertEqual(try promise.future.error() as? ValueError, ValueError(message: "first"))
        XCTAssertTrue(promise.future.description.hasSuffix("state=finished raised ValueError>"))
    }

    // Beyond test_future.py, the measurements as behaviour (no timing asserted):

    /// A timed-out wait takes its waiter back out: polling a pending future leaves nothing.
    func testTimedOutWaitsLeaveNoWaiterBehind() throws {
        let future = createFuture(.pending)
        for _ in 0..<1000 { _ = try? future.result(timeout: .microseconds(1)) }
        for _ in 0..<1000 { _ = try? future.result(timeout: .zero) }
        let (done, notDone) = Futures.wait([future], timeout: .microseconds(1))
        XCTAssertTrue(done.isEmpty)
        XCTAssertEqual(notDone.count, 1)
        XCTAssertEqual(future.waiterCount, 0)
    }
}
