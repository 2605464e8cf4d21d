#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Trees at the edges of what a file system allows: paths past PATH_MAX, 100,000 entries in
/// one folder, 1,000 levels of folders, names no text format likes, and names like flags.
final class LimitsTests: XCTestCase {
    private var tree: TemporaryTree!

    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
        tree = TemporaryTree("limits")
    }

    override func tearDown() {
        tree.remove()
    }

    /// Makes `levels` nested folders named `name` below the tree with mkdirat (a full path
    /// would be too long for mkdir) and writes `file` at the bottom. Returns its full path.
    private func nest(levels: Int, name: String, file: String, contents: String) throws -> String {
        var fd = open(tree.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        var path = tree.path
        for _ in 0..<levels {
            XCTAssertEqual(mkdirat(fd, name, 0o755), 0, String(cString: strerror(errno)))
            let next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            close(fd)
            fd = next
            path += "/" + name
        }
        let out = openat(fd, file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        XCTAssertGreaterThanOrEqual(out, 0)
        _ = Array(contents.utf8).withUnsafeBytes { write(out, $0.baseAddress, $0.count) }
        close(out)
        close(fd)
        return path + "/" + file
    }

    /// A file 5,000 bytes deep: found (through *at calls) or reported as too long; never a
    /// crash or a silent miss.
    func testPathLongerThanPathMaxIsFoundOrReported() throws {
        let name = String(repeating: "n", count: 250)
        let deep = try nest(levels: 20, name: name, file: "deep.txt", contents: "needle\n")
        XCTAssertGreaterThan(deep.utf8.count, Int(PATH_MAX))
        tree.write("shallow.txt", "needle\n")
        let child = try ChildProcess.run(["grep", "-l", "needle", tree.path], timeout: .seconds(20))
        XCTAssertTrue(child.stdoutLines.contains(tree.path + "/shallow.txt"))
        if child.stdoutLines.contains(deep) {
            XCTAssertEqual(child.exitStatus, 0)
        } else {
            XCTAssertEqual(child.exitStatus, 2, "the deep file was silently missed")
            XCTAssertTrue(child.stderrText.contains("File name too long"), child.stderrText)
        }
    }

    func testHundredThousandFilesInOneFolder() throws {
        let folder = tree.path + "/wide"
        mkdir(folder, 0o755)
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for i in 0..<100_000 {
            let fd = openat(directory, "f\(i)", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            if i % 10_000 == 0 { _ = write(fd, "needle\n", 7) }
            close(fd)
        }
        close(directory)
        let listed = try ChildProcess.run(["files", folder], timeout: .seconds(60))
        XCTAssertEqual(listed.exitStatus, 0)
        XCTAssertEqual(listed.stdoutLines.count, 100_000)
        XCTAssertEqual(Set(listed.stdoutLines).count, 100_000)
        let searched = try ChildProcess.run(["grep", "-l", "needle", folder], timeout: .seconds(60))
        XCTAssertEqual(searched.exitStatus, 0)
        XCTAssertEqual(Set(searched.stdoutLines), Set(stride(from: 0, to: 100_000, by: 10_000).map { "\(folder)/f\($0)" }))
    }

    /// 1,000 nested folders: the walk keeps its own stack, so no stack overflow.
    func testThousandLevelDeepTree() throws {
        let deep = try nest(levels: 1000, name: "d", file: "bottom.txt", contents: "needle at the bottom\n")
        let child = try ChildProcess.run(["grep", "-l", "needle", tree.path], timeout: .seconds(20))
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(child.stdoutLines, [deep])
        let hashed = try ChildProcess.run(["hash", tree.path], timeout: .seconds(20))
        XCTAssertEqual(hashed.exitStatus, 0)
        XCTAssertEqual(hashed.stdoutLines.count, 1)
    }

    /// Names holding a newline, a backslash, a CR, invalid UTF-8: `files -0` prints them
    /// byte for byte, and `hash` then `check` round-trips them through the escaping.
    func testAwkwardNamesRoundTrip() throws {
        let names: [[UInt8]] = [
            Array("new\nline.txt".utf8), Array("back\\slash.txt".utf8), Array("carriage\rreturn.txt".utf8),
            [0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74], Array("-dash.txt".utf8), Array(" space .txt".utf8),
        ]
        for name in names {
            let full = Array(tree.path.utf8) + [UInt8(ascii: "/")] + name + [0]
            let fd = full.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
            XCTAssertGreaterThanOrEqual(fd, 0)
            _ = write(fd, "needle\n", 7)
            close(fd)
        }
        let listed = try ChildProcess.run(["files", "-0", tree.path])
        XCTAssertEqual(listed.exitStatus, 0)
        let printed = Set(listed.stdout.split(separator: 0).map { Array($0) })
        XCTAssertEqual(printed, Set(names.map { Array(tree.path.utf8) + [UInt8(ascii: "/")] + $0 }))

        let manifest = TemporaryTree("names-manifest")
        defer { manifest.remove() }
        let hashed = try ChildProcess.run(["hash", "-o", manifest.path + "/sums", tree.path])
        XCTAssertEqual(hashed.exitStatus, 0, hashed.stderrText)
        let checked = try ChildProcess.run(["check", manifest.path + "/sums"])
        XCTAssertEqual(checked.exitStatus, 0, checked.stderrText)
        XCTAssertEqual(checked.stdoutText.components(separatedBy: ": OK\n").count - 1, names.count, checked.stdoutText)
        let tagged = try ChildProcess.run(["hash", "--tag", "-o", manifest.path + "/tagged", tree.path])
        XCTAssertEqual(tagged.exitStatus, 0)
        let checkedTagged = try ChildProcess.run(["check", manifest.path + "/tagged"])
        XCTAssertEqual(checkedTagged.exitStatus, 0, checkedTagged.stderrText)
    }

    /// `trawl grep needle -- -weird`: after `--` a leading dash is a path.
    func testLeadingDashNameAfterDoubleDash() throws {
        tree.write("-weird", "needle\n")
        let child = try ChildProcess.run(["grep", "needle", "--", "-weird"], directory: tree.path)
        XCTAssertEqual(child.exitStatus, 0, child.stderrText)
        XCTAssertEqual(child.stdoutLines, ["needle"])
        let pattern = try ChildProcess.run(["grep", "-e", "-weird", "--", "-weird"], directory: tree.path)
        XCTAssertEqual(pattern.exitStatus, 1)
        let hashed = try ChildProcess.run(["hash", "--", "-weird"], directory: tree.path)
        XCTAssertEqual(hashed.exitStatus, 0, hashed.stderrText)
        XCTAssertTrue(hashed.stdoutText.hasSuffix("  -weird\n"))
    }
}
