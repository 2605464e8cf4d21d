import XCTest
@testable import Walk

final class GitignoreTests: XCTestCase {
    func testLastMatchingRuleWins() {
        let rules = Gitignore("*.log\n!keep.log\n*.log\n")
        XCTAssertEqual(rules.matched("keep.log", isDirectory: false), .ignore)
        XCTAssertEqual(Gitignore("*.log\n!keep.log\n").matched("keep.log", isDirectory: false), .whitelist)
    }

    func testUnanchoredPatternMatchesNameAtAnyDepth() {
        XCTAssertEqual(Gitignore("foo\n").matched("a/b/foo", isDirectory: false), .ignore)
        XCTAssertEqual(Gitignore("/foo\n").matched("a/foo", isDirectory: false), .none)
    }

    func testDirectoryOnlyPatternSkipsFiles() {
        XCTAssertEqual(Gitignore("out/\n").matched("out", isDirectory: false), .none)
        XCTAssertEqual(Gitignore("out/\n").matched("out", isDirectory: true), .ignore)
    }

    func testBlankLinesCommentsAndLoneBangAreNotRules() {
        XCTAssertEqual(Gitignore("\n# c\n!\n/\n   \n").ruleCount, 0)
    }

    func testCarriageReturnLineEndingsAreTrimmed() {
        XCTAssertEqual(Gitignore("a.o\r\nb.o\r\n").matched("b.o", isDirectory: false), .ignore)
    }

    func testFixtureRulesMatchAsWritten() throws {
        // Fixtures/git-repo/.gitignore, read as the walk reads it.
        let rules = Gitignore(contents: try TestTree.fixtureBytes("git-repo/.gitignore"))
        XCTAssertEqual(rules.matched("debug.log", isDirectory: false), .ignore)
        XCTAssertEqual(rules.matched("keep.log", isDirectory: false), .whitelist)
        XCTAssertEqual(rules.matched("build", isDirectory: true), .ignore)
        XCTAssertEqual(rules.matched("top-only.txt", isDirectory: false), .ignore)
        XCTAssertEqual(rules.matched("docs/top-only.txt", isDirectory: false), .none)
        XCTAssertEqual(rules.matched("src/skip", isDirectory: true), .ignore)
        XCTAssertEqual(rules.matched("src/lib/anchored.txt", isDirectory: false), .none)
    }

    func testGlobalExcludesFileFromConfig() {
        XCTAssertEqual(GlobalExcludes.excludesFile(inConfig: "[Core]\n  ExcludesFile = \"/x/y\" \n"), "/x/y")
        XCTAssertEqual(GlobalExcludes.excludesFile(inConfig: "[user]\nexcludesfile = /no\n[core]\nexcludesfile=/a ; c\n"), "/a")
        XCTAssertNil(GlobalExcludes.excludesFile(inConfig: "[core]\nautocrlf = true\n"))
    }

    func testGlobalExcludesDefaultsToXDGIgnore() {
        XCTAssertEqual(GlobalExcludes.path(environment: ["HOME": "/nonexistent-home"]), "/nonexistent-home/.config/git/ignore")
        XCTAssertEqual(GlobalExcludes.path(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/nonexistent-xdg"]),
                       "/nonexistent-xdg/git/ignore")
    }
}
