#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Where `trawl check` reads manifests from (stdin in every form, trawl's own -z and
/// --json output), how it prints names, and what it does with files that are not files.
final class CheckInputTests: TrawlTestCase {
    private let sha256A = HashTests.sha256A

    func testDashReadsTheManifestFromStdin() throws {
        try write("a", "a\n")
        let piped = try trawl(["check", "-"], stdin: .bytes(Array("\(sha256A)  a\n".utf8)))
        XCTAssertEqual(piped.status, 0, piped.err)
        XCTAssertEqual(piped.out, "a: OK\n")
    }

    func testStdinFromAFileWithoutArgumentsAndBesideOtherManifests() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\n")
        let redirected = try trawl(["check"], stdin: .file(root + "/m"))
        XCTAssertEqual(redirected.status, 0, redirected.err)
        XCTAssertEqual(redirected.out, "a: OK\n")
        let both = try trawl(["check", "m", "-"], stdin: .bytes(Array("\(sha256A)  a\n".utf8)))
        XCTAssertEqual(both.status, 0, both.err)
        XCTAssertEqual(both.out, "a: OK\na: OK\n")
    }

    func testTrawlHashPipedIntoCheckVerifies() throws {
        for i in 0..<10 { try write("d/f\(i)", "file \(i)\n") }
        let manifest = try trawl(["hash", "-a", "blake3", "d"])
        let result = try trawl(["check"], stdin: .bytes(manifest.stdout))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines.count, 10)
    }

    func testNulSeparatedManifestChecksEveryEntry() throws {
        for i in 0..<10 { try write("d/f\(i)", "file \(i)\n") }
        try write(bytesPath: Array("d/new\nline".utf8), Array("x".utf8))
        let manifest = try trawl(["hash", "-z", "d"])
        XCTAssertEqual(manifest.stdout.filter { $0 == 0 }.count, 11)
        try write("m", bytes: manifest.stdout)
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines.filter { $0.hasSuffix(": OK") }.count, 11, result.out)
        XCTAssertTrue(result.out.contains("\\d/new\\nline: OK\n"), result.out)
        try write("d/f3", "changed\n")
        let changed = try trawl(["check", "m"], stdin: .null)
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.out.contains("d/f3: FAILED\n"), changed.out)
        let fromStdin = try trawl(["check", "-"], stdin: .bytes(manifest.stdout))
        XCTAssertEqual(fromStdin.status, 1)
        XCTAssertEqual(fromStdin.out, changed.out)
    }

    func testJSONManifestWithANonUTF8NameVerifies() throws {
        let name: [UInt8] = Array("bad".utf8) + [0xff] + Array("name".utf8)
        try write(bytesPath: name, Array("x".utf8))
        try write("plain", "y")
        let manifest = try trawl(["hash", "--json", "-a", "xxh128,sha256", "."])
        XCTAssertTrue(manifest.out.contains(#""path":{"bytes":"Li9iYWT/bmFtZQ=="}"#), manifest.out)
        try write("m.json", bytes: manifest.stdout)
        let result = try trawl(["check", "m.json"])
        XCTAssertEqual(result.status, 0, result.err)
        // Four records (two files, two algorithms each); the manifest's own file is new, not listed.
        XCTAssertEqual(result.stdout, Array("./".utf8) + name + Array(": OK\n./".utf8) + name + Array(": OK\n./plain: OK\n./plain: OK\n".utf8))
    }

    func testNamesPrintAsTheManifestWroteThem() throws {
        let name: [UInt8] = [0x6c, 0xe9, 0x74, 0xe9]  // "lété" in Latin-1: not UTF-8
        try write(bytesPath: name, Array("a\n".utf8))
        try write("m", bytes: Array("\(sha256A)  ".utf8) + name + [10])
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.stdout, name + Array(": OK\n".utf8))
    }

    func testNamesAreEscapedForOutputAsCoreutilsDoes() throws {
        // coreutils 9.1: only a newline makes the name escaped; then \\, \n and \r all are.
        try write(bytesPath: Array("c\rr".utf8), Array("a\n".utf8))
        try write(bytesPath: Array("b\\s\nx\ry".utf8), Array("a\n".utf8))
        try write("m", "\\\(sha256A)  c\\rr\n\\\(sha256A)  b\\\\s\\nx\\ry\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "c\rr: OK\n\\b\\\\s\\nx\\ry: OK\n")
        if let oracle = try? tool("sha256sum", ["-c", "m"]) { XCTAssertEqual(result.out, oracle.out) }
    }

    func testAFIFOInAManifestIsReportedNotRead() throws {
        try write("a", "a\n")
        guard mkfifo(root + "/pipe", 0o644) == 0 else { throw XCTSkip("mkfifo failed") }
        try mkdir("dir")
        try write("m", "\(sha256A)  pipe\n\(sha256A)  dir\n\(sha256A)  a\n")
        // No writer ever opens the FIFO: a blocking open would hang until the runner's timeout.
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "pipe: FAILED open or read\ndir: FAILED open or read\na: OK\n")
        XCTAssertTrue(result.err.contains("trawl: pipe: is a FIFO (named pipe), not read"), result.err)
        XCTAssertTrue(result.err.contains("trawl: dir: Is a directory"), result.err)
    }
}

