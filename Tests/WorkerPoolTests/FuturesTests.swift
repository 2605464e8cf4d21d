import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

final class FuturesTests: XCTestCase {
    func testWaitAllCompletedReturnsEverythingDone() throws {
        try ThreadPoolExecutor.with(maxWorkers: 4, name: "w") { pool in
            let futures = try (0..<10).map { i in try pool.submit { usleep(UInt32(i * 100)); return i } }
            let (done, notDone) = Futures.wait(futures)
            XCTAssertEqual(done.count, 10)
            XCTAssertTrue(notDone.isEmpty)
        }
    }

    func testWaitFirstCompletedReturnsWhenOneIsDone() throws {
        let gate = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 3, name: "w") { pool in
            let slow = try (0..<2).map { _ in try pool.submit { gate.pass(); return 0 } }
            let fast = try pool.submit { 1 }
            let (done, notDone) = Futures.wait(slow + [fast], timeout: .seconds(30), returnWhen: .firstCompleted)
            XCTAssertEqual(done.count, 1)
            XCTAssertTrue(done[0] === fast)
            XCTAssertEqual(notDone.count, 2)
            gate.open(2)
        }
    }

    func testWaitFirstErrorStopsAtTheFailure() throws {
        let gate = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 3, name: "w") { pool in
            let slow = try pool.submit { gate.pass(); return 0 }
            let ok = try pool.submit { 1 }
            let failing: Future<Int> = try pool.submit { usleep(2000); throw Boom(code: 1) }
            let (done, notDone) = Futures.wait([slow, ok, failing], timeout: .seconds(30), returnWhen: .firstError)
            XCTAssertTrue(done.contains { $0 === failing })
            XCTAssertTrue(notDone.contains { $0 === slow })
            gate.open()
        }
    }

    func testWaitFirstErrorWithoutErrorsWaitsForAll() throws {
        try ThreadPoolExecutor.with(maxWorkers: 2, name: "w") { pool in
            let futures = try (0..<6).map { i in try pool.submit { usleep(500); return i } }
            let (done, notDone) = Futures.wait(futures, returnWhen: .firstError)
            XCTAssertEqual(done.count, 6)
            XCTAssertTrue(notDone.isEmpty)
        }
    }

    func testWaitTimeoutReturnsTheSplitAsItStands() throws {
        let gate = Gate()
        try ThreadPoolExecutor.with(maxWorkers: 2, name: "w") { pool in
            let blocked = try pool.submit { gate.pass(); return 0 }
            let quick = try pool.submit { 1 }
            _ = try quick.result()
            let (done, notDone) = Futures.wait([blocked, quick], timeout: .milliseconds(30))
            XCTAssertEqual(done.count, 1)
            XCTAssertTrue(notDone[0] === blocked)
            gate.open()
        }
    }

    func testCompletedYieldsInCompletionOrder() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 3, name: "c")
        defer { pool.shutdown() }
        let gates = (0..<3).map { _ in Gate() }
        let futures = try (0..<3).map { i in try pool.submit { gates[i].pass(); return i } }
        // Release in the order 2, 0, 1; each is collected before the next is released.
        var order: [Int] = []
        var iterator = Futures.completed(futures, timeout: .seconds(30)).makeAsyncIterator()
        for i in [2, 0, 1] {
            gates[i].open()
            let future = try await iterator.next()
            order.append(try future!.result())
        }
        let end = try await iterator.next()
        XCTAssertNil(end)
        XCTAssertEqual(order, [2, 0, 1])
    }

    func testCompletedYieldsAlreadyDoneFuturesAndDeduplicates() async throws {
        let promise = Promise<Int>()
        try promise.succeed(3)
        var seen: [Int] = []
        for try await future in Futures.completed([promise.future, promise.future]) {
            seen.append(try future.result())
        }
        XCTAssertEqual(seen, [3])
    }

    func testCompletedThrowsTimeout() async throws {
        let never = Promise<Int>()
        let done = Promise<Int>()
        try done.succeed(1)
        var yielded = 0
        do {
            for try await _ in Futures.completed([done.future, never.future], timeout: .milliseconds(40)) { yielded += 1 }
            XCTFail("expected a timeout")
        } catch {
            XCTAssertEqual(error as? ExecutorError, .timeout(unfinished: 1, of: 2))
        }
        XCTAssertEqual(yielded, 1)
    }
}
