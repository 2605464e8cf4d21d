import XCTest
@testable import Search

/// (pattern, haystack, leftmost-first span) cases; spans were taken from ripgrep 13
/// (`rg -o -b`) on the same haystack, except where noted.
let regexSpanCases: [(String, String, Range<Int>?)] = [
        ("abc", "xxabcxx", 2..<5),
        ("abc", "ab", nil),
        ("a.c", "a\u{e9}c", 0..<4),
        ("a.c", "abc a c", 0..<3),
        ("a.c", "a\nc", nil),
        ("a|ab", "ab", 0..<1),
        ("ab|a", "ab", 0..<2),
        ("a*", "aaa", 0..<3),
        ("a+", "baaa", 1..<4),
        ("a+?", "aaa", 0..<1),
        ("a*?b", "aaab", 0..<4),
        ("a{2}", "aaaa", 0..<2),
        ("a{2,}", "aaaaa", 0..<5),
        ("a{2,3}", "aaaaa", 0..<3),
        ("a{2,3}?", "aaaaa", 0..<2),
        ("(a|aa)*b", "aaab", 0..<4),
        ("x(a|b)*y", "zxababy", 1..<7),
        ("[a-c]+", "xxabcd", 2..<5),
        ("[^a-c]+", "abcxyz", 3..<6),
        ("[a-z&&[^aeiou]]+", "aeixyz", 3..<6),
        ("[a-z--[aeiou]]+", "aebcd", 2..<5),
        ("[[:alpha:]]+", "12abC3", 2..<5),
        ("[[:^alpha:]]+", "ab12c", 2..<4),
        ("[[:digit:][:upper:]]+", "abC3d", 2..<4),
        ("\\d+", "ab123c", 2..<5),
        ("\\D+", "123ab4", 3..<5),
        ("\\w+", "  foo_bar1 ", 2..<10),
        ("\\W+", "ab, cd", 2..<4),
        ("\\s+", "ab \t cd", 2..<5),
        ("\\S+", "  ab  ", 2..<4),
        ("\\d", "x\u{663}y", 1..<3),
        ("\\w+", "\u{e9}t\u{e9}!", 0..<5),
        ("(?-u)\\w+", "ab\u{e9}", 0..<2),
        ("\\pL+", "12\u{e9}a3", 2..<5),
        ("\\p{Greek}+", "abc\u{3b1}\u{3b2}\u{3b3}d", 3..<9),
        ("\\p{Lu}+", "abCDe", 2..<4),
        ("\\P{L}+", "ab12c", 2..<4),
        ("\\p{Cyrillic}", "a\u{434}b", 1..<3),
        ("\\p{Han}+", "x\u{4e2d}\u{6587}y", 1..<7),
        ("^abc", "abc", 0..<3),
        ("^abc", "xabc\nabc", 5..<8),
        ("abc$", "abcx\nabc", 5..<8),
        ("(?-m)^b", "a\nb", 2..<3),
        ("\\Aa", "ba\na", 3..<4),
        ("a\\z", "a\nba", 0..<1),
        ("\\bfoo\\b", "afoo foo", 5..<8),
        ("\\Bfoo", "foo afoo", 5..<8),
        ("\\b\\w+\\b", "  \u{e9}t\u{e9}  ", 2..<7),
        ("(?-u:\\b)x", "\u{e9}x x", 2..<3),
        ("(?i)abc", "xABC", 1..<4),
        ("(?i)\u{e9}", "\u{c9}", 0..<2),
        ("(?i)k", "\u{212a}", 0..<3),
        ("(?i)[a-c]+", "xBcA", 1..<4),
        ("(?i)\u{3c3}", "\u{3a3}\u{3c2}", 0..<2),
        ("(?i:a)b", "ABAb", 2..<4),
        ("a(?i)b|c", "aB C", 0..<2),
        ("(?x) a b c # comment", "abc", 0..<3),
        ("(?x)[a b]+", "ab b", 0..<2),
        ("(?U)a+", "aaa", 0..<1),
        ("(?U)a+?", "aaa", 0..<3),
        ("(?s).+", "ab", 0..<2),
        ("\\x41", "xA", 1..<2),
        ("\\x{3b1}", "\u{3b1}", 0..<2),
        ("\\u03b1", "\u{3b1}", 0..<2),
        ("\\.", "a.b", 1..<2),
        ("a\\+", "a+", 0..<2),
        ("(?P<x>a)b", "ab", 0..<2),
        ("(?<x>a)(b)", "ab", 0..<2),
        ("(?:ab)+", "ababx", 0..<4),
        ("(a)(b)?", "ac", 0..<1),
        ("a||b", "b", 0..<0),
        ("()", "a", 0..<0),
        ("[]a]+", "]a]", 0..<3),
        ("[^]a]+", "]ab", 2..<3),
        ("[a-]+", "-a-", 0..<3),
        ("[\\]]", "a]", 1..<2),
        ("[\\d\\s]+", "ab1 2c", 2..<5),
        ("[\\p{Greek}a]+", "\u{3b1}a\u{3b2}b", 0..<5),
        ("foo|bar|baz", "xbazbar", 1..<4),
        ("samwise|sam", "samwise", 0..<7),
        ("sam|samwise", "samwise", 0..<3),
        ("(?i)ERR_SYS|PME_TURN_OFF", "x pme_turn_off", 2..<14),
        ("[A-Z]+_RESUME", "x PM_RESUME y", 2..<11),
        ("\\wAh", "xAh", 0..<3),
        ("\\w{3}\\s+\\w{3}", "ab abc  defg", 3..<11),
        ("a[^\\n]*z", "abz", 0..<3),
        ("[\u{e0}-\u{ff}]+", "a\u{e9}\u{e8}b", 1..<5),
        ("[\u{3b1}-\u{3c9}]", "\u{3b5}", 0..<2),
        ("\\x{10000}", "\u{10000}", 0..<4),
        (".", "\u{1f600}", 0..<4),
        ("a.*b", "axxbxxb", 0..<7),
        ("a.*?b", "axxbxxb", 0..<4),
        ("(a+|b+)*c", "ababc", 0..<5),
        ("(a*)*b", "aab", 0..<3),
        ("(a*)+$", "aab", 3..<3),
        ("x*", "axxx", 0..<0),
        ("(?i)stra\u{df}e", "STRASSE stra\u{1e9e}e", 8..<16),
        ("[[:word:]]+", "a_1-", 0..<3),
        ("[\\w&&\\D]+", "a1b", 0..<1),
        ("\\p{Nd}+", "x42", 1..<3),
        ("\\p{Greek}\\p{Greek}", "\u{3b1} \u{3b2}\u{3b3}", 3..<7),
        ("\\S+$", "ab cd", 3..<5),
        ("^\\s*$", "a\n  \nb", 2..<4),
        ("(?m)^$", "a\n\nb", 2..<2),
]

