import Foundation
import WorkerPool
import XCTest
@testable import Walk

final class PoolLoopRunnerTests: XCTestCase {
    private func tree() -> TestTree {
        let tree = TestTree()
        for index in 0..<40 { tree.file("d\(index % 7)/e\(index)/f\(index)") }
        return tree
    }

    func testWalkOnPoolYieldsSameFilesAsOwnThreads() throws {
        let tree = tree()
        let pool = ThreadPoolExecutor(maxWorkers: 3, name: "walk-test")
        defer { pool.shutdown(wait: true) }
        var options = WalkOptions()
        options.threads = 4
        let onPool = try walk([tree.root], options, runner: pool)
        XCTAssertEqual(onPool.paths, try walk([tree.root], options).paths)
        XCTAssertEqual(onPool.paths.count, 40)
    }

    func testWalkFromInsideOneWorkerPoolDoesNotDeadlock() throws {
        let tree = tree()
        let root = tree.root
        let pool = ThreadPoolExecutor(maxWorkers: 1, name: "walk-test")
        defer { pool.shutdown(wait: true) }
        var options = WalkOptions()
        options.threads = 2
        let walker = try Walker(options: options)
        let future = try pool.submit { () -> Int in
            let record = WalkRecord()
            walker.walk([root], runner: pool, onEntry: { record.add($0) }, onError: { record.add($0) })
            return record.allEntries.count
        }
        XCTAssertEqual(try future.result(timeout: .seconds(60)), 40)
    }
}
