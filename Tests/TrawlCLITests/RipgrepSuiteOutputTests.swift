#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// ripgrep 15's integration cases for the output flags (`-r`, `--passthru`, `--vimgrep`, `-b`,
/// `-M`, `--trim`, `--count-matches`, `--include-zero`, the separators, `--colors`, `--sort`,
/// `--stop-on-nonmatch`, `files --quiet`), ported from tests/{feature,misc,regression}.rs:
/// each test names its case; inputs and expected outputs are ripgrep's.
final class RipgrepSuiteOutputTests: TrawlTestCase {
    // MARK: -M/--max-columns

    func testF129MaxColumnsOmitsALongMatchingLine() throws {
        try write("foo", "test\ntest abcdefghijklmnopqrstuvwxyz test")
        try assertRipgrepCase(["-M26", "test"], "foo:test\nfoo:[Omitted long matching line]\n")
    }

    func testF129MaxColumnsOmitsALongContextLine() throws {
        try write("foo", "test\nabcdefghijklmnopqrstuvwxyz")
        try assertRipgrepCase(["-M20", "-C1", "test"], "foo:test\nfoo-[Omitted long context line]\n")
    }

    func testF129MaxColumnsWithReplaceCountsTheMatches() throws {
        try write("foo", "test\ntest abcdefghijklmnopqrstuvwxyz test")
        try assertRipgrepCase(["-M26", "-rfoo", "test"], "foo:foo\nfoo:[Omitted long line with 2 matches]\n")
    }

    func testF1078MaxColumnsPreviewCutsTheLine() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-M46", "--max-columns-preview", "exhibited|dusted|has to have it"], """
            sherlock:but Doctor Watson has to have it taken out for [... omitted end of long line]
            sherlock:and exhibited clearly, with a label attached.

            """)
    }

    func testF1078MaxColumnsPreviewWithReplaceTellsTheMatchesLeft() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-M43", "--max-columns-preview", "-rxxx", "exhibited|dusted|has to have it"], """
            sherlock:but Doctor Watson xxx taken out for him and [... 1 more match]
            sherlock:and xxx clearly, with a label attached.

            """)
    }

    // MARK: --trim

    static let indentedSherlock = "zzz\n    For the Doctor Watsons of this world, as opposed to the Sherlock\n  Holmeses, success in the province of detective work must always\n\tbe, to a very large extent, the result of luck. Sherlock Holmes\n     can extract a clew from a wisp of straw or a flake of cigar ash;\nbut Doctor Watson has to have it taken out for him and dusted,\n and exhibited clearly, with a label attached.\n"
    static let trimmedContext = """
        2-For the Doctor Watsons of this world, as opposed to the Sherlock
        3:Holmeses, success in the province of detective work must always
        4-be, to a very large extent, the result of luck. Sherlock Holmes
        5-can extract a clew from a wisp of straw or a flake of cigar ash;