/// Runs `body` over the UTF-8 bytes of `text`.
func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes(body)
}

func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
    bytes.withUnsafeBytes(body)
}

final class RegexMatchTests: XCTestCase {
    func testSpanTableThroughFind() throws {
        for (pattern, hay, expected) in regexSpanCases {
            let regex = try CompiledRegex(pattern)
            let got = withBytes(hay) { regex.find(in: $0, from: 0) }
            XCTAssertEqual(got, expected, "pattern \(pattern) on \(hay.debugDescription)")
        }
    }

    func testSpanTableThroughPikeVM() throws {
        for (pattern, hay, expected) in regexSpanCases {
            let regex = try CompiledRegex(pattern)
            let got = withBytes(hay) { regex.findWithPikeVM(in: $0, from: 0) }
            XCTAssertEqual(got, expected, "pattern \(pattern) on \(hay.debugDescription)")
        }
    }

    func testSpanTableThroughDFA() throws {
        for (pattern, hay, expected) in regexSpanCases {
            let regex = try CompiledRegex(pattern)
            let end = withBytes(hay) { regex.firstMatchEndWithDFA(in: $0, from: 0) }
            XCTAssertEqual(end == nil, expected == nil, "pattern \(pattern) on \(hay.debugDescription)")
            if let end, let expected {
                // The DFA reports the earliest end, on the same line as the span.
                let bytes = Array(hay.utf8)
                XCTAssertGreaterThanOrEqual(end, expected.lowerBound, "pattern \(pattern)")
                XCTAssertFalse(bytes[min(end, expected.lowerBound)..<max(end, expected.lowerBound)].contains(0x0A), "pattern \(pattern)")
            }
        }
    }

