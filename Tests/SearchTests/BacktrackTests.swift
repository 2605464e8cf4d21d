import XCTest
@testable import Search

/// The `-P` engine (`BacktrackMatcher`): each PCRE2 feature, spans as PCRE2 gives them.
final class BacktrackTests: XCTestCase {
    /// Every match of `pattern` in `text`, as substrings, iterating as grep -o does.
    private func matches(_ pattern: String, _ text: String, options: RegexOptions = .init(),
                         file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let matcher = try BacktrackMatcher(pattern, options: options)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { hay in
            var out: [String] = []
            var start = 0
            while start <= hay.count, let span = matcher.find(in: hay, from: start) {
                out.append(String(decoding: hay[span], as: UTF8.self))
                start = span.isEmpty ? span.upperBound + 1 : span.upperBound
            }
            return out
        }
    }

    private func first(_ pattern: String, _ text: String, options: RegexOptions = .init()) throws -> String? {
        try matches(pattern, text, options: options).first
    }

    func testLiteralsClassesAndEscapes() throws {
        XCTAssertEqual(try matches("ab", "xabyab"), ["ab", "ab"])
        XCTAssertEqual(try matches("[a-c]+", "xxabcaxb"), ["abca", "b"])
        XCTAssertEqual(try matches("[^a-c\\d]+", "ab12xyz"), ["xyz"])
        XCTAssertEqual(try matches("[[:digit:]]+|[[:^alnum:]]", "ab12 c3"), ["12", " ", "3"])
        XCTAssertEqual(try matches("\\d+", "a1b22"), ["1", "22"])
        XCTAssertEqual(try matches("\\w+", "héllo wörld"), ["héllo", "wörld"])
        XCTAssertEqual(try matches("\\h+", "a \t b"), [" \t "])
        XCTAssertEqual(try matches("\\p{Greek}+", "abc αβγ def"), ["αβγ"])
        XCTAssertEqual(try matches("\\P{L}+", "ab12cd"), ["12"])
        XCTAssertEqual(try matches("\\x41\\x{42}\\101", "ABA"), ["ABA"])
        XCTAssertEqual(try matches("\\Qa.b*\\E+", "a.b**"), ["a.b**"])
        XCTAssertEqual(try matches("a.c", "abc a\u{e9}c"), ["abc", "a\u{e9}c"])
        XCTAssertEqual(try matches("[]a]+", "x]a]"), ["]a]"])
    }

    func testAnchorsAndWordBoundaries() throws {
        XCTAssertEqual(try matches("^a", "aa"), ["a"])
        XCTAssertEqual(try matches("a$", "aa"), ["a"])
        XCTAssertEqual(try matches("\\Aa|b\\z", "aab"), ["a", "b"])
        XCTAssertEqual(try matches("\\bfoo\\b", "foo food foo"), ["foo", "foo"])
        XCTAssertEqual(try matches("\\Boo\\B", "foo fooo"), ["oo"])
        XCTAssertEqual(try matches("\\Ga", "aab"), ["a", "a"])
    }

    func testGroupsAndInlineFlags() throws {
        XCTAssertEqual(try matches("(?:ab)+", "ababx"), ["abab"])
        XCTAssertEqual(try matches("(?i)abc", "xABcx"), ["ABc"])
        XCTAssertEqual(try matches("a(?i:b)c", "aBc abC"), ["aBc"])
        XCTAssertEqual(try matches("(?x) a b  # comment", "ab"), ["ab"])
        XCTAssertEqual(try matches("(?s)a.b", "a\nb", options: RegexOptions(lineTerminatorFree: false)), ["a\nb"])
        XCTAssertEqual(try matches("a(?#comment)b", "ab"), ["ab"])
        XCTAssertEqual(try matches("(?i)stra\u{df}e", "STRA\u{1e9e}E"), ["STRA\u{1e9e}E"])
        XCTAssertEqual(try matches("k", "\u{212a}", options: RegexOptions(caseInsensitive: true)), ["\u{212a}"])
    }

