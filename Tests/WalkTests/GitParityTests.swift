import Foundation
import XCTest
@testable import Walk

/// Every gitignore construct, checked against real git: the walker (with hidden files, as
/// git lists them) must yield exactly `git ls-files --cached --others --exclude-standard`.
final class GitParityTests: XCTestCase {
    /// Builds a repository with `files` (path -> contents; ignore files are files too),
    /// then compares the walk of `subdirectory` (default: the repository) with git's list.
    private func assertSameAsGit(_ files: [String: String], subdirectory: String = "",
                                 prepare: (TestTree, String) throws -> Void = { _, _ in },
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let tree = TestTree()
        let repository = "\(tree.root)/repo"
        tree.directory("repo")
        try tree.run(["/usr/bin/git", "init", "-q", repository])
        for (path, contents) in files { tree.file("repo/\(path)", contents) }
        try prepare(tree, repository)
        _ = try walkSameAsGit(tree, repository: repository, subdirectory: subdirectory, file: file, line: line)
    }

    /// `Fixtures/git-repo` (nested .gitignore files, committed without .git) copied and
    /// `git init`ed; the walk of `subdirectory` must equal git's list. Returns the walk's
    /// paths, relative to where it started.
    private func fixtureWalkSameAsGit(subdirectory: String = "",
                                      file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let tree = TestTree()
        try tree.copyFixture("git-repo", to: "repo")
        let repository = "\(tree.root)/repo"
        try tree.run(["/usr/bin/git", "init", "-q", repository])
        return try walkSameAsGit(tree, repository: repository, subdirectory: subdirectory, file: file, line: line)
    }