    func testSpanTableThroughFirstMatchEnd() throws {
        for (pattern, hay, expected) in regexSpanCases {
            let regex = try CompiledRegex(pattern)
            let end = withBytes(hay) { regex.firstMatchEnd(in: $0, from: 0) }
            XCTAssertEqual(end == nil, expected == nil, "pattern \(pattern) on \(hay.debugDescription)")
        }
    }

    func testLeftmostFirstPrefersEarlierAlternative() throws {
        let regex = try CompiledRegex("sam|samwise")
        XCTAssertEqual(withBytes("samwise") { regex.find(in: $0, from: 0) }, 0..<3)
    }

    func testEmptyMatchAtStart() throws {
        let regex = try CompiledRegex("x*")
        XCTAssertEqual(withBytes("abc") { regex.find(in: $0, from: 1) }, 1..<1)
    }

    func testEmptyMatchAtEndOfEmptyHaystack() throws {
        let regex = try CompiledRegex("^$")
        XCTAssertEqual(withBytes("") { regex.find(in: $0, from: 0) }, 0..<0)
        XCTAssertEqual(withBytes("") { regex.firstMatchEnd(in: $0, from: 0) }, 0)
    }

    func testCaretMatchesAfterNewlineInWindow() throws {
        let regex = try CompiledRegex("^b")
        XCTAssertEqual(withBytes("ab\nb") { regex.find(in: $0, from: 0) }, 3..<4)
    }

    func testDollarMatchesBeforeNewline() throws {
        let regex = try CompiledRegex("a$")
        XCTAssertEqual(withBytes("ab\na\n") { regex.find(in: $0, from: 0) }, 3..<4)
    }

    func testLookBehindContextBeforeStartBlocksCaret() throws {
        let regex = try CompiledRegex("^b")
        XCTAssertNil(withBytes("ab") { regex.find(in: $0, from: 1) })
        XCTAssertNil(withBytes("ab") { regex.firstMatchEnd(in: $0, from: 1) })
    }

    func testLookBehindContextBeforeStartBlocksWordBoundary() throws {
        let regex = try CompiledRegex("\\bfoo")
        XCTAssertNil(withBytes("afoo") { regex.find(in: $0, from: 1) })
        XCTAssertNil(withBytes("afoo") { regex.firstMatchEnd(in: $0, from: 1) })
        XCTAssertEqual(withBytes(" foo") { regex.find(in: $0, from: 1) }, 1..<4)
    }

    func testUnicodeWordBoundaryUsesContextBeforeStart() throws {
        let regex = try CompiledRegex("\\bx")
        XCTAssertNil(withBytes("\u{e9}x") { regex.find(in: $0, from: 2) })
        XCTAssertEqual(withBytes("\u{2014}x") { regex.find(in: $0, from: 3) }, 3..<4)
    }

    func testFindFromMiddleSkipsEarlierMatches() throws {
        let regex = try CompiledRegex("ab")
        XCTAssertEqual(withBytes("ab ab") { regex.find(in: $0, from: 1) }, 3..<5)
    }

    func testMatchNeverContainsNewline() throws {
        let regex = try CompiledRegex("a\\s*b")
        XCTAssertNil(withBytes("a\nb") { regex.find(in: $0, from: 0) })
        XCTAssertNil(withBytes("a\nb") { regex.firstMatchEnd(in: $0, from: 0) })
        let negated = try CompiledRegex("a[^x]b")
        XCTAssertNil(withBytes("a\nb") { negated.find(in: $0, from: 0) })
    }

    func testMultilineSearchMatchesAcrossLines() throws {
        var options = RegexOptions()
        options.lineTerminatorFree = false
        let regex = try CompiledRegex("a\\s+b", options: options)
        XCTAssertEqual(withBytes("xa\n b") { regex.find(in: $0, from: 0) }, 1..<5)
        let literal = try CompiledRegex("a\\nb", options: options)
        XCTAssertEqual(withBytes("a\nb") { literal.find(in: $0, from: 0) }, 0..<3)
    }

    func testDotAllMatchesNewlineOnlyInMultilineSearch() throws {
        var options = RegexOptions()
        options.lineTerminatorFree = false
        let regex = try CompiledRegex("(?s)a.b", options: options)
        XCTAssertEqual(withBytes("a\nb") { regex.find(in: $0, from: 0) }, 0..<3)
        XCTAssertNil(withBytes("a\nb") { try! CompiledRegex("(?s)a.b").find(in: $0, from: 0) })
    }