    func testQuantifiersGreedyLazyAndPossessive() throws {
        XCTAssertEqual(try first("a+", "aaa"), "aaa")
        XCTAssertEqual(try first("a+?", "aaa"), "a")
        XCTAssertEqual(try first("a{2,3}", "aaaa"), "aaa")
        XCTAssertEqual(try first("a{2,3}?", "aaaa"), "aa")
        XCTAssertEqual(try first("a{2}", "aaaa"), "aa")
        XCTAssertEqual(try first("<.+>", "<a><b>"), "<a><b>")
        XCTAssertEqual(try first("<.+?>", "<a><b>"), "<a>")
        XCTAssertNil(try first("a++a", "aaaa"))
        XCTAssertNil(try first("(?:ab)*+ab", "ababab"))
        XCTAssertEqual(try first("(?:ab)*ab", "ababab"), "ababab")
        XCTAssertEqual(try first("(a|ab)(c|bcd)", "abcd"), "abcd")
        XCTAssertEqual(try first("ax{,2}", "axxx"), "axx")
        XCTAssertEqual(try first("a{x", "a{x"), "a{x")
        XCTAssertEqual(try first("(?:a{2}){2}", "aaaaa"), "aaaa")
        // An empty iteration ends a loop rather than spinning.
        XCTAssertEqual(try first("(?:a*)*b", "aab"), "aab")
        XCTAssertEqual(try first("(a?)*?b", "aab"), "aab")
    }

    func testAtomicGroups() throws {
        XCTAssertNil(try first("(?>a+)ab", "aaab"))
        XCTAssertEqual(try first("(?>a+)b", "aaab"), "aaab")
        XCTAssertEqual(try first("(?>x|xy)z|xyz", "xyz"), "xyz")
    }

    func testLookAheadAndLookBehind() throws {
        XCTAssertEqual(try matches("\\w+(?=\\(void\\))", "int f(void); g(int)"), ["f"])
        XCTAssertEqual(try matches("foo(?!bar)", "foobar foobaz"), ["foo"])
        XCTAssertEqual(try matches("(?<=struct )\\w+_ops\\b", "struct file_ops; file_ops"), ["file_ops"])
        XCTAssertEqual(try matches("(?<!\\$)\\b\\d+", "$12 34"), ["34"])
        XCTAssertEqual(try matches("(?<=ab|c)x", "abx cx bx"), ["x", "x"])
        XCTAssertEqual(try matches("(?<!ab|c)x", "abx cx bx"), ["x"])
        XCTAssertEqual(try matches("(?<=é)x", "éx ex"), ["x"])
        XCTAssertEqual(try matches("^(?=.*b)a", "ab"), ["a"])
        XCTAssertThrowsError(try BacktrackMatcher("(?<=a+)b")) { error in
            XCTAssertTrue("\(error)".contains("lookbehind assertion is not fixed length"), "\(error)")
        }
    }

    func testLookBehindSeesTheLineBeforeTheSearchStart() throws {
        // -o's second search starts mid-line: the look-behind reads the bytes before it.
        XCTAssertEqual(try matches("(?<=a)b", "ab ab"), ["b", "b"])
        // The approximation `aa` of `(?<=a)a` lies partly before the second search's start.
        XCTAssertEqual(try matches("(?<=a)a", "aaa"), ["a", "a"])
        XCTAssertEqual(try matches("(?<=ab)c", "abc abc"), ["c", "c"])
        // ... but never the previous line.
        XCTAssertEqual(try matches("(?<=a)b", "a\nb"), [])
    }

    func testBackreferences() throws {
        XCTAssertEqual(try matches("(\\w+)\\s+\\1\\b", "the the cat sat sat"), ["the the", "sat sat"])
        XCTAssertEqual(try matches("(\\w+)\\s+\\1\\b", "the theory"), [])
        XCTAssertEqual(try matches("(a)\\g{1}\\g1\\g{-1}", "aaaa"), ["aaaa"])
        XCTAssertEqual(try matches("(?<q>['\"]).*?\\k<q>", "x 'a\"b' y"), ["'a\"b'"])
        XCTAssertEqual(try matches("(?P<w>o)(?P=w)", "foo"), ["oo"])
        XCTAssertEqual(try matches("(?i)(a)\\1", "aA"), ["aA"])
        XCTAssertEqual(try matches("(a)\\1", "aA"), [])
        // A reference to a group that did not take part fails.
        XCTAssertEqual(try matches("(?:(a)|b)\\1", "b bb"), [])
        XCTAssertThrowsError(try BacktrackMatcher("(a)\\2"))
        XCTAssertThrowsError(try BacktrackMatcher("\\k<nope>"))
    }

    func testKeepResetsTheMatchStart() throws {
        XCTAssertEqual(try matches("foo\\Kbar", "foobar"), ["bar"])
        XCTAssertEqual(try matches("(?:a\\K)+b", "aab"), ["b"])
    }

