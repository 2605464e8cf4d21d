#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest
import Digest

/// A tree that misbehaves under the scan: files and folders that cannot be read, files
/// that vanish or grow while read, special files, symlink loops. trawl reports what failed
/// (one `trawl:` line naming it), scans the rest, never blocks and never crashes.
final class FaultTreeTests: XCTestCase {
    private var tree: TemporaryTree!

    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
        tree = TemporaryTree("fault")
        chmod(tree.path, 0o755)  // mkdtemp makes 0700: `nobody` must get in
    }

    override func tearDown() {
        tree.remove()
    }

    private func requireNobody() throws -> [String] {
        guard let prefix = ChildProcess.asNobody else { throw XCTSkip("cannot run as nobody here") }
        return prefix
    }

    private func assertDiagnostics(_ child: ChildProcess, mention: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = child.stderrText.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty, "no message on stderr", file: file, line: line)
        for message in lines {
            XCTAssertTrue(message.hasPrefix("trawl: "), "message without the trawl: prefix: \(message)", file: file, line: line)
        }
        XCTAssertTrue(child.stderrText.contains(mention), "stderr does not mention \(mention): \(child.stderrText)", file: file, line: line)
    }

    func testUnreadableFileIsReportedAndTheRestSearched() throws {
        let nobody = try requireNobody()
        tree.write("ok.txt", "needle\n")
        let locked = tree.write("locked.txt", "needle\n")
        chmod(locked, 0)
        let child = try ChildProcess.run(["grep", "-l", "needle", tree.path], prefix: nobody)
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines, [tree.path + "/ok.txt"])
        assertDiagnostics(child, mention: "locked.txt: Permission denied")
    }

    func testUnreadableFolderIsReportedAndTheRestSearched() throws {
        let nobody = try requireNobody()
        tree.write("ok/a.txt", "needle\n")
        tree.write("locked/b.txt", "needle\n")
        chmod(tree.path + "/locked", 0)
        let child = try ChildProcess.run(["grep", "-l", "needle", tree.path], prefix: nobody)
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines, [tree.path + "/ok/a.txt"])
        assertDiagnostics(child, mention: "locked")
    }

    func testUnreadableFileMakesHashFailWithTheOthersListed() throws {
        let nobody = try requireNobody()
        tree.write("ok.txt", "x\n")
        chmod(tree.write("locked.txt", "y\n"), 0)
        let child = try ChildProcess.run(["hash", tree.path], prefix: nobody)
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines.count, 1)
        XCTAssertTrue(child.stdoutText.hasSuffix("  \(tree.path)/ok.txt\n"))
        assertDiagnostics(child, mention: "locked.txt: Permission denied")
    }

    func testUnreadableFileAmongARunHashedInMD5LanesIsReportedAndTheRestListed() throws {
        let nobody = try requireNobody()
        for index in 0..<10 { tree.write("f\(index).txt", String(repeating: "x", count: index * 100)) }
        chmod(tree.write("f5b.txt", "y\n"), 0)
        let child = try ChildProcess.run(["hash", "-a", "md5", tree.path], prefix: nobody)
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines.count, 10)
        XCTAssertFalse(child.stdoutText.contains("f5b.txt"))
        XCTAssertTrue(child.stdoutLines.contains("\(Self.md5(String(repeating: "x", count: 900)))  \(tree.path)/f9.txt"))
        assertDiagnostics(child, mention: "f5b.txt: Permission denied")
    }

    private static func md5(_ text: String) -> String {
        var hasher = MD5()
        Array(text.utf8).withUnsafeBytes { hasher.update($0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func testListedFileThatVanishedIsReported() throws {
        tree.write("here.txt", "needle\n")
        tree.write("list.txt", "\(tree.path)/here.txt\n\(tree.path)/gone.txt\n")
        let child = try ChildProcess.run(["grep", "--files-from", tree.path + "/list.txt", "needle"])
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines, ["\(tree.path)/here.txt:needle"])
        assertDiagnostics(child, mention: "gone.txt: No such file or directory")
    }

    /// Files deleted after the walk listed them and before a worker opened them: each one is
    /// a message, the scan goes on, the output stays whole.
    func testFilesDeletedMidScanAreReportedNotFatal() throws {
        let big = TemporaryTree("vanish")
        defer { big.remove() }
        var allowed = Set<String>()
        for i in 0..<6000 {
            let path = big.write("d\(i / 300)/f\(i).txt", "needle \(i) one\nneedle \(i) two\n")
            allowed.insert("\(path):1:needle \(i) one")
            allowed.insert("\(path):2:needle \(i) two")
        }
        let child = try ChildProcess(["grep", "-n", "needle", big.path])
        XCTAssertTrue(child.read(until: { !$0.isEmpty }))
        // The scan is stalled on the full pipe: delete what it has not read yet.
        for i in 0..<6000 { unlink("\(big.path)/d\(i / 300)/f\(i).txt") }
        child.readToEnd()
        try child.wait()
        XCTAssertTrue([0, 2].contains(child.exitStatus), "status \(String(describing: child.exitStatus))")
        assertWholeLines(child.stdout, allowed: allowed)
        for message in child.stderrText.split(separator: "\n") {
            XCTAssertTrue(message.hasPrefix("trawl: ") && message.hasSuffix("No such file or directory"), "\(message)")
        }
    }

    /// A folder swapped for a file of the same name while the walk is stalled (best effort:
    /// whichever moment the walk sees, nothing crashes and the output stays whole).
    func testDirectoryReplacedByFileMidWalk() throws {
        let big = TemporaryTree("swap")
        defer { big.remove() }
        var allowed = Set<String>()
        for i in 0..<6000 {
            let path = big.write("d\(i / 300)/f\(i).txt", "needle \(i)\n")
            allowed.insert("\(path):1:needle \(i)")
        }
        for d in 0..<20 { allowed.insert("\(big.path)/d\(d):1:needle swapped") }
        let child = try ChildProcess(["grep", "-n", "needle", big.path])
        XCTAssertTrue(child.read(until: { !$0.isEmpty }))
        for d in 0..<20 {
            _ = try ChildProcess.runTool(["/bin/rm", "-rf", "\(big.path)/d\(d)"])
            big.write("d\(d)", "needle swapped\n")
        }
        child.readToEnd()
        try child.wait()
        XCTAssertTrue([0, 2].contains(child.exitStatus), "status \(String(describing: child.exitStatus))")
        assertWholeLines(child.stdout, allowed: allowed)
        for message in child.stderrText.split(separator: "\n") {
            XCTAssertTrue(message.hasPrefix("trawl: "), "\(message)")
        }
    }

    /// A file that grows while it is hashed: trawl reads to the end it finds and finishes.
    func testFileGrowingWhileReadFinishes() throws {
        let path = tree.write("growing.log", [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20))
        let writer = open(path, O_WRONLY | O_APPEND)
        XCTAssertGreaterThanOrEqual(writer, 0)
        defer { close(writer) }
        let child = try ChildProcess(["hash", path])
        let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 64 << 10)
        // Append 16 MB while trawl reads, then stop.
        for _ in 0..<256 { _ = chunk.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } }
        child.readToEnd(timeout: .seconds(20))
        try child.wait(timeout: .seconds(20))
        XCTAssertEqual(child.exitStatus, 0)
        XCTAssertEqual(child.stdoutLines.count, 1)
        XCTAssertTrue(child.stdoutText.hasSuffix("  \(path)\n"))
    }

    /// FIFOs, sockets and device nodes in a walked tree are skipped, never opened (opening
    /// a FIFO with no writer would block forever).
    func testSpecialFilesInTheTreeNeverBlock() throws {
        tree.write("a.txt", "needle\n")
        XCTAssertEqual(mkfifo(tree.path + "/fifo", 0o644), 0)
        let socketPath = tree.path + "/socket"
        let socket = makeUnixSocket(at: socketPath)
        defer { if socket >= 0 { close(socket) } }
        // A /dev/null-like character device (we run as root; skipped silently otherwise).
        _ = mknod(tree.path + "/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3))
        _ = mknod(tree.path + "/zero", S_IFCHR | 0o666, dev_t((1 << 8) | 5))
        for arguments in [["grep", "-l", "needle", tree.path], ["grep", "-uuu", "-l", "needle", tree.path]] {
            let child = try ChildProcess.run(arguments, timeout: .seconds(10))
            XCTAssertEqual(child.exitStatus, 0, "\(arguments)")
            XCTAssertEqual(child.stdoutLines, [tree.path + "/a.txt"])
            XCTAssertEqual(child.stderrText, "")
        }
        let hashed = try ChildProcess.run(["hash", tree.path], timeout: .seconds(10))
        XCTAssertEqual(hashed.exitStatus, 0)
        XCTAssertEqual(hashed.stdoutLines.count, 1)
        let listed = try ChildProcess.run(["files", "-uuu", tree.path], timeout: .seconds(10))
        XCTAssertEqual(listed.stdoutLines, [tree.path + "/a.txt"])
        let dupes = try ChildProcess.run(["dupes", tree.path], timeout: .seconds(10))
        XCTAssertTrue([0, 1].contains(dupes.exitStatus))
    }

    /// A FIFO named on the command line is what the user asked for: read as a stream.
    func testFIFONamedOnTheCommandLineIsReadAsAStream() throws {
        let fifo = tree.path + "/stream"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let other = tree.write("plain.txt", "needle in a file\n")
        let child = try ChildProcess(["grep", "-H", "needle", fifo, other])
        let writer = open(fifo, O_WRONLY | O_CLOEXEC)  // returns once trawl opened it
        XCTAssertGreaterThanOrEqual(writer, 0)
        for i in 0..<1000 {
            let line = Array((i % 100 == 0 ? "needle \(i)\n" : "hay \(i)\n").utf8)
            _ = line.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        }
        close(writer)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 0)
        let lines = Set(child.stdoutLines)
        XCTAssertEqual(lines, Set((0..<10).map { "\(fifo):needle \($0 * 100)" } + ["\(other):needle in a file"]))
    }

    func testSymlinkLoopWithFollowIsReportedAndEnds() throws {
        tree.write("top/sub/f.txt", "needle\n")
        XCTAssertEqual(symlink("..", tree.path + "/top/sub/up"), 0)
        XCTAssertEqual(symlink(tree.path + "/top", tree.path + "/top/sub/again"), 0)
        let child = try ChildProcess.run(["grep", "-L", "-l", "needle", tree.path], timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stdoutLines, [tree.path + "/top/sub/f.txt"])
        assertDiagnostics(child, mention: "loop")
    }

    private func makeUnixSocket(at path: String) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, "bind \(path)")
        return fd
    }
}
