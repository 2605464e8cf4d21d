import Foundation
import XCTest
@testable import WorkerPool

@Sendable func mul(_ x: Int, _ y: Int) -> Int { x * y }

/// CPython's test_wait.py (WaitTests + ThreadPoolWaitTests), ported. Python's sets of
/// futures become sets of identities. Python's CANCELLED_FUTURE (cancelled, callbacks not
/// yet run) counts as not done in `wait`; cancelling notifies at once here, so where a test
/// needs a future that `wait` sees as not done, a pending one stands in (CPYTHON.md).
final class CPythonWaitTests: ThreadPoolTestCase {
    func test_20369() throws {
        let future = try executor.submit { mul(1, 2) }
        let (done, notDone) = Futures.wait([future, future], returnWhen: .allCompleted)
        XCTAssertEqual(identities(done), identities([future]))
        XCTAssertEqual(done.count, 1)
        XCTAssertTrue(notDone.isEmpty)
    }

    func test_first_completed() throws {
        let event = Event()
        let notNotified = createFuture(.pending)
        let future1 = try executor.submit { mul(21, 2) }
        let future2 = try executor.submit { event.wait() }
        defer { event.set(); _ = try? future2.result() }
        _ = try future1.result()  // Python's FIRST_COMPLETED finds future1 done first; here made sure
        let (done, notDone) = Futures.wait([notNotified, future1, future2] as [any AnyFuture], returnWhen: .firstCompleted)
        XCTAssertEqual(identities(done), identities([future1]))
        XCTAssertEqual(identities(notDone), identities([notNotified, future2]))
    }

    func test_first_completed_some_already_completed() throws {
        let event = Event()
        let states = StateFutures()
        let future1 = try executor.submit { event.wait() }
        defer { event.set(); _ = try? future1.result() }
        let (finished, pending) = Futures.wait([states.cancelled, states.successful, future1] as [any AnyFuture], returnWhen: .firstCompleted)
        XCTAssertEqual(identities(finished), identities([states.cancelled, states.successful]))
        XCTAssertEqual(identities(pending), identities([future1]))
    }

    func test_first_exception() throws {
        let event1 = Event()
        let event2 = Event()
        defer { event1.set(); event2.set() }
        let future1 = try executor.submit { mul(2, 21) }
        let future2 = try executor.submit { () throws -> Bool in
            event1.wait()
            throw ValueError(message: "this is an exception")
        }
        let future3 = try executor.submit { event2.wait() }
        // Ensure that future1 is completed before future2 finishes.
        let thread = Thread {
            _ = try? future1.result()
            event1.set()
        }
        thread.start()
        let (finished, pending) = Futures.wait([future1, future2, future3] as [any AnyFuture], returnWhen: .firstError)
        XCTAssertEqual(identities(finished), identities([future1, future2]))
        XCTAssertEqual(identities(pending), identities([future3]))
        event2.set()
        _ = try future3.result()
    }

    func test_first_exception_some_already_complete() throws {
        let event = Event()
        let states = StateFutures()
        let notNotified = createFuture(.pending)
        let future1 = try executor.submit { () throws -> Int in throw ZeroDivisionError() }
        let future2 = try executor.submit { event.wait() }
        defer { event.set(); _ = try? future2.result() }
        let (finished, pending) = Futures.wait(
            [states.successful, notNotified, states.cancelled, future1, future2] as [any AnyFuture],
            returnWhen: .firstError)
        XCTAssertEqual(identities(finished), identities([states.successful, states.cancelled, future1]))
        XCTAssertEqual(identities(pending), identities([notNotified, future2]))
    }

    func test_first_exception_one_already_failed() throws {
        let event = Event()
        let states = StateFutures()
        let future1 = try executor.submit { event.wait() }
        defer { event.set(); _ = try? future1.result() }
        let (finished, pending) = Futures.wait([states.exception, future1] as [any AnyFuture], returnWhen: .firstError)
        XCTAssertEqual(identities(finished), identities([states.exception]))
        XCTAssertEqual(identities(pending), identities([future1]))
    }

    func test_all_completed() throws {
        let states = StateFutures()
        let future1 = try executor.submit { () throws -> Int in throw ZeroDivisionError() }
        let future2 = try executor.submit { mul(2, 21) }
        let all: [any AnyFuture] = [states.successful, states.cancelled, states.exception, future1, future2]
        let (finished, pending) = Futures.wait(all, returnWhen: .allCompleted)
        XCTAssertEqual(identities(finished), identities(all))
        XCTAssertTrue(pending.isEmpty)
    }

    func test_timeout() throws {
        let event = Event()
        let states = StateFutures()
        let future = try executor.submit { event.wait() }
        defer { event.set(); _ = try? future.result() }
        let (finished, pending) = Futures.wait(
            [states.cancelled, states.exception, states.successful, future] as [any AnyFuture],
            timeout: .milliseconds(50), returnWhen: .allCompleted)
        XCTAssertEqual(identities(finished), identities([states.cancelled, states.exception, states.successful]))
        XCTAssertEqual(identities(pending), identities([future]))
        XCTAssertEqual(future.waiterCount, 0, "the timed-out wait left its waiter behind")
    }

    func test_pending_calls_race() throws {
        let event = Event()
        let futures = try (0..<100).map { _ in try executor.submit { event.wait() } }
        event.set()
        let (done, notDone) = Futures.wait(futures, returnWhen: .allCompleted)
        XCTAssertEqual(done.count, 100)
        XCTAssertTrue(notDone.isEmpty)
    }

    /// The mixed value types: one wait over futures of Int, String and Void.
    func testWaitTakesFuturesOfDifferentValueTypes() throws {
        let number = try executor.submit { 1 }
        let text = try executor.submit { "one" }
        let nothing = try executor.submit { () }
        let (done, notDone) = Futures.wait([number, text, nothing] as [any AnyFuture])
        XCTAssertEqual(done.count, 3)
        XCTAssertTrue(notDone.isEmpty)
    }
}