/// Signals during `check`: the first one stops it promptly in every phase, and nothing is
/// reported after it (no OK for a file cut short, no "no properly formatted" summary).
final class CheckSignalTests: XCTestCase {
    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
    }

    /// A sparse file of `gigabytes` (reads fast-ish, hashes slowly) and a manifest of `algorithm`
    /// naming it; the digest is wrong on purpose, it is never reached.
    private func bigSparseFile(_ directory: TemporaryTree, gigabytes: Int) throws -> String {
        let path = directory.path + "/sparse"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0, ftruncate(fd, off_t(gigabytes) << 30) == 0 else { throw XCTSkip("cannot make a sparse file here") }
        close(fd)
        return path
    }

    private func assertStopsPromptlyWithoutOK(_ arguments: [String], signal number: Int32, label: String) throws {
        let child = try ChildProcess(arguments)
        usleep(400_000)  // well into the big file
        let sent = ContinuousClock.now
        child.send(number)
        child.readToEnd(timeout: .seconds(20))
        try child.wait(timeout: .seconds(20))
        let took = child.exitedAt! - sent
        print("measured: \(label): signal to exit \(took)")
        XCTAssertEqual(child.exitStatus, 128 + number, label)
        XCTAssertLessThan(took, .seconds(5), label)
        XCTAssertFalse(child.stdoutText.contains("sparse: OK"), child.stdoutText)
        XCTAssertFalse(child.stderrText.contains("no properly formatted"), child.stderrText)
    }

    func testSignalStopsCheckHashingAHugeFileWithEveryAlgorithmPath() throws {
        let directory = TemporaryTree("check-sparse")
        defer { directory.remove() }
        let sparse = try bigSparseFile(directory, gigabytes: 64)
        // blake3 alone takes the parallel whole-file path; 64 hex digits the two-candidate one.
        for (algorithm, digest) in [("BLAKE3", String(repeating: "0", count: 64)), ("SHA256", String(repeating: "1", count: 64))] {
            let manifest = directory.path + "/m-\(algorithm)"
            _ = FileManager.default.createFile(atPath: manifest, contents: Data("\(algorithm) (\(sparse)) = \(digest)\n".utf8))
            try assertStopsPromptlyWithoutOK(["check", manifest], signal: SIGTERM, label: "check \(algorithm) of 64 GiB, SIGTERM")
            let untagged = directory.path + "/u-\(algorithm)"
            _ = FileManager.default.createFile(atPath: untagged, contents: Data("\(digest)  \(sparse)\n".utf8))
            try assertStopsPromptlyWithoutOK(["check", untagged], signal: SIGINT, label: "check untagged of 64 GiB, SIGINT")
        }
    }

    func testNulManifestArrivingInPiecesOnAPipeIsStillReadAsNul() throws {
        let directory = TemporaryTree("check-pieces")
        defer { directory.remove() }
        let a = directory.write("a", "a\n"), b = directory.write("b", "a\n")
        let manifest = Array("\(HashTests.sha256A)  \(a)\0\(HashTests.sha256A)  \(b)\0".utf8)
        let child = try ChildProcess(["check", "-"], stdin: .pipe)
        XCTAssertTrue(child.writeStdin(Array(manifest[..<40])))
        usleep(300_000)  // the first read sees part of a record: neither NUL nor newline yet
        XCTAssertTrue(child.writeStdin(Array(manifest[40...])))
        child.closeStdin()
        child.readToEnd(timeout: .seconds(20))
        try child.wait(timeout: .seconds(20))
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(child.stdoutText, "\(a): OK\n\(b): OK\n")
    }

    func testSignalWhileTheManifestIsStillBeingReadPrintsNoSummary() throws {
        let child = try ChildProcess(["check", "-"], stdin: .pipe)
        usleep(200_000)
        let sent = ContinuousClock.now
        child.send(SIGINT)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertLessThan(child.exitedAt! - sent, .seconds(5))
        XCTAssertEqual(child.stderrText, "")
    }
}
