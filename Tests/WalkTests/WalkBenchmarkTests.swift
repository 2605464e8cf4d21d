import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Walk

/// Speed on the Linux tree against fd/rg/find: run with
/// `WALK_BENCH=1 swift test -c release --filter WalkBenchmarkTests`.
/// Prints timings (no timed assertions: the machine is shared); asserts the file counts
/// equal `rg --files` (defaults) and `find -type f` (-uu).
final class WalkBenchmarkTests: XCTestCase {
    private let corpus = ProcessInfo.processInfo.environment["WALK_BENCH_TREE"] ?? "/var/tmp/trawl-corpus/linux"

    /// Best wall time of the runs, and CPU time (user + system, all threads) per run:
    /// on a shared machine the CPU time shows contention that wall time hides.
    private func count(_ options: WalkOptions, roots: [String]? = nil) throws -> (files: Int, seconds: Double, cpu: Double) {
        let walker = try Walker(options: options)
        let files = Atomic<Int>(0)
        var best = Double.infinity
        var total = 0
        var runs = 0
        let cpuBefore = cpuSeconds()
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["WALK_BENCH_RUNS"] ?? "5") ?? 5) {
            files.store(0, ordering: .relaxed)
            let start = DispatchTime.now().uptimeNanoseconds
            walker.walk(roots ?? [corpus], onEntry: { _ in files.add(1, ordering: .relaxed) }, onError: { _ in })
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            total = files.load(ordering: .relaxed)
            runs += 1
        }
        return (total, best, (cpuSeconds() - cpuBefore) / Double(runs))
    }

    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
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

    private var topLevelDirectories: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
        return names.sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(corpus)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
        }.map { "\(corpus)/\($0)/" }
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
            // The tree's 306 .gitignore files applied: the glob hot path. Its top-level
            // .gitignore ends with `/*`, so the top-level directories are the roots.
            options.noRequireGit = true
            let gitignored = try count(options, roots: topLevelDirectories)
            options.noRequireGit = false
            options.noIgnore = true
            options.hidden = true
            let everything = try count(options)
            print("walk threads=\(threads): default \(defaults.files) files in \(defaults.seconds) s (cpu \(defaults.cpu)); "
                  + "--no-require-git \(gitignored.files) files in \(gitignored.seconds) s (cpu \(gitignored.cpu)); "
                  + "-uu \(everything.files) files in \(everything.seconds) s (cpu \(everything.cpu))")
            XCTAssertEqual(gitignored.files, try lines("rg --files --no-require-git '\(corpus)'/*/ | wc -l"))
            XCTAssertEqual(defaults.files, try lines("rg --files '\(corpus)' | wc -l"))
            XCTAssertEqual(everything.files, try lines("find '\(corpus)' -type f | wc -l"))
        }
    }
}
