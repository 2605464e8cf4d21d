import XCTest
import Search

/// `CompiledRegex.requiresByte`: ripgrep's banned-byte rule (grep-regex `ban::check`),
/// each pattern's verdict checked against rg 15, which refuses the `true` ones for NUL.
final class RequiredByteTests: XCTestCase {
    private func requiresNUL(_ pattern: String, _ options: RegexOptions = RegexOptions()) throws -> Bool {
        try CompiledRegex(pattern, options: options).requiresByte(0)
    }

    func testALiteralHoldingTheByteRequiresIt() throws {
        for pattern in ["\\x00", "a\\x00", "\\x00b", "foo\\x00?", "\\x00*", "\\x00+?", "\\x00{1}", "(\\x00)",
                        "\\x{0}", "\\u0000", "(?i)\\x00", "(?-u)\\x00", "foo\\x00|foob", "\\x00\\x00|a"] {
            XCTAssertTrue(try requiresNUL(pattern), pattern)
        }
    }

    func testAClassWhoseOnlyMemberIsTheByteRequiresIt() throws {
        for pattern in ["[\\x00]", "[^[^\\x00]]", "[\\x00-\\x00]", "(?-u:[\\x00])", "[\\x00&&\\x00-\\x01]"] {
            XCTAssertTrue(try requiresNUL(pattern), pattern)
        }
    }

    func testAClassOfSeveralMembersDoesNotRequireIt() throws {
        for pattern in ["[^\\x00]", "[\\x00a]", "[\\x00-\\x01]", "\\s", "\\W", ".", "foo"] {
            XCTAssertFalse(try requiresNUL(pattern), pattern)
        }
    }

    /// The regex crate makes one class of an alternation of one-character literals.
    func testAnAlternationOfSingleCharactersIsOneClass() throws {
        for pattern in ["a|\\x00", "(?:\\x00|a)", "(a|\\x00)", "(?:\\x00)|a", "\\x00|a|\\x00", "a|(?:b|\\x00)"] {
            XCTAssertFalse(try requiresNUL(pattern), pattern)
        }
        // Not merged: a branch longer than a character, a class, a capture group.
        for pattern in ["\\x00|ab", "a|b|\\x00|cd", "\\x00|[ab]", "(?i:\\x00|a)", "(?:a|b)|\\x00", "(\\x00)|a", "\\x00|\\x00"] {
            XCTAssertTrue(try requiresNUL(pattern), pattern)
        }
    }

    func testARepetitionOfAtMostZeroIsEmpty() throws {
        XCTAssertFalse(try requiresNUL("\\x00{0}"))
        XCTAssertTrue(try requiresNUL("\\x00{0,1}"))
    }

    func testSeveralPatternsAreOneAlternation() throws {
        XCTAssertTrue(try CompiledRegex(patterns: ["foo", "bar\\x00"], options: RegexOptions()).requiresByte(0))
        XCTAssertFalse(try CompiledRegex(patterns: ["a", "\\x00"], options: RegexOptions()).requiresByte(0))
    }

    func testMultilinePatternsAreCheckedToo() throws {
        var multiline = RegexOptions()
        multiline.lineTerminatorFree = false
        XCTAssertTrue(try requiresNUL("foo\\x00?", multiline))
        XCTAssertFalse(try requiresNUL("foo\\n", multiline))
    }
}
