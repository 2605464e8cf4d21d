import Foundation
import XCTest
@testable import TrawlCLI

/// `hash`'s progress line: on a terminal's stderr once a run takes a second, never on a
/// pipe, never with -q. The terminal is a real pseudo-terminal made by `script(1)`.
final class HashProgressTests: XCTestCase {
    /// Hashes a FIFO fed for `seconds`, so the run lasts that long, with stderr on a pty
    /// (through `script`) or a pipe. Returns what reached the terminal or the pipe.
    private func hashSlowInput(extraFlags: String, onTerminal: Bool, seconds: Double = 1.8, smallFiles: [String] = []) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("slow").path
        for name in smallFiles { _ = FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data("x".utf8)) }
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            let rounds = Int(seconds * 10)
            for _ in 0..<rounds {
                handle.write(Data(repeating: 120, count: 4096))
                usleep(100_000)
            }
            try? handle.close()
        }
        writer.start()
        let trawl = try BinaryRunner.trawlPath()
        let command = "\(trawl) hash \(extraFlags) \(smallFiles.joined(separator: " ")) \(fifo) > /dev/null"
        let result: RunResult
        if onTerminal {
            guard let script = BinaryRunner.which("script") else { throw XCTSkip("script(1) is not installed: no pseudo-terminal") }
            result = try BinaryRunner.run(executable: script, arguments: ["-qec", command, "/dev/null"],
                                          directory: directory.path, environment: BinaryRunner.environment(home: directory.path))
            XCTAssertEqual(result.status, 0)
            return String(decoding: result.stdout, as: UTF8.self)
        }
        result = try BinaryRunner.run(executable: "/bin/sh", arguments: ["-c", command],
                                      directory: directory.path, environment: BinaryRunner.environment(home: directory.path))
        XCTAssertEqual(result.status, 0)
        return String(decoding: result.stderr, as: UTF8.self)
    }

    func testProgressLineShowsOnATerminalAfterASecond() throws {
        let screen = try hashSlowInput(extraFlags: "", onTerminal: true)
        XCTAssertTrue(screen.contains("\rtrawl: 0 files, "), "progress drawn in place: \(screen.debugDescription)")
        XCTAssertTrue(screen.contains("MB/s, 1 reading"))
        let beforeAFileIsDone = screen.split(separator: "\r").filter { $0.hasPrefix("trawl: 0 files,") }
        XCTAssertFalse(beforeAFileIsDone.isEmpty)
        XCTAssertFalse(beforeAFileIsDone.contains { $0.contains("ETA") }, "no ETA before a file is done (no rate yet): \(screen.debugDescription)")
        XCTAssertTrue(screen.hasSuffix("\r\u{1b}[K") || screen.contains("\r\u{1b}[K"), "the line is cleared at the end")
    }

    func testProgressLineShowsAnETAOnceTheWalkKnowsTheTotal() throws {
        // Three files given: the walk is done at once; two are hashed while the FIFO is read.
        let screen = try hashSlowInput(extraFlags: "", onTerminal: true, smallFiles: ["a", "b"])
        XCTAssertTrue(screen.contains("\rtrawl: 2 files, "), screen.debugDescription)
        XCTAssertTrue(screen.contains(", 1 of 3 files left, ETA "), screen.debugDescription)
    }

    func testETAComesFromTheRateOfFilesSoFar() {
        XCTAssertEqual(ProgressLine.eta(done: 0, total: 10, seconds: 5), "", "no rate yet")
        XCTAssertEqual(ProgressLine.eta(done: 5, total: -1, seconds: 5), "", "no total yet")
        XCTAssertEqual(ProgressLine.eta(done: 5, total: 10, seconds: 5), ", 5 of 10 files left, ETA 0:05")
        XCTAssertEqual(ProgressLine.eta(done: 1, total: 100, seconds: 2), ", 99 of 100 files left, ETA 3:18")
    }

    func testQuietHidesTheProgressLine() throws {
        let screen = try hashSlowInput(extraFlags: "-q", onTerminal: true)
        XCTAssertFalse(screen.contains("files,"), screen.debugDescription)
    }

    func testNoProgressLineOnAPipe() throws {
        let stderr = try hashSlowInput(extraFlags: "", onTerminal: false)
        XCTAssertEqual(stderr, "")
    }
}
