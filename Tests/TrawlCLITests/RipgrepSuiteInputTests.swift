import XCTest

/// ripgrep 15's cases for the input and filter flags (`--no-ignore-dot`, `--ignore-file`,
/// `--no-ignore-exclude`, `--no-ignore-files`, `--require-git`, `--maxdepth`, `--no-unicode`,
/// `--dfa-size-limit`, `--max-filesize`, `--binary`, `--engine auto`, ...), ported from
/// tests/{feature,regression}.rs.
final class RipgrepSuiteInputTests: TrawlTestCase {
    func files(_ flags: [String]) throws -> String {
        let result = try trawl(["files", "--sort", "path"] + flags)
        XCTAssertTrue(result.err.isEmpty, result.err)
        return result.out
    }

    func testF1138NoIgnoreDotAndIgnoreFile() throws {
        try mkdir(".git")
        try write(".gitignore", "foo")
        try write(".ignore", "bar")
        try write(".fzf-ignore", "quux")
        for name in ["foo", "bar", "quux"] { try write(name, "") }
        XCTAssertEqual(try files([]), "quux\n")
        XCTAssertEqual(try files(["--no-ignore-dot"]), "bar\nquux\n")
        XCTAssertEqual(try files(["--no-ignore-dot", "--ignore-file", ".fzf-ignore"]), "bar\n")
    }

    /// The tree's root as the kernel resolves it: rg's case canonicalizes it, as the
    /// current directory a child reads is the physical one.
    private func physicalRoot() throws -> String {
        let resolved = try XCTUnwrap(realpath(root, nil))
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// r3179_global_gitignore_cwd: `--ignore-file` globs see each path from the current
    /// directory, under an absolute root too: `/haystack` ignores `a/b/c/haystack` when run
    /// from `a/b/c` on the tree's absolute root, and nothing is left (exit 1).
    func testR3179IgnoreFileMatchesPathsFromTheCurrentDirectoryUnderAnAbsoluteRoot() throws {
        try mkdir("a/b/c")
        try write("a/b/c/haystack", "")
        try write(".test.gitignore", "/haystack")
        let top = try physicalRoot()
        let result = try trawl(["files", "--ignore-file", top + "/.test.gitignore", top], in: top + "/a/b/c")
        XCTAssertEqual(result.out, "", result.err)
        XCTAssertEqual(result.status, 1, result.err)
        // As rg 15: a relative root is matched as walked (`../../../a/b/c/haystack`, kept),
        // and so is `sub/x` below the current directory (`/x` does not reach it).
        let relative = try trawl(["files", "--ignore-file", top + "/.test.gitignore", "../../.."], in: top + "/a/b/c")
        XCTAssertEqual(relative.out, "../../../a/b/c/haystack\n", relative.err)
        try write("sub/x", "")
        try write("x", "")
        try write("ig", "/x\n")
        XCTAssertEqual(try trawl(["files", "--ignore-file", "ig", "sub"]).out, "sub/x\n")
        XCTAssertEqual(try trawl(["files", "--ignore-file", "ig", top + "/sub"]).out, top + "/sub/x\n")
        XCTAssertFalse(try trawl(["files", "--ignore-file", "ig"]).lines.contains("x"))
    }

    /// git's global excludes (core.excludesFile) are matched as rg's `--ignore-file` is:
    /// from the current directory, not from the repository's root.
    func testGlobalExcludesMatchPathsFromTheCurrentDirectory() throws {
        try mkdir(".git")
        try mkdir("a/b/c")
        try write("a/b/c/haystack", "")
        try write("haystack", "")
        try write("global-excludes", "/haystack\n")
        try write("global-config", "[core]\n\texcludesFile = \(root)/global-excludes\n")
        let top = try physicalRoot()
        let environment = ["GIT_CONFIG_GLOBAL": root + "/global-config"]
        let fromTop = try trawl(["files", "a"], environment: environment)
        XCTAssertEqual(fromTop.out, "a/b/c/haystack\n", fromTop.err)
        let below = try trawl(["files"], in: top + "/a/b/c", environment: environment)
        XCTAssertEqual(below.out, "", below.err)
        let absolute = try trawl(["files", top], in: top + "/a/b/c", environment: environment)
        XCTAssertEqual(absolute.lines.filter { $0.hasSuffix("haystack") }, [top + "/haystack"], absolute.err)
    }

    func testR2198NoIgnoreDotCoversRgignore() throws {
        try write(".ignore", "a")
        try write(".rgignore", "b")
        for name in ["a", "b", "c"] { try write(name, "") }
        XCTAssertEqual(try files([]), "c\n")
        XCTAssertEqual(try files(["--no-ignore-dot"]), "a\nb\nc\n")
    }

    func testF1414NoRequireGitAndRequireGit() throws {
        try write(".gitignore", "foo")
        try write("foo", "")
        try write("bar", "")
        XCTAssertEqual(try files([]), "bar\nfoo\n")
        XCTAssertEqual(try files(["--no-require-git"]), "bar\n")
        XCTAssertEqual(try files(["--no-require-git", "--require-git"]), "bar\nfoo\n")
    }

    func testF1420NoIgnoreExclude() throws {
        try write(".git/info/exclude", "foo")
        try write("bar", "")
        try write("foo", "")
        XCTAssertEqual(try files([]), "bar\n")
        XCTAssertEqual(try files(["--no-ignore-exclude"]), "bar\nfoo\n")
    }

    func testF1466NoIgnoreFiles() throws {
        try write(".myignore", "bar")
        try write("bar", "")
        try write("foo", "")
        XCTAssertEqual(try files([]), "bar\nfoo\n")
        XCTAssertEqual(try files(["--ignore-file", ".myignore"]), "foo\n")
        XCTAssertEqual(try files(["--ignore-file", ".myignore", "--no-ignore-files"]), "bar\nfoo\n")
        XCTAssertEqual(try files(["--ignore-file", ".myignore", "--no-ignore-files", "--ignore-files"]), "foo\n")
        // -u does not turn --ignore-file off.
        XCTAssertEqual(try files(["--ignore-file", ".myignore", "-u"]), "foo\n")
    }

    func testIgnoreFileThatCannotBeReadIsReportedAndTheWalkGoesOn() throws {
        try write("foo", "")
        let result = try trawl(["files", "--ignore-file", "missing"])
        XCTAssertEqual(result.out, "foo\n")
        XCTAssertEqual(result.err, "trawl: missing: No such file or directory\n")
        XCTAssertEqual(result.status, 0)  // as rg: a warning
    }

    func testIgnoreFileCaseInsensitive() throws {
        try write(".myignore", "BAR")
        try write("bar", "")
        try write("foo", "")
        XCTAssertEqual(try files(["--ignore-file", ".myignore"]), "bar\nfoo\n")
        XCTAssertEqual(try files(["--ignore-file", ".myignore", "--ignore-file-case-insensitive"]), "foo\n")
    }

    func testGlobCaseInsensitive() throws {
        try write("A.TXT", "")
        try write("b.rs", "")
        XCTAssertEqual(try files(["-g", "*.txt"]), "")
        XCTAssertEqual(try files(["-g", "*.txt", "--glob-case-insensitive"]), "A.TXT\n")
    }

    func testF109MaxDepthSpelledMaxdepth() throws {
        try write("one/pass", "far")
        try write("one/too/many", "far")
        try assertRipgrepCase(["--maxdepth", "2", "far"], "one/pass:far\n")
    }

    func testMaxFilesizeSkipsBiggerWalkedFilesOnly() throws {
        try write("small", "needle\n")
        try write("big", "needle " + String(repeating: "x", count: 2000) + "\n")
        try assertRipgrepCase(["--max-filesize", "1K", "needle"], "small:needle\n")
        // A file named on the command line is searched whatever its size, as rg.
        try assertRipgrepCase(["--max-filesize", "10", "-c", "needle", "big"], "1\n")
    }

    func testMaxFilesizeParseErrorsAsRipgrep() throws {
        for bad in ["10k", "1T", "x10", "", "10KB"] {
            let result = try trawl(["grep", "--max-filesize", bad, "needle"])
            XCTAssertEqual(result.status, 2, bad)
            XCTAssertTrue(result.err.contains("invalid format for size '\(bad)', which should be a non-empty sequence of digits followed by an optional 'K', 'M' or 'G' suffix"), result.err)
        }
    }

    func testNoUnicode() throws {
        try write("test", "δ")
        XCTAssertEqual(try rgCase(["-i", "--no-unicode", "Δ"]).status, 1)
        XCTAssertEqual(try rgCase(["-i", "Δ"]).status, 0)
    }

    func testF362DfaSizeLimitStillFindsTheMatch() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try assertRipgrepCase(["--dfa-size-limit", "10", "For\\s", "sherlock"],
                              "For the Doctor Watsons of this world, as opposed to the Sherlock\n")
    }