    func testNoMatchAcrossLinesInLineMode() throws {
        XCTAssertEqual(try matches("foo\\s+foo", "foo\nfoo bar\n"), [])
        XCTAssertEqual(try matches("a[^x]b", "a\nb"), [])
        XCTAssertEqual(try matches("foo\\s+foo", "foo\nfoo bar\n", options: RegexOptions(lineTerminatorFree: false)),
                       ["foo\nfoo"])
    }

    func testCapturesByNumberAndName() throws {
        let matcher = try BacktrackMatcher("(?<key>\\w+)=(\\d+)?(x)?")
        let line = Array("  k=12 ".utf8)
        let (numbered, named) = line.withUnsafeBytes { matcher.captures(in: $0, at: 2..<6) }
        XCTAssertEqual(numbered.count, 4)
        XCTAssertEqual(numbered[0], 2..<6)
        XCTAssertEqual(numbered[1], 2..<3)
        XCTAssertEqual(numbered[2], 4..<6)
        XCTAssertNil(numbered[3])
        XCTAssertEqual(named["key"], 2..<3)
    }

    func testRunawayPatternStopsAtItsBudgetAndFlagsTheThread() throws {
        let matcher = try BacktrackMatcher(patterns: ["(a+)+$"], options: RegexOptions(), budget: 100_000)
        _ = BacktrackMatcher.takeBudgetExceeded()
        let text = Array((String(repeating: "a", count: 40) + "b\nab\n").utf8)
        let found = text.withUnsafeBytes { matcher.find(in: $0, from: 0) }
        XCTAssertNil(found)
        XCTAssertTrue(BacktrackMatcher.takeBudgetExceeded())
        XCTAssertFalse(BacktrackMatcher.takeBudgetExceeded())
        // A reasonable line on its own is fine within the same budget.
        let short = Array("baa\n".utf8)
        XCTAssertEqual(short.withUnsafeBytes { matcher.find(in: $0, from: 0) }, 1..<3)
    }

    func testSyntaxErrorsNameTheColumn() throws {
        for (pattern, column) in [("(ab", 1), ("ab)", 3), ("a**", 3), ("[a", 1), ("\\", 1), ("a{3,1}", 1), ("\\q", 1)] {
            XCTAssertThrowsError(try BacktrackMatcher(pattern), pattern) { error in
                XCTAssertEqual((error as? RegexError)?.column, column, "\(pattern): \(error)")
            }
        }
    }

    func testPrefilterApproximationKeepsEveryMatchingLine() throws {
        // The approximation drops look-arounds and copies groups for references, so it
        // must match wherever the pattern does.
        let cases = ["(\\w+)\\s+\\1\\b", "(?<=struct )\\w+_ops\\b", "\\w+(?=\\(void\\))", "a(?!b)", "(?>a+)b",
                     "(?i)(x)\\1", "foo\\Kbar", "(a)(?:\\1|b)+"]
        for pattern in cases {
            let parsed = try PCREParser.parse(pattern, flags: .init())
            XCTAssertNoThrow(try CompiledRegex(PCREPrefilter.pattern(for: parsed.node)), pattern)
        }
        let matcher = try BacktrackMatcher("(?<=struct )\\w+_ops\\b")
        XCTAssertNotNil(matcher.prefilter)
    }

    func testStartPositionsAreSkippedByFirstByte() throws {
        let parsed = try PCREParser.parse("(\\w+)\\s", flags: .init())
        let program = try BacktrackCompiler.compile(parsed, unicodeWord: true)
        XCTAssertNotNil(program.firstBytes)
        // `\w+` followed by `\s` never gives back: compiled possessive.
        XCTAssertTrue(program.code.contains { $0.op == .repeatPossessive })
        let lazy = try BacktrackCompiler.compile(try PCREParser.parse("a*", flags: .init()), unicodeWord: true)
        XCTAssertNil(lazy.firstBytes)
    }

    func testNeedsBacktrackingTellsLookAroundFromPlainPatterns() {
        XCTAssertTrue(BacktrackMatcher.needsBacktracking("(a)\\1"))
        XCTAssertTrue(BacktrackMatcher.needsBacktracking("a(?=b)"))
        XCTAssertTrue(BacktrackMatcher.needsBacktracking("a++"))
        XCTAssertFalse(BacktrackMatcher.needsBacktracking("a+b|[cd]"))
    }
}
