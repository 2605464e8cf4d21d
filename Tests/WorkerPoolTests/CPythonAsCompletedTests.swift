import Foundation
import XCTest
@testable import WorkerPool

/// CPython's test_as_completed.py (AsCompletedTests on a thread pool), ported.
final class CPythonAsCompletedTests: ThreadPoolTestCase {
    func test_no_timeout() async throws {
        let states = StateFutures()
        let future1 = try executor.submit { mul(2, 21) }
        let future2 = try executor.submit { mul(7, 6) }
        let all: [any AnyFuture] = [states.cancelled, states.exception, states.successful, future1, future2]
        let completed = try await Futures.completed(all).collect()
        XCTAssertEqual(identities(completed), identities(all))
        XCTAssertEqual(completed.count, all.count)
    }

    func test_future_times_out() async throws {
        let states = StateFutures()
        let alreadyCompleted: [any AnyFuture] = [states.cancelled, states.exception, states.successful]
        for timeout in [Duration.zero, .milliseconds(100)] {
            let release = Event()
            let future = try executor.submit { release.wait() }
            var completed: [any AnyFuture] = []
            do {
                for try await done in Futures.completed(alreadyCompleted + [future], timeout: timeout) {
                    completed.append(done)
                }
                XCTFail("expected a timeout (timeout \(timeout))")
            } catch let error as ExecutorError {
                XCTAssertEqual(error, .timeout(unfinished: 1, of: 4))
            }
            XCTAssertEqual(identities(completed), identities(alreadyCompleted), "timeout \(timeout)")
            XCTAssertEqual(future.waiterCount, 0, "the timed-out iteration left its waiter behind")
            release.set()
            _ = try future.result()
        }
    }

    func test_duplicate_futures() async throws {
        let future1 = try executor.submit { usleep(100_000) }
        let completed = try await Futures.completed(repeatElement(future1, count: 3)).collect()
        XCTAssertEqual(completed.count, 1)
    }

    func test_free_reference_yielded_future() async throws {
        var promises = (0..<8).map { _ in Promise<Int>() }
        var futuresList: [Future<Int>] = promises.map(\.future)
        futuresList.append(createFuture(.cancelled))
        futuresList.append(createFuture(.finished(42)))

        weak var lastYielded: Future<Int>?
        do {
            for try await future in Futures.completed(futuresList, timeout: .zero) {
                futuresList.removeAll { $0 === future }
                lastYielded = future
            }
            XCTFail("expected a timeout")
        } catch is ExecutorError {}
        // Neither the sequence nor the iteration kept the futures it yielded.
        XCTAssertNil(lastYielded)
        XCTAssertEqual(futuresList.count, 8)

        try promises[0].succeed(0)
        var step = 1
        for try await future in Futures.completed(futuresList) {
            futuresList.removeAll { $0 === future }
            if step < promises.count {
                try promises[step].succeed(step)
                step += 1
            }
        }
        XCTAssertTrue(futuresList.isEmpty)
        promises.removeAll()
    }

    /// The reference test proper: after the loop body lets go, the yielded future is freed
    /// while the iteration is still going.
    func testCompletedHoldsNoYieldedFuture() async throws {
        var futuresList: [Future<Int>]? = (0..<4).map { createFuture(.finished($0)) }
        weak let first: Future<Int>? = futuresList?[0]
        let sequence = Futures.completed(futuresList!)
        futuresList = nil
        var iterator = sequence.makeAsyncIterator()
        _ = try await iterator.next()
        XCTAssertNil(first, "the sequence still holds a future it yielded")
        while try await iterator.next() != nil {}
    }

    func test_correct_timeout_exception_msg() async throws {
        let states = StateFutures()
        let futuresList: [any AnyFuture] = [states.cancelled, states.pending, states.running, states.successful]
        do {
            _ = try await Futures.completed(futuresList, timeout: .zero).collect()
            XCTFail("expected a timeout")
        } catch let error as ExecutorError {
            XCTAssertEqual("\(error)", "2 (of 4) futures unfinished")
        }
    }
}
