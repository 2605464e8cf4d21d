#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Path order holds at most a window of files behind the first unfinished one; when one
/// file holds a full window for a second, `hash` says so once on stderr instead of
/// looking hung, and the output is unchanged.
final class SortStallNoteTests: XCTestCase {
    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
    }

    func testHashNamesTheFileAFullWindowWaitsForOnce() throws {
        let tree = BigTree.shared
        let (child, fifo) = try runBehindSlowFIFO { fifo in ["hash", "-a", "md5", fifo, tree.path] }
        XCTAssertEqual(child.exitStatus, 0)
        XCTAssertEqual(child.stderrText, note(fifo))
        let lines = child.stdoutLines
        XCTAssertEqual(lines.count, tree.files + 1)
        XCTAssertEqual(lines.first, "c6330f0c422ea43e0a1dd9012db26686  \(fifo)", "md5 of late\\n, first in path order")
    }

    func testGrepSortPathSaysSoToo() throws {
        let tree = BigTree.shared
        let (child, fifo) = try runBehindSlowFIFO { fifo in ["grep", "--sort", "path", "-c", "late", fifo, tree.path] }
        XCTAssertEqual(child.stderrText, note(fifo))
        XCTAssertEqual(child.stdoutLines.first, "\(fifo):1")
    }

    private func note(_ fifo: String) -> String {
        "trawl: note: --sort path: waiting for \(fifo) (4095 files held behind it; --sort none prints files as they finish)\n"
    }

    /// Runs trawl with a FIFO first in path order, writes `late\n` into it only once trawl
    /// said it waits (or after 30 s), and returns the finished child.
    private func runBehindSlowFIFO(_ arguments: (String) -> [String]) throws -> (ChildProcess, String) {
        // `trawl-a-...` sorts before `trawl-big-...`: the FIFO is the first file in path order.
        let directory = TemporaryTree("a-stall")
        defer { directory.remove() }
        let fifo = directory.path + "/slow"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let child = try ChildProcess(arguments(fifo))
        // The bounds below only keep a broken build from hanging the test run.
        let deadline = ContinuousClock.now + .seconds(30)
        // Without O_NONBLOCK this open would wait forever for a trawl that never reads.
        var writer: Int32 = -1
        while writer < 0 && ContinuousClock.now < deadline {
            writer = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)  // ENXIO until trawl opened it
            if writer < 0 { usleep(10_000) }
        }
        XCTAssertGreaterThanOrEqual(writer, 0, "trawl never opened the FIFO")
        _ = fcntl(writer, F_SETFL, 0)  // blocking writes again
        // The note comes about a second after the window filled.
        while !child.stderrText.contains("note:") && ContinuousClock.now < deadline { usleep(20_000) }
        XCTAssertEqual(child.stdout, [], "nothing printed while the first file is unfinished")
        _ = "late\n".withCString { write(writer, $0, 5) }
        close(writer)
        child.readToEnd()
        try child.wait()
        return (child, fifo)
    }
}
