import XCTest
import Walk
@testable import Scan

final class ExternalPathSortTests: XCTestCase {
    /// Names that exercise component order (`a/b` before `a-b`), duplicates and empty-ish
    /// components, in a scrambled order.
    private func scrambledPaths(_ count: Int) -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        let parts = ["a", "a-b", "a.b", "b", "B", "dir", "dir-x", "z"]
        return (0..<count).map { _ in
            let depth = Int.random(in: 1...4, using: &generator)
            return Array((0..<depth).map { _ in parts.randomElement(using: &generator)! }.joined(separator: "/").utf8)
        }
    }

    private func drain(_ sorter: inout ExternalPathSort) -> [[UInt8]] {
        var out: [[UInt8]] = []
        sorter.forEachSorted { out.append($0); return true }
        return out
    }

    func testSpilledRunsMergeIntoPathOrder() {
        let paths = scrambledPaths(5000)
        var sorter = ExternalPathSort(memoryLimit: 4096)
        for path in paths { sorter.add(path) }
        XCTAssertGreaterThan(sorter.runCount, 10, "the paths went to disk in runs")
        XCTAssertEqual(drain(&sorter), PathSort.order(of: paths).map { paths[$0] })
    }

    func testWithinTheLimitNothingIsSpilled() {
        let paths = scrambledPaths(300)
        var sorter = ExternalPathSort()
        for path in paths { sorter.add(path) }
        XCTAssertEqual(sorter.runCount, 0)
        XCTAssertEqual(drain(&sorter), paths.sorted(by: pathPrecedes))
    }

    func testStoppingTheMergeEndsIt() {
        var sorter = ExternalPathSort(memoryLimit: 256)
        for path in scrambledPaths(1000) { sorter.add(path) }
        var taken = 0
        sorter.forEachSorted { _ in
            taken += 1
            return taken < 3
        }
        XCTAssertEqual(taken, 3)
    }
}
