import XCTest

/// What `trawl grep` reads: binary files, encodings, line endings, stdin (expectations
/// verified against rg 13).
final class GrepInputTests: TrawlTestCase {
    private let binary = Array("text foo\n\0bin foo\n".utf8)

    func testWalkedBinaryFileIsSkippedSilently() throws {
        try write("w/bin.dat", bytes: binary)
        try write("w/t.txt", "foo\n")
        let result = try trawl(["grep", "foo", "w"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "w/t.txt:foo\n")
        XCTAssertEqual(result.err, "")
    }

    func testExplicitBinaryFileReportsMatchWithNulOffset() throws {
        try write("bin.dat", bytes: binary)
        let result = try trawl(["grep", "foo", "bin.dat"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "binary file matches (found \"\\0\" byte around offset 9)\n")
    }

    func testTextFlagSearchesBinaryFile() throws {
        try write("bin.dat", bytes: binary)
        XCTAssertEqual(try trawl(["grep", "-a", "foo", "bin.dat"]).stdout, binary)
    }

    func testUnrestrictedThriceSearchesWalkedBinaryFile() throws {
        try write("w/bin.dat", bytes: binary)
        XCTAssertEqual(try trawl(["grep", "-uuu", "-c", "foo", "w"]).out, "w/bin.dat:2\n")
    }

    func testUTF16LittleEndianWithBOMIsDecoded() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "hi foo there\nbar\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try write("u16.txt", bytes: bytes)
        let result = try trawl(["grep", "-n", "foo", "u16.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "1:hi foo there\n")
    }

    func testCRLFLinesArePrintedByteExact() throws {
        try write("crlf.txt", "foo one\r\nbar\r\nfoo two\r\n")
        XCTAssertEqual(try trawl(["grep", "foo", "crlf.txt"]).out, "foo one\r\nfoo two\r\n")
    }

    func testMultilineMatchAcrossCRLFLines() throws {
        try write("crlf.txt", "foo one\r\nbar\r\nfoo two\r\n")
        XCTAssertEqual(try trawl(["grep", "-U", "one\\r?\\nbar", "crlf.txt"]).out, "foo one\r\nbar\r\n")
    }

    func testLastLineWithoutNewlineGetsOne() throws {
        try write("n.txt", "first\nlast foo")
        XCTAssertEqual(try trawl(["grep", "foo", "n.txt"]).out, "last foo\n")
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
