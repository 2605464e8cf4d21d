import XCTest

/// `trawl hash` on standard input, its crc32 and JSON formats, what it skips, and the
/// habits it answers (`hash -c`).
final class HashInputTests: TrawlTestCase {
    private let sha256OfHi = "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4"  // "hi\n"

    func testDashHashesStdinPrintedAsDash() throws {
        let result = try trawl(["hash", "-"], stdin: .bytes(Array("hi\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "\(sha256OfHi)  -\n")
    }

    func testPipedStdinWithoutPathIsHashedNotTheDirectory() throws {
        try write("file", "not this\n")
        let result = try trawl(["hash"], stdin: .bytes(Array("hi\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "\(sha256OfHi)  -\n")
        let redirected = try trawl(["hash", "-a", "blake3"], stdin: .bytes(Array("hi\n".utf8)))
        if let oracle = try? tool("b3sum", [], stdin: .bytes(Array("hi\n".utf8))) { XCTAssertEqual(redirected.out, oracle.out) }
    }

    func testStdinFromAFileIsHashedToo() throws {
        try write("input", "hi\n")
        let result = try trawl(["hash"], in: root, stdin: .file(root + "/input"))
        XCTAssertEqual(result.out, "\(sha256OfHi)  -\n")
    }

    func testNullStdinWithoutPathWalksTheCurrentDirectory() throws {
        try write("file", "hi\n")
        let result = try trawl(["hash"], stdin: .null)
        XCTAssertEqual(result.out, "\(sha256OfHi)  file\n")
    }

    func testDashBesidePathsHashesStdinFirstThenTheWalk() throws {
        try write("file", "hi\n")
        let result = try trawl(["hash", "file", "-"], stdin: .bytes(Array("hi\n".utf8)))
        XCTAssertEqual(result.out, "\(sha256OfHi)  -\n\(sha256OfHi)  file\n")
    }

    func testCrc32LinesAreCksumsFormat() throws {
        try write("file", "hi\n")
        try write("sp ace", String(repeating: "x", count: 100_000))
        let result = try trawl(["hash", "-a", "crc32", "file", "sp ace"])
        XCTAssertEqual(result.status, 0, result.err)
        let oracle = try tool("cksum", ["file", "sp ace"])
        XCTAssertEqual(result.out, oracle.out)
        let stdin = try trawl(["hash", "-a", "crc32"], stdin: .bytes(Array("hi\n".utf8)))
        XCTAssertEqual(stdin.out, try tool("cksum", ["-"], stdin: .bytes(Array("hi\n".utf8))).out)
    }

    func testJSONKeepsANonUTF8NameAsBase64Bytes() throws {
        try write(bytesPath: [0x66, 0xff], Array("hi\n".utf8))
        let result = try trawl(["hash", "--json", "."])
        XCTAssertEqual(result.out, #"{"path":{"bytes":"Li9m/w=="},"size":3,"algorithm":"sha256","digest":"\#(sha256OfHi)"}"# + "\n")
    }

    func testGitDirectoryIsSkippedUnlessIncluded() throws {
        try write("file", "hi\n")
        try write(".git/HEAD", "ref\n")
        XCTAssertEqual(try trawl(["hash", "."]).lines.count, 1)
        let included = try trawl(["hash", "--include-git", "."])
        XCTAssertEqual(included.lines.map { $0.split(separator: " ").last! }, ["./.git/HEAD", "./file"])
        let help = try trawl(["hash", "--help"]).out
        XCTAssertTrue(help.contains(".git"), help)
        XCTAssertTrue(help.contains("--include-git"), help)
    }

    func testHelpDocumentsNulOutputAndStdin() throws {
        let help = try trawl(["hash", "--help"]).out.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(help.contains("NUL"), help)
        XCTAssertTrue(help.contains("'-' hashes standard input"), help)
    }

    func testCheckFlagSuggestsTheCheckCommand() throws {
        for flag in ["-c", "--check"] {
            let result = try trawl(["hash", flag, "m"])
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.err.contains("did you mean `trawl check`?"), result.err)
        }
    }
}
