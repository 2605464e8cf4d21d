#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Nothing lost, nothing damaged, never stuck on output: write errors, full disks,
/// non-blocking and stalled pipes, and `hash -o` aimed at devices, FIFOs, symlinks and
/// shared directories, run against the real binary.
final class FaultSafetyTests: XCTestCase {
    private var tree: TemporaryTree!
    private var files: String { tree.path + "/files" }

    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
        tree = TemporaryTree("safety")
        for i in 0..<50 { tree.write("files/f\(i).txt", "file \(i)\n") }
        tree.write("files/copy.txt", "file 0\n")  // a duplicate of f0 for dupes
    }

    override func tearDown() {
        tree.remove()
    }

    /// The exit status and stderr of `trawl arguments` with stdout sent to `path`.
    private func run(_ arguments: [String], stdoutTo path: String) throws -> ChildProcess {
        try ChildProcess.run(arguments, prefix: ["/bin/sh", "-c", "exec \"$@\" > '\(path)'", "sh"])
    }

    private func manifest(of directory: String) throws -> String {
        let child = try ChildProcess.run(["hash", directory])
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        return child.stdoutText
    }

    private func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    private func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// Names in `directory` that look like trawl's temporary files.
    private func temporaryFiles(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains(".trawl-") }
    }

    // MARK: Write errors

    func testWriteErrorOnStdoutExitsTwoWithAMessage() throws {
        for arguments in [["files", files], ["grep", "file", files], ["dupes", files], ["hash", files], ["--help"]] {
            let child = try run(arguments, stdoutTo: "/dev/full")
            XCTAssertEqual(child.exitStatus, 2, "\(arguments)")
            XCTAssertEqual(child.stderrText, "trawl: error writing to standard output: No space left on device\n", "\(arguments)")
        }
    }

    func testCheckWithAFailedFileExitsOneWhateverHappenedToItsOutput() throws {
        let sums = tree.write("sums", try manifest(of: files))
        let verified = try run(["check", "--quiet", sums], stdoutTo: "/dev/full")
        XCTAssertEqual(verified.exitStatus, 0, "--quiet prints nothing when every file matches")
        let loud = try run(["check", sums], stdoutTo: "/dev/full")
        XCTAssertEqual(loud.exitStatus, 2, "every file matched, but its OK lines were lost")
        XCTAssertTrue(loud.stderrText.contains("trawl: error writing to standard output: No space left on device"))
        tree.write("files/f7.txt", "changed\n")
        for arguments in [["check", "--quiet", sums], ["check", sums]] {
            let failed = try run(arguments, stdoutTo: "/dev/full")
            XCTAssertEqual(failed.exitStatus, 1, "\(arguments): a file did not match (sha256sum -c: 1)")
            XCTAssertTrue(failed.stderrText.contains("error writing to standard output"), failed.stderrText)
        }
        // A reader that goes away after the first line does not turn a failure into success.
        let broken = try ChildProcess(["check", sums])
        broken.closeStdout()
        try broken.wait(timeout: .seconds(30))
        XCTAssertEqual(broken.exitStatus, 1)
    }

    func testHashOutputFileWriteErrorExitsTwoNamingTheFile() throws {
        let child = try ChildProcess.run(["hash", "-o", "/dev/full", files])
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stderrText, "trawl: error writing to /dev/full: No space left on device\n")
    }

    /// A full disk (a 64 KiB tmpfs): every command stops with exit 2 and the message; `hash -o`
    /// leaves the old manifest as it was and no temporary file.
    func testFullDiskExitsTwoAndKeepsTheOldManifest() throws {
        let disk = TemporaryTree("fulldisk")
        defer { disk.remove() }
        guard getuid() == 0, ChildProcess.mount(tmpfsOf: "64k", at: disk.path) else {
            throw XCTSkip("cannot mount a tmpfs here (needs root and mount permission): full disk not tested")
        }
        defer { _ = try? ChildProcess.runTool(["/bin/umount", disk.path]) }
        let big = TemporaryTree("fulldisk-tree")
        defer { big.remove() }
        for i in 0..<2000 { big.write("d/a-long-file-name-to-fill-the-disk-sooner-\(i).txt", "x\n") }
        for arguments in [["files", big.path], ["grep", "x", big.path], ["hash", big.path]] {
            let child = try run(arguments, stdoutTo: disk.path + "/out")
            XCTAssertEqual(child.exitStatus, 2, "\(arguments)")
            XCTAssertEqual(child.stderrText, "trawl: error writing to standard output: No space left on device\n")
            unlink(disk.path + "/out")
        }
        let old = "old manifest\n"
        let target = disk.path + "/sums"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(old.utf8)))
        let hashed = try ChildProcess.run(["hash", "-o", target, big.path])
        XCTAssertEqual(hashed.exitStatus, 2)
        XCTAssertEqual(hashed.stderrText, "trawl: error writing to \(target): No space left on device\n")
        XCTAssertEqual(contents(target), old)
        XCTAssertEqual(temporaryFiles(in: disk.path), [])
    }

    /// stdout non-blocking (its file description shared with a process that set O_NONBLOCK)
    /// and read slowly: EAGAIN is waited out, every line arrives, exit 0.
    func testNonBlockingStdoutReadSlowlyGetsEveryLine() throws {
        let many = TemporaryTree("eagain")
        defer { many.remove() }
        for i in 0..<3000 { many.write("d/file-with-a-name-long-enough-to-fill-the-pipe-\(i)", "") }
        let child = try ChildProcess(["files", many.path], stdoutNonBlocking: true)
        while true {
            usleep(2_000)
            if child.readSome(timeout: .seconds(10)).isEmpty { break }
        }
        try child.wait(timeout: .seconds(30))
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(child.stderrText, "")
        XCTAssertEqual(Set(child.stdoutLines).count, 3000)
        XCTAssertEqual(child.stdoutLines.count, 3000)
    }

    /// A pipe nobody reads: the first SIGTERM still ends the run (trawl blocked in write(2)).
    func testStalledPipeAndSigtermExit143Promptly() throws {
        let tree = BigTree.shared
        for arguments in [["files", tree.path], ["grep", "needle", tree.path]] {
            let child = try ChildProcess(arguments)
            // Never read: the pipe fills and trawl blocks in write (where the kernel tells).
            _ = ChildProcess.waitUntil(timeout: .seconds(10)) { child.isBlockedWriting }
            let sent = ContinuousClock.now
            child.send(SIGTERM)
            try child.wait(timeout: .seconds(20))
            let took = child.exitedAt! - sent
            print("measured: \(arguments[0]) blocked on a stalled pipe, SIGTERM to exit \(took)")
            XCTAssertEqual(child.exitStatus, 143, "\(arguments)")
            XCTAssertLessThan(took, .seconds(5), "\(arguments)")
        }
    }

    // MARK: hash -o targets

    func testHashOutputToDeviceWritesThrough() throws {
        let devices = TemporaryTree("devices")
        defer { devices.remove() }
        let null = devices.path + "/null"
        guard mknod(null, S_IFCHR | 0o666, 0x0103 /* makedev(1, 3): a macro Swift cannot call */) == 0 else {
            throw XCTSkip("mknod not permitted here: \(String(cString: strerror(errno)))")
        }
        let probe = open(null, O_WRONLY | O_CLOEXEC)
        guard probe >= 0 else { throw XCTSkip("device nodes do not open on this file system (nodev)") }
        close(probe)
        for target in [null, "/dev/null"] {
            let child = try ChildProcess.run(["hash", "-o", target, files])
            XCTAssertEqual(child.exitStatus, 0, child.stderrText)
            XCTAssertEqual(kind(target), S_IFCHR, "\(target) was replaced")
        }
        XCTAssertEqual(temporaryFiles(in: devices.path), [])
        let full = devices.path + "/full"
        XCTAssertEqual(mknod(full, S_IFCHR | 0o666, 0x0107 /* makedev(1, 7) */), 0)
        let failed = try ChildProcess.run(["hash", "-o", full, files])
        XCTAssertEqual(failed.exitStatus, 2, "written through to the device, which fails")
        XCTAssertEqual(kind(full), S_IFCHR)
    }

    func testHashOutputToFIFOWritesThrough() throws {
        let fifo = tree.path + "/pipe"
        guard mkfifo(fifo, 0o644) == 0 else { throw XCTSkip("mkfifo failed") }
        let expected = try manifest(of: files)
        let child = try ChildProcess(["hash", "-o", fifo, files])
        let reader = open(fifo, O_RDONLY | O_CLOEXEC)  // waits for trawl's open
        XCTAssertGreaterThanOrEqual(reader, 0)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            received += chunk[..<got]
        }
        close(reader)
        try child.wait(timeout: .seconds(30))
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(String(decoding: received, as: UTF8.self), expected)
        XCTAssertEqual(kind(fifo), S_IFIFO)
    }

    func testHashOutputToDevStdoutWritesToStdout() throws {
        let child = try ChildProcess.run(["hash", "-o", "/dev/stdout", files])
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(child.stdoutText, try manifest(of: files))
    }

    /// A FIFO target nobody opens: the open waits, and SIGINT ends the wait.
    func testInterruptEndsTheWaitForAFIFOTargetsReader() throws {
        let fifo = tree.path + "/unread"
        guard mkfifo(fifo, 0o644) == 0 else { throw XCTSkip("mkfifo failed") }
        let child = try ChildProcess(["hash", "-o", fifo, files])
        // Signal only once trawl takes signals itself (before, SIGINT would simply kill it).
        XCTAssertTrue(ChildProcess.waitUntil(timeout: .seconds(20)) { child.blocks(SIGINT) })
        usleep(100_000)  // into the open, most likely; either way SIGINT must end the run
        let sent = ContinuousClock.now
        child.send(SIGINT)
        try child.wait(timeout: .seconds(20))
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertLessThan(child.exitedAt! - sent, .seconds(5))
    }

    func testHashOutputThroughSymlinkReplacesTheTarget() throws {
        tree.makeDirectories(tree.path + "/real")
        let target = tree.write("real/sums", "old\n")
        let link = tree.path + "/link"
        XCTAssertEqual(symlink("real/sums", link), 0)
        let child = try ChildProcess.run(["hash", "-o", link, files])
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(kind(link), S_IFLNK, "the symlink was replaced")
        XCTAssertEqual(contents(target), try manifest(of: files))
        XCTAssertEqual(temporaryFiles(in: tree.path), [])
        XCTAssertEqual(temporaryFiles(in: tree.path + "/real"), [])
        // A dangling link: its target is created, as a shell redirect does.
        let dangling = tree.path + "/dangling"
        XCTAssertEqual(symlink("real/new-sums", dangling), 0)
        XCTAssertEqual(try ChildProcess.run(["hash", "-o", dangling, files]).exitStatus, 0)
        XCTAssertEqual(kind(dangling), S_IFLNK)
        XCTAssertEqual(contents(tree.path + "/real/new-sums"), try manifest(of: files))
    }

    func testHashOutputKeepsModeAndOwner() throws {
        let target = tree.write("sums", "old\n")
        XCTAssertEqual(chmod(target, 0o600), 0)
        let owner: uid_t = getuid() == 0 ? 65534 : getuid()
        if getuid() == 0 { XCTAssertEqual(chown(target, owner, gid_t(65534)), 0) }
        let child = try ChildProcess.run(["hash", "-o", target, files])
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        var info = stat()
        XCTAssertEqual(stat(target, &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o600)
        XCTAssertEqual(info.st_uid, owner)
        XCTAssertEqual(contents(target), try manifest(of: files))
    }

    /// A read-only FILE in a writable directory: refused as a shell redirect would refuse
    /// it, though the rename alone would be allowed.
    func testHashOutputRefusesAReadOnlyFile() throws {
        guard let nobody = ChildProcess.asNobody else { throw XCTSkip("cannot run as nobody here") }
        XCTAssertEqual(chmod(tree.path, 0o777), 0)
        let target = tree.write("sums", "old\n")
        XCTAssertEqual(chown(target, 65534, 65534), 0)
        XCTAssertEqual(chmod(target, 0o444), 0)
        let child = try ChildProcess.run(["hash", "-o", target, files], prefix: nobody)
        XCTAssertEqual(child.exitStatus, 2)
        XCTAssertEqual(child.stderrText, "trawl: \(target): \(String(cString: strerror(EACCES)))\n")
        XCTAssertEqual(contents(target), "old\n")
        XCTAssertEqual(temporaryFiles(in: tree.path), [])
    }

    // MARK: The temporary file

    /// An error after the temporary file was made (a missing --files-from list, a path that
    /// does not exist) removes it and leaves FILE as it was.
    func testFailedRunLeavesTheOldManifestAndNoTemporaryFile() throws {
        let target = tree.write("sums", "old\n")
        for arguments in [["--files-from", tree.path + "/no-such-list"], [files, tree.path + "/no-such-file"]] {
            let child = try ChildProcess.run(["hash", "-o", target] + arguments)
            XCTAssertEqual(child.exitStatus, 2)
            XCTAssertTrue(child.stderrText.hasSuffix("trawl: \(target): left as it was, after the errors above\n"), child.stderrText)
            XCTAssertEqual(contents(target), "old\n")
            XCTAssertEqual(temporaryFiles(in: tree.path), [])
        }
    }

    /// SIGHUP, SIGQUIT and SIGINT while a worker waits on a FIFO given as input: the old
    /// manifest stays and the temporary file goes. HUP and QUIT kill trawl as their
    /// default actions do (the parent sees the signal); INT exits 130.
    func testTemporaryFileIsRemovedAfterHangupQuitAndInterrupt() throws {
        let input = tree.path + "/input"
        guard mkfifo(input, 0o644) == 0 else { throw XCTSkip("mkfifo failed") }
        let target = tree.write("sums", "old\n")
        for (number, status) in [(SIGHUP, -SIGHUP), (SIGQUIT, -SIGQUIT), (SIGINT, Int32(130))] {
            // No core file from SIGQUIT in the test directory.
            let child = try ChildProcess(["hash", "-o", target, files, input],
                                         prefix: ["/bin/sh", "-c", "ulimit -c 0; exec \"$@\"", "sh"])
            let writer = open(input, O_WRONLY | O_CLOEXEC)  // returns once trawl reads the FIFO
            XCTAssertGreaterThanOrEqual(writer, 0)
            XCTAssertEqual(temporaryFiles(in: tree.path).count, 1, "the temporary file exists while hashing")
            child.send(number)
            try child.wait(timeout: .seconds(20))
            close(writer)
            XCTAssertEqual(child.exitStatus, status, "signal \(number)")
            XCTAssertEqual(contents(target), "old\n", "signal \(number)")
            XCTAssertEqual(temporaryFiles(in: tree.path), [], "signal \(number)")
        }
    }

    /// The name the temporary file had before (`.NAME.trawl-PID.tmp`), planted as a symlink
    /// to a victim file for trawl's own pid: it is neither followed nor touched.
    func testPlantedSymlinkAtTheOldGuessableNameIsNotFollowed() throws {
        let victim = tree.write("victim", "precious\n")
        let target = tree.path + "/sums"
        // The shell's pid becomes trawl's pid at exec.
        let plant = "ln -s '\(victim)' '\(tree.path)/.sums.trawl-'$$'.tmp' && exec \"$@\""
        let child = try ChildProcess.run(["hash", "-o", target, files], prefix: ["/bin/sh", "-c", plant, "sh"])
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(contents(victim), "precious\n")
        XCTAssertEqual(contents(target), try manifest(of: files))
        XCTAssertEqual(temporaryFiles(in: tree.path).count, 1, "the planted link is left alone")
    }
}

extension ChildProcess {
    /// True while the child is blocked writing to a pipe (its main thread's kernel wait).
    var isBlockedWriting: Bool {
        (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8))?.hasSuffix("pipe_write") == true
    }

    /// True once the child's main thread blocks `number` (trawl's SignalWatcher takes it).
    func blocks(_ number: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << UInt64(number - 1)) != 0
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes.
    static func waitUntil(timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    /// Mounts a tmpfs of `size` at `path`; false when this machine does not allow it.
    static func mount(tmpfsOf size: String, at path: String) -> Bool {
        (try? runTool(["/bin/mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])) == 0
    }
}
