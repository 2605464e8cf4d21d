#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Ctrl-C and SIGTERM sent to the real binary in the middle of a scan of 30,000 files.
///
/// To interrupt at a known moment the test stops reading stdout after the first piece: the
/// pipe fills, trawl waits in write(2) with the walk and the pool stalled behind its bounded
/// queue, and the signal lands mid-scan every time. The test then drains the pipe again.
final class SignalTests: XCTestCase {
    /// Generous: the machine is shared (2 cores). The measured figure is printed.
    static let exitBound: Duration = .seconds(2)

    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
    }

    /// Starts `trawl arguments` on the big tree, reads its first piece of output, then stops
    /// reading so the scan stalls behind the full pipe.
    private func startStalled(_ arguments: [String]) throws -> ChildProcess {
        let child = try ChildProcess(arguments)
        XCTAssertTrue(child.read(until: { !$0.isEmpty }), "no output before the interrupt")
        return child
    }

    /// Sends `number`, drains the rest, and returns the seconds from the signal to the exit.
    @discardableResult
    private func interrupt(_ child: ChildProcess, with number: Int32, label: String) throws -> Duration {
        let sent = ContinuousClock.now
        child.send(number)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        let took = child.exitedAt! - sent
        print("measured: \(label): signal to exit \(took)")
        XCTAssertLessThan(took, Self.exitBound, "exit took \(took) after the signal")
        return took
    }

    func testInterruptedGrepExits130WithWholeLines() throws {
        let tree = BigTree.shared
        let child = try startStalled(["grep", "-n", "needle", tree.path])
        try interrupt(child, with: SIGINT, label: "grep SIGINT")
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertEqual(child.stderrText, "")
        assertWholeLines(child.stdout, allowed: tree.grepLines(root: tree.path))
        XCTAssertLessThan(child.stdoutLines.count, 2 * tree.files, "the scan ran to the end instead of stopping")
    }

    func testTerminatedGrepExits143WithWholeLines() throws {
        let tree = BigTree.shared
        let child = try startStalled(["grep", "-n", "needle", tree.path])
        try interrupt(child, with: SIGTERM, label: "grep SIGTERM")
        XCTAssertEqual(child.exitStatus, 143)
        assertWholeLines(child.stdout, allowed: tree.grepLines(root: tree.path))
        XCTAssertLessThan(child.stdoutLines.count, 2 * tree.files)
    }

    func testInterruptedHeadingOutputHasNoHalfBlock() throws {
        let tree = BigTree.shared
        let child = try startStalled(["grep", "--heading", "-n", "needle", tree.path])
        try interrupt(child, with: SIGINT, label: "grep --heading SIGINT")
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertEqual(child.stdout.last, 10)
        // Blocks of `path`, `2:needle i one`, `4:needle i two`, separated by one blank line.
        let blocks = child.stdoutText.dropLast().components(separatedBy: "\n\n")
        XCTAssertGreaterThan(blocks.count, 0)
        XCTAssertLessThan(blocks.count, tree.files)
        var seen = Set<String>()
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.count == 3, let name = lines[0].split(separator: "/").last,
                  let number = Int(name.dropFirst().dropLast(4)) else {
                XCTFail("malformed block: \(block.prefix(200))")
                continue
            }
            XCTAssertEqual(lines[1], "2:needle \(number) one")
            XCTAssertEqual(lines[2], "4:needle \(number) two")
            XCTAssertTrue(seen.insert(String(lines[0])).inserted, "block printed twice: \(lines[0])")
        }
    }

    func testSecondInterruptExitsAtOnceEvenWhileOutputIsBlocked() throws {
        let tree = BigTree.shared
        let child = try startStalled(["grep", "-n", "needle", tree.path])
        // Nobody reads: after the first Ctrl-C trawl still waits to flush whole records.
        child.send(SIGINT)
        child.waitUntilTaken(SIGINT)
        usleep(50_000)
        let sent = ContinuousClock.now
        child.send(SIGINT)
        try child.wait(timeout: .seconds(10))
        let took = child.exitedAt! - sent
        print("measured: second SIGINT to exit \(took)")
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertLessThan(took, Self.exitBound)
    }

    func testInterruptedHashToFileLeavesNoFile() throws {
        let (directory, fifo) = try treeWithFIFO("hash")
        defer { directory.remove() }
        let target = directory.path + "/sums.txt"
        try interruptHashWhileReadingFIFO(target: target, fifo: fifo)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "an interrupted hash left its manifest")
        XCTAssertEqual(try leftoverTemporaries(in: directory.path), [], "temporary manifest left behind")
    }

    func testInterruptedHashToFileLeavesThePreviousFileUntouched() throws {
        let (directory, fifo) = try treeWithFIFO("hash-keep")
        defer { directory.remove() }
        let target = directory.write("sums.txt", "previous manifest\n")
        try interruptHashWhileReadingFIFO(target: target, fifo: fifo)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "previous manifest\n")
        XCTAssertEqual(try leftoverTemporaries(in: directory.path), [])
    }

    func testInterruptedCheckExits130WithWholeLines() throws {
        let tree = BigTree.shared
        let manifestDirectory = TemporaryTree("check")
        defer { manifestDirectory.remove() }
        let manifest = manifestDirectory.path + "/sums.txt"
        let hashed = try ChildProcess.run(["hash", "-o", manifest, tree.path])
        XCTAssertEqual(hashed.exitStatus, 0)
        let child = try startStalled(["check", manifest])
        try interrupt(child, with: SIGINT, label: "check SIGINT")
        XCTAssertEqual(child.exitStatus, 130)
        let perDirectory = tree.files / tree.directories
        let allowed = Set((0..<tree.files).map { tree.path + "/" + BigTree.relativePath($0, perDirectory: perDirectory) + ": OK" })
        assertWholeLines(child.stdout, allowed: allowed)
        XCTAssertLessThan(child.stdoutLines.count, tree.files)
    }

    func testInterruptedFilesExits130WithWholePaths() throws {
        let tree = BigTree.shared
        let child = try startStalled(["files", "--null", tree.path])
        // NUL-terminated, 30,000 paths of ~45 bytes: more than a pipe and a buffer hold.
        try interrupt(child, with: SIGINT, label: "files SIGINT")
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertEqual(child.stdout.last, 0)
        let perDirectory = tree.files / tree.directories
        let allowed = Set((0..<tree.files).map { tree.path + "/" + BigTree.relativePath($0, perDirectory: perDirectory) })
        let printed = child.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertTrue(Set(printed).isSubset(of: allowed))
        XCTAssertEqual(Set(printed).count, printed.count)
        XCTAssertLessThan(printed.count, tree.files)
    }

    /// In path order records are held until the walk ends; Ctrl-C still ends the run with
    /// 130 and only whole lines, in order.
    func testInterruptedSortedGrepExits130WithWholeLinesInOrder() throws {
        let (directory, fifo) = try treeWithFIFO("sorted")
        defer { directory.remove() }
        let root = (fifo as NSString).deletingLastPathComponent
        let child = try ChildProcess(["grep", "--sort", "path", "-n", "file", root, fifo])
        let writer = open(fifo, O_WRONLY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(writer, 0)
        child.send(SIGINT)
        child.waitUntilTaken(SIGINT)
        close(writer)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 130)
        assertWholeLines(child.stdout, allowed: Set((0..<200).map { "\(root)/f\($0).txt:1:file \($0)" }))
        let printed = child.stdoutLines
        XCTAssertEqual(printed, printed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// A worker blocked reading a FIFO whose writer stays open and silent: the first signal
    /// still ends the run promptly (the blocked read is abandoned, not waited for).
    func testInterruptEndsARunBlockedOnASilentFIFO() throws {
        let (directory, fifo) = try treeWithFIFO("silent")
        defer { directory.remove() }
        let root = (fifo as NSString).deletingLastPathComponent
        for arguments in [["grep", "-n", "file", root, fifo], ["hash", root, fifo], ["grep", "file", fifo]] {
            let child = try ChildProcess(arguments)
            let writer = open(fifo, O_WRONLY | O_CLOEXEC)  // trawl has it open now
            XCTAssertGreaterThanOrEqual(writer, 0)
            defer { close(writer) }
            let took = try interrupt(child, with: SIGTERM, label: "\(arguments[0]) blocked on a FIFO, SIGTERM")
            XCTAssertEqual(child.exitStatus, 143, "\(arguments)")
            XCTAssertLessThan(took, Self.exitBound)
            XCTAssertEqual(child.stdout.last ?? 10, 10)
        }
    }

    // MARK: Helpers

    /// A folder of 200 files and a FIFO beside them.
    private func treeWithFIFO(_ label: String) throws -> (TemporaryTree, String) {
        let directory = TemporaryTree(label)
        for i in 0..<200 { directory.write("files/f\(i).txt", "file \(i)\n") }
        let fifo = directory.path + "/files/pipe"
        guard mkfifo(fifo, 0o644) == 0 else { throw XCTSkip("mkfifo failed") }
        return (directory, fifo)
    }

    /// Runs `hash -o target` over the folder and the FIFO, interrupts it while a worker
    /// reads the FIFO (known: our open for writing returned), then ends the FIFO.
    private func interruptHashWhileReadingFIFO(target: String, fifo: String) throws {
        let root = (fifo as NSString).deletingLastPathComponent
        let child = try ChildProcess(["hash", "-o", target, root, fifo])
        // Blocks until trawl opens the FIFO: the scan is under way.
        let writer = open(fifo, O_WRONLY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(writer, 0)
        _ = write(writer, "some bytes\n", 11)
        child.send(SIGINT)
        child.waitUntilTaken(SIGINT)
        close(writer)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertEqual(child.stdout, [])
    }

    private func leftoverTemporaries(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
    }
}
