import Foundation
import Synchronization
import XCTest
@testable import WorkerPool

/// CPython's test_init.py (InitializerMixin, FailingInitializerMixin) on a thread pool of
/// 2 workers.
final class CPythonInitTests: XCTestCase {
    func test_initializer() throws {
        let status = Mutex("uninitialized")
        let pool = ThreadPoolExecutor(maxWorkers: 2, initializer: { status.withLock { $0 = "initialized" } })
        defer { pool.shutdown() }
        let futures = try (0..<2).map { _ in try pool.submit { status.withLock { $0 } } }
        for future in futures { XCTAssertEqual(try future.result(), "initialized") }
    }

    func test_initializer_failing() throws {
        // FailingInitializerMixin.test_initializer: the pool breaks, the failure is told, and
        // from then on submit fails.
        let pool = ThreadPoolExecutor(maxWorkers: 2, initializer: {
            usleep(100_000)  // let some futures be scheduled
            throw ValueError(message: "error in initializer")
        })
        defer { pool.shutdown() }
        do {
            let future = try pool.submit { 0 }
            XCTAssertThrowsError(try future.result(timeout: .seconds(60))) { error in
                guard case .broken(let why) = error as? ExecutorError else { return XCTFail("\(error)") }
                XCTAssertTrue(why.contains("error in initializer"), why)
            }
        } catch ExecutorError.broken {
            // Perhaps the executor is already broken.
        }
        var broken = false
        for _ in 0..<60_000 where !broken {
            do { _ = try pool.submit { 0 }; usleep(1000) } catch ExecutorError.broken { broken = true }
        }
        XCTAssertTrue(broken, "executor not broken")
        XCTAssertThrowsError(try pool.submit { 0 }) {
            guard case .broken = $0 as? ExecutorError else { return XCTFail("\($0)") }
        }
    }
}
