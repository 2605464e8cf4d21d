import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

final class MapTests: XCTestCase {
    func testMapYieldsInInputOrder() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "m")
        defer { pool.shutdown() }
        var results: [Int] = []
        // Later items finish first: order must still follow the input.
        for try await value in pool.map(0..<40, { i in usleep(UInt32((40 - i) * 50)); return i * 2 }) {
            results.append(value)
        }
        XCTAssertEqual(results, (0..<40).map { $0 * 2 })
    }

    func testMapWithChunksKeepsOrder() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 3, name: "m")
        defer { pool.shutdown() }
        var results: [Int] = []
        for try await value in pool.map(0..<1001, chunkSize: 64, { $0 + 1 }) { results.append(value) }
        XCTAssertEqual(results, Array(1...1001))
    }

    func testMapIsLazyWithBoundedItemsInFlight() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "m")
        defer { pool.shutdown() }
        let started = Atomic<Int>(0)
        var consumed = 0
        // An endless input: an eager map would never return its first value.
        let endless = sequence(first: 0) { $0 + 1 }
        for try await _ in pool.map(endless, { i -> Int in started.add(1, ordering: .relaxed); return i }) {
            consumed += 1
            if consumed == 10 { break }
        }
        XCTAssertLessThanOrEqual(started.load(ordering: .relaxed), consumed + 2 * pool.maxWorkers)
    }

    func testMapThrowsFirstErrorAtItsPosition() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "m")
        defer { pool.shutdown() }
        var received: [Int] = []
        do {
            for try await value in pool.map(0..<20, { i -> Int in
                if i == 7 { usleep(5000); throw Boom(code: 7) }
                if i == 12 { throw Boom(code: 12) }
                return i
            }) {
                received.append(value)
            }
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error as? Boom, Boom(code: 7), "the first error in input order, not in time")
        }
        XCTAssertEqual(received, Array(0..<7))
    }

    func testMapTimesOut() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "m")
        defer { pool.shutdown(cancelPending: true) }
        let release = Gate()
        do {
            for try await _ in pool.map([1, 2], timeout: .milliseconds(40), { i -> Int in
                if i == 2 { release.pass() }
                return i
            }) {}
            XCTFail("expected a timeout")
        } catch {
            XCTAssertEqual(error as? ExecutorError, .timeout(unfinished: 1, of: 1))
        }
        release.open()
    }

    func testMapOnShutDownPoolThrows() async {
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "m")
        pool.shutdown()
        do {
            for try await _ in pool.map([1], { $0 }) {}
            XCTFail("expected shutdown")
        } catch {
            XCTAssertEqual(error as? ExecutorError, .shutdown)
        }
    }
}
