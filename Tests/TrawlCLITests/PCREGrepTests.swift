import Foundation
import XCTest

/// `trawl grep -P` through the binary: the backtracking engine behind the usual printer,
/// and a differential against GNU `grep -P` (PCRE2).
final class PCREGrepTests: TrawlTestCase {
    private func grepP(_ arguments: [String], _ input: String) throws -> RunResult {
        try trawl(["grep"] + arguments, stdin: .bytes(Array(input.utf8)))
    }

    func testNoMatchAcrossLinesWithoutMultiline() throws {
        let result = try grepP(["-P", "foo\\s+foo"], "foo\nfoo bar\n")
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertEqual(result.out, "")
        let multiline = try grepP(["-P", "-U", "foo\\s+foo"], "foo\nfoo bar\n")
        XCTAssertEqual(multiline.out, "foo\nfoo bar\n")
    }

    func testBackreferenceLookBehindAndLookAheadWithOnlyMatching() throws {
        let input = "the the cat\nstruct file_ops fops;\nint f(void);\n"
        XCTAssertEqual(try grepP(["-P", "-o", "(\\w+)\\s+\\1\\b"], input).out, "the the\n")
        XCTAssertEqual(try grepP(["-P", "-o", "(?<=struct )\\w+_ops\\b"], input).out, "file_ops\n")
        XCTAssertEqual(try grepP(["--pcre2", "-n", "-o", "\\w+(?=\\(void\\))"], input).out, "3:f\n")
        XCTAssertEqual(try grepP(["-P", "-c", "\\b(\\w)\\w*\\1\\b"], "abca\nxyz\n").out, "1\n")
    }

    func testReplacementReadsNamedAndNumberedGroups() throws {
        let out = try grepP(["-P", "-o", "-r", "$2=${k}", "(?<k>\\w+)=(\\d+)"], "a=1 b=x c=22\n").out
        XCTAssertEqual(out, "1=a\n22=c\n")
    }

    func testJSONSubmatchesAndColorsUseTheSpans() throws {
        let json = try grepP(["-P", "--json", "(?<=a)b"], "abab\n").out
        XCTAssertTrue(json.contains("\"submatches\":[{\"match\":{\"text\":\"b\"},\"start\":1,\"end\":2},{\"match\":{\"text\":\"b\"},\"start\":3,\"end\":4}]"), json)
        let colored = try grepP(["-P", "--color", "always", "x(?=y)"], "xyx\n").out
        XCTAssertTrue(colored.contains("31mx\u{1b}[0myx\n"), colored)
    }

    func testCaseInsensitiveBackreference() throws {
        XCTAssertEqual(try grepP(["-P", "-i", "-o", "(ab)\\1"], "xABab\n").out, "ABab\n")
    }

    func testEngineAutoPicksTheBacktrackerOnlyWhenNeeded() throws {
        XCTAssertEqual(try grepP(["--engine", "auto", "-o", "(?<=a)b"], "ab cb\n").out, "b\n")
        XCTAssertEqual(try grepP(["--auto-hybrid-regex", "-o", "(a)\\1"], "aa ab\n").out, "aa\n")
        // Without -P the default engine reads the pattern and refuses a backreference.
        let plain = try grepP(["(a)\\1"], "aa\n")
        XCTAssertEqual(plain.status, 2)
        XCTAssertTrue(plain.err.hasPrefix("trawl: "), plain.err)
    }

