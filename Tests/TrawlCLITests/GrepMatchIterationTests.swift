import Foundation
import XCTest
@testable import TrawlCLI

/// How grep walks the matches of a line, as rg 15 and the Rust regex crate do: an empty
/// match where the previous match ended is skipped, the others are printed (`-o`),
/// listed (`--json`) and counted; `-w` puts a half word boundary on each side.
/// (Expectations checked against rg 15.2 on the same files.)
final class GrepMatchIterationTests: TrawlTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try write("t.txt", "abc\nxx\n")
    }

    func testOnlyMatchingPrintsEmptyMatchesAsEmptyLinesButNotAfterAMatch() throws {
        // `b|` on "abc": [0,0] [1,2] [3,3]; the empty match at 2 touches "b" and is skipped.
        XCTAssertEqual(try trawl(["grep", "-on", "b|", "t.txt"]).out, "1:\n1:b\n1:\n2:\n2:\n2:\n")
        XCTAssertEqual(try trawl(["grep", "-ob", "b|", "t.txt"]).out, "0:\n1:b\n3:\n4:\n5:\n6:\n")
        XCTAssertEqual(try trawl(["grep", "-o", "x*", "t.txt"]).out, "\n\n\n\nxx\n")
    }

    func testCountMatchesCountsEmptyMatches() throws {
        XCTAssertEqual(try trawl(["grep", "--count-matches", "b|", "t.txt"]).out, "6\n")
    }

    func testJSONListsTheCratesMatches() throws {
        let out = try trawl(["grep", "--json", "b|", "t.txt"]).out
        XCTAssertTrue(out.contains(#""submatches":[{"match":{"text":""},"start":0,"end":0},{"match":{"text":"b"},"start":1,"end":2},{"match":{"text":""},"start":3,"end":3}]"#), out)
    }

    func testWordRegexpUsesHalfBoundariesSoNonWordEdgesMatch() throws {
        try write("w.txt", "foo @foo@ foo-bar xfoo\n")
        // `\b(?:@foo@)\b` would never match; rg 15's half boundaries do.
        XCTAssertEqual(try trawl(["grep", "-o", "-w", "@foo@|foo", "w.txt"]).out, "foo\n@foo@\nfoo\n")
    }

    func testMultilineSpansComeFromTheWholeInputNotTheBlock() throws {
        try write("u.txt", "xa\nb\nab\nc\n")
        // A match ending in \n keeps it (printed as the line it ends); `(?-m)^` matches
        // only at the input's start, not at each block's.
        XCTAssertEqual(try trawl(["grep", "-U", "-o", "a\\n|^c", "u.txt"]).out, "a\nc\n")
        XCTAssertEqual(try trawl(["grep", "-U", "-o", "(?-m)^.", "u.txt"]).out, "x\n")
        let json = try trawl(["grep", "-U", "--json", "a\\n", "u.txt"]).out
        XCTAssertTrue(json.contains(#""submatches":[{"match":{"text":"a\n"},"start":1,"end":3}]"#), json)
    }
}