    private func walkSameAsGit(_ tree: TestTree, repository: String, subdirectory: String,
                               file: StaticString, line: UInt) throws -> Set<String> {
        let start = subdirectory.isEmpty ? repository : "\(repository)/\(subdirectory)"
        let listed = try tree.run(["/usr/bin/git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: start)
        let expected = Set(listed.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        var options = WalkOptions()
        options.hidden = true
        options.environment = tree.home
        let walked = try walk([start], options)
        let actual = Set(walked.paths.map { String($0.dropFirst(start.count + 1)) })
        XCTAssertEqual(actual.sorted(), expected.sorted(), file: file, line: line)
        XCTAssertEqual(walked.messages, [], file: file, line: line)
        XCTAssertFalse(expected.isEmpty, "the case must list something", file: file, line: line)
        return actual
    }

    func testFixtureRepositoryWalksAsGitListsIt() throws {
        XCTAssertEqual(try fixtureWalkSameAsGit().sorted(), [
            ".gitignore", ".hidden-config", "docs/readme.md", "docs/top-only.txt", "keep.log", "src/.gitignore",
            "src/important.tmp", "src/lib/.gitignore", "src/lib/a.c", "src/lib/anchored.txt", "src/lib/local.txt",
            "src/main.c",
        ])
    }

    func testCommentLinesAreIgnored() throws {
        try assertSameAsGit([".gitignore": "# a.txt\n#b.txt\n", "a.txt": "", "b.txt": "", "# a.txt": ""])
    }

    func testEscapedHashMatchesLiteralHash() throws {
        try assertSameAsGit([".gitignore": "\\#notes\n", "#notes": "", "notes": ""])
    }

    func testEscapedBangMatchesLiteralBang() throws {
        try assertSameAsGit([".gitignore": "\\!important\n", "!important": "", "important": ""])
    }

    func testTrailingSpacesAreTrimmed() throws {
        try assertSameAsGit([".gitignore": "a.txt   \n", "a.txt": "", "b.txt": ""])
    }

    func testEscapedTrailingSpaceIsKept() throws {
        try assertSameAsGit([".gitignore": "a\\ \n", "a ": "", "a": ""])
    }

    func testNegationReincludesFile() throws {
        try assertSameAsGit([".gitignore": "*.log\n!keep.log\n", "a.log": "", "keep.log": "", "b.txt": ""])
    }

    func testNegationCannotReincludeInsideExcludedDirectory() throws {
        try assertSameAsGit([".gitignore": "build/\n!build/keep.txt\n", "build/keep.txt": "", "build/x.o": "", "src.c": ""])
    }

    func testLeadingSlashAnchorsToIgnoreFileDirectory() throws {
        try assertSameAsGit([".gitignore": "/top.txt\n", "top.txt": "", "sub/top.txt": ""])
    }

    func testMiddleSlashAnchorsPattern() throws {
        try assertSameAsGit([".gitignore": "doc/frotz\n", "doc/frotz": "", "a/doc/frotz": "", "doc/other": ""])
    }

    func testTrailingSlashMatchesDirectoriesOnly() throws {
        try assertSameAsGit([".gitignore": "cache/\n", "cache/a": "", "sub/cache": "", "sub/cache2/cache/b": ""])
    }

    func testStarDoesNotCrossSlash() throws {
        try assertSameAsGit([".gitignore": "doc/*.txt\n", "doc/a.txt": "", "doc/sub/b.txt": "", "c.txt": ""])
    }

    func testQuestionMarkMatchesOneCharacter() throws {
        try assertSameAsGit([".gitignore": "file?.c\n", "file1.c": "", "file12.c": "", "file.c": ""])
    }

    func testBracketRangeMatches() throws {
        try assertSameAsGit([".gitignore": "log[0-9].txt\n", "log1.txt": "", "logx.txt": "", "log10.txt": ""])
    }

    func testNegatedBracketRangeMatches() throws {
        try assertSameAsGit([".gitignore": "v[!0-9].txt\n", "v1.txt": "", "vx.txt": "", "v-.txt": ""])
    }

    func testLeadingDoubleStarMatchesAnyDepth() throws {
        try assertSameAsGit([".gitignore": "**/foo/bar\n", "foo/bar": "", "a/b/foo/bar": "", "foo/baz": "", "x/bar": ""])
    }

    func testTrailingDoubleStarMatchesEverythingInside() throws {
        try assertSameAsGit([".gitignore": "abc/**\n", "abc/x": "", "abc/d/e": "", "abcd": "", "z/abc/y": ""])
    }

    func testMiddleDoubleStarMatchesZeroOrMoreDirectories() throws {
        try assertSameAsGit([".gitignore": "a/**/b\n", "a/b": "", "a/x/b": "", "a/x/y/b": "", "a/bb": "", "c/a/b": ""])
    }

    func testDeeperIgnoreFileOverridesShallower() throws {
        // Fixtures/git-repo: the top ignores *.tmp, src/.gitignore says !important.tmp.
        let walked = try fixtureWalkSameAsGit()
        XCTAssertTrue(walked.contains("src/important.tmp"))
        XCTAssertFalse(walked.contains("src/other.tmp"))
    }

    func testInfoExcludeApplies() throws {
        try assertSameAsGit(["a.secret": "", "b.txt": ""]) { tree, repository in
            tree.file("repo/.git/info/exclude", "*.secret\n")
        }
    }

    func testConfiguredGlobalExcludesFileApplies() throws {
        try assertSameAsGit(["a.bak": "", "b.txt": "", "c.swp": ""]) { tree, repository in
            tree.file(".home/.gitconfig", "[user]\n\tname = x\n[core]\n\texcludesFile = ~/my-excludes\n")
            tree.file(".home/my-excludes", "*.bak\n")
        }
    }

    func testDefaultGlobalExcludesFileApplies() throws {
        try assertSameAsGit(["a.bak": "", "b.txt": ""]) { tree, repository in
            tree.file(".home/.config/git/ignore", "*.bak\n")
        }
    }

    func testGitignoreOverridesInfoExclude() throws {
        try assertSameAsGit([".gitignore": "!a.secret\n", "a.secret": "", "b.secret": ""]) { tree, repository in
            tree.file("repo/.git/info/exclude", "*.secret\n")
        }
    }

    func testParentIgnoreFilesApplyWhenRootIsInsideRepository() throws {
        // Walking src/ of Fixtures/git-repo: the top's *.tmp, src/skip/ and /src/anchored.txt
        // still apply, with src/.gitignore's own rules.
        XCTAssertEqual(try fixtureWalkSameAsGit(subdirectory: "src").sorted(), [
            ".gitignore", "important.tmp", "lib/.gitignore", "lib/a.c", "lib/anchored.txt", "lib/local.txt", "main.c",
        ])
    }

    func testNestedRepositoryIgnoresOuterRules() throws {
        // git lists the nested repository as a directory, not its files: compare the inner one.
        try assertSameAsGit(["inner/a.log": "", "inner/b.txt": "", ".gitignore": "*.log\n"],
                            subdirectory: "inner") { tree, repository in
            try tree.run(["/usr/bin/git", "init", "-q", "\(repository)/inner"])
        }
    }

    func testNestedIgnoreFileAnchorsToItsOwnDirectory() throws {
        // src/.gitignore's /local.txt is src/local.txt only; the top's /top-only.txt is not
        // docs/top-only.txt. (A middle slash anchors too: testMiddleSlashAnchorsPattern.)
        let walked = try fixtureWalkSameAsGit()
        XCTAssertEqual(walked.filter { $0.hasSuffix("local.txt") || $0.hasSuffix("top-only.txt") }.sorted(),
                       ["docs/top-only.txt", "src/lib/local.txt"])
    }

    func testNameWithoutSlashAlsoIgnoresDirectories() throws {
        try assertSameAsGit([".gitignore": "build\n", "build/a": "", "src/build/b": "", "buildx": ""])
    }

    func testWhitelistWithReincludedDirectories() throws {
        try assertSameAsGit([".gitignore": "*\n!.gitignore\n!*/\n!*.c\n", "a.c": "", "a.h": "", "d/b.c": "", "d/e/b.h": ""])
    }

    func testStarAloneInMiddleComponent() throws {
        try assertSameAsGit([".gitignore": "src/*/gen\n", "src/a/gen": "", "src/a/b/gen": "", "src/gen": ""])
    }

    func testInfoExcludeOfMainRepositoryAppliesInLinkedWorktree() throws {
        let tree = TestTree()
        let repository = "\(tree.root)/repo", worktree = "\(tree.root)/linked"
        tree.file("repo/tracked.txt")
        let git = ["/usr/bin/git", "-c", "user.name=t", "-c", "user.email=t@t"]
        try tree.run(git + ["init", "-q", repository])
        try tree.run(git + ["add", "tracked.txt"], in: repository)
        try tree.run(git + ["commit", "-q", "-m", "c"], in: repository)
        try tree.run(git + ["worktree", "add", "-q", worktree], in: repository)
        tree.file("repo/.git/info/exclude", "*.secret\n")
        tree.file("linked/a.secret")
        tree.file("linked/b.txt")
        let listed = try tree.run(["/usr/bin/git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: worktree)
        let expected = Set(listed.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        var options = WalkOptions()
        options.hidden = true
        options.environment = tree.home
        let walked = try walk([worktree], options)
        XCTAssertEqual(Set(walked.paths.map { String($0.dropFirst(worktree.count + 1)) }), expected)
        XCTAssertEqual(expected, ["tracked.txt", "b.txt"])
    }
}