    func testRunawayPatternReportsTheFileAndTheRestCompletes() throws {
        try write("bad.txt", "ok aaa\n" + String(repeating: "a", count: 40) + "!\nnever reached aa\n")
        try write("good.txt", "aaaa\n")
        let result = try trawl(["grep", "-P", "--sort", "path", "(a+)+$", "bad.txt", "good.txt"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("trawl: bad.txt: -P pattern exceeded its backtracking limit"), result.err)
        XCTAssertTrue(result.out.contains("bad.txt:ok aaa\n"), result.out)
        XCTAssertTrue(result.out.contains("good.txt:aaaa\n"), result.out)
        XCTAssertFalse(result.out.contains("never reached"), result.out)
    }

    /// rg's f1155_auto_hybrid_regex: the hybrid engine reads a look-behind.
    func testRipgrepAutoHybridRegexWithLookBehind() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--no-pcre2", "--auto-hybrid-regex", "(?<=the )Sherlock"],
                              "sherlock:For the Doctor Watsons of this world, as opposed to the Sherlock\n")
    }

    // rg's suite runs these only in its PCRE2 mode, which adds `--pcre2` to every command.

    /// rg's r1401_look_ahead_only_matching_1: `-o` of a greedy run before a negative look-ahead.
    func testRipgrepLookAheadOnlyMatching() throws {
        try write("ip.txt", "foo 42\nxoyz\ncat\tdog\n")
        try assertRipgrepCase(["--pcre2", "-No", #".*o(?!.*\s)"#, "ip.txt"], "xo\ncat\tdo\n")
        try assertRipgrepCase(["--pcre2", "-No", #".*o(?!.*[ \t])"#, "ip.txt"], "xo\ncat\tdo\n")
    }

    /// rg's r1401_look_ahead_only_matching_2: the same on a last line without its newline.
    func testRipgrepLookAheadOnlyMatchingOnAnUnterminatedLine() throws {
        try write("ip.txt", "foo 42\nxoyz\ncat\tdog\nfoo")
        try assertRipgrepCase(["--pcre2", "-No", #".*o(?!.*\s)"#, "ip.txt"], "xo\ncat\tdo\nfoo\n")
    }

    /// rg's r1412_look_behind_no_replacement: under -U the replacement is placed by the
    /// multiline search itself, where the look-behind sees the line before.
    func testRipgrepLookBehindAcrossLinesIsReplaced() throws {
        try write("test", "foo\nbar\n")
        try assertRipgrepCase(["--pcre2", "-nU", "-rquux", #"(?<=foo\n)bar"#, "test"], "2:quux\n")
    }

    /// rg's json r1412_look_behind_match_missing: the --json match record of a look-behind
    /// across lines holds the line and its one submatch.
    func testRipgrepJSONLookBehindAcrossLines() throws {
        try write("test", "foo\nbar\n")
        let records = try rgCase(["--pcre2", "-U", "--json", #"(?<=foo\n)bar"#, "test"]).out.split(separator: "\n")
        XCTAssertEqual(records.count, 4)
        XCTAssertTrue(records[1].contains(#""type":"match""#), String(records[1]))
        XCTAssertTrue(records[1].contains(#""lines":{"text":"bar\n"}"#), String(records[1]))
        XCTAssertTrue(records[1].contains(#""submatches":[{"match":{"text":"bar"},"start":0,"end":3}]"#), String(records[1]))
    }

    /// rg's r1573: under -U a look-ahead past the reported block still counts, with
    /// --count and with --count-matches (the printer walks the multiline search's matches).
    func testRipgrepMultilineLookAheadCounts() throws {
        try write("foo", "def A;\ndef B;\nuse A;\nuse B;\n")
        try assertRipgrepCase(["--pcre2", "--multiline", "--count", #"(?s)def (\w+);(?=.*use \w+)"#, "foo"], "2\n")
        try assertRipgrepCase(["--pcre2", "--multiline", "--count-matches", #"(?s)def (\w+);(?=.*use \w+)"#, "foo"], "2\n")
    }

    /// rg's r3139_multiline_lookahead_files_with_matches: a look-ahead over many lines.
    func testRipgrepMultilineLookAhead() throws {
        try write("test", "Start \n   \n\n   XXXXXXXXXXXXXXXXXXXXXXXXXX\n   "
                  + String(repeating: "Y", count: 74) + "\n   \n      thing2 \n\n")
        try assertRipgrepCase(["--multiline", "--pcre2", #"(?s)Start(?=.*thing2)"#, "test"], "Start \n")
        try assertRipgrepCase(["--multiline", "--pcre2", "--files-with-matches", #"(?s)Start(?=.*thing2)"#, "test"], "test\n")
    }

    func testSyntaxErrorNamesTheColumn() throws {
        let result = try grepP(["-P", "a(?<=b+)c"], "abc\n")
        XCTAssertEqual(result.status, 2)
        // The column is in the patterns as joined, `(?:a(?<=b+)c)`, as rg's PCRE2 offset is.
        XCTAssertEqual(result.err, "trawl: -P: regex parse error: lookbehind assertion is not fixed length at column 5\n")
    }

    /// Line numbers and matches (`-o -n`) and counts agree with GNU `grep -P` over a set of
    /// patterns; skipped when grep lacks -P.
    func testDifferentialAgainstGNUGrepP() throws {
        let probe = try tool("grep", ["-P", "x"], stdin: .bytes(Array("x\n".utf8)))
        guard probe.status == 0 else { throw XCTSkip("grep has no -P: \(probe.err)") }
        let input = """
        the the quick brown fox
        struct file_operations fops = { .read = foo_read };
        static const struct seq_ops proc_ops;
        int main(void) { return f(void); }
        abcabc abab aaa
        foo bar foobar barfoo
        $100 and 200 dollars
        CamelCase camelCase CAMELCASE
        a1b2c3 x-y_z
        if (x == y) x = y;

        tab\tseparated\tfields
        """ + "\n"
        try write("in.txt", input)
        let patterns = [
            "(\\w+)\\s+\\1\\b", "(?<=struct )\\w+_ops\\b", "\\w+(?=\\(void\\))", "(?<!\\$)\\b\\d+", "foo(?!bar)",
            "(?<=foo)bar", "(a|ab)(c|bcd)", "(?>a+)b", "a++b", "(?i)camelcase", "\\b[[:upper:]][[:lower:]]+",
            "(\\w)\\1", "(?:ab)+", "x\\s*=\\s*y", "\\d(?=\\w)", "(?<=\\()\\w+", "[^\\s=]+(?==)", "\\t\\w+",
            "^\\w+", "\\w+$", "(?P<w>\\w)(?P=w)", "\\bfo+\\w*", ".*?=", "\\Bar\\b", "(?=.*dollars)\\d+",
            "foo\\Kbar", "\\w{3,5}?", "[a-c]{2,}+", "(?:a|b)*+c",
        ]
        for pattern in patterns {
            let expected = try tool("grep", ["-P", "-o", "-n", pattern, "in.txt"])
            let actual = try trawl(["grep", "-P", "-o", "-n", pattern, "in.txt"])
            XCTAssertEqual(actual.out, expected.out, "-o -n \(pattern)")
            let expectedCount = try tool("grep", ["-P", "-c", pattern, "in.txt"])
            let actualCount = try trawl(["grep", "-P", "-c", pattern, "in.txt"])
            XCTAssertEqual(actualCount.out.isEmpty ? "0\n" : actualCount.out, expectedCount.out, "-c \(pattern)")
        }
    }
}
