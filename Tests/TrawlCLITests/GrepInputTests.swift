import XCTest

/// What `trawl grep` reads: binary files, encodings, line endings, stdin (expectations
/// verified against rg 13). The inputs are `Fixtures/text/`.
final class GrepInputTests: TrawlTestCase {
    /// `Fixtures/text/binary.dat`: a text line, then a NUL at offset 9 and another line.
    private let binary = Array("text foo\n\0bin foo\n".utf8)

    func testWalkedBinaryFileIsSkippedSilently() throws {
        try copyFixture("text/binary.dat", to: "w/bin.dat")
        try write("w/t.txt", "foo\n")
        let result = try trawl(["grep", "foo", "w"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "w/t.txt:foo\n")
        XCTAssertEqual(result.err, "")
    }

    func testExplicitBinaryFileReportsMatchWithNulOffset() throws {
        try copyFixture("text/binary.dat", to: "bin.dat")
        let result = try trawl(["grep", "foo", "bin.dat"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "binary file matches (found \"\\0\" byte around offset 9)\n")
    }

    func testTextFlagSearchesBinaryFile() throws {
        try copyFixture("text/binary.dat", to: "bin.dat")
        XCTAssertEqual(try trawl(["grep", "-a", "foo", "bin.dat"]).stdout, binary)
    }

    func testUnrestrictedThriceSearchesWalkedBinaryFile() throws {
        try copyFixture("text/binary.dat", to: "w/bin.dat")
        XCTAssertEqual(try trawl(["grep", "-uuu", "-c", "foo", "w"]).out, "w/bin.dat:2\n")
    }

    func testUTF16LittleEndianWithBOMIsDecoded() throws {
        try copyFixture("text/utf16le.txt", to: "u16.txt")  // BOM FF FE, "hi foo there\nbar\n"
        let result = try trawl(["grep", "-n", "foo", "u16.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "1:hi foo there\n")
    }

    func testUTF16BigEndianWithBOMIsDecoded() throws {
        try copyFixture("text/utf16be.txt", to: "u16.txt")  // BOM FE FF, "x\nhello wörld\n"
        XCTAssertEqual(try trawl(["grep", "-n", "wö", "u16.txt"]).out, "2:hello wörld\n")
    }

    func testCRLFLinesArePrintedByteExact() throws {
        try copyFixture("text/crlf.txt")  // "foo one\r\nbar\r\nfoo two\r\n"
        XCTAssertEqual(try trawl(["grep", "foo", "text/crlf.txt"]).out, "foo one\r\nfoo two\r\n")
    }

    func testMultilineMatchAcrossCRLFLines() throws {
        try copyFixture("text/crlf.txt")
        XCTAssertEqual(try trawl(["grep", "-U", "one\\r?\\nbar", "text/crlf.txt"]).out, "foo one\r\nbar\r\n")
    }

    func testLastLineWithoutNewlineGetsOne() throws {
        try copyFixture("text/no-final-newline.txt", to: "n.txt")  // "first\nlast foo"
        XCTAssertEqual(try trawl(["grep", "foo", "n.txt"]).out, "last foo\n")
    }

    func testEveryTextFixtureIsSearchedAsRgDoes() throws {
        // The whole Fixtures/text tree walked: the binary file is skipped, UTF-16 decoded.
        try copyFixture("text")
        let result = try trawl(["grep", "--sort", "path", "-n", "foo", "text"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "text/crlf.txt:1:foo one\r\ntext/crlf.txt:3:foo two\r\n"
                                   + "text/no-final-newline.txt:2:last foo\ntext/utf16le.txt:1:hi foo there\n")
    }

    func testPipedStdinIsSearched() throws {
        try write("decoy.txt", "foo in a file\n")
        let result = try trawl(["grep", "-n", "foo"], stdin: .bytes(Array("a foo\nb\nfoo c\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "1:a foo\n3:foo c\n")
    }

    func testStdinIsNamedWhenPathsAreForced() throws {
        let result = try trawl(["grep", "-H", "foo"], stdin: .bytes(Array("a foo\nb\n".utf8)))
        XCTAssertEqual(result.out, "<stdin>:a foo\n")
    }

    func testRegularFileOnStdinIsSearched() throws {
        try write("input", "x foo\n")
        try write("decoy.txt", "foo\n")
        XCTAssertEqual(try trawl(["grep", "foo"], stdin: .file(root + "/input")).out, "x foo\n")
    }

    func testDevNullStdinWalksTheCurrentDirectory() throws {
        try write("d/a.txt", "foo\n")
        XCTAssertEqual(try trawl(["grep", "foo"], stdin: .null).out, "d/a.txt:foo\n")
    }

    func testHiddenAndIgnoredFilesAreNotSearched() throws {
        try write(".ignore", "skip.txt\n")
        try write("skip.txt", "foo\n")
        try write(".hidden.txt", "foo\n")
        try write("seen.txt", "foo\n")
        XCTAssertEqual(try trawl(["grep", "-l", "foo"]).out, "seen.txt\n")
    }

    func testFilesFromListsWhatIsSearched() throws {
        try write("a.txt", "foo\n")
        try write("b.txt", "foo\n")
        let result = try trawl(["grep", "-l", "foo", "--files-from", "-"], stdin: .bytes(Array("b.txt\n".utf8)))
        XCTAssertEqual(result.out, "b.txt\n")
    }
}
