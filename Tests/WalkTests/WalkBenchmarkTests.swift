import Foundation
import Synchronization
import XCTest
@testable import Walk

/// Speed on the Linux tree against fd/rg/find: run with
/// `WALK_BENCH=1 swift test -c release --filter WalkBenchmarkTests`.
/// Prints timings (no timed assertions: the machine is shared); asserts the file counts
/// equal `rg --files` (defaults) and `find -type f` (-uu).
final class WalkBenchmarkTests: XCTestCase {
    private let corpus = ProcessInfo.processInfo.environment["WALK_BENCH_TREE"] ?? "/var/tmp/trawl-corpus/linux"

    private func count(_ options: WalkOptions) throws -> (files: Int, seconds: Double) {
        let walker = try Walker(options: options)
        let files = Atomic<Int>(0)
        var best = Double.infinity
        var total = 0
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["WALK_BENCH_RUNS"] ?? "5") ?? 5) {
            files.store(0, ordering: .relaxed)
            let start = DispatchTime.now().uptimeNanoseconds
            walker.walk([corpus], onEntry: { _ in files.add(1, ordering: .relaxed) }, onError: { _ in })
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            total = files.load(ordering: .relaxed)
        }
        return (total, best)
    }

    private func lines(_ command: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func testWalkSpeedAndCountsOnLinuxTree() throws {
        guard ProcessInfo.processInfo.environment["WALK_BENCH"] == "1" else {
            throw XCTSkip("set WALK_BENCH=1 (and build with -c release) to measure the walk")
        }
        guard FileManager.default.fileExists(atPath: corpus) else { throw XCTSkip("no corpus at \(corpus)") }
        let threadCounts = ProcessInfo.processInfo.environment["WALK_BENCH_THREADS"]?
            .split(separator: ",").compactMap { Int($0) } ?? [1, 2, 4]
        for threads in threadCounts {
            var options = WalkOptions()
            options.threads = threads
            let defaults = try count(options)
            options.noIgnore = true
            options.hidden = true
            let everything = try count(options)
            print("walk threads=\(threads): default \(defaults.files) files in \(defaults.seconds) s; -uu \(everything.files) files in \(everything.seconds) s")
            XCTAssertEqual(defaults.files, try lines("rg --files '\(corpus)' | wc -l"))
            XCTAssertEqual(everything.files, try lines("find '\(corpus)' -type f | wc -l"))
        }
    }
}
