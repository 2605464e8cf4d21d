import Platform
import Synchronization
import XCTest

final class ConditionLockTests: XCTestCase {
    func testWaitReturnsOnceAnotherThreadSignals() throws {
        let lock = ConditionLock()
        let ready = Counter()
        let thread = try NamedThread(name: "test-signal") {
            lock.withLock {
                ready.value = 1
                lock.signal()
            }
        }
        lock.withLock {
            while ready.value == 0 { lock.wait() }
        }
        thread.join()
        XCTAssertEqual(ready.value, 1)
    }

    func testTimedWaitReturnsFalseAtTheDeadline() {
        let lock = ConditionLock()
        let signalled = lock.withLock { lock.wait(until: Deadline.after(.milliseconds(20))!) }
        XCTAssertFalse(signalled)
    }

    func testSecondConditionWakesOnlyItsOwnWaiters() throws {
        let lock = ConditionLock()
        let other = LockCondition(on: lock)
        let state = Counter()
        let thread = try NamedThread(name: "test-other") {
            lock.withLock {
                state.value = 1
                other.signal()
            }
        }
        lock.withLock {
            while state.value == 0 { other.wait() }
        }
        thread.join()
        // Nothing signals the lock's own condition: a bounded wait on it times out.
        XCTAssertFalse(lock.withLock { lock.wait(until: Deadline.after(.milliseconds(10))!) })
    }

    func testCountersUnderTheLockLoseNoIncrement() throws {
        let lock = ConditionLock()
        let total = Counter()
        let threads = try (0..<4).map { index in
            try NamedThread(name: "test-count-\(index)") {
                for _ in 0..<10_000 { lock.withLock { total.value += 1 } }
            }
        }
        for thread in threads { thread.join() }
        XCTAssertEqual(lock.withLock { total.value }, 40_000)
    }
}

/// A value shared between test threads; every access holds the test's lock.
final class Counter: @unchecked Sendable {
    var value = 0
}
