import Foundation
import XCTest

/// Runs each WorkerPool guide example (Examples/) as built beside the test bundle and checks
/// the lines that do not depend on timing, so the guide never rots.
final class ExamplesTests: XCTestCase {
    /// Runs an example; fails (not skips) when it was not built: `swift build` builds them all.
    func run(_ name: String, _ arguments: [String] = []) throws -> String {
        let path = BuiltProducts.path(of: name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("\(name) is not built at \(path): run swift build first")
            return ""
        }
        let run = try BuiltProducts.run(path, arguments)
        XCTAssertEqual(run.status, 0, name)
        XCTAssertEqual(run.stderr, "", name)
        return run.stdout
    }

    func assertLines(_ output: String, contain expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        for text in expected {
            XCTAssertTrue(output.contains(text), "missing '\(text)' in:\n\(output)", file: file, line: line)
        }
    }

    func testThreadsAndPools() throws {
        let output = try run("Example01ThreadsAndPools")
        assertLines(output, contain: ["threads before any work: 0", "on threads: io_0", "(never more than maxWorkers = 4)",
                                      "threads after shutdown: 0", "submit after shutdown: the pool is shut down"])
    }

    func testConfiguringAPool() throws {
        let output = try run("Example02ConfiguringAPool")
        assertLines(output, contain: ["initializer ran on hasher_0",
                                      "the queued future failed: the pool is broken: a worker initializer failed: no database connection",
                                      "a later submit threw: the pool is broken",
                                      "sum of squares 1...4 = 30"])
        let threads = output.components(separatedBy: "initializer ran on hasher_").count - 1
        XCTAssertTrue(output.contains("the initializer ran \(threads) times"), output)
        XCTAssertLessThanOrEqual(threads, 3)
    }

    func testMap() throws {
        assertLines(try run("Example03Map"), contain: ["pool=4 future=6 map=3 thread=6 io=2 wait=4",
                                                      "sum of squares 1...100000 = 333338333350000",
                                                      "[10, 20, 30]",
                                                      "got [1, 2], then the error: 'three' is not a number"])
    }

    func testSubmit() throws {
        assertLines(try run("Example04Submit"), contain: ["size = 12 bytes", "no such file: /no/such/file", "twice the size = 24",
                                                         "cancelled after fewer than 10000 steps", "example.org -> 192.0.2.1"])
    }

    func testQueryingFutures() throws {
        assertLines(try run("Example05QueryingFutures"), contain: [
            "first: running, second: pending", "first is still running", "callback saw: first",
            "first: finished, second: finished", "good: value 21.5, error nil", "bad: error sensor overheated",
            "cancel running: false, cancel queued: true", "queued is cancelled", "queued.result() throws: the work was cancelled"])
    }

    func testCollectionsOfFutures() throws {
        let output = try run("Example06CollectionsOfFutures")
        assertLines(output, contain: ["failed: gamma is unreachable", "4 done, 0 not done", "error: gamma is unreachable"])
        // Completion order is timing; the set of results is not.
        let streamed = output.components(separatedBy: "5. Futures.completed").last ?? ""
        for host in ["alpha", "beta", "delta"] { XCTAssertTrue(streamed.contains("\(host) answered"), host) }
    }

    func testCaseStudyGivesTheSameResultPooled() throws {
        let output = try run("Example07CaseStudy")
        assertLines(output, contain: ["Reading 200 files", "same result: yes", "speed-up: ",
                                      "streamed (submit + Futures.completed): 200 files"])
    }

    func testCaseStudyReadsARealDirectory() throws {
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "abc\n".write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        try "defgh\n".write(toFile: folder + "/b.txt", atomically: true, encoding: .utf8)
        assertLines(try run("Example07CaseStudy", [folder]), contain: ["Reading 2 files under", "10 bytes", "same result: yes"])
    }
}
