import XCTest

/// ripgrep 15's cases that RipgrepSuiteCases cannot hold as data (assertions on parts of
/// the output, an environment variable, a haystack built in code), ported from
/// tests/{misc,regression,binary}.rs; inputs and expected outputs are rg's.
final class RipgrepSuiteRegressionTests: TrawlTestCase {
    /// r156: a pattern of quotes and brackets, printed whole.
    func testR156() throws {
        let expected = """
            #parse('widgets/foo_bar_macros.vm')
            #parse ( 'widgets/mobile/foo_bar_macros.vm' )
            #parse ("widgets/foobarhiddenformfields.vm")
            #parse ( "widgets/foo_bar_legal.vm" )
            #include( 'widgets/foo_bar_tips.vm' )
            #include('widgets/mobile/foo_bar_macros.vm')
            #include ("widgets/mobile/foo_bar_resetpw.vm")
            #parse('widgets/foo-bar-macros.vm')
            #parse ( 'widgets/mobile/foo-bar-macros.vm' )
            #parse ("widgets/foo-bar-hiddenformfields.vm")
            #parse ( "widgets/foo-bar-legal.vm" )
            #include( 'widgets/foo-bar-tips.vm' )
            #include('widgets/mobile/foo-bar-macros.vm')
            #include ("widgets/mobile/foo-bar-resetpw.vm")

            """
        try write("testcase.txt", expected)
        try assertRipgrepCase(["-N", "#(?:parse|include)\\s*\\(\\s*(?:\"|')[./A-Za-z_-]+(?:\"|')", "testcase.txt"], expected)
    }

    /// r3180_look_around_panic: -U with -r over anchors and optional groups.
    func testR3180LookAroundReplace() throws {
        try write("haystack", " b b b b b b b b\nc\n")
        try assertRipgrepCase(["(^|[^a-z])((([a-z]+)?)\\s)?b(\\s([a-z]+)?)($|[^a-z])", "haystack", "-U", "-rx"], "xbxbx\n")
    }

    /// r3275_git_global_config_env: GIT_CONFIG_GLOBAL names the git config whose
    /// core.excludesFile applies.
    func testR3275GitGlobalConfigEnvironment() throws {
        try mkdir("foo")
        try write(".git", "")
        try write("foo/foo1", "")
        try write("foo/foo2", "")
        try write("global-excludes-nonstandard", "foo2")
        try write("global-config-nonstandard", "[core]\n\texcludesFile = \(root)/global-excludes-nonstandard")
        let result = try trawl(["files", "foo"], environment: ["GIT_CONFIG_GLOBAL": root + "/global-config-nonstandard"])
        XCTAssertEqual(result.out, "foo/foo1\n", result.err)
    }

