import XCTest

/// `trawl files`: ripgrep's `--files` rules, as the real binary applies them.
final class FilesTests: TrawlTestCase {
    /// A small repository: ignored file and directory, hidden file and directory, sources.
    private func makeRepository() throws {
        try gitInit()
        try write(".gitignore", "ignored.txt\nbuild/\n")
        try write("ignored.txt", "x\n")
        try write("build/out.o", "y\n")
        try write("src/a.swift", "z\n")
        try write("src/b.c", "z\n")
        try write("src/deep/c.swift", "w\n")
        try write(".hidden", "h\n")
        try write(".hdir/f", "q\n")
        try write("keep.md", "k\n")
    }

    private func sortedLines(_ result: RunResult) -> [String] { result.lines.sorted() }

    func testGitignoreRulesApplyInsideGitRepository() throws {
        try makeRepository()
        let result = try trawl(["files"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(sortedLines(result), ["keep.md", "src/a.swift", "src/b.c", "src/deep/c.swift"])
        XCTAssertEqual(result.err, "")
    }

    func testGitignoreRulesDoNotApplyOutsideGitRepository() throws {
        try write(".gitignore", "ign\n")
        try write("ign")
        try write("keep")
        let result = try trawl(["files"])
        XCTAssertEqual(sortedLines(result), ["ign", "keep"])
    }

    func testDotIgnoreFileAppliesWithoutGitRepository() throws {
        try write(".ignore", "ign\n")
        try write("ign")
        try write("keep")
        XCTAssertEqual(try trawl(["files"]).lines, ["keep"])
    }

    func testHiddenFilesSkippedByDefault() throws {
        try write(".hidden")
        try write(".hdir/f")
        try write("shown")
        XCTAssertEqual(try trawl(["files"]).lines, ["shown"])
    }

    /// rg 15 lists `.git`'s files with --hidden (they are hidden files); -g '!.git' leaves them out.
    func testHiddenFlagListsDotFilesAndTheGitDirectory() throws {
        try makeRepository()
        let result = try trawl(["files", "--hidden"])
        XCTAssertTrue(result.lines.contains(".git/HEAD"), result.out)
        XCTAssertEqual(sortedLines(result).filter { !$0.hasPrefix(".git/") },
                       [".gitignore", ".hdir/f", ".hidden", "keep.md", "src/a.swift", "src/b.c", "src/deep/c.swift"])
        let excluded = try trawl(["files", "--hidden", "-g", "!.git"])
        XCTAssertEqual(sortedLines(excluded), [".gitignore", ".hdir/f", ".hidden", "keep.md", "src/a.swift", "src/b.c", "src/deep/c.swift"])
    }

    func testUnrestrictedOnceListsIgnoredButNotHidden() throws {
        try makeRepository()
        let result = try trawl(["files", "-u"])
        XCTAssertEqual(sortedLines(result), ["build/out.o", "ignored.txt", "keep.md", "src/a.swift", "src/b.c", "src/deep/c.swift"])
    }

    func testUnrestrictedTwiceListsIgnoredAndHidden() throws {
        try makeRepository()
        let result = try trawl(["files", "-uu", "-g", "!.git"])
        XCTAssertEqual(sortedLines(result), [".gitignore", ".hdir/f", ".hidden", "build/out.o", "ignored.txt", "keep.md",
                                             "src/a.swift", "src/b.c", "src/deep/c.swift"])
    }

    func testGlobSelectsMatchingFiles() throws {
        try makeRepository()
        XCTAssertEqual(sortedLines(try trawl(["files", "-g", "*.swift"])), ["src/a.swift", "src/deep/c.swift"])
    }

    func testNegatedGlobExcludesMatchingFiles() throws {
        try makeRepository()
        XCTAssertEqual(sortedLines(try trawl(["files", "-g", "!*.swift"])), ["keep.md", "src/b.c"])
    }

    func testTypeSelectsFilesOfThatType() throws {
        try makeRepository()
        XCTAssertEqual(sortedLines(try trawl(["files", "-t", "swift"])), ["src/a.swift", "src/deep/c.swift"])
    }

    func testTypeNotExcludesFilesOfThatType() throws {
        try makeRepository()
        XCTAssertEqual(sortedLines(try trawl(["files", "-T", "swift"])), ["keep.md", "src/b.c"])
    }

    func testTypeListPrintsTypesWithTheirGlobs() throws {
        let result = try trawl(["files", "--type-list"])
        XCTAssertEqual(result.status, 0)
        // Lines as ripgrep 13 prints them.
        XCTAssertTrue(result.lines.contains("swift: *.swift"), result.out)
        XCTAssertTrue(result.lines.contains("rust: *.rs"), result.out)
        XCTAssertTrue(result.lines.contains("c: *.[chH], *.[chH].in, *.cats"), result.out)
        XCTAssertEqual(result.lines, result.lines.sorted(), "types are listed by name")
    }

    func testMaxDepthOneListsOnlyTheTopLevel() throws {
        try makeRepository()
        XCTAssertEqual(try trawl(["files", "-d", "1"]).lines, ["keep.md"])
    }

    func testMissingPathIsReportedWithExitTwoAndTheRestStillListed() throws {
        try makeRepository()
        let result = try trawl(["files", "src", "missing"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.err, "trawl: missing: No such file or directory\n")
        XCTAssertEqual(sortedLines(result), ["src/a.swift", "src/b.c", "src/deep/c.swift"])
    }

    func testSortPathListsInPathComponentOrder() throws {
        // Component order, as rg --sort path: `a/b` before `a-b` (the name `a` sorts first).
        for name in ["a.txt", "a-b", "a/z", "a/b", "B/c", "b", "_x"] { try write(name) }
        for index in 0..<40 { try write("many/f\(index)") }
        let result = try trawl(["files", "--sort", "path"])
        let many = (0..<40).map { "many/f\($0)" }.sorted()
        XCTAssertEqual(result.lines, ["B/c", "_x", "a/b", "a/z", "a-b", "a.txt", "b"] + many)
    }

    func testNullTerminatesEachPath() throws {
        try write("a.txt")
        try write("d/b.txt")
        let result = try trawl(["files", "-0", "--sort", "path"])
        XCTAssertEqual(result.stdout, Array("a.txt\0d/b.txt\0".utf8))
    }

    func testFilesFromReadsNewlineSeparatedList() throws {
        try write("a.txt")
        try write("d/b.txt")
        try write("unlisted.txt")
        let result = try trawl(["files", "--files-from", "-"], stdin: .bytes(Array("a.txt\nd/b.txt\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a.txt\nd/b.txt\n")
    }

    func testFilesFromFileReadsList() throws {
        try write("a.txt")
        try write("d/b.txt")
        try write("list", "d/b.txt\na.txt\n")
        let result = try trawl(["files", "--files-from", "list", "--sort", "path"])
        XCTAssertEqual(result.out, "a.txt\nd/b.txt\n")
    }

    func testFilesFromReportsMissingPathAndListsTheRest() throws {
        try write("a.txt")
        let result = try trawl(["files", "--files-from", "-"], stdin: .bytes(Array("a.txt\nnope\n".utf8)))
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out, "a.txt\n")
        XCTAssertEqual(result.err, "trawl: nope: No such file or directory\n")
    }

    func testFilesFromWithNullReadsNulSeparatedList() throws {
        try write(bytesPath: Array("new\nline".utf8), [])
        try write("a.txt")
        let result = try trawl(["files", "--files-from", "-", "-0"], stdin: .bytes(Array("a.txt\0new\nline\0".utf8)))
        XCTAssertEqual(result.stdout, Array("a.txt\0new\nline\0".utf8))
    }

    func testNamesWithNewlineAndInvalidUTF8ArePrintedByteExact() throws {
        let invalid: [UInt8] = Array("bad".utf8) + [0xFF] + Array("name".utf8)
        try write(bytesPath: invalid, Array("x".utf8))
        try write(bytesPath: Array("new\nline".utf8), Array("x".utf8))
        try write("a.txt")
        let result = try trawl(["files", "--sort", "path"])
        XCTAssertEqual(result.stdout, Array("a.txt\n".utf8) + invalid + [10] + Array("new\nline\n".utf8))
    }

    func testNoDotSlashPrefixWithoutPathArgument() throws {
        try write("d/b.txt")
        XCTAssertEqual(try trawl(["files"]).out, "d/b.txt\n")
    }

    func testExplicitDotPathKeepsItsPrefix() throws {
        try write("d/b.txt")
        XCTAssertEqual(try trawl(["files", "."]).out, "./d/b.txt\n")
    }

    func testExitsOneWhenNothingIsListed() throws {
        try mkdir("empty")
        let result = try trawl(["files", "empty"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(result.err, "")
    }

    func testEverythingIgnoredExitsOne() throws {
        try write(".ignore", "*\n")
        try write("a")
        XCTAssertEqual(try trawl(["files"]).status, 1)
    }
}
