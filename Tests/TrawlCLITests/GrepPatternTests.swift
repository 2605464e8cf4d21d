import XCTest

/// `trawl grep` pattern flags and regex errors (expectations verified against rg 13).
final class GrepPatternTests: TrawlTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try write("a.txt", "alpha\nbeta\nGamma foo\nfoo bar\nfoobar\ndelta\n")
        try write("s.txt", "Gamma\ngamma\n")
    }

    func testIgnoreCaseMatchesOtherCase() throws {
        XCTAssertEqual(try trawl(["grep", "-i", "gamma", "s.txt"]).out, "Gamma\ngamma\n")
    }

    func testCaseSensitiveOverridesEarlierIgnoreCase() throws {
        let result = try trawl(["grep", "-i", "-s", "GAMMA", "s.txt"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
    }

    func testSmartCaseIsInsensitiveForLowercasePattern() throws {
        XCTAssertEqual(try trawl(["grep", "-S", "gamma", "s.txt"]).out, "Gamma\ngamma\n")
    }

    func testSmartCaseIsSensitiveForPatternWithUppercase() throws {
        XCTAssertEqual(try trawl(["grep", "-S", "Gamma", "s.txt"]).out, "Gamma\n")
    }

    func testWordRegexpNeedsWordBoundaries() throws {
        XCTAssertEqual(try trawl(["grep", "-w", "foo", "a.txt"]).out, "Gamma foo\nfoo bar\n")
    }

    func testLineRegexpNeedsWholeLine() throws {
        XCTAssertEqual(try trawl(["grep", "-x", "foobar|alpha", "a.txt"]).out, "alpha\nfoobar\n")
    }

    func testInvertMatchSelectsOtherLines() throws {
        XCTAssertEqual(try trawl(["grep", "-v", "foo", "a.txt"]).out, "alpha\nbeta\ndelta\n")
    }

    func testFixedStringsTreatsMetacharactersLiterally() throws {
        try write("meta.txt", "xa.b(y\naxb(\n")
        XCTAssertEqual(try trawl(["grep", "-F", "a.b(", "meta.txt"]).out, "xa.b(y\n")
    }

    func testRepeatedRegexpMatchesAnyPattern() throws {
        XCTAssertEqual(try trawl(["grep", "-e", "alpha", "-e", "delta", "a.txt"]).out, "alpha\ndelta\n")
    }

    func testPatternFileSuppliesOnePatternPerLine() throws {
        try write("patterns", "beta\ndelta\n")
        XCTAssertEqual(try trawl(["grep", "-f", "patterns", "a.txt"]).out, "beta\ndelta\n")
    }

    func testPatternStartingWithDashAfterDoubleDash() throws {
        try write("dash.txt", "x -dash y\nplain\n")
        let result = try trawl(["grep", "--", "-dash", "dash.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "x -dash y\n")
    }

    func testPatternStartingWithDashThroughRegexpFlag() throws {
        try write("dash.txt", "x -dash y\nplain\n")
        XCTAssertEqual(try trawl(["grep", "-e", "-dash", "dash.txt"]).out, "x -dash y\n")
    }

    func testMultilineMatchesAcrossLines() throws {
        try write("m.txt", "start\nabc\ndef\nend\n")
        let result = try trawl(["grep", "-U", "abc\\ndef", "m.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "abc\ndef\n")
    }

    func testMultilineWithLineNumbersNumbersEveryLine() throws {
        try write("m.txt", "start\nabc\ndef\nend\n")
        XCTAssertEqual(try trawl(["grep", "-U", "-n", "abc\\ndef", "m.txt"]).out, "2:abc\n3:def\n")
    }

    func testMultilineWithPathPrefixesEveryLine() throws {
        try write("m.txt", "start\nabc\ndef\nend\n")
        XCTAssertEqual(try trawl(["grep", "-U", "-H", "abc\\ndef", "m.txt"]).out, "m.txt:abc\nm.txt:def\n")
    }

    func testNewlineInPatternWithoutMultilineIsAnError() throws {
        let result = try trawl(["grep", "abc\\ndef", "a.txt"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: "), result.err)
    }

    func testUnclosedGroupReportsColumnAndExitsTwoBeforeReadingFiles() throws {
        let result = try trawl(["grep", "(foo", "a.txt", "does-not-exist"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out, "")
        // Only the regex error: no file was opened, so the missing one is not reported.
        // As rg 15: the patterns as joined (each in `(?:...)`), a caret under the column,
        // then what is wrong.
        XCTAssertEqual(result.err, "trawl: regex parse error:\n    (?:(foo)\n    ^\nerror: unclosed group\n")
    }

    func testUnopenedGroupReportsItsColumn() throws {
        XCTAssertEqual(try trawl(["grep", "foo)", "a.txt"]).err, "trawl: regex parse error:\n    (?:foo))\n           ^\nerror: unopened group\n")
    }

    func testInvalidClassRangeIsAnError() throws {
        let result = try trawl(["grep", "[z-a]", "a.txt"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: regex parse error:\n    (?:[z-a])\n"), result.err)
        XCTAssertTrue(result.err.hasSuffix("error: invalid character class range\n"), result.err)
    }

    func testExitZeroOnMatch() throws {
        XCTAssertEqual(try trawl(["grep", "alpha", "a.txt"]).status, 0)
    }

    func testExitOneWithoutMatch() throws {
        let result = try trawl(["grep", "absent"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(result.stderr, [])
    }

    func testExitTwoWhenAPathIsMissingEvenWithMatches() throws {
        let result = try trawl(["grep", "alpha", "a.txt", "nonexist"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out, "a.txt:alpha\n")
        XCTAssertEqual(result.err, "trawl: nonexist: No such file or directory\n")
    }

    func testMissingPatternIsAnError() throws {
        let result = try trawl(["grep"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: missing PATTERN"), result.err)
    }
}