    /// r1838_nul_error_with_binary_detection: a pattern that must match a NUL is refused
    /// while binary detection is on (rg's message and status 2); -a searches with it.
    func testR1838PatternRequiringNULIsRefusedUnderBinaryDetection() throws {
        try write("test", "foo\n")
        let refused = try rgCase(["foo\\x00?"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.out, "")
        XCTAssertEqual(refused.err, """
            trawl: pattern contains "\\0" but it is impossible to match

            Consider enabling text mode with the --text flag (or -a for short). Otherwise,
            binary detection is enabled and matching a NUL byte is impossible.

            """)
        XCTAssertEqual(try rgCase(["-a", "foo\\x00?"]).out, "test:foo\n")
        // As rg 15: the last binary flag decides; --engine auto and -P take the pattern
        // to the backtracking engine; a class of several members is allowed.
        XCTAssertEqual(try rgCase(["-a", "--binary", "foo\\x00?"]).status, 2)
        XCTAssertEqual(try rgCase(["-U", "foo\\x00?"]).status, 2)
        XCTAssertEqual(try rgCase(["--binary", "-a", "foo\\x00?"]).out, "test:foo\n")
        XCTAssertEqual(try rgCase(["--engine", "auto", "foo\\x00?"]).out, "test:foo\n")
        XCTAssertEqual(try rgCase(["-P", "foo\\x00?"]).out, "test:foo\n")
        XCTAssertEqual(try rgCase(["-c", "[\\x00-\\x01]|foo"]).out, "test:1\n")
        // --null-data: NUL ends lines, so rg refuses it as a line terminator instead.
        let nullData = try rgCase(["--null-data", "foo\\x00?"])
        XCTAssertEqual(nullData.status, 2)
        XCTAssertTrue(nullData.err.hasPrefix("trawl: the literal \"\\0\" is not allowed in a regex\n"), nullData.err)
    }

    /// ignore_git_multi_root_order: a parent .gitignore applies to each root, in either order.
    func testIgnoreGitMultiRootOrder() throws {
        try mkdir(".git")
        try write(".gitignore", "src/invalid\n")
        try write("src/invalid", "this\n")
        try write("src/valid", "this\n")
        try write("tests/valid", "this\n")
        for roots in [["src", "tests"], ["tests", "src"]] {
            let out = try rgCase(["--files-with-matches", "this"] + roots).out
            XCTAssertFalse(out.contains("invalid"), out)
            XCTAssertTrue(out.contains("src/valid") && out.contains("tests/valid"), out)
        }
    }

    /// ignore_rgignore_multi_root_order: the same for a parent .rgignore.
    func testIgnoreRgignoreMultiRootOrder() throws {
        try write(".rgignore", "beta/**/*.svg\n")
        try write("alpha/a.txt", "AWS\n")
        try write("beta/x.svg", "AWS\n")
        for roots in [["alpha", "beta"], ["beta", "alpha"]] {
            let out = try rgCase(["--files-with-matches", "AWS"] + roots).out
            XCTAssertFalse(out.contains("x.svg"), out)
            XCTAssertTrue(out.contains("alpha/a.txt"), out)
        }
    }

    /// matching_files_inconsistent_with_count: -l stops at the first match, before a NUL far
    /// below; -c reads on, meets the NUL and leaves the walked file out (unless --binary or -a).
    func testMatchingFilesInconsistentWithCount() throws {
        try write("file1.txt", "cat here\n" + String(repeating: "padding line\n", count: 150_000) + "\u{0}")
        try write("file2.txt", "cat here")
        try assertRipgrepCase(["--sort=path", "-l", "cat"], "file1.txt\nfile2.txt\n")
        try assertRipgrepCase(["--sort=path", "-c", "cat"], "file2.txt:1\n")
        try assertRipgrepCase(["--sort=path", "-c", "cat", "--binary"], "file1.txt:1\nfile2.txt:1\n")
        try assertRipgrepCase(["--sort=path", "-c", "cat", "--text"], "file1.txt:1\nfile2.txt:1\n")
    }

    /// r1223_no_dir_check_for_default_path: a directory named `-` does not stop stdin
    /// from being searched.
    func testR1223NoDirectoryCheckForTheDefaultPath() throws {
        try mkdir("-")
        try write("a.json", "{}")
        try write("a.txt", "some text")
        let result = try rgCase(["a"], stdin: .bytes(Array("a.json\na.txt".utf8)))
        XCTAssertEqual(result.lines.sorted(), ["a.json", "a.txt"], result.err)
    }

    /// r3173_hidden_whitelist_only_dot: a whitelisted hidden file is listed from the root
    /// and from below it, with or without `.` and `./`.
    func testR3173HiddenWhitelistOnlyDot() throws {
        try write("subdir/.foo.txt", "text")
        try write(".ignore", "!.foo.txt")
        for (arguments, expected) in [([String](), "subdir/.foo.txt\n"), (["."], "./subdir/.foo.txt\n"), (["./"], "./subdir/.foo.txt\n")] {
            let result = try trawl(["files"] + arguments)
            XCTAssertEqual(result.out, expected, "\(arguments): \(result.err)")
        }
        for (arguments, expected) in [([String](), ".foo.txt\n"), (["."], "./.foo.txt\n"), (["./"], "./.foo.txt\n")] {
            let result = try trawl(["files"] + arguments, in: root + "/subdir")
            XCTAssertEqual(result.out, expected, "subdir \(arguments): \(result.err)")
        }
    }

    /// multiline stdin: -U across lines of stdin.
    func testMultilineStdin() throws {
        try assertRipgrepCase(["-n", "-U", "of this world\\p{Any}+?detective work"], """
            1:For the Doctor Watsons of this world, as opposed to the Sherlock
            2:Holmeses, success in the province of detective work must always

            """, stdin: .bytes(Array(RipgrepHay.sherlock.utf8)))
    }
}
