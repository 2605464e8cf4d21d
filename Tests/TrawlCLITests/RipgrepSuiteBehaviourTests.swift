import Foundation
import XCTest

/// ripgrep 15's cases for behaviour trawl had different (issue 15's list): exit statuses,
/// `-f-`, paths that are not UTF-8, `--crlf` terminators, counting with `-o`, `--stats`
/// totals, `-uuu`, repositories seen through `--no-ignore-parent` and worktrees, `--hidden`
/// and `.git`. Ported from tests/{feature,misc,regression,json,binary}.rs; each test names
/// its case, and inputs and expected outputs are rg's.
final class RipgrepSuiteBehaviourTests: TrawlTestCase {
    static let sherlockCRLF = RipgrepHay.sherlock.replacingOccurrences(of: "\n", with: "\r\n")

    // MARK: --files-without-match

    func testFilesWithoutMatch() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.py", "foo")
        try assertRipgrepCase(["--files-without-match", "Sherlock"], "file.py\n")
    }

    func testR1130FilesWithoutMatchOfANamedFile() throws {
        try write("foo", "test")
        try assertRipgrepCase(["--files-with-matches", "test", "foo"], "foo\n")
        try assertRipgrepCase(["--files-without-match", "nada", "foo"], "foo\n")
    }

    /// r3108_files_without_match_quiet_exit: success is a file printed (or, with -q, found).
    func testR3108FilesWithoutMatchExitStatus() throws {
        try write("yes-match", "abc")
        try write("non-match", "xyz")
        let cases: [([String], Int32, String?)] = [
            (["-q", "abc", "non-match"], 1, nil),
            (["-q", "abc", "yes-match"], 0, nil),
            (["--files-with-matches", "-q", "abc", "non-match"], 1, nil),
            (["--files-with-matches", "-q", "abc", "yes-match"], 0, nil),
            (["--files-without-match", "abc", "non-match"], 0, "non-match\n"),
            (["--files-without-match", "abc", "yes-match"], 1, ""),
            (["--files-without-match", "-q", "abc", "non-match"], 0, ""),
            (["--files-without-match", "-q", "abc", "yes-match"], 1, nil),
        ]
        for (arguments, status, out) in cases {
            let result = try rgCase(arguments)
            XCTAssertEqual(result.status, status, "\(arguments): \(result.err)")
            if let out { XCTAssertEqual(result.out, out, "\(arguments)") }
        }
    }

    // MARK: input

    /// f7_stdin: `-f-` reads the patterns from stdin, and the current directory is searched.
    func testF7PatternsFromStdinThenTheCurrentDirectory() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["-f-"], """
            sherlock:For the Doctor Watsons of this world, as opposed to the Sherlock
            sherlock:be, to a very large extent, the result of luck. Sherlock Holmes

            """, stdin: .bytes(Array("Sherlock".utf8)))
    }

    /// r210: a path argument that is not UTF-8 is searched and printed by its bytes.
    func testR210PathArgumentThatIsNotUTF8() throws {
        let name: [UInt8] = Array("foo".utf8) + [0xFF] + Array("bar".utf8)
        try write(bytesPath: name, Array("test".utf8))
        // Through the shell, so that the argument holds the byte 0xFF itself.
        let result = try BinaryRunner.run(executable: "/bin/sh",
                                          arguments: ["-c", "exec \"$0\" grep -H test \"$(printf 'foo\\377bar')\"", try BinaryRunner.trawlPath()],
                                          directory: root, environment: BinaryRunner.environment(home: home))
        XCTAssertEqual(result.stdout, name + Array(":test\n".utf8), result.err)
    }

    // MARK: --crlf

    func testF416CRLF() throws {
        try write("sherlock", Self.sherlockCRLF)
        let expected = "For the Doctor Watsons of this world, as opposed to the Sherlock\r\n"
        try assertRipgrepCase(["--crlf", "Sherlock$", "sherlock"], expected)
        try assertRipgrepCase(["--crlf", "-U", "Sherlock$", "sherlock"], expected)
    }

    /// f416_crlf_only_matching: a match printed alone ends with `\r\n` under --crlf.
    func testF416CRLFOnlyMatching() throws {
        try write("sherlock", Self.sherlockCRLF)
        try assertRipgrepCase(["--crlf", "-o", "Sherlock$", "sherlock"], "Sherlock\r\n")
    }

    func testCRLFEndsCountsAndPathsWithCRLF() throws {
        try write("sherlock", Self.sherlockCRLF)
        try assertRipgrepCase(["--crlf", "-c", "Sherlock$", "sherlock"], "1\r\n")
        try assertRipgrepCase(["--crlf", "-l", "Sherlock$", "sherlock"], "sherlock\r\n")
    }

    // MARK: counting

    func testCountMatchesViaOnlyMatching() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--count", "--only-matching", "the"], "sherlock:4\n")
    }

    // MARK: binary

    /// unrestricted3: -uuu is --binary in rg 15 (a walked binary file is reported, not printed).
    func testUnrestricted3ReportsBinaryFiles() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("hay", "foo\u{0}bar\nfoo\u{0}baz\n")
        try assertRipgrepCase(["-uuu", "foo"], "hay: binary file matches (found \"\\0\" byte around offset 3)\n")
    }

    /// after_match1_implicit_count: a walked file whose NUL comes after the match is left
    /// out of -c; with --binary, or named, it is counted.
    func testAfterMatch1Count() throws {
        try copyFixture("text/ripgrep/sherlock-nul.txt", to: "hay")
        let walked = try rgCase(["--no-mmap", "-c", "Project Gutenberg EBook", "-g", "hay"])
        XCTAssertEqual(walked.out, "")
        XCTAssertEqual(walked.status, 1, walked.err)
        try assertRipgrepCase(["--no-mmap", "-c", "--binary", "Project Gutenberg EBook", "-g", "hay"], "hay:1\n")
        try assertRipgrepCase(["--no-mmap", "-c", "Project Gutenberg EBook", "hay"], "1\n")
    }

    // MARK: --stats

    func testF411SingleThreadedSearchStats() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let out = try rgCase(["-j1", "--stats", "Sherlock"]).out
        for part in ["Sherlock", "2 matched lines", "1 files contained matches", "1 files searched", "seconds"] {
            XCTAssertTrue(out.contains(part), "\(part) in \(out)")
        }
    }

    func testF411ParallelSearchStats() throws {
        try write("sherlock_1", RipgrepHay.sherlock)
        try write("sherlock_2", RipgrepHay.sherlock)
        let out = try rgCase(["-j2", "--stats", "Sherlock"]).out
        for part in ["4 matched lines", "2 files contained matches", "2 files searched", "seconds"] {
            XCTAssertTrue(out.contains(part), "\(part) in \(out)")
        }
    }

    /// f411_*_quiet_search_stats: --quiet prints nothing else but still searches everything.
    func testF411QuietSearchStats() throws {
        try write("sherlock_1", RipgrepHay.sherlock)
        try write("sherlock_2", RipgrepHay.sherlock)
        for (threads, parts) in [("-j1", ["4 matched lines", "2 files contained matches", "2 files searched"]),
                                 ("-j2", ["4 matched lines", "2 files contained matches", "2 files searched"])] {
            let out = try rgCase(["--quiet", threads, "--stats", "Sherlock"]).out
            XCTAssertFalse(out.contains("Sherlock"), out)
            for part in parts + ["seconds"] { XCTAssertTrue(out.contains(part), "\(part) in \(out)") }
        }
    }

    /// rg 15's --stats block: matches counted in every mode (-c too), bytes printed, and
    /// the search time beside the total.
    func testStatsCountEveryMatchInEveryMode() throws {
        try write("a", "foo\n")
        try write("b", "bar\n")
        try write("f", "foo\nfoo bar foo\nx\n")
        for (mode, printed) in [([String](), 26), (["-c"], 0), (["-l"], 0), (["-q"], 0), (["-o"], 24)] {
            let out = try rgCase(["--stats"] + mode + ["foo", "a", "b", "f"]).out
            let totals = out.components(separatedBy: "\n\n").last ?? ""
            let lines = totals.split(separator: "\n").map(String.init)
            XCTAssertEqual(Array(lines.prefix(6)), ["4 matches", "3 matched lines", "2 files contained matches",
                                                    "3 files searched", "\(printed) bytes printed", "26 bytes searched"], "\(mode)")
            XCTAssertTrue(lines.count == 8 && lines[6].hasSuffix(" seconds spent searching") && lines[7].hasSuffix(" seconds total"),
                          "\(mode): \(out)")
        }
    }

    func testR2944BytesSearchedStopAtMaxCount() throws {
        try write("haystack", "foo1\nfoo2\nfoo3\nfoo4\nfoo5\n")
        let out = try rgCase(["--stats", "-m2", "foo", "."]).out
        XCTAssertTrue(out.contains("10 bytes searched\n"), out)
    }

    // MARK: --json

    private func jsonMessages(_ out: String) throws -> [[String: Any]] {
        try out.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    private func summaryStats(_ message: [String: Any]) -> [String: Any]? {
        guard message["type"] as? String == "summary" else { return nil }
        return (message["data"] as? [String: Any])?["stats"] as? [String: Any]
    }

    /// json quiet_stats: --quiet leaves the summary only, and it counts what was searched.
    func testJSONQuietStats() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let messages = try jsonMessages(try rgCase(["--json", "--quiet", "--stats", "Sherlock Holmes", "sherlock"]).out)
        XCTAssertEqual(messages.count, 1)
        let stats = try XCTUnwrap(summaryStats(messages[0]))
        XCTAssertEqual(stats["searches_with_match"] as? Int, 1)
        XCTAssertEqual(stats["bytes_searched"] as? Int, 367)
    }

    /// json basic: the summary's bytes printed are the begin, context, match and end records'.
    func testJSONBasic() throws {
        try write("sherlock", RipgrepHay.sherlock)
        let messages = try jsonMessages(try rgCase(["--json", "-B1", "Sherlock Holmes", "sherlock"]).out)
        XCTAssertEqual(messages.map { $0["type"] as? String }, ["begin", "context", "match", "end", "summary"])
        let match = try XCTUnwrap(messages[2]["data"] as? [String: Any])
        XCTAssertEqual(match["line_number"] as? Int, 3)
        XCTAssertEqual(match["absolute_offset"] as? Int, 129)
        let submatch = try XCTUnwrap((match["submatches"] as? [[String: Any]])?.first)
        XCTAssertEqual(submatch["start"] as? Int, 48)
        XCTAssertEqual(submatch["end"] as? Int, 63)
        let stats = try XCTUnwrap(summaryStats(messages[4]))
        XCTAssertEqual(stats["searches_with_match"] as? Int, 1)
        XCTAssertEqual(stats["bytes_printed"] as? Int, 494)
    }

    /// json crlf: the match does not take the `\r` that `$` may stand before.
    func testJSONCRLFMatchLeavesTheCarriageReturnOut() throws {
        try write("sherlock", Self.sherlockCRLF)
        let messages = try jsonMessages(try rgCase(["--json", "--crlf", "Sherlock$", "sherlock"]).out)
        let match = try XCTUnwrap(messages[1]["data"] as? [String: Any])
        let submatch = try XCTUnwrap((match["submatches"] as? [[String: Any]])?.first)
        XCTAssertEqual((submatch["match"] as? [String: Any])?["text"] as? String, "Sherlock")
        XCTAssertEqual(submatch["start"] as? Int, 56)
        XCTAssertEqual(submatch["end"] as? Int, 64)
    }

    /// json r1095_missing_crlf: a matching line keeps its `\r\n`, with and without --crlf.
    func testJSONR1095KeepsTheCRLFOfTheLine() throws {
        try write("foo", "test\r\n")
        for extra in [[], ["--crlf"]] {
            let messages = try jsonMessages(try rgCase(["--json", "test"] + extra).out)
            XCTAssertEqual(messages.count, 4, "\(extra)")
            let match = try XCTUnwrap(messages[1]["data"] as? [String: Any])
            XCTAssertEqual((match["lines"] as? [String: Any])?["text"] as? String, "test\r\n", "\(extra)")
        }
    }

    /// json notutf8_file: lines that are not UTF-8 are given as base64 bytes.
    func testJSONNotUTF8File() throws {
        try write("foo", bytes: Array("quux".utf8) + [0xFF] + Array("baz".utf8))
        let messages = try jsonMessages(try rgCase(["--json", "(?-u)\\xFF"]).out)
        let match = try XCTUnwrap(messages[1]["data"] as? [String: Any])
        XCTAssertEqual((match["lines"] as? [String: Any])?["bytes"] as? String, "cXV1eP9iYXo=")
        let submatch = try XCTUnwrap((match["submatches"] as? [[String: Any]])?.first)
        XCTAssertEqual((submatch["match"] as? [String: Any])?["bytes"] as? String, "/w==")
        XCTAssertEqual(submatch["start"] as? Int, 4)
        XCTAssertEqual(submatch["end"] as? Int, 5)
    }

    /// json notutf8: a path that is not UTF-8 is given as base64 bytes too.
    func testJSONNotUTF8Path() throws {
        try write(bytesPath: Array("foo".utf8) + [0xFF] + Array("bar".utf8), Array("quux".utf8) + [0xFF] + Array("baz".utf8))
        let messages = try jsonMessages(try rgCase(["--json", "(?-u)\\xFF"]).out)
        let begin = try XCTUnwrap(messages.first?["data"] as? [String: Any])
        XCTAssertEqual((begin["path"] as? [String: Any])?["bytes"] as? String, "Zm9v/2Jhcg==")
    }

    /// json r1095_crlf_empty_match: `-U '\n'` reports one block holding both `\n` matches.
    func testJSONR1095MultilineNewlineMatches() throws {
        try write("foo", "test\r\n\n")
        for extra in [[], ["--crlf"]] {
            let messages = try jsonMessages(try rgCase(["-U", "--json", "\n"] + extra).out)
            XCTAssertEqual(messages.count, 4, "\(extra)")
            let match = try XCTUnwrap(messages[1]["data"] as? [String: Any])
            XCTAssertEqual((match["lines"] as? [String: Any])?["text"] as? String, "test\r\n\n", "\(extra)")
            let texts = (match["submatches"] as? [[String: Any]])?.map { ($0["match"] as? [String: Any])?["text"] as? String }
            XCTAssertEqual(texts, ["\n", "\n"], "\(extra)")
        }
    }

    /// r1311_multi_line_term_replace: adjacent multiline matches are one block, replaced on one line.
    func testR1311MultilineTerminatorReplace() throws {
        try write("input", "hello\nworld\n")
        try assertRipgrepCase(["-U", "-r?", "-n", "\n", "input"], "1:hello?world?\n")
    }

    /// Under -U, -c counts matches when the pattern can match `\n` (rg's multiline count)
    /// and lines when it cannot (rg then searches line by line).
    func testMultilineCountCountsMatchesOnlyForPatternsThatCrossLines() throws {
        try write("m", "foo\nfoo\nbar\nfoo\n")
        try assertRipgrepCase(["-U", "-c", "o", "m"], "3\n")
        try assertRipgrepCase(["-U", "-c", "o|\n", "m"], "10\n")
    }

    // MARK: repositories

    /// no_parent_ignore_git: --no-ignore-parent drops the parent's rules, not the
    /// repository it makes: the search directory's own .gitignore applies.
    func testNoParentIgnoreGit() throws {
        try mkdir(".git")
        try write(".gitignore", "sherlock\n")
        try write("foo/.gitignore", "watson\n")
        try write("foo/sherlock", RipgrepHay.sherlock)
        try write("foo/watson", RipgrepHay.sherlock)
        let result = try trawl(["grep", "--path-separator", "/", "--no-ignore-parent", "Sherlock"], in: root + "/foo")
        XCTAssertEqual(result.out, """
            sherlock:For the Doctor Watsons of this world, as opposed to the Sherlock
            sherlock:be, to a very large extent, the result of luck. Sherlock Holmes

            """, result.err)
    }

    /// r1446_respect_excludes_in_worktree: a worktree's `.git` file leads (gitdir, then
    /// commondir) to the main repository's info/exclude.
    func testR1446RespectExcludesInWorktree() throws {
        try write("repo/.git/info/exclude", "ignored")
        try write("repo/.git/worktrees/repotree/commondir", "../..")
        try write("repotree/.git", "gitdir: repo/.git/worktrees/repotree")
        try write("repotree/ignored", "")
        try write("repotree/not-ignored", "")
        let result = try trawl(["files", "--sort", "path", "repotree"])
        XCTAssertEqual(result.out, "repotree/not-ignored\n", result.err)
    }

    /// rg 15 searches `.git` with --hidden (its files are hidden files); `-g '!.git'` leaves it out.
    func testHiddenSearchesTheGitDirectory() throws {
        try gitInit()
        try write("a", "needle\n")
        try write(".git/needle-note", "needle\n")
        try assertRipgrepCase(["--sort", "path", "--hidden", "needle"], ".git/needle-note:needle\na:needle\n")
        try assertRipgrepCase(["--sort", "path", "--hidden", "-g", "!.git", "needle"], "a:needle\n")
        try assertRipgrepCase(["--sort", "path", "needle"], "a:needle\n")
    }
}
