import XCTest
@testable import Walk

final class ByteGlobTests: XCTestCase {
    func testLiteralMatchesWholeNameOnly() {
        let glob = ByteGlob("Makefile")
        XCTAssertTrue(glob.matches("Makefile"))
        XCTAssertFalse(glob.matches("Makefile.am"))
        guard case .literal = glob.form else { return XCTFail("expected the literal form") }
    }

    func testExtensionUsesSuffixFormAndStarStopsAtSlash() {
        let glob = ByteGlob("*.o")
        guard case .suffix = glob.form else { return XCTFail("expected the suffix form") }
        XCTAssertTrue(glob.matches("a.o"))
        XCTAssertTrue(glob.matches(".o"))
        XCTAssertFalse(glob.matches("a.c"))
        XCTAssertFalse(glob.matches("dir/a.o"))
    }

    func testPrefixFormStarStopsAtSlash() {
        let glob = ByteGlob("build*")
        guard case .prefix = glob.form else { return XCTFail("expected the prefix form") }
        XCTAssertTrue(glob.matches("build-x"))
        XCTAssertFalse(glob.matches("build/x"))
    }

    func testQuestionMarkAndClassesNeverMatchSlash() {
        XCTAssertTrue(ByteGlob("a?c").matches("abc"))
        XCTAssertFalse(ByteGlob("a?c").matches("a/c"))
        XCTAssertTrue(ByteGlob("a[!x]c").matches("abc"))
        XCTAssertFalse(ByteGlob("a[!x]c").matches("a/c"))
        XCTAssertFalse(ByteGlob("a[!x]c").matches("axc"))
        XCTAssertTrue(ByteGlob("[a-c][0-9]").matches("b7"))
        XCTAssertTrue(ByteGlob("[]x]").matches("]"))
        XCTAssertTrue(ByteGlob("[^a]").matches("b"))
    }

    func testDoubleStarForms() {
        XCTAssertTrue(ByteGlob("**/b").matches("b"))
        XCTAssertTrue(ByteGlob("**/b").matches("x/y/b"))
        XCTAssertTrue(ByteGlob("a/**/b").matches("a/b"))
        XCTAssertTrue(ByteGlob("a/**/b").matches("a/x/y/b"))
        XCTAssertFalse(ByteGlob("a/**/b").matches("a/xb"))
        XCTAssertTrue(ByteGlob("a/**").matches("a/x/y"))
        XCTAssertFalse(ByteGlob("a/**").matches("ab/x"))
        XCTAssertTrue(ByteGlob("**").matches("any/thing"))
        XCTAssertFalse(ByteGlob("a**b").matches("a/b"), "a ** inside a name is an ordinary *")
        XCTAssertTrue(ByteGlob("a**b").matches("axxb"))
    }

    func testStarsBetweenLiteralsNeedNoBacktracking() {
        let glob = ByteGlob("*a*a*a*a*a*b")
        guard case .automaton = glob.form else { return XCTFail("expected the automaton form") }
        XCTAssertFalse(glob.matches(String(repeating: "a", count: 5000)))
        XCTAssertTrue(glob.matches(String(repeating: "a", count: 50) + "b"))
    }

    func testEscapesMakeMetacharactersLiteral() {
        XCTAssertTrue(ByteGlob("\\*x").matches("*x"))
        XCTAssertFalse(ByteGlob("\\*x").matches("ax"))
        XCTAssertTrue(ByteGlob("a\\?").matches("a?"))
    }

    func testUnclosedBracketIsLiteral() {
        XCTAssertTrue(ByteGlob("a[b").matches("a[b"))
    }

    func testCaseInsensitiveFolding() {
        XCTAssertTrue(ByteGlob("*.TXT", caseInsensitive: true).matches("a.txt"))
        XCTAssertTrue(ByteGlob("readme*", caseInsensitive: true).matches("README.md"))
        XCTAssertTrue(ByteGlob("[a-c]x?", caseInsensitive: true).matches("BXz"))
        XCTAssertFalse(ByteGlob("*.TXT").matches("a.txt"))
        XCTAssertFalse(ByteGlob("x[!a]", caseInsensitive: true).matches("xA"))
        XCTAssertTrue(ByteGlob("x[!a]", caseInsensitive: true).matches("xB"))
    }

    func testLongGlobFallsBackAndStillMatches() {
        let long = String(repeating: "ab", count: 40) + "*z"
        let glob = ByteGlob(long)
        guard case .tokens = glob.form else { return XCTFail("expected the token fallback") }
        XCTAssertTrue(glob.matches(String(repeating: "ab", count: 40) + "qqz"))
        XCTAssertFalse(glob.matches(String(repeating: "ab", count: 40) + "q/z"))
    }

    func testInvalidUTF8BytesMatchAsBytes() {
        let glob = ByteGlob([0xFF, UInt8(ascii: "*")])
        XCTAssertTrue(glob.matches([0xFF, 0xFE]))
        XCTAssertFalse(glob.matches([0xFE, 0xFF]))
    }
}
