#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// `dupes` stopped from outside: SIGKILL at random points of an action never loses a
/// file's content (a deletion leaves the kept copy), and SIGTERM stops a whole-file hash of a huge file at once.
final class DupesInterruptTests: XCTestCase {
    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
    }

    /// 30 contents, 6 copies each, in 3 directories: 180 paths to replace.
    private struct Fixture {
        let tree: TemporaryTree
        var expected: [String: [UInt8]] = [:]

        init() {
            tree = TemporaryTree("dupes-kill")
            for group in 0..<30 {
                let contents = Array("content \(group)\n".utf8) + [UInt8](repeating: UInt8(group), count: 2000 + group)
                for copy in 0..<6 {
                    expected["d\(copy % 3)/g\(group)-\(copy)"] = contents
                }
            }
        }

        /// Every path a separate file with its original content again.
        func reset() {
            for (path, contents) in expected {
                unlink(tree.path + "/" + path)
                tree.write(path, contents)
            }
        }

        /// Fails unless every path reads as its original content (through a link or not);
        /// with `deleting`, a path may be gone while another of its content stays. Returns
        /// how many are links or gone now, and how many temporary names were left.
        func check(after label: String, deleting: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> (links: Int, temporaries: Int) {
            var links = 0
            var remaining = Set<[UInt8]>()
            for (path, contents) in expected {
                let full = tree.path + "/" + path
                var info = stat()
                guard lstat(full, &info) == 0 else {
                    if !deleting { XCTFail("\(label): \(path) is gone", file: file, line: line) }
                    links += 1
                    continue
                }
                remaining.insert(contents)
                if info.st_mode & S_IFMT == S_IFLNK || info.st_nlink > 1 { links += 1 }
                let read = FileManager.default.contents(atPath: full).map { [UInt8]($0) }
                XCTAssertEqual(read, contents, "\(label): \(path) lost its content", file: file, line: line)
            }
            XCTAssertEqual(remaining, Set(expected.values), "\(label): every copy of a content is gone", file: file, line: line)
            var temporaries = 0
            for directory in ["d0", "d1", "d2"] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: tree.path + "/" + directory)) ?? [] where name.hasPrefix(".trawl-") {
                    // One more name of content that is in the group anyway: removed for the next try.
                    temporaries += 1
                    unlink(tree.path + "/" + directory + "/" + name)
                }
            }
            return (links, temporaries)
        }
    }

    /// How long an uninterrupted `dupes --link` takes here (at least 1 ms), to spread the
    /// signals over all of a run; checks that run linked every path.
    private func microsecondsOfAWholeRun(_ fixture: Fixture) throws -> Int {
        fixture.reset()
        let whole = try ContinuousClock().measure {
            let child = try ChildProcess.run(["dupes", "--link", fixture.tree.path])
            XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        }
        XCTAssertEqual(fixture.check(after: "the whole run").links, fixture.expected.count)
        return max(Int(whole.components.seconds) * 1_000_000 + Int(whole.components.attoseconds / 1_000_000_000_000), 1000)
    }

    func testSIGKILLAtRandomPointsNeverLosesContent() throws {
        let fixture = Fixture()
        defer { fixture.tree.remove() }
        let span = try microsecondsOfAWholeRun(fixture)
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        var temporariesLeft = 0
        let deadline = ContinuousClock.now + .seconds(25)
        var tries = 0
        while tries < 100 && ContinuousClock.now < deadline {
            tries += 1
            fixture.reset()
            let action = ["--link", "--symlink", "--delete"][tries % 3]
            let child = try ChildProcess(["dupes", action, fixture.tree.path])
            // The action is the end of a run (start-up and the scan come first): most kills
            // land in the second half.
            let earliest = Bool.random(using: &generator) && Bool.random(using: &generator) ? 0 : span / 2
            usleep(UInt32(Int.random(in: earliest...span, using: &generator)))
            child.send(SIGKILL)
            child.readToEnd(timeout: .seconds(10))
            try child.wait(timeout: .seconds(10))
            let (links, temporaries) = fixture.check(after: "try \(tries) (\(action))", deleting: action == "--delete")
            temporariesLeft += temporaries
            // A finished deletion keeps one path of each of the 30 contents.
            let finished = action == "--delete" ? fixture.expected.count - 30 : fixture.expected.count
            if links > 0 && links < finished { killedMidway += 1 }
        }
        print("measured: dupes SIGKILL: \(tries) tries over \(span) µs runs, \(killedMidway) killed in the middle of the action, \(temporariesLeft) temporary names left")
        XCTAssertGreaterThanOrEqual(tries, 20, "too few tries in the time allowed")
    }

    func testSIGINTDuringAnActionFinishesTheFileAtHandAndLeavesNoTemporaryName() throws {
        let fixture = Fixture()
        defer { fixture.tree.remove() }
        let span = try microsecondsOfAWholeRun(fixture)
        var generator = SystemRandomNumberGenerator()
        var interrupted = 0
        for attempt in 1...30 {
            fixture.reset()
            let child = try ChildProcess(["dupes", "--link", fixture.tree.path])
            usleep(UInt32(Int.random(in: 0...span, using: &generator)))
            child.send(SIGINT)
            child.readToEnd(timeout: .seconds(10))
            try child.wait(timeout: .seconds(10))
            // Killed by the signal (-SIGINT): it came before trawl set its handling up, at start.
            XCTAssertTrue([0, 130, -SIGINT].contains(child.exitStatus), "try \(attempt): exit \(String(describing: child.exitStatus))")
            if child.exitStatus == 130 { interrupted += 1 }
            XCTAssertEqual(fixture.check(after: "SIGINT try \(attempt)").temporaries, 0, "try \(attempt): a temporary name was left")
        }
        print("measured: dupes SIGINT: \(interrupted) of 30 runs interrupted")
    }

    func testSIGTERMStopsTheWholeFileHashOfAHugeFile() throws {
        // Two sparse 64 GiB files: equal sizes and edges, so dupes reads both whole
        // (about a minute each at memory speed); the kernel serves the holes as zeros.
        let tree = TemporaryTree("dupes-huge")
        defer { tree.remove() }
        for name in ["one", "two"] {
            let fd = open(tree.path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0, ftruncate(fd, 64 << 30) == 0 else {
                close(fd)
                throw XCTSkip("cannot make a sparse 64 GiB file under \(tree.path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        let child = try ChildProcess(["dupes", tree.path])
        // Hashing for sure: far more read than the two edges.
        let deadline = ContinuousClock.now + .seconds(30)
        while (child.bytesRead ?? 0) < 256 << 20 && ContinuousClock.now < deadline { usleep(5_000) }
        XCTAssertGreaterThanOrEqual(child.bytesRead ?? 0, 256 << 20, "the whole-file hash never started")
        let sent = ContinuousClock.now
        child.send(SIGTERM)
        child.readToEnd(timeout: .seconds(30))
        try child.wait(timeout: .seconds(30))
        let took = child.exitedAt! - sent
        print("measured: dupes SIGTERM while hashing 64 GiB: exit \(took) after the signal")
        XCTAssertEqual(child.exitStatus, 143, child.stderrText)
        XCTAssertEqual(child.stdoutText, "")
        // Generous for a shared machine; before, the hash ran to the file's end (tens of seconds).
        XCTAssertLessThan(took, .seconds(5))
    }
}
