import XCTest

/// fd's tests (tests/tests.rs in sharkdp/fd) of patterns: regex, smart case, globs,
/// fixed strings, --and, full paths, search paths. Inputs and expected outputs are fd's.
final class FindPatternTests: FindTestCase {
    static let andFiles = ["a.foo", "one/b.foo", "one/two/c.foo", "one/two/C.Foo2", "one/two/three/baz-quux",
                           "one/two/three/Baz-Quux2", "one/two/three/d.foo", "fdignored.foo", "gitignored.foo",
                           ".hidden.foo", "A-B.jpg", "A-C.png", "B-A.png", "B-C.png", "C-A.jpg", "C-B.png", "e1 e2"]

    func testSimple() throws {
        try makeEnvironment()
        try assertFind(["a.foo"], "a.foo")
        try assertFind(["b.foo"], "one/b.foo")
        try assertFind(["d.foo"], "one/two/three/d.foo")
        try assertFind(["foo"], Self.allFoo)
    }

    func testAndBasic() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["foo", "--and", "c"], "one/two/C.Foo2\none/two/c.foo\none/two/three/directory_foo/")
        try assertFind(["f", "--and", "[ad]", "--and", "[_]"], "one/two/three/directory_foo/")
        try assertFind(["f", "--and", "[ad]", "--and", "[.]"], "a.foo\none/two/three/d.foo")
        try assertFind(["Foo", "--and", "C"], "one/two/C.Foo2")
        try assertFind(["foo", "--and", "asdasdasdsadasd"], "")
    }

    func testAndEmptyPattern() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["Foo", "--and", "2", "--and", ""], "one/two/C.Foo2")
    }

    func testAndBadPattern() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFindFails(["Foo", "--and", "2", "--and", "[", "--and", "C"])
        try assertFindFails(["Foo", "--and", "[", "--and", "2", "--and", "C"])
        try assertFindFails(["Foo", "--and", "2", "--and", "C", "--and", "["])
        try assertFindFails(["[", "--and", "2", "--and", "C", "--and", "Foo"])
    }

    func testAndPatternStartsWithDash() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["baz", "--and", "quux"], "one/two/three/Baz-Quux2\none/two/three/baz-quux")
        try assertFind(["baz", "--and", "-"], "one/two/three/Baz-Quux2\none/two/three/baz-quux")
        try assertFind(["Quu", "--and", "x", "--and", "-"], "one/two/three/Baz-Quux2")
    }

    func testAndPlusExtension() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["A", "--and", "B", "--extension", "jpg", "--extension", "png"], "A-B.jpg\nB-A.png")
        try assertFind(["A", "--extension", "jpg", "--and", "B", "--extension", "png"], "A-B.jpg\nB-A.png")
    }

    func testAndPlusType() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["c", "--type", "d", "--and", "foo"], "one/two/three/directory_foo/")
        try assertFind(["c", "--type", "f", "--and", "foo"], "one/two/C.Foo2\none/two/c.foo")
    }

    func testAndPlusGlob() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["*foo", "--glob", "--and", "c*"], "one/two/c.foo")
    }

    func testAndPlusFixedStrings() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["foo", "--fixed-strings", "--and", "c", "--and", "."], "one/two/c.foo\none/two/C.Foo2")
        try assertFind(["foo", "--fixed-strings", "--and", "[c]", "--and", "."], "")
        try assertFind(["Foo", "--fixed-strings", "--and", "C", "--and", "."], "one/two/C.Foo2")
    }

    func testAndPlusIgnoreCase() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["Foo", "--ignore-case", "--and", "C", "--and", "[.]"], "one/two/C.Foo2\none/two/c.foo")
    }

    func testAndPlusCaseSensitive() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["foo", "--case-sensitive", "--and", "c", "--and", "[.]"], "one/two/c.foo")
    }

    func testAndPlusFullPath() throws {
        try makeEnvironment(Self.defaultDirectories, Self.andFiles)
        try assertFind(["three", "--full-path", "--and", "_foo", "--and", #"[/\\]dir"#], "one/two/three/directory_foo/")
        try assertFind(["three", "--full-path", "--and", #"[/\\]two"#, "--and", #"[/\\]dir"#], "one/two/three/directory_foo/")
    }

    func testEmptyPattern() throws {
        try makeEnvironment()
        let expected = Self.everything
        try assertFind(["--regex"], expected)
        try assertFind(["--fixed-strings"], expected)
        try assertFind(["--glob"], expected)
    }

    func testMultiFile() throws {
        try makeEnvironment(["test1", "test2"], ["test1/a.foo", "test1/b.foo", "test2/a.foo"])
        try assertFind(["a.foo", "test1", "test2"], "test1/a.foo\ntest2/a.foo")
        try assertFind(["", "test1", "test2"], "test1/a.foo\ntest2/a.foo\ntest1/b.foo")
        try assertFind(["a.foo", "test1"], "test1/a.foo")
        try assertFind(["b.foo", "test1", "test2"], "test1/b.foo")
    }

    func testMultiFileWithMissing() throws {
        try makeEnvironment(["real"], ["real/a.foo", "real/b.foo"])
        try assertFind(["a.foo", "real", "fake"], "real/a.foo")
        XCTAssertEqual(stderrLines(try find(["a.foo", "real", "fake"])), ["trawl: search path 'fake' is not a directory"])
        try assertFind(["", "real", "fake"], "real/a.foo\nreal/b.foo")
        try assertFind(["", "real", "fake1", "fake2"], "real/a.foo\nreal/b.foo")
        XCTAssertEqual(stderrLines(try find(["", "real", "fake1", "fake2"])),
                       ["trawl: search path 'fake1' is not a directory", "trawl: search path 'fake2' is not a directory"])
        let none = try find(["", "fake1", "fake2"])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertEqual(stderrLines(none), ["trawl: search path 'fake1' is not a directory", "trawl: search path 'fake2' is not a directory",
                                           "trawl: no valid search paths given"])
    }

    func testPatternWithForwardSlashIsRejected() throws {
        try makeEnvironment()
        try assertFindFails(["nonexistent/path"], message: "the search pattern 'nonexistent/path' contains a path separator")
        try assertFindFails(["one/two/three"], message: "the search pattern 'one/two/three' contains a path separator")
    }

    func testPatternWithForwardSlashAllowedWithFullPath() throws {
        try makeEnvironment()
        try assertFind(["--full-path", "one/two/c"], "one/two/c.foo\none/two/C.Foo2")
    }

    func testAndPatternWithForwardSlashIsRejected() throws {
        try makeEnvironment()
        try assertFindFails(["foo", "--and", "nonexistent/path"], message: "the search pattern 'nonexistent/path' contains a path separator")
        try assertFind(["--full-path", "one/two/c", "--and", "two/c"], "one/two/c.foo\none/two/C.Foo2")
    }

    func testExplicitRootPath() throws {
        try makeEnvironment()
        try assertFind(["foo", "one"], """
            one/b.foo
            one/two/c.foo
            one/two/C.Foo2
            one/two/three/d.foo
            one/two/three/directory_foo/
            """)
        try assertFind(["foo", "one/two/three"], "one/two/three/d.foo\none/two/three/directory_foo/")
        try assertFind(["foo", "../../"], """
            ../../a.foo
            ../../one/b.foo
            ../../one/two/c.foo
            ../../one/two/C.Foo2
            ../../one/two/three/d.foo
            ../../one/two/three/directory_foo/
            """, in: "one/two/")
        try assertFind(["", ".."], """
            ../c.foo
            ../C.Foo2
            ../three/
            ../three/d.foo
            ../three/directory_foo/
            """, in: "one/two/three")
    }

    func testSingleDashRootPath() throws {
        try makeEnvironment(["-"], ["-/foo"])
        try assertFind([".", "-"], "./-/foo")
    }

    func testRegexSearches() throws {
        try makeEnvironment()
        try assertFind(["[a-c].foo"], "a.foo\none/b.foo\none/two/c.foo\none/two/C.Foo2")
        try assertFind(["--case-sensitive", "[a-c].foo"], "a.foo\none/b.foo\none/two/c.foo")
    }

    func testSmartCase() throws {
        try makeEnvironment()
        try assertFind(["c.foo"], "one/two/c.foo\none/two/C.Foo2")
        try assertFind(["C.Foo"], "one/two/C.Foo2")
        try assertFind(["Foo"], "one/two/C.Foo2")
        // Only literal uppercase characters make the search case-sensitive.
        try assertFind(["\\Ac"], "one/two/c.foo\none/two/C.Foo2")
        try assertFind(["\\AC"], "one/two/C.Foo2")
    }

    func testCaseSensitive() throws {
        try makeEnvironment()
        try assertFind(["--case-sensitive", "c.foo"], "one/two/c.foo")
        try assertFind(["--case-sensitive", "C.Foo"], "one/two/C.Foo2")
        try assertFind(["--ignore-case", "--case-sensitive", "C.Foo"], "one/two/C.Foo2")
    }

    func testCaseInsensitive() throws {
        try makeEnvironment()
        try assertFind(["--ignore-case", "C.Foo"], "one/two/c.foo\none/two/C.Foo2")
        try assertFind(["--case-sensitive", "--ignore-case", "C.Foo"], "one/two/c.foo\none/two/C.Foo2")
    }

    func testGlobSearches() throws {
        try makeEnvironment()
        try assertFind(["--glob", "*.foo"], "a.foo\none/b.foo\none/two/c.foo\none/two/three/d.foo")
        try assertFind(["--glob", "[a-c].foo"], "a.foo\none/b.foo\none/two/c.foo")
        try assertFind(["--glob", "[a-c].foo*"], "a.foo\none/b.foo\none/two/C.Foo2\none/two/c.foo")
    }

    func testFullPathGlobSearches() throws {
        try makeEnvironment()
        try assertFind(["--glob", "--full-path", "**/one/**/*.foo"], "one/b.foo\none/two/c.foo\none/two/three/d.foo")
        try assertFind(["--glob", "--full-path", "**/one/*/*.foo"], " one/two/c.foo")
        try assertFind(["--glob", "--full-path", "**/one/*/*/*.foo"], " one/two/three/d.foo")
    }

    func testSmartCaseGlobSearches() throws {
        try makeEnvironment()
        try assertFind(["--glob", "c.foo*"], "one/two/C.Foo2\none/two/c.foo")
        try assertFind(["--glob", "C.Foo*"], "one/two/C.Foo2")
    }

    func testCaseSensitiveGlobSearches() throws {
        try makeEnvironment()
        try assertFind(["--glob", "--case-sensitive", "c.foo*"], "one/two/c.foo")
    }

    func testGlobSearchesWithExtension() throws {
        try makeEnvironment()
        try assertFind(["--glob", "--extension", "foo2", "[a-z].*"], "one/two/C.Foo2")
    }

    func testRegexOverridesGlob() throws {
        try makeEnvironment()
        try assertFind(["--glob", "--regex", "Foo2$"], "one/two/C.Foo2")
    }

    func testFullPath() throws {
        try makeEnvironment()
        try assertFind(["--full-path", "^/.*three.*foo$"], "one/two/three/d.foo\none/two/three/directory_foo/")
    }

    func testFixedStrings() throws {
        try makeEnvironment(["test1", "test2"], ["test1/a.foo", "test1/a_foo", "test2/Download (1).tar.gz"])
        try assertFind(["a.foo"], "test1/a.foo\ntest1/a_foo")
        try assertFind(["--fixed-strings", "a.foo"], "test1/a.foo")
        try assertFind(["download (1)"], "")
        try assertFind(["--fixed-strings", "download (1)"], "test2/Download (1).tar.gz")
        try assertFind(["--fixed-strings", "--case-sensitive", "download (1)"], "")
        try assertFind(["--fixed-strings", "--case-sensitive", "Download (1)"], "test2/Download (1).tar.gz")
    }

    func testExactLiteralNonSubstring() throws {
        try makeEnvironment(["test1", "test2"], ["test1/a.foo", "test1/aa.foo", "test1/a.food", "test1/ca.food", "test1/a_foo",
                                                 "test2/Download (1).tar.gz"])
        try assertFind(["--exact", "a.foo"], "test1/a.foo")
        try assertFind(["--exact", "download (1)"], "")
        try assertFind(["--exact", "download (1).tar.gz"], "test2/Download (1).tar.gz")
        try assertFind(["--exact", "--case-sensitive", "download (1).tar.gz"], "")
        try assertFind(["--exact", "--case-sensitive", "Download (1).tar.gz"], "test2/Download (1).tar.gz")
    }

    func testInvalidUTF8() throws {
        try makeEnvironment(["test1"], [])
        try write(bytesPath: Array("test1/test_".utf8) + [0xFE] + Array("invalid.txt".utf8), [])
        try assertFind(["", "test1/"], "test1/test_\u{FFFD}invalid.txt")
        try assertFind(["invalid", "test1/"], "test1/test_\u{FFFD}invalid.txt")
        try assertFind(["-e", "zip", "", "test1/"], "")
        // The bytes themselves are printed, not U+FFFD.
        XCTAssertEqual(try find(["", "test1/"]).stdout, Array("test1/test_".utf8) + [0xFE] + Array("invalid.txt\n".utf8))
    }

    func testErrorIfHiddenNotSetAndPatternStartsWithDot() throws {
        try makeEnvironment([], [".gitignore", ".whatever", "non-hidden"])
        try assertFindFails(["^\\.gitignore"], message: "leading dot")
        try assertFindFails(["--glob", ".gitignore"], message: "leading dot")
        try assertFind(["--hidden", "^\\.gitignore"], ".gitignore")
        try assertFind(["--hidden", "--glob", ".gitignore"], ".gitignore")
        try assertFind([".gitignore"], "")
    }

    func testInvalidCwd() throws {
        try makeEnvironment([], [])
        let trawlPath = try BinaryRunner.trawlPath()
        let script = "mkdir foo && cd foo && rmdir ../foo && exec \"$0\" find query \"$1\""
        let result = try BinaryRunner.run(executable: "/bin/sh", arguments: ["-c", script, trawlPath, root], directory: root,
                                          environment: BinaryRunner.environment(home: home))
        XCTAssertEqual(result.status, 0, result.err)
    }
}
