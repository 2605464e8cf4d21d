import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

// Python's Lib/test/test_concurrent_futures/util.py, for the CPython*Tests ports:
// futures made in each state by hand, an Event, and a pool per test (ThreadPoolMixin).

/// Python's OSError / ValueError stand-ins: errors with a name the tests can see.
struct OSError: Error, Equatable {}
struct ValueError: Error, Equatable { var message = "" }
struct ZeroDivisionError: Error, Equatable {}

enum FutureState { case pending, running, cancelled, finishedWithError, finished(Int) }

/// util.create_future: a future in `state` that no pool runs.
func createFuture(_ state: FutureState) -> Future<Int> {
    switch state {
    case .pending:
        return Promise<Int>().future
    case .running:
        let future = Future<Int>(work: { 0 }, token: nil)
        _ = future.start()
        return future
    case .cancelled:
        let future = Promise<Int>().future
        future.cancel()
        return future
    case .finishedWithError:
        let promise = Promise<Int>()
        try! promise.fail(OSError())
        return promise.future
    case .finished(let value):
        let promise = Promise<Int>()
        try! promise.succeed(value)
        return promise.future
    }
}

/// PENDING_FUTURE, RUNNING_FUTURE, ... of util.py (fresh ones per test).
struct StateFutures {
    let pending = createFuture(.pending)
    let running = createFuture(.running)
    /// Python's CANCELLED and CANCELLED_AND_NOTIFIED are one state here: `cancel()`
    /// notifies at once.
    let cancelled = createFuture(.cancelled)
    let exception = createFuture(.finishedWithError)
    let successful = createFuture(.finished(42))
}

/// threading.Event.
final class Event: @unchecked Sendable {
    private let condition = NSCondition()
    private var flag = false

    func set() {
        condition.lock()
        flag = true
        condition.broadcast()
        condition.unlock()
    }

    var isSet: Bool {
        condition.lock()
        defer { condition.unlock() }
        return flag
    }

    /// Waits until set or `timeout` (seconds) passes; returns whether it is set.
    @discardableResult
    func wait(timeout: Double = 300) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !flag { if !condition.wait(until: deadline) { break } }
        return flag
    }
}

/// A list appended to from worker threads (Python's list with the GIL).
final class SharedList<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var values: [Element] { lock.withLock { items } }
}

/// ThreadPoolMixin + BaseTestCase: a pool of `workerCount` per test, shut down with wait.
class ThreadPoolTestCase: XCTestCase {
    var workerCount: Int { 5 }
    private(set) var executor: ThreadPoolExecutor!

    override func setUp() {
        super.setUp()
        executor = ThreadPoolExecutor(maxWorkers: workerCount)
    }

    override func tearDown() {
        executor.shutdown(wait: true)
        executor = nil
        super.tearDown()
    }
}

func identities(_ futures: [any AnyFuture]) -> Set<ObjectIdentifier> {
    Set(futures.map { ObjectIdentifier($0) })
}

extension AsyncSequence {
    /// list(async_iterator).
    func collect() async throws -> [Element] {
        var all: [Element] = []
        for try await element in self { all.append(element) }
        return all
    }
}
