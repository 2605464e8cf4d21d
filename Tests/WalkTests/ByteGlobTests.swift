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

final class ByteGlobHostileTests: XCTestCase {
    /// Issue 21: `**/` x30 then `*a` x18 `*b` ran 11 minutes in a backtracker.
    func testHostileGitignoreGlobMatchesWithoutBacktracking() {
        let hostile = String(repeating: "**/", count: 30) + String(repeating: "*a", count: 18) + "*b"
        let glob = ByteGlob(hostile)
        let candidate = String(repeating: "x/", count: 20) + String(repeating: "a", count: 60)
        XCTAssertFalse(glob.matches(candidate))
        XCTAssertTrue(glob.matches(candidate + "b"))
        XCTAssertFalse(glob.matches(candidate + "/b"))
    }

    func testLongStarChainUsesPositionSetAndStaysLinear() {
        let hostile = String(repeating: "*a", count: 40) + "*b"
        let glob = ByteGlob(hostile)
        guard case .tokens = glob.form else { return XCTFail("expected the long-glob form") }
        XCTAssertFalse(glob.matches(String(repeating: "a", count: 3000)))
        XCTAssertTrue(glob.matches(String(repeating: "a", count: 45) + "b"))
        XCTAssertFalse(glob.matches(String(repeating: "a", count: 39) + "b"))
    }

    func testRepeatedDirectoryWildcardsCollapse() {
        XCTAssertEqual(ByteGlob.tokenize(Array("**/**/**/x".utf8)), [.directories, .byte(UInt8(ascii: "x"))])
        XCTAssertTrue(ByteGlob("**/**/x").matches("x"))
        XCTAssertTrue(ByteGlob("a/**/**/x").matches("a/b/c/x"))
    }

    /// The position-set simulation agrees with the Shift-And machine on every glob both take.
    func testPositionSetAgreesWithShiftAnd() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "/", "*", "?", "[ab]", "[!a]", "**/", "/**/", "/**", "\\*"]
        let alphabet: [UInt8] = Array("ab/*c".utf8)
        for _ in 0..<3000 {
            var pattern = ""
            for _ in 0..<Int.random(in: 1...7, using: &random) { pattern += pieces.randomElement(using: &random)! }
            let fold = Bool.random(using: &random)
            let tokens = ByteGlob.tokenize(Array(pattern.utf8), caseInsensitive: fold).map(fold ? ByteGlob.folded : { $0 })
            guard let machine = ShiftAnd(tokens) else { continue }
            for _ in 0..<20 {
                let candidate = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                let expected = candidate.withUnsafeBytes { machine.matches($0, caseInsensitive: fold) }
                let simulated = candidate.withUnsafeBytes { ByteGlob.simulate(tokens, $0, fold) }
                XCTAssertEqual(simulated, expected, "glob \(pattern) on \(String(decoding: candidate, as: UTF8.self))")
            }
        }
    }
}
