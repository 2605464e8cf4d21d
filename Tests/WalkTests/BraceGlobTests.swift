import XCTest
@testable import Walk

/// Brace alternatives (`{a,b}`) and malformed globs, as ripgrep's globset reads them.
final class BraceGlobTests: XCTestCase {
    func testExtensionAlternatives() {
        let glob = ByteGlob("*.{c,h}")
        XCTAssertTrue(glob.matches("a.c"))
        XCTAssertTrue(glob.matches("a.h"))
        XCTAssertFalse(glob.matches("a.rs"))
        XCTAssertFalse(glob.matches("a."))
        XCTAssertFalse(glob.matches("dir/a.c"), "`*` still stops at `/`")
    }

    func testDirectoryAlternativesWithDoubleStar() {
        let glob = ByteGlob("{src,lib}/**/*.rs")
        XCTAssertTrue(glob.matches("src/main.rs"))
        XCTAssertTrue(glob.matches("lib/a/b/m.rs"))
        XCTAssertFalse(glob.matches("tests/m.rs"))
        XCTAssertFalse(glob.matches("src/main.c"))
    }

    func testNestedAlternativesAndEmptyBranchesDropped() {
        let nested = ByteGlob("{a,{b,c}d}x")
        XCTAssertEqual(["ax", "bdx", "cdx", "bx", "dx"].map { nested.matches($0) }, [true, true, true, false, false])
        // rg drops empty alternatives: `a{,.c}` is `a.c`, and `{}` matches only the empty name.
        XCTAssertTrue(ByteGlob("a{,.c}").matches("a.c"))
        XCTAssertFalse(ByteGlob("a{,.c}").matches("a"))
        XCTAssertFalse(ByteGlob("{}").matches("a"))
    }

    func testCommaIsLiteralOutsideAGroupAndClassesHoldBraces() {
        XCTAssertTrue(ByteGlob("a,b").matches("a,b"))
        XCTAssertTrue(ByteGlob("{[,],x}").matches(","))
        XCTAssertTrue(ByteGlob("[{]a").matches("{a"))
        XCTAssertTrue(ByteGlob("\\{a,b\\}").matches("{a,b}"))
    }

    func testDoubleStarAtABranchEdgeIsEverything() {
        let glob = ByteGlob("x/{**,y}")
        XCTAssertTrue(glob.matches("x/a/b/c"))
        XCTAssertTrue(glob.matches("x/y"))
        XCTAssertTrue(ByteGlob("{**/,}z").matches("a/b/z"))
    }

    func testCaseInsensitiveAlternatives() {
        let glob = ByteGlob("*.{C,h}", caseInsensitive: true)
        XCTAssertTrue(glob.matches("A.c"))
        XCTAssertTrue(glob.matches("a.H"))
        XCTAssertFalse(glob.matches("a.x"))
    }

    func testMalformedGlobsThrowRipgrepsErrors() {
        func error(_ pattern: String, allowUnclosedClass: Bool = false) -> String? {
            do {
                _ = try ByteGlob(validating: Array(pattern.utf8), allowUnclosedClass: allowUnclosedClass)
                return nil
            } catch { return error.message(glob: pattern) }
        }
        XCTAssertEqual(error("[abc"), "error parsing glob '[abc': unclosed character class; missing ']'")
        XCTAssertNil(error("[abc", allowUnclosedClass: true))
        XCTAssertEqual(error("{a,b"), "error parsing glob '{a,b': unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)")
        XCTAssertEqual(error("{a,{b,c}"), "error parsing glob '{a,{b,c}': unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)")
        XCTAssertEqual(error("a,b}"), "error parsing glob 'a,b}': unopened alternate group; missing '{' (maybe escape '}' with '[}]'?)")
        XCTAssertEqual(error("{a,b}}"), "error parsing glob '{a,b}}': unopened alternate group; missing '{' (maybe escape '}' with '[}]'?)")
        XCTAssertEqual(error("[z-a]"), "error parsing glob '[z-a]': invalid range; 'z' > 'a'")
        XCTAssertEqual(error("a\\"), "error parsing glob 'a\\': dangling '\\'")
        XCTAssertNil(error("*.{c,h}"))
    }

    func testLenientGlobReadsUnbalancedBracesLiterally() {
        XCTAssertTrue(ByteGlob("{a,b").matches("{a,b"))
        XCTAssertTrue(ByteGlob("a}").matches("a}"))
    }

    func testIgnoreFileSkipsAndRecordsAMalformedLine() {
        let rules = Gitignore("*.o\n*.{c,h\n[abc\n")
        XCTAssertEqual(rules.malformedLines, [Gitignore.MalformedLine(line: 2, glob: "*.{c,h", error: .unclosedAlternates)])
        XCTAssertEqual(rules.ruleCount, 2, "the unclosed `[` is a literal, as rg reads ignore files")
        XCTAssertEqual(rules.matched("[abc", isDirectory: false), .ignore)
        XCTAssertEqual(rules.matched("a.c", isDirectory: false), .none)
    }

    /// `{a,b}` x 40 would be 2^40 globs expanded; the automaton is linear in the pattern and
    /// the candidate. Deeper nesting than the parser allows is an error, not a stack overflow.
    func testHostileAlternativesStayLinear() throws {
        let glob = ByteGlob(String(repeating: "{a,b,*}", count: 40) + "c")
        XCTAssertFalse(glob.matches(String(repeating: "ab", count: 2000)))
        XCTAssertTrue(glob.matches(String(repeating: "ab", count: 2000) + "c"))
        let deep = String(repeating: "{a,", count: 20_000) + String(repeating: "}", count: 20_000)
        XCTAssertThrowsError(try ByteGlob(validating: Array(deep.utf8))) { error in
            XCTAssertEqual(error as? GlobSyntaxError, .nestedTooDeep)
        }
        XCTAssertTrue(ByteGlob(deep).matches(deep), "read literally when not validated")
    }

    /// A brace glob matches exactly what one of its expansions matches.
    func testAlternativesAgreeWithTheirExpansion() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "/", "*c", "c*", "?", "[ab]", "/**/", "\\,"]
        let alphabet: [UInt8] = Array("ab/c,".utf8)
        func piece() -> String { pieces.randomElement(using: &random)! }
        for _ in 0..<1500 {
            var pattern = ""
            var expansions = [""]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                if Bool.random(using: &random) {
                    let text = piece()
                    pattern += text
                    expansions = expansions.map { $0 + text }
                } else {
                    let branches = (0..<Int.random(in: 2...3, using: &random)).map { _ in piece() + piece() }
                    pattern += "{" + branches.joined(separator: ",") + "}"
                    expansions = expansions.flatMap { prefix in branches.map { prefix + $0 } }
                }
            }
            let fold = Bool.random(using: &random)
            let glob = ByteGlob(pattern, caseInsensitive: fold)
            let expanded = expansions.map { ByteGlob($0, caseInsensitive: fold) }
            for _ in 0..<20 {
                let candidate = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                XCTAssertEqual(glob.matches(candidate), expanded.contains { $0.matches(candidate) },
                               "glob \(pattern) on \(String(decoding: candidate, as: UTF8.self))")
            }
        }
    }
}