        """

    func testF917TrimLeavesOutLeadingWhitespace() throws {
        try write("sherlock", Self.indentedSherlock)
        try assertRipgrepCase(["-n", "-B1", "-A2", "--trim", "Holmeses", "sherlock"], Self.trimmedContext)
    }

    func testF917TrimAlsoWhenTheMatchTakesTheWhitespace() throws {
        try write("sherlock", Self.indentedSherlock)
        try assertRipgrepCase(["-n", "-B1", "-A2", "--trim", "\\s+Holmeses", "sherlock"], Self.trimmedContext)
    }

    static let spacedHaystack = "     0123456789abcdefghijklmnopqrstuvwxyz"

    func testF917TrimMultilineWithReplace() throws {
        try write("haystack", Self.spacedHaystack)
        try assertRipgrepCase(["--multiline", "--trim", "-r$0", "--no-filename", "a\\n?bc"],
                              "0123456789abcdefghijklmnopqrstuvwxyz\n")
    }

    func testF917TrimWithMaxColumnsPreview() throws {
        try write("haystack", Self.spacedHaystack)
        try assertRipgrepCase(["--trim", "--max-columns-preview", "-M8", "--no-filename", "abc"],
                              "01234567 [... omitted end of long line]\n")
    }

    func testF917TrimWithMaxColumnsPreviewAndColourCountsMatches() throws {
        try write("haystack", Self.spacedHaystack)
        let result = try rgCase(["--trim", "--max-columns-preview", "-M8", "--color=always", "--colors=path:none",
                                 "--no-filename", "abc"])
        XCTAssertEqual(result.out, "01234567 [... 1 more match]\n", result.err)
    }

    func testF917TrimMaxColumnsMultiStandard() throws {
        try write("haystack", Self.spacedHaystack)
        let result = try rgCase(["--multiline", "--trim", "--max-columns-preview", "-M8", "--color=always", "--colors=path:none",
                                 "--no-filename", "a\\n?bc"])
        XCTAssertEqual(result.out, "01234567 [... 1 more match]\n", result.err)
    }

    func testF917TrimMaxColumnsMultiOnlyMatching() throws {
        try write("haystack", Self.spacedHaystack)
        try assertRipgrepCase(["--multiline", "--trim", "--max-columns-preview", "-M8", "--only-matching", "--no-filename",
                               ".*a\\n?bc.*"], "01234567 [... 0 more matches]\n")
    }

    func testF917TrimMaxColumnsMultiPerMatch() throws {
        try write("haystack", Self.spacedHaystack)
        try assertRipgrepCase(["--multiline", "--trim", "--max-columns-preview", "-M8", "--vimgrep", "--no-filename",
                               ".*a\\n?bc.*"], "1:1:01234567 [... 0 more matches]\n")
    }

    // MARK: --passthru

    func testF740PassthruPrintsEveryLine() throws {
        try write("file", "\nfoo\nbar\nfoobar\n\nbaz\n")
        try write("patterns", "foo\nbar\n")
        let common = ["-n", "--passthru"]
        try assertRipgrepCase(common + ["foo", "file"], "1-\n2:foo\n3-bar\n4:foobar\n5-\n6-baz\n")
        let both = "1-\n2:foo\n3:bar\n4:foobar\n5-\n6-baz\n"
        try assertRipgrepCase(common + ["-e", "foo", "-e", "bar", "file"], both)
        try assertRipgrepCase(common + ["-f", "patterns", "file"], both)
        try assertRipgrepCase(common + ["-c", "foo", "file"], "2\n")
        try assertRipgrepCase(common + ["-o", "foo", "file"], "1-\n2:foo\n3-bar\n4:foo\n5-\n6-baz\n")
        try assertRipgrepCase(common + ["-r", "wat", "foo", "file"], "1-\n2:wat\n3-bar\n4:watbar\n5-\n6-baz\n")
    }

    func testR1868PassthruAndContextOverrideEachOther() throws {
        try write("test", "foo\nbar\nbaz\nquux\n")
        let cases: [([String], String)] = [
            (["-C1"], "foo\nbar\nbaz\n"),
            (["--passthru"], "foo\nbar\nbaz\nquux\n"),
            (["--passthru", "-C1"], "foo\nbar\nbaz\n"),
            (["-C1", "--passthru"], "foo\nbar\nbaz\nquux\n"),
            (["--passthru", "-B1"], "foo\nbar\n"),
            (["-B1", "--passthru"], "foo\nbar\nbaz\nquux\n"),
            (["--passthru", "-A1"], "bar\nbaz\n"),
            (["-A1", "--passthru"], "foo\nbar\nbaz\nquux\n"),
        ]
        for (flags, expected) in cases { try assertRipgrepCase(flags + ["bar", "test"], expected) }
    }

    func testR2094PassthruWithMaxCountPrintsTheRestAsContext() throws {
        try write("haystack", "a\nb\nc\na\nb\nc")
        try assertRipgrepCase(["--no-line-number", "--no-filename", "--multiline", "--max-count=1", "--passthru",
                               "--replace=B", "b", "haystack"], "a\nB\nc\na\nb\nc\n")
    }

    // MARK: -r/--replace

    func testReplace() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-r", "FooBar", "Sherlock", "sherlock"], """
            For the Doctor Watsons of this world, as opposed to the FooBar
            be, to a very large extent, the result of luck. FooBar Holmes

            """)
    }

    static let swappedNames = """
        For the Watsons, Doctor of this world, as opposed to the Sherlock
        be, to a very large extent, the result of luck. Holmes, Sherlock
        but Watson, Doctor has to have it taken out for him and dusted,

