import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Walk

/// The walk of the Linux tree yields what ripgrep and find do: defaults as `rg --files`,
/// the tree's 306 .gitignore files applied (`--no-require-git`) as rg does, `-uu` as
/// `find -type f`. Skipped without the corpus (Benchmarks/run-all.sh makes it) or rg.
/// The timings of the same walks are `swift run -c release MicroBench walk`.
final class CorpusCountTests: XCTestCase {
    private let corpus = ProcessInfo.processInfo.environment["TRAWL_CORPUS_TREE"] ?? "/var/tmp/trawl-corpus/linux"

    private func files(_ options: WalkOptions, roots: [String]) throws -> Int {
        let files = Atomic<Int>(0)
        try Walker(options: options).walk(roots, onEntry: { _ in files.add(1, ordering: .relaxed) }, onError: { _ in })
        return files.load(ordering: .relaxed)
    }

    /// The number `command` prints (run by /bin/sh), nil when it prints none.
    private func number(_ command: String) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testLinuxTreeCountsEqualRipgrepAndFind() throws {
        guard FileManager.default.fileExists(atPath: corpus) else { throw XCTSkip("no corpus at \(corpus)") }
        guard try number("command -v rg >/dev/null && echo 1") == 1 else { throw XCTSkip("rg is not installed") }
        // The tree's top-level .gitignore ends with `/*`, so the top-level directories are the roots.
        let topLevel = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(corpus)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
        }.map { "\(corpus)/\($0)/" }
        var options = WalkOptions()
        XCTAssertEqual(try files(options, roots: [corpus]), try number("rg --files '\(corpus)' | wc -l"), "defaults")
        options.noRequireGit = true
        XCTAssertEqual(try files(options, roots: topLevel), try number("rg --files --no-require-git '\(corpus)'/*/ | wc -l"),
                       "--no-require-git")
        options.noRequireGit = false
        options.noIgnore = true
        options.hidden = true
        XCTAssertEqual(try files(options, roots: [corpus]), try number("find '\(corpus)' -type f | wc -l"), "-uu")
    }
}
