import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

/// pthread_create failing (EAGAIN under `ulimit -u`): the pool runs with the threads it
/// has, and with none it refuses work rather than queue what nothing would run. The
/// failure is simulated by capping the threads the pool may create (`threadStarts`).
final class ThreadCreationFailureTests: XCTestCase {
    func testPoolFallsBackToTheThreadsItCouldStart() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "fewer", initializer: nil, threadStarts: 2)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let blocked = try (0..<6).map { _ in try pool.submit { release.wait() } }
        XCTAssertEqual(pool.threadCount, 2, "two threads could be made, no more")
        for _ in 0..<6 { release.signal() }
        for future in blocked { try future.result(timeout: .seconds(60)) }
        XCTAssertEqual(try pool.submit { 7 }.result(timeout: .seconds(60)), 7)
    }

    func testPoolWithoutAnyThreadRefusesWorkAndNeverHangs() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4, name: "none", initializer: nil, threadStarts: 0)
        XCTAssertThrowsError(try pool.submit { 1 }) { error in
            guard case .cannotStartThread(let why) = error as? ExecutorError else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("cannot start a thread"), why)
            XCTAssertTrue("\(error)".contains("the pool has no thread to run the work"), "\(error)")
        }
        XCTAssertThrowsError(try pool.submit { 2 })
        XCTAssertEqual(pool.threadCount, 0)
        pool.shutdown(wait: true)  // returns: nothing was queued
    }

    func testConcurrencyJobsRunOnTheCallerWhenNoThreadCanStart() async throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "nojob", initializer: nil, threadStarts: 0)
        defer { pool.shutdown() }
        let value = await Task(executorPreference: pool) { 6 * 7 }.value
        XCTAssertEqual(value, 42)
    }
}
