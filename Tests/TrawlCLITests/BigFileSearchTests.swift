#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// A file of 64 MiB or more is searched in one piece per core (Search's `BigFileSearch`,
/// on grep's pool): whatever the flags, the output must be the one search from the start
/// gives (`-j 1` never splits). SearchTests' BigFileSearchTests test the split alone.
final class BigFileSearchTests: XCTestCase {
    private var tree: TemporaryTree!

    override func setUpWithError() throws {
        try ChildProcess.requireBinary()
        tree = TemporaryTree("bigfile")
    }

    override func tearDown() {
        tree.remove()
    }

    /// 72 MiB of lines, every eighth holding `needle` (more than one list of a piece holds),
    /// with `rare` lines at the start, on both sides of the middle (where two pieces meet)
    /// and as the last line, which has no newline.
    private func writeBigFile(nul: Bool = false) -> String {
        var block: [UInt8] = []
        var line = 0
        while block.count < 1 << 20 {
            block += Array((line % 8 == 0 ? "a line with a needle in it \(line)\n" : "plain text, nothing here \(line)\n").utf8)
            line += 1
        }
        var bytes = Array("rare first\n".utf8)
        for index in 0..<72 {
            bytes += block
            if index == 35 { bytes += Array("rare before the middle\nrare RARE after it\n".utf8) }
            if index == 60 && nul { bytes += [0x00, 0x0A] + Array("needle after the NUL\n".utf8) }
        }
        bytes += Array("the last rare line".utf8)
        return tree.write("big.txt", bytes)
    }

    private func assertSameAsOneThread(_ arguments: [String], _ path: String, file: StaticString = #filePath,
                                       line: UInt = #line) throws {
        let split = try ChildProcess.run(["grep"] + arguments + [path])
        let single = try ChildProcess.run(["grep", "-j", "1"] + arguments + [path])
        XCTAssertEqual(split.exitStatus, single.exitStatus, "\(arguments)", file: file, line: line)
        XCTAssertEqual(split.stderrText, single.stderrText, "\(arguments)", file: file, line: line)
        XCTAssertEqual(strippingElapsed(split.stdoutText), strippingElapsed(single.stdoutText), "\(arguments)",
                       file: file, line: line)
        XCTAssertFalse(split.stdout.isEmpty, "\(arguments)", file: file, line: line)
    }

    /// JSON records carry wall times; everything else must match.
    private func strippingElapsed(_ text: String) -> String {
        text.replacingOccurrences(of: #""elapsed(_total)?":\{[^}]*\}"#, with: "", options: .regularExpression)
    }

    func testOutputEqualsOneSearchFromTheStart() throws {
        let path = writeBigFile()
        for arguments in [["-n", "rare"], ["-c", "needle"], ["-n", "needle"], ["-n", "-m", "150000", "needle"],
                          ["-m", "3", "rare"], ["-o", "-n", "--column", "r[a-z]re \\w+"], ["--json", "-i", "RARE"],
                          ["-n", "line$"]] {
            try assertSameAsOneThread(arguments, path)
        }
        let numbered = try ChildProcess.run(["grep", "-n", "rare", path])
        XCTAssertEqual(numbered.stdoutLines.count, 4)
        XCTAssertTrue(numbered.stdoutLines[0].hasPrefix("1:rare first"))
    }

    /// A NUL in the second piece: the answer is the sequential one (binary handling depends
    /// on order), for a file named on the command line and one found by walking.
    func testNULFallsBackToTheSearchFromTheStart() throws {
        let path = writeBigFile(nul: true)
        try assertSameAsOneThread(["-n", "rare"], path)
        try assertSameAsOneThread(["-n", "rare"], tree.path)
        try assertSameAsOneThread(["-c", "needle"], path)
    }
}