    /// rg's f362_exceeds_regex_size_limit: a Unicode class compiles to a big program.
    func testF362ExceedsRegexSizeLimit() throws {
        try write("sherlock", RipgrepHay.sherlock)
        for limit in ["100", "10K"] {
            let result = try rgCase(["--regex-size-limit", limit, "[0-9]\\w+"])
            XCTAssertEqual(result.status, 2, limit)
            XCTAssertTrue(result.err.hasPrefix("trawl:") && result.err.contains("size limit"), result.err)
        }
        XCTAssertEqual(try rgCase(["--regex-size-limit", "1M", "[0-9]\\w+"]).status, 1)
    }

    func testMultilineDotall() throws {
        try write("test", "foo\nbar\n")
        XCTAssertEqual(try rgCase(["-U", "foo.bar", "test"]).status, 1)
        try assertRipgrepCase(["-U", "--multiline-dotall", "foo.bar", "test"], "foo\nbar\n")
    }

    func testEngineAutoFallsBackForPatternsTheDefaultCannotRead() throws {
        try write("test", "a1 b2\n")
        XCTAssertEqual(try rgCase(["(a)\\d \\1", "test"]).status, 2)
        XCTAssertEqual(try rgCase(["--auto-hybrid-regex", "(b)\\d", "test"]).out, "a1 b2\n")
        try assertRipgrepCase(["--engine", "auto", "(?=b)b2", "test"], "a1 b2\n")
        try assertRipgrepCase(["--pcre2", "--no-pcre2", "b2", "test"], "a1 b2\n")
    }

    func testBinaryReportsWalkedBinaryMatches() throws {
        try write("hay", bytes: Array("needle\n\u{0}rest\n".utf8))
        XCTAssertEqual(try rgCase(["needle"]).out, "")
        XCTAssertEqual(try rgCase(["--binary", "needle"]).out, "hay: binary file matches (found \"\\0\" byte around offset 7)\n")
    }

    func testMmapFlagsAreAccepted() throws {
        try write("test", "needle\n")
        try assertRipgrepCase(["--mmap", "needle", "test"], "needle\n")
        try assertRipgrepCase(["--no-mmap", "needle", "test"], "needle\n")
    }
}
