import XCTest

/// What every scanning command shares (`ScanRun`): a path that cannot be walked is a
/// `trawl:` line and exit status 2 while the rest is still listed, searched or hashed; a
/// malformed ignore-file line only warns.
final class ScanRunTests: TrawlTestCase {
    func testMissingRootIsReportedAndTheRestCompletesInEveryCommand() throws {
        try write("here/a.txt", "needle\n")
        try write("here/b.txt", "needle\n")
        let missing = "trawl: gone: No such file or directory\n"
        let files = try trawl(["files", "--sort", "path", "gone", "here"])
        XCTAssertEqual(files.status, 2)
        XCTAssertEqual(files.lines, ["here/a.txt", "here/b.txt"])
        XCTAssertEqual(files.err, missing)
        let grep = try trawl(["grep", "--sort", "path", "needle", "gone", "here"])
        XCTAssertEqual(grep.status, 2)
        XCTAssertEqual(grep.lines, ["here/a.txt:needle", "here/b.txt:needle"])
        XCTAssertEqual(grep.err, missing)
        let hash = try trawl(["hash", "-a", "xxh64", "gone", "here"])
        XCTAssertEqual(hash.status, 2)
        XCTAssertEqual(hash.lines.count, 2, hash.out)
        XCTAssertEqual(hash.err, missing)
        let dupes = try trawl(["dupes", "gone", "here"])
        XCTAssertEqual(dupes.status, 2)
        XCTAssertEqual(dupes.lines, ["here/a.txt", "here/b.txt", ""], "a group ends with a blank line, as in jdupes")
        XCTAssertEqual(dupes.err, missing)
    }

    func testNoMessagesHidesWalkErrorsButKeepsTheStatus() throws {
        try write("here/a.txt", "needle\n")
        let grep = try trawl(["grep", "--no-messages", "needle", "gone", "here"])
        XCTAssertEqual(grep.status, 2)
        XCTAssertEqual(grep.lines, ["here/a.txt:needle"])
        XCTAssertEqual(grep.err, "")
    }

    func testMalformedIgnoreLineWarnsWithoutFailing() throws {
        try write(".ignore", "*.{c,h\n*.o\n")
        try write("a.c", "x\n")
        try write("b.o", "x\n")
        let warning = "trawl: .ignore: line 1: error parsing glob '*.{c,h': unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)\n"
        let files = try trawl(["files"])
        XCTAssertEqual(files.status, 0, files.err)
        XCTAssertEqual(files.lines, ["a.c"])
        XCTAssertEqual(files.err, warning)
        let grep = try trawl(["grep", "x"])
        XCTAssertEqual(grep.status, 0, grep.err)
        XCTAssertEqual(grep.err, warning)
    }
}