        """

    func testReplaceGroups() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-r", "$2, $1", "([A-Z][a-z]+) ([A-Z][a-z]+)", "sherlock"], Self.swappedNames)
    }

    func testReplaceNamedGroups() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-r", "$last, $first", "(?P<first>[A-Z][a-z]+) (?P<last>[A-Z][a-z]+)", "sherlock"],
                              Self.swappedNames)
    }

    func testReplaceWithOnlyMatching() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-o", "-r", "$1", "of (\\w+)", "sherlock"], "this\ndetective\nluck\nstraw\ncigar\n")
    }

    func testR1739ReplacementBracedGroupZero() throws {
        try write("test", "a\n")
        try assertRipgrepCase(["-r${0}f", ".*", "test"], "af\n")
    }

    func testR2208ReplaceWithANamedGroupInAMultilinePattern() throws {
        try write("test", "# Compile requirements.txt files from all found or specified requirements.in files (compile).\n# Use -h to include hashes, -u dep1,dep2... to upgrade specific dependencies, and -U to upgrade all.\npipc () {  # [-h] [-U|-u <pkgspec>[,<pkgspec>...]] [<reqs-in>...] [-- <pip-compile-arg>...]\n    emulate -L zsh\n    unset REPLY\n}\n")
        try assertRipgrepCase(["-N", "-U", "-r", "$usage",
                               #"^(?P<predoc>\n?(# .*\n)*)(alias (?P<aname>pipc)="[^"]+"|(?P<fname>pipc) \(\) \{)(  #(?P<usage> .+))?"#,
                               "test"],
                              " [-h] [-U|-u <pkgspec>[,<pkgspec>...]] [<reqs-in>...] [-- <pip-compile-arg>...]\n")
    }

    /// rg's r2480: patterns are joined as text, each in `(?:...)`, so a lone `)(` is the
    /// valid `(?:)()`, flags stay inside their pattern and groups are numbered across them.
    func testR2480PatternsJoinAsRipgrepJoinsThem() throws {
        try write("file", "FooBar\n")
        try assertRipgrepCase(["-e", "", "file"], "FooBar\n")
        try assertRipgrepCase(["-e", ")(", "file"], "FooBar\n")
        try assertRipgrepCase(["--only-matching", "-e", "Foo", "-e", "Bar", "file"], "Foo\nBar\n")
        try assertRipgrepCase(["-e", "Fo(oB)a(r)", "--replace", "${0}_${1}_${2}${3}", "file"], "FooBar_oB_r\n")
        try assertRipgrepCase(["--only-matching", "-e", "(?i)foo", "-e", "bar", "file"], "Foo\n")
        let mismatch = try rgCase(["--only-matching", "-e", "(?i)notfoo", "-e", "bar", "file"])
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertEqual(mismatch.out, "")
        // An error shows the joined text, as rg's does.
        let error = try rgCase(["-e", "a)", "file"])
        XCTAssertEqual(error.status, 2)
        XCTAssertTrue(error.err.contains("(?:a))\n"), error.err)
    }

    func testR568ShortFlagValuesMayLookLikeFlags() throws {
        try write("file", "foo bar -baz\n")
        try assertRipgrepCase(["-e-baz", "-e", "-baz", "file"], "foo bar -baz\n")
        try assertRipgrepCase(["-rni", "bar", "file"], "foo ni -baz\n")
        try assertRipgrepCase(["-r", "-n", "-i", "bar", "file"], "foo -n -baz\n")
    }

    // MARK: --vimgrep, -b, --column

    static let vimgrepLines = [
        ("1", "16", "For the Doctor Watsons of this world, as opposed to the Sherlock"),
        ("1", "57", "For the Doctor Watsons of this world, as opposed to the Sherlock"),
        ("3", "49", "be, to a very large extent, the result of luck. Sherlock Holmes"),
        ("5", "12", "but Doctor Watson has to have it taken out for him and dusted,"),
    ]

    func testVimgrepPrintsALinePerMatch() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--vimgrep", "Sherlock|Watson"],
                              Self.vimgrepLines.map { "sherlock:\($0.0):\($0.1):\($0.2)\n" }.joined())
        try assertRipgrepCase(["--vimgrep", "-N", "Sherlock|Watson"],
                              Self.vimgrepLines.map { "sherlock:\($0.1):\($0.2)\n" }.joined())
        try assertRipgrepCase(["--vimgrep", "-N", "--no-column", "Sherlock|Watson"],
                              Self.vimgrepLines.map { "sherlock:\($0.2)\n" }.joined())
    }

    func testR105VimgrepColumn() throws {
        try write("foo", "zztest")
        try assertRipgrepCase(["--vimgrep", "test"], "foo:1:3:zztest\n")
    }

    func testR1866MultilineVimgrepShowsTheFirstLineOfEachMatch() throws {
        try write("test", "foobar\nfoobar\nfoo quux")
        try assertRipgrepCase(["--multiline", "--vimgrep", "foobar\\nfoobar\\nfoo|quux", "test"],
                              "test:1:1:foobar\ntest:3:5:foo quux\n")
    }

    func testMultilineOnlyMatchingPrefixesEveryLineOfAMatch() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-n", "-U", "--only-matching", "Watson|Sherlock\\p{Any}+?Holmes", "sherlock"],
                              "1:Watson\n1:Sherlock\n2:Holmes\n3:Sherlock Holmes\n5:Watson\n")
    }

    /// Under -U, `-m N` takes N matches and prints the blocks they form (rg's multi-line
    /// searcher); a pattern that cannot match `\n` is searched line by line, `-m` counting
    /// lines and `--json` counting the bytes up to the last line printed. Outputs from rg 15.2.
    func testMultilineMaxCountTakesMatchesAsRipgrep() throws {
        try write("m", "foo foo\nbar\nfoo\nfoo\nx\ny\nfoo\n")
        try assertRipgrepCase(["-U", "-m1", "-n", "foo\\nbar|foo", "m"], "1:foo foo\n")
        try assertRipgrepCase(["-U", "-m2", "-n", "foo\\nbar|foo", "m"], "1:foo foo\n2:bar\n")
        try assertRipgrepCase(["-U", "-m2", "-n", "-A2", "foo", "m"], "1:foo foo\n2-bar\n3:foo\n4:foo\n5-x\n")
        let json = try rgCase(["-U", "-m1", "--json", "foo", "m"]).out
        XCTAssertTrue(json.contains("\"bytes_searched\":8,"), json)
    }

    func testMultilineVimgrep() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-n", "-U", "--vimgrep", "Watson|Sherlock\\p{Any}+?Holmes", "sherlock"],
                              Self.vimgrepLines.map { "sherlock:\($0.0):\($0.1):\($0.2)\n" }.joined())
    }

    /// rg's r2095 file: a shell script whose `a=( ... )` assignment spans lines 8-12.
    static let r2095Script = "#!/usr/bin/env bash\n\nzero=one\n\na=one\n\nif true; then\n\ta=(\n\t\ta\n\t\tb\n\t\tc\n\t)\n\ttrue\nfi\n\na=two\n\nb=one\n"
    static let r2095Pattern = "^(?P<indent>\\s*)a=(?P<value>(?ms:[(].*?[)])|.*?)$"

    /// r2095 (regression): `-U -o -n -r` where the replaced match spans lines: each line of
    /// the replacement is printed after its own line number.
    func testR2095MultilineReplacementNumbersEveryLineOfTheMatch() throws {
        try write("test", Self.r2095Script)
        try assertRipgrepCase(["--line-number", "--multiline", "--only-matching", "--replace", "${value}", Self.r2095Pattern, "test"],
                              "4:one\n8:(\n9:\t\ta\n10:\t\tb\n11:\t\tc\n12:\t)\n15:two\n")
        // The column (and -b's offset) is the match's start, repeated on each of its lines.
        try assertRipgrepCase(["-U", "-o", "-n", "-r", "${value}", "--column", Self.r2095Pattern, "test"],
                              "4:1:one\n8:1:(\n9:1:\t\ta\n10:1:\t\tb\n11:1:\t\tc\n12:1:\t)\n15:1:two\n")
        // --vimgrep shows the first line of each replaced match.
        try assertRipgrepCase(["-U", "--vimgrep", "-r", "${value}", Self.r2095Pattern, "test"],
                              "test:4:1:one\ntest:8:1:(\ntest:15:1:two\n")
    }

    /// The same file without -r (rg 15's multi-line printer): `-o` leaves out a line where
    /// the match takes only the `\n` (line 4 of `\na=one`) and repeats the match's byte
    /// offset on each of its lines; whole lines each get their own byte offset.
    func testMultilineByteOffsetsOfEachPrintedLine() throws {
        try write("test", Self.r2095Script)
        try assertRipgrepCase(["-U", "-o", "-b", Self.r2095Pattern, "test"],
                              "30:a=one\n52:\ta=(\n52:\t\ta\n52:\t\tb\n52:\t\tc\n52:\t)\n81:a=two\n")
        try assertRipgrepCase(["-U", "-n", "-b", Self.r2095Pattern, "test"],
                              "4:30:\n5:31:a=one\n8:52:\ta=(\n9:57:\t\ta\n10:61:\t\tb\n11:65:\t\tc\n12:69:\t)\n15:81:\n16:82:a=two\n")
    }

    /// `--stats` and `--json` count every line of a `-U` block as a matched line (rg's
    /// totals: 3 matches over lines 4-5, 8-12 and 15-16 are 9 lines), -c its matches.
    func testMultilineStatsCountEveryLineOfABlock() throws {
        try write("test", Self.r2095Script)
        let stats = try rgCase(["-U", "--stats", "-c", Self.r2095Pattern, "test"])
        XCTAssertTrue(stats.out.hasPrefix("3\n\n3 matches\n9 matched lines\n1 files contained matches\n"), stats.out)
        let json = try rgCase(["-U", "--json", Self.r2095Pattern, "test"])
        XCTAssertEqual(json.out.components(separatedBy: "\"matched_lines\":9,").count, 3, json.out)  // end and summary
    }

    /// `-M` as rg 15 applies it: a whole line is measured with its terminator (`hello\n`
    /// is too long for `-M 5`), a match of -o without; a line's note counts the matches rg
    /// recorded (`1 matches`, rg's plural) when it recorded them (--column), -o's says
    /// "matching line"; -o's preview counts the line's matches by their offsets in the line.
    func testMaxColumnsMeasuresLinesAsRipgrep() throws {
        try write("m.txt", "hello\nhello hello\n   hello\nh\u{e9}llo w\u{f6}rld hello\n")
        try assertRipgrepCase(["-M", "5", "hello", "m.txt"], String(repeating: "[Omitted long matching line]\n", count: 4))
        try assertRipgrepCase(["-M", "11", "hello", "m.txt"], "hello\n[Omitted long matching line]\n   hello\n[Omitted long matching line]\n")
        try assertRipgrepCase(["-M", "5", "--column", "hello", "m.txt"],
                              "1:1:[Omitted long line with 1 matches]\n2:1:[Omitted long line with 2 matches]\n"
                              + "3:4:[Omitted long line with 1 matches]\n4:15:[Omitted long line with 1 matches]\n")
        try assertRipgrepCase(["-M", "5", "-o", "hello", "m.txt"], String(repeating: "hello\n", count: 5))
        try assertRipgrepCase(["-M", "3", "-o", "--max-columns-preview", "hello", "m.txt"],
                              "hel [... 0 more matches]\nhel [... 0 more matches]\nhel [... 0 more matches]\nhel [... 1 more match]\nhel [... 0 more matches]\n")
    }

    /// `-M` on the lines of a `-U` block: each line measured with its terminator; under
    /// --vimgrep a match whose first line is too long is shown by its next line too (rg's).
    func testMaxColumnsOnMultilineBlocks() throws {
        try write("test", Self.r2095Script)
        try assertRipgrepCase(["-U", "-n", "-M", "3", Self.r2095Pattern, "test"],
                              "4:\n5:[Omitted long matching line]\n8:[Omitted long matching line]\n9:[Omitted long matching line]\n"
                              + "10:[Omitted long matching line]\n11:[Omitted long matching line]\n12:\t)\n15:\n16:[Omitted long matching line]\n")
        try assertRipgrepCase(["-U", "--vimgrep", "-M", "3", Self.r2095Pattern, "test"],
                              "test:4:1:\ntest:8:1:[Omitted long line with 1 matches]\ntest:9:1:\t\ta\ntest:15:1:\n")
        try assertRipgrepCase(["-U", "-n", "-r", "${value}", "-M", "3", Self.r2095Pattern, "test"],
                              "4:[Omitted long line with 1 matches]\n8:(\n9:[Omitted long line with 1 matches]\n10:[Omitted long line with 1 matches]\n"
                              + "11:[Omitted long line with 1 matches]\n12:\t)\n15:[Omitted long line with 1 matches]\n")
    }

    /// `-U --passthru`: every line of a block that matches across lines is a match, the
    /// others context; past `-m` the blocks are context lines too (rg's).
    func testMultilinePassthruMarksEveryLineOfABlock() throws {
        try write("test", Self.r2095Script)
        try assertRipgrepCase(["-U", "--passthru", "-n", Self.r2095Pattern, "test"],
                              "1-#!/usr/bin/env bash\n2-\n3-zero=one\n4:\n5:a=one\n6-\n7-if true; then\n8:\ta=(\n9:\t\ta\n"
                              + "10:\t\tb\n11:\t\tc\n12:\t)\n13-\ttrue\n14-fi\n15:\n16:a=two\n17-\n18-b=one\n")
        try assertRipgrepCase(["-U", "--passthru", "-n", "-m1", Self.r2095Pattern, "test"],
                              "1-#!/usr/bin/env bash\n2-\n3-zero=one\n4:\n5:a=one\n6-\n7-if true; then\n8-\ta=(\n9-\t\ta\n"
                              + "10-\t\tb\n11-\t\tc\n12-\t)\n13-\ttrue\n14-fi\n15-\n16-a=two\n17-\n18-b=one\n")
    }

    /// `--passthru --json`: the lines that do not match are context records (rg's).
    func testPassthruJSONHasContextRecords() throws {
        try write("test", Self.r2095Script)
        let result = try rgCase(["--passthru", "--json", Self.r2095Pattern, "test"])
        XCTAssertEqual(result.lines.filter { $0.hasPrefix("{\"type\":\"context\"") }.count, 15, result.out)
        XCTAssertEqual(result.lines.filter { $0.hasPrefix("{\"type\":\"match\"") }.count, 3, result.out)
    }

    /// Empty matches as rg 15's printer has them: -r replaces them (with --vimgrep, the
    /// column is the match's in the replaced line); one at the very end of a last line
    /// without its newline is dropped, and a line left without a match prints whole,
    /// without a column (`$` on `c`), in --json with no submatch.
    func testEmptyMatchesAreReplacedAndOneAtTheEndOfTheInputIsDropped() throws {
        try write("e.txt", "ab\nc")
        try assertRipgrepCase(["-r", "X", "\\b", "e.txt"], "XabX\nXc\n")
        try assertRipgrepCase(["--vimgrep", "-r", "X", "\\b", "e.txt"], "e.txt:1:1:XabX\ne.txt:1:4:XabX\ne.txt:2:1:Xc\n")
        try assertRipgrepCase(["--column", "$", "e.txt"], "1:3:ab\n2:c\n")
        try assertRipgrepCase(["-o", "$", "e.txt"], "\nc\n")
        let json = try rgCase(["--json", "$", "e.txt"])
        XCTAssertTrue(json.out.contains("\"lines\":{\"text\":\"c\"},\"line_number\":2,\"absolute_offset\":3,\"submatches\":[]"), json.out)
    }

    /// Colour as rg writes it: adjacent matches share one run, --vimgrep colours only the
    /// line's own match, the byte offset takes the column's colour.
    func testColouredRunsAsRipgrepWritesThem() throws {
        try write("s.txt", "success\n")
        let match = "\u{1b}[0m\u{1b}[1m\u{1b}[31m", reset = "\u{1b}[0m"
        try assertRipgrepCase(["--color=always", "c?", "s.txt"], "su\(match)cc\(reset)ess\n")
        let vimgrep = try rgCase(["--color=always", "--vimgrep", "\\w", "s.txt"]).lines
        XCTAssertEqual(vimgrep.count, 7)
        XCTAssertTrue(vimgrep[1].hasSuffix(":s\(match)u\(reset)ccess"), vimgrep[1])
        try assertRipgrepCase(["--color=always", "-b", "-n", "s", "s.txt"],
                              "\(reset)\u{1b}[32m1\(reset):\(reset)0\(reset):\(match)s\(reset)ucce\(match)ss\(reset)\n")
    }

    /// `-U --passthru` on a file without a match prints every line as context (exit 1).
    func testMultilinePassthruWithoutAMatchPrintsEveryLineAsContext() throws {
        try write("test", "one\ntwo\n")
        // The second can match only empty after the final newline, which reports no line.
        for pattern in ["e\\nz", "(?:a\\n)?\\z"] {
            let result = try rgCase(["-U", "--passthru", "-n", pattern, "test"])
            XCTAssertEqual(result.out, "1-one\n2-two\n", "\(pattern): \(result.err)")
            XCTAssertEqual(result.status, 1, pattern)
        }
    }

    /// `--crlf` as rg 15 prints it: no match after a line's `\r` (`$` once on `b\r\n`;
    /// the empty match at the end of `c` is dropped, so `c` prints whole), and the lines rg
    /// ends itself (coloured, without a newline, --vimgrep of a `-U` match) end with `\r\n`.
    func testCRLFLinesEndAsRipgrepEndsThem() throws {
        try write("cr.txt", "a\nb\r\nc")
        try assertRipgrepCase(["--crlf", "-r", "X", "$", "cr.txt"], "aX\nbX\r\nc\r\n")
        try assertRipgrepCase(["--crlf", "--color=always", "a", "cr.txt"], "\u{1b}[0m\u{1b}[1m\u{1b}[31ma\u{1b}[0m\r\n")
        try assertRipgrepCase(["--crlf", "c", "cr.txt"], "c\r\n")
        try assertRipgrepCase(["--crlf", "-U", "--vimgrep", "b\\r?\\n|a\\n", "cr.txt"], "cr.txt:1:1:a\r\ncr.txt:2:1:b\r\n")
    }

    func testJSONReplacementInSubmatches() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let result = try rgCase(["--json", "-B1", "Sherlock Holmes", "-r", "John Watson", "sherlock"])
        let messages = try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(messages.map { $0["type"] as! String }, ["begin", "context", "match", "end", "summary"])
        let match = messages[2]["data"] as! [String: Any]
        XCTAssertEqual(match["absolute_offset"] as? Int, 129)
        let submatch = (match["submatches"] as! [[String: Any]])[0]
        XCTAssertEqual((submatch["match"] as! [String: Any])["text"] as? String, "Sherlock Holmes")
        XCTAssertEqual((submatch["replacement"] as! [String: Any])["text"] as? String, "John Watson")
        XCTAssertEqual(submatch["start"] as? Int, 48)
        XCTAssertEqual(submatch["end"] as? Int, 63)
        let stats = (messages[4]["data"] as! [String: Any])["stats"] as! [String: Any]
        XCTAssertEqual(stats["searches_with_match"] as? Int, 1)
        XCTAssertEqual(stats["bytes_printed"] as? Int, 531)
    }

    func testByteOffsetOnlyMatching() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-b", "-o", "Sherlock"], "sherlock:56:Sherlock\nsherlock:177:Sherlock\n")
    }

    func testF34OnlyMatchingLineColumn() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-o", "--column", "-n", "Sherlock"], "sherlock:1:57:Sherlock\nsherlock:3:49:Sherlock\n")
    }

    // MARK: counts

    func testCountMatches() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--count-matches", "the"], "sherlock:4\n")
    }

    func testCountMatchesInverted() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--count-matches", "--invert-match", "Sherlock"], "sherlock:4\n")
    }

    func testIncludeZero() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let result = try rgCase(["--count", "--include-zero", "nada"])
        XCTAssertEqual(result.out, "sherlock:0\n")
        XCTAssertEqual(result.status, 1)
        let overridden = try rgCase(["--count", "--include-zero", "--no-include-zero", "nada"])
        XCTAssertEqual(overridden.out, "")
        XCTAssertEqual(overridden.status, 1)
    }

    func testR693ContextFlagsDoNothingWithCount() throws {
        try write("foo", "xyz\n")
        try write("bar", "xyz\n")
        try assertRipgrepCase(["-C1", "-c", "--sort-files", "xyz"], "bar:1\nfoo:1\n")
    }

    // MARK: separators

    func testF275PathSeparator() throws {
        try write("foo/bar", "test")
        let result = try trawl(["grep", "test", "--path-separator", "Z"])
        XCTAssertEqual(result.out, "fooZbar:test\n", result.err)
    }

    func testPathSeparatorMustBeOneByte() throws {
        try write("foo", "test")
        let result = try trawl(["grep", "test", "--path-separator", "ZZ"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl:") && result.err.contains("--path-separator"), result.err)
    }

    func testF1842FieldContextSeparator() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let base = ["-n", "-A1", "Doctor Watsons", "sherlock"]
        let first = "1:For the Doctor Watsons of this world, as opposed to the Sherlock\n"
        let second = "Holmeses, success in the province of detective work must always\n"
        try assertRipgrepCase(base, first + "2-" + second)
        for (separator, shown) in [("!", "!"), ("!!", "!!"), ("\\x7F", "\u{7F}"), ("", "")] {
            try assertRipgrepCase(["--field-context-separator", separator] + base, first + "2" + shown + second)
        }
    }

    func testF1842FieldMatchSeparator() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let base = ["-n", "Doctor Watsons", "sherlock"]
        let text = "For the Doctor Watsons of this world, as opposed to the Sherlock\n"
        try assertRipgrepCase(base, "1:" + text)
        for (separator, shown) in [("!", "!"), ("!!", "!!"), ("\\x7F", "\u{7F}"), ("", "")] {
            try assertRipgrepCase(["--field-match-separator", separator] + base, "1" + shown + text)
        }
    }

    func testContextSeparators() throws {
        try write("test", "foo\nctx\nbar\nctx\nfoo\nctx")
        let cases: [([String], String)] = [
            (["--no-context-separator"], "foo\nctx\nfoo\nctx\n"),
            (["--context-separator", "AAA", "--no-context-separator"], "foo\nctx\nfoo\nctx\n"),
            (["--no-context-separator", "--context-separator", "AAA"], "foo\nctx\nAAA\nfoo\nctx\n"),
            (["--context-separator", "AAA"], "foo\nctx\nAAA\nfoo\nctx\n"),
            ([], "foo\nctx\n--\nfoo\nctx\n"),
            (["--context-separator", ""], "foo\nctx\n\nfoo\nctx\n"),
        ]
        for (flags, expected) in cases { try assertRipgrepCase(["-A1"] + flags + ["foo", "test"], expected) }
    }

    // MARK: --colors

    func testR428ColoredPathOnContextLines() throws {
        try write("sherlock", "foo\nbar")
        let path = "\u{1b}[0m\u{1b}[35msherlock\u{1b}[0m"
        try assertRipgrepCase(["-A1", "-H", "--no-heading", "-N", "--colors=match:none", "--color=always", "foo"],
                              "\(path):foo\n\(path)-bar\n")
    }

    func testR428UnrecognizedStyleIsAnError() throws {
        try write("file.txt", "Sherlock")
        let result = try rgCase(["--colors=match:style:", "Sherlock"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl:"), result.err)
        XCTAssertTrue(result.err.contains("unrecognized style attribute ''. Choose from: nobold, bold, nointense, intense, nounderline, underline, noitalic, italic"), result.err)
    }

    func testR599ColorsOnEmptyMatches() throws {
        try write("input.txt", "\n\ntest\n")
        try assertRipgrepCase(["--color", "ansi", "--colors", "path:none", "--colors", "line:none", "--colors", "match:fg:red",
                               "--colors", "match:style:nobold", "--line-number", "^$", "input.txt"],
                              "\u{1b}[0m1\u{1b}[0m:\n\u{1b}[0m2\u{1b}[0m:\n")
    }

    func testColorsSpecsWriteRipgrepsEscapes() throws {
        try write("a.txt", "hello foo\n")
        let result = try rgCase(["--colors", "match:fg:blue", "--colors", "path:style:underline",
                                 "--colors", "line:bg:0x10,0x20,0x30", "--colors", "column:fg:200", "--colors", "match:style:intense",
                                 "--color", "always", "-H", "--column", "--no-heading", "foo", "a.txt"])
        let e = "\u{1b}["
        XCTAssertEqual(result.out, "\(e)0m\(e)4m\(e)35ma.txt\(e)0m:\(e)0m\(e)32m\(e)48;2;16;32;48m1\(e)0m:\(e)0m\(e)38;5;200m7\(e)0m:hello \(e)0m\(e)1m\(e)38;5;12mfoo\(e)0m\n", result.err)
    }

    // MARK: sorting

    /// Gives `paths` access times in their order (set, not slept for).
    private func setAccessOrder(_ paths: [String]) {
        let now = time(nil)
        for (offset, path) in paths.enumerated() {
            var times = [timespec(tv_sec: now - 1000 + offset * 100, tv_nsec: 0), timespec(tv_sec: now - 5000, tv_nsec: 0)]
            XCTAssertEqual(utimensat(AT_FDCWD, root + "/" + path, &times, 0), 0)
        }
    }

    private func writeSortTree() throws {
        for path in ["a", "dir/c", "b", "dir/d"] { try write(path, "test") }
        setAccessOrder(["a", "dir/c", "b", "dir/d"])
    }

    func testSortAccessed() throws {
        try writeSortTree()
        try assertRipgrepCase(["--sort", "accessed", "test"], "a:test\ndir/c:test\nb:test\ndir/d:test\n")
    }

    /// A tree of its own: reading files moves their access times (utimensat set their ctime
    /// to now, so relatime updates them).
    func testSortrAccessed() throws {
        try writeSortTree()
        try assertRipgrepCase(["--sortr", "accessed", "test"], "dir/d:test\nb:test\ndir/c:test\na:test\n")
    }

    func testSortFilesByPath() throws {
        try writeSortTree()
        try assertRipgrepCase(["--sort", "path", "test"], "a:test\nb:test\ndir/c:test\ndir/d:test\n")
    }

    func testF263SortFiles() throws {
        for name in ["foo", "abc", "zoo", "bar"] { try write(name, "test") }
        try assertRipgrepCase(["--sort-files", "test"], "abc:test\nbar:test\nfoo:test\nzoo:test\n")
        try assertRipgrepCase(["--sortr=path", "test"], "zoo:test\nfoo:test\nbar:test\nabc:test\n")
    }

    func testF2361SortNestedFilesByAccessTime() throws {
        for path in ["foo", "dir/bar"] { try write(path, "1") }
        setAccessOrder(["foo", "dir/bar"])
        let result = try trawl(["files", "--sort", "accessed"])
        XCTAssertEqual(result.out, "foo\ndir/bar\n", result.err)
    }

    // MARK: the rest

    func testStopOnNonmatch() throws {
        try write("test", "line1\nline2\nline3\nline4\nline5")
        try assertRipgrepCase(["--stop-on-nonmatch", "[235]"], "test:line2\ntest:line3\n")
    }

    func testR483FilesQuietPrintsNothing() throws {
        try write("file.py", "")
        let found = try trawl(["files", "--quiet", "--glob", "*.py"])
        XCTAssertEqual(found.out, "")
        XCTAssertEqual(found.status, 0)
        let none = try trawl(["files", "--quiet", "--glob", "*.rs"])
        XCTAssertEqual(none.status, 1)
    }

    func testR1159ExitStatus() throws {
        try write("foo", "test")
        XCTAssertEqual(try rgCase(["test"]).status, 0)
        XCTAssertEqual(try rgCase(["-q", "test"]).status, 0)
        XCTAssertEqual(try rgCase(["test", "no-file"]).status, 2)
        XCTAssertEqual(try rgCase(["-q", "test", "foo", "no-file"]).status, 0)
        XCTAssertEqual(try rgCase(["nada"]).status, 1)
        XCTAssertEqual(try rgCase(["-q", "nada"]).status, 1)
        XCTAssertEqual(try rgCase(["nada", "no-file"]).status, 2)
        XCTAssertEqual(try rgCase(["-q", "nada", "foo", "no-file"]).status, 2)
    }

    func testF1404NothingSearchedWarning() throws {
        try write(".ignore", "ignored-dir/**")
        try write("ignored-dir/foo", "needle")
        let result = try rgCase(["needle"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.err, "trawl: No files were searched, which means trawl probably applied a filter you didn't expect (ignore files, hidden files, -g, -t, --max-filesize).\n")
        let quiet = try rgCase(["--no-messages", "needle"])
        XCTAssertEqual(quiet.status, 2)
        XCTAssertEqual(quiet.err, "")
    }

    func testF2288ContextPartialOverride() throws {
        try write("test", "1\n2\n3\n4\n5\n6\n7\n8\n9\n")
        try assertRipgrepCase(["-C1", "-A2", "5", "test"], "4\n5\n6\n7\n")
    }

    func testF419ZeroAsShortcutForNull() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-0", "--count", "Sherlock"], "sherlock\u{0}2\n")
    }

    func testNoMessagesHidesFileErrorsButKeepsTheStatus() throws {
        try write("foo", "test")
        let result = try rgCase(["--no-messages", "test", "foo", "no-file"])
        XCTAssertEqual(result.out, "foo:test\n")
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(result.status, 2)
    }

    func testLineBufferedStdinPrintsEachLineAsItComes() throws {
        // The writer holds the pipe open after the first line until it sees it printed.
        let reader = Pipe(), writer = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BinaryRunner.trawlPath())
        process.arguments = ["grep", "--line-buffered", "ERROR"]
        process.standardInput = writer
        process.standardOutput = reader
        try process.run()
        writer.fileHandleForWriting.write(Data("ERROR one\nok\n".utf8))
        // A printer that holds the line would block this read: give up after 20 s.
        let firstRead = DispatchSemaphore(value: 0)
        let first = LockedData()
        DispatchQueue.global().async {
            first.set(reader.fileHandleForReading.availableData)
            firstRead.signal()
        }
        if firstRead.wait(timeout: .now() + 20) == .timedOut {
            try writer.fileHandleForWriting.close()
            firstRead.wait()
            XCTFail("the first line was not written before stdin closed")
        }
        XCTAssertEqual(String(decoding: first.get(), as: UTF8.self), "ERROR one\n")
        writer.fileHandleForWriting.write(Data("ERROR two\n".utf8))
        try writer.fileHandleForWriting.close()
        let rest = reader.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(String(decoding: rest, as: UTF8.self), "ERROR two\n")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}

private final class LockedData: @unchecked Sendable {
    // `data` is guarded by `lock`.
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