    func testCRLFDollarMatchesBeforeCarriageReturn() throws {
        var options = RegexOptions()
        options.crlf = true
        let regex = try CompiledRegex("a$", options: options)
        XCTAssertEqual(withBytes("xa\r\nb") { regex.find(in: $0, from: 0) }, 1..<2)
        XCTAssertEqual(withBytes("xa\r\nb") { regex.firstMatchEnd(in: $0, from: 0) }, 2)
        XCTAssertNil(withBytes("xa\r\nb") { try! CompiledRegex("a$").find(in: $0, from: 0) })
    }

    func testCaseInsensitiveOption() throws {
        let regex = try CompiledRegex("pm_resume", options: RegexOptions(caseInsensitive: true))
        XCTAssertEqual(withBytes("x PM_Resume") { regex.find(in: $0, from: 0) }, 2..<11)
    }

    func testNonMultiLineAnchorsOnlyAtWindowEndsInMultilineSearch() throws {
        let regex = try CompiledRegex("^b$", options: RegexOptions(multiLine: false, lineTerminatorFree: false))
        XCTAssertNil(withBytes("a\nb\nc") { regex.find(in: $0, from: 0) })
        XCTAssertEqual(withBytes("b") { regex.find(in: $0, from: 0) }, 0..<1)
        let text = try CompiledRegex("\\Ab", options: RegexOptions(lineTerminatorFree: false))
        XCTAssertNil(withBytes("a\nb") { text.find(in: $0, from: 0) })
    }

    func testTextAnchorsMeanLineEndsInLineSearchLikeRipgrep() throws {
        let regex = try CompiledRegex("\\Ab\\z", options: RegexOptions(multiLine: false))
        XCTAssertEqual(withBytes("a\nb\nc") { regex.find(in: $0, from: 0) }, 2..<3)
    }

    func testSeveralPatternsAlternateWithoutLeakingFlags() throws {
        let regex = try CompiledRegex(patterns: ["(?i)foo", "bar"], options: RegexOptions())
        XCTAssertEqual(withBytes("BAR FOO bar") { regex.find(in: $0, from: 0) }, 4..<7)
    }

    func testSwapGreedOption() throws {
        let regex = try CompiledRegex("a+", options: RegexOptions(swapGreed: true))
        XCTAssertEqual(withBytes("aaa") { regex.find(in: $0, from: 0) }, 0..<1)
    }

    func testIgnoreWhitespaceOption() throws {
        let regex = try CompiledRegex("a b", options: RegexOptions(ignoreWhitespace: true))
        XCTAssertEqual(withBytes("ab") { regex.find(in: $0, from: 0) }, 0..<2)
    }

    func testNonUnicodeOptionMakesWordASCII() throws {
        let regex = try CompiledRegex("\\w+", options: RegexOptions(unicode: false))
        XCTAssertEqual(withBytes("\u{e9}ab") { regex.find(in: $0, from: 0) }, 2..<4)
    }

    func testEscapeMakesMetaCharactersLiteral() throws {
        let text = "a.b*c(d)[e]{f}|g^$\\h-i"
        let regex = try CompiledRegex(CompiledRegex.escape(text))
        XCTAssertEqual(withBytes("xx" + text) { regex.find(in: $0, from: 0) }, 2..<(2 + text.utf8.count))
    }

    func testStartAtOrPastTheEndIsSafe() throws {
        for pattern in ["a", "x*", "$", "\\b", "[a-z]+_X"] {
            let regex = try CompiledRegex(pattern)
            XCTAssertNil(withBytes("ab") { regex.find(in: $0, from: 3) }, pattern)
            XCTAssertNil(withBytes("ab") { regex.firstMatchEnd(in: $0, from: 3) }, pattern)
        }
        XCTAssertEqual(withBytes("ab") { try! CompiledRegex("x*").find(in: $0, from: 2) }, 2..<2)
        XCTAssertEqual(withBytes("ab") { try! CompiledRegex("$").firstMatchEnd(in: $0, from: 2) }, 2)
    }

    func testMatcherIsUsableThroughTheProtocol() throws {
        let matcher: any Matcher = try CompiledRegex("b+")
        XCTAssertEqual(withBytes("abbc") { matcher.find(in: $0, from: 0) }, 1..<3)
    }
}
