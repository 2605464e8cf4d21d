import Foundation
import XCTest
@testable import TrawlCLI

/// `trawl grep` output formats on a pipe, byte for byte as ripgrep 13 prints them
/// (expectations verified against `rg` on the same trees).
final class GrepOutputTests: TrawlTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try write("a.txt", "alpha\nbeta\nGamma foo\nfoo bar\nfoobar\ndelta\n")
        try write("b.txt", "one\nfoo two\n")
    }

    func testLineNumberFlagPrintsPathLineText() throws {
        let result = try trawl(["grep", "--sort", "path", "-n", "foo"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a.txt:3:Gamma foo\na.txt:4:foo bar\na.txt:5:foobar\nb.txt:2:foo two\n")
    }

    func testPipeOutputHasNoLineNumbersByDefault() throws {
        let result = try trawl(["grep", "--sort", "path", "foo"])
        XCTAssertEqual(result.out, "a.txt:Gamma foo\na.txt:foo bar\na.txt:foobar\nb.txt:foo two\n")
    }

    func testSingleFileHasNoPathPrefix() throws {
        XCTAssertEqual(try trawl(["grep", "foo", "a.txt"]).out, "Gamma foo\nfoo bar\nfoobar\n")
    }

    func testWithFilenameForcesPathForSingleFile() throws {
        XCTAssertEqual(try trawl(["grep", "-H", "foo", "a.txt"]).out, "a.txt:Gamma foo\na.txt:foo bar\na.txt:foobar\n")
    }

    func testNoFilenameDropsPaths() throws {
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "--no-filename", "foo"]).out, "Gamma foo\nfoo bar\nfoobar\nfoo two\n")
    }

    func testShortNoFilenameDropsPaths() throws {
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "-I", "foo"]).out, "Gamma foo\nfoo bar\nfoobar\nfoo two\n")
    }

    func testHeadingPrintsPathAboveMatchesWithBlankLineBetweenFiles() throws {
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "--heading", "foo"]).out,
                       "a.txt\nGamma foo\nfoo bar\nfoobar\n\nb.txt\nfoo two\n")
    }

    func testCountPrintsMatchingLinesPerFile() throws {
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "-c", "foo"]).out, "a.txt:3\nb.txt:1\n")
    }

    func testCountOfInvertedMatch() throws {
        XCTAssertEqual(try trawl(["grep", "-v", "-c", "foo", "a.txt"]).out, "3\n")
    }

    func testFilesWithMatchesPrintsPathsOnly() throws {
        try write("c.txt", "nothing here\n")
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "-l", "foo"]).out, "a.txt\nb.txt\n")
    }

    func testFilesWithoutMatchPrintsTheOthers() throws {
        let result = try trawl(["grep", "--sort", "path", "--files-without-match", "alpha"])
        XCTAssertEqual(result.out, "b.txt\n")
        XCTAssertEqual(result.status, 0)
    }

    func testOnlyMatchingPrintsEachMatch() throws {
        try write("o.txt", "xfoo foooo\nbar\n")
        XCTAssertEqual(try trawl(["grep", "-o", "fo+", "o.txt"]).out, "foo\nfoooo\n")
    }

    func testColumnPrintsOneBasedColumnOfFirstMatchAndImpliesLineNumbers() throws {
        XCTAssertEqual(try trawl(["grep", "--column", "foo", "a.txt"]).out, "3:7:Gamma foo\n4:1:foo bar\n5:1:foobar\n")
    }

    func testMaxCountStopsAfterNMatchingLines() throws {
        XCTAssertEqual(try trawl(["grep", "-m", "1", "foo", "a.txt"]).out, "Gamma foo\n")
    }

    func testQuietPrintsNothingAndExitsZeroOnMatch() throws {
        let result = try trawl(["grep", "-q", "foo"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(result.stderr, [])
    }

    func testQuietExitsOneWithoutMatch() throws {
        let result = try trawl(["grep", "-q", "absent"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, [])
    }

    func testNullAfterPathWithFilesWithMatches() throws {
        XCTAssertEqual(try trawl(["grep", "--sort", "path", "-l", "-0", "foo"]).stdout, Array("a.txt\0b.txt\0".utf8))
    }

    // MARK: Context

    private func writeNumbered() throws {
        try write("n.txt", (1...20).map { "line \($0)\n" }.joined())
    }

    func testAfterContextSeparatesNonAdjacentGroups() throws {
        try writeNumbered()
        XCTAssertEqual(try trawl(["grep", "-n", "-A", "1", "line (3|9)$", "n.txt"]).out,
                       "3:line 3\n4-line 4\n--\n9:line 9\n10-line 10\n")
    }

    func testBeforeContextMergesAdjacentGroups() throws {
        try writeNumbered()
        XCTAssertEqual(try trawl(["grep", "-n", "-B", "1", "line (3|4|9)$", "n.txt"]).out,
                       "2-line 2\n3:line 3\n4:line 4\n--\n8-line 8\n9:line 9\n")
    }

    func testContextOnBothSides() throws {
        try writeNumbered()
        XCTAssertEqual(try trawl(["grep", "-n", "-C", "1", "line (3|5|9)$", "n.txt"]).out,
                       "2-line 2\n3:line 3\n4-line 4\n5:line 5\n6-line 6\n--\n8-line 8\n9:line 9\n10-line 10\n")
    }

    func testContextSeparatorBetweenFiles() throws {
        try write("c1.txt", "x1\nx2\n")
        try write("c2.txt", "x3\n")
        XCTAssertEqual(try trawl(["grep", "-n", "-A", "1", "-B", "1", "x(1|3)", "--sort", "path", "c1.txt", "c2.txt"]).out,
                       "c1.txt:1:x1\nc1.txt-2-x2\n--\nc2.txt:1:x3\n")
    }

    // MARK: JSON

    func testJSONLinesFollowRipgrepSchema() throws {
        try write("j.txt", "hello foo world\nnothing\n")
        let result = try trawl(["grep", "--json", "foo", "j.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        let records = try result.lines.map { line -> [String: Any] in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try XCTUnwrap(object as? [String: Any], line)
        }
        XCTAssertEqual(records.map { $0["type"] as? String }, ["begin", "match", "end", "summary"])
        let begin = try XCTUnwrap(records[0]["data"] as? [String: Any])
        XCTAssertEqual((begin["path"] as? [String: Any])?["text"] as? String, "j.txt")
        let match = try XCTUnwrap(records[1]["data"] as? [String: Any])
        XCTAssertEqual((match["lines"] as? [String: Any])?["text"] as? String, "hello foo world\n")
        XCTAssertEqual(match["line_number"] as? Int, 1)
        XCTAssertEqual(match["absolute_offset"] as? Int, 0)
        let submatches = try XCTUnwrap(match["submatches"] as? [[String: Any]])
        XCTAssertEqual(submatches.count, 1)
        XCTAssertEqual((submatches[0]["match"] as? [String: Any])?["text"] as? String, "foo")
        XCTAssertEqual(submatches[0]["start"] as? Int, 6)
        XCTAssertEqual(submatches[0]["end"] as? Int, 9)
        let end = try XCTUnwrap(records[2]["data"] as? [String: Any])
        XCTAssertTrue(end["binary_offset"] is NSNull)
        let stats = try XCTUnwrap(end["stats"] as? [String: Any])
        XCTAssertEqual(stats["bytes_searched"] as? Int, 24)
        XCTAssertEqual(stats["matched_lines"] as? Int, 1)
        XCTAssertEqual(stats["matches"] as? Int, 1)
        // rg's bytes_printed: the file's begin and match records, newlines included.
        XCTAssertEqual(stats["bytes_printed"] as? Int, result.lines[0].utf8.count + result.lines[1].utf8.count + 2)
        let elapsed = try XCTUnwrap(stats["elapsed"] as? [String: Any])
        XCTAssertEqual(elapsed["secs"] as? Int, 0)
        XCTAssertNotNil(elapsed["nanos"] as? Int)
        XCTAssertTrue((elapsed["human"] as? String)?.hasSuffix("s") == true)
        let summary = try XCTUnwrap(records[3]["data"] as? [String: Any])
        let totals = try XCTUnwrap(summary["stats"] as? [String: Any])
        XCTAssertEqual(totals["searches_with_match"] as? Int, 1)
        XCTAssertEqual(totals["bytes_printed"] as? Int, stats["bytes_printed"] as? Int)
        XCTAssertNotNil(totals["elapsed"] as? [String: Any])
        XCTAssertNotNil((summary["elapsed_total"] as? [String: Any])?["human"] as? String)
        XCTAssertTrue(result.lines[3].hasPrefix("{\"data\":{\"elapsed_total\":{\"human\":"), "rg sorts the summary's keys")
    }

    func testJSONEncodesInvalidUTF8LinesAsBase64Bytes() throws {
        try write("bad.txt", bytes: Array("foo ".utf8) + [0xFF] + [10])
        let result = try trawl(["grep", "--json", "foo", "bad.txt"])
        let match = try XCTUnwrap(result.lines.first { $0.contains("\"type\":\"match\"") })
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(match.utf8)) as? [String: Any])
        let lines = try XCTUnwrap((object["data"] as? [String: Any])?["lines"] as? [String: Any])
        XCTAssertEqual(lines["bytes"] as? String, Data(Array("foo ".utf8) + [0xFF, 10]).base64EncodedString())
    }

    // MARK: Colour

    func testColorAlwaysUsesRipgrepEscapeSequences() throws {
        try write("c.txt", "hello foo world\n")
        let result = try trawl(["grep", "--color=always", "-H", "-n", "foo", "c.txt"])
        XCTAssertEqual(result.out,
                       "\u{1b}[0m\u{1b}[35mc.txt\u{1b}[0m:\u{1b}[0m\u{1b}[32m1\u{1b}[0m:hello \u{1b}[0m\u{1b}[1m\u{1b}[31mfoo\u{1b}[0m world\n")
    }

    func testColorAlwaysWithHeadingColoursThePathLine() throws {
        try write("c.txt", "hello foo world\n")
        XCTAssertEqual(try trawl(["grep", "--color=always", "--heading", "-H", "foo", "c.txt"]).out,
                       "\u{1b}[0m\u{1b}[35mc.txt\u{1b}[0m\nhello \u{1b}[0m\u{1b}[1m\u{1b}[31mfoo\u{1b}[0m world\n")
    }

    func testColorNeverPrintsNoEscapes() throws {
        try write("c.txt", "hello foo world\n")
        XCTAssertEqual(try trawl(["grep", "--color=never", "foo", "c.txt"]).out, "hello foo world\n")
    }

    func testNoColorEnvironmentKeepsAutoPlain() throws {
        try write("c.txt", "hello foo world\n")
        let result = try trawl(["grep", "--color=auto", "foo", "c.txt"], environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.out, "hello foo world\n")
    }

    func testColorAlwaysWinsOverNoColor() throws {
        try write("c.txt", "foo\n")
        let result = try trawl(["grep", "--color=always", "foo", "c.txt"], environment: ["NO_COLOR": "1"])
        XCTAssertTrue(result.out.contains("\u{1b}[31m"), result.out)
    }
}
