import XCTest
@testable import Search

final class RegexParserTests: XCTestCase {
    private func parse(_ p: String, _ options: RegexOptions = RegexOptions()) throws -> RegexNode {
        try RegexParser.parse(p, options: options)
    }

    private func lit(_ s: String) -> RegexNode { .literal(Array(s.utf8)) }
    private func cls(_ ranges: ClosedRange<UInt32>...) -> RegexNode { .unicodeClass(ScalarRanges(ranges)) }

    private func assertError(_ pattern: String, _ message: String, column: Int,
                             options: RegexOptions = RegexOptions(), file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try RegexParser.parse(pattern, options: options)
            XCTFail("\(pattern) parsed", file: file, line: line)
        } catch {
            XCTAssertEqual(error.message, message, pattern, file: file, line: line)
            XCTAssertEqual(error.column, column, pattern, file: file, line: line)
        }
    }

    // MARK: constructs

    func testAdjacentCharactersMergeIntoOneLiteral() throws {
        XCTAssertEqual(try parse("abc"), lit("abc"))
    }

    func testLiteralCharactersBecomeUTF8Bytes() throws {
        XCTAssertEqual(try parse("a\u{e9}"), lit("a\u{e9}"))
        XCTAssertEqual(try parse("ab*"), .concat([lit("a"), .repetition(lit("b"), min: 0, max: nil, greedy: true)]))
    }

    func testEscapesForControlAndHex() throws {
        XCTAssertEqual(try parse("\\t"), lit("\t"))
        XCTAssertEqual(try parse("\\x7F"), lit("\u{7f}"))
        XCTAssertEqual(try parse("\\x{10FFFF}"), lit("\u{10FFFF}"))
        XCTAssertEqual(try parse("\\u00e9"), lit("\u{e9}"))
        XCTAssertEqual(try parse("\\."), lit("."))
        XCTAssertEqual(try parse("\\n", RegexOptions(lineTerminatorFree: false)), lit("\n"))
    }

    func testDotExcludesNewline() throws {
        XCTAssertEqual(try parse("."), .unicodeClass(ScalarRanges([0...9, 11...0xD7FF, 0xE000...0x10FFFF])))
        XCTAssertEqual(try parse("(?-u)."), .byteClass(ScalarRanges([0...9, 11...255])))
    }

    func testDotAllIncludesNewlineOnlyInMultilineSearch() throws {
        let options = RegexOptions(lineTerminatorFree: false)
        XCTAssertEqual(try parse("(?s)(?-u).", options), .byteClass(ScalarRanges([0...255])))
    }

    func testRepetitionForms() throws {
        let a = lit("a")
        XCTAssertEqual(try parse("a*"), .repetition(a, min: 0, max: nil, greedy: true))
        XCTAssertEqual(try parse("a+?"), .repetition(a, min: 1, max: nil, greedy: false))
        XCTAssertEqual(try parse("a?"), .repetition(a, min: 0, max: 1, greedy: true))
        XCTAssertEqual(try parse("a{3}"), .repetition(a, min: 3, max: 3, greedy: true))
        XCTAssertEqual(try parse("a{3,}"), .repetition(a, min: 3, max: nil, greedy: true))
        XCTAssertEqual(try parse("a{3,5}?"), .repetition(a, min: 3, max: 5, greedy: false))
        XCTAssertEqual(try parse("(?U)a*"), .repetition(a, min: 0, max: nil, greedy: false))
        XCTAssertEqual(try parse("(?U)a*?"), .repetition(a, min: 0, max: nil, greedy: true))
    }

    func testGroupsAndAlternation() throws {
        XCTAssertEqual(try parse("(a)|b"), .alternation([.group(lit("a"), name: nil), lit("b")]))
        XCTAssertEqual(try parse("(?:a)"), lit("a"))
        XCTAssertEqual(try parse("(?P<x>a)"), .group(lit("a"), name: "x"))
        XCTAssertEqual(try parse("(?<y>a)"), .group(lit("a"), name: "y"))
        XCTAssertEqual(try parse("a|"), .alternation([lit("a"), .empty]))
    }

    func testBracketClasses() throws {
        XCTAssertEqual(try parse("[a-c]"), cls(0x61...0x63))
        XCTAssertEqual(try parse("[]a]"), cls(0x5D...0x5D, 0x61...0x61))
        XCTAssertEqual(try parse("[a-]"), cls(0x2D...0x2D, 0x61...0x61))
        XCTAssertEqual(try parse("[^\\x00-\\x{10FFFF}a]"), cls())
        XCTAssertEqual(try parse("[a-z&&[^aeiou]]"), try parse("[b-df-hj-np-tv-z]"))
        XCTAssertEqual(try parse("[a-z--[aeiou]]"), try parse("[b-df-hj-np-tv-z]"))
        XCTAssertEqual(try parse("[a-c~~b-d]"), try parse("[ad]"))
        XCTAssertEqual(try parse("[[:digit:]x]"), try parse("[0-9x]"))
        XCTAssertEqual(try parse("[[:^alpha:]&&[:ascii:]]"), try parse("[\\x00-@\\[-`{-\\x7F]"))
        XCTAssertEqual(try parse("[\\d&&\\p{ASCII}]"), try parse("[0-9]"))
    }

    func testNegatedClassDropsNewlineInLineSearch() throws {
        guard case .unicodeClass(let set) = try parse("[^a]") else { return XCTFail() }
        XCTAssertFalse(set.contains(0x0A))
        XCTAssertFalse(set.contains(0x61))
        XCTAssertTrue(set.contains(0x62))
    }

    func testPerlClasses() throws {
        XCTAssertEqual(try parse("(?-u)\\d"), .byteClass(ScalarRanges([0x30...0x39])))
        XCTAssertEqual(try parse("(?-u)\\w"), .byteClass(UnicodeTables.asciiWord))
        guard case .unicodeClass(let w) = try parse("\\w"), case .unicodeClass(let s) = try parse("\\s"),
              case .unicodeClass(let d) = try parse("\\D") else { return XCTFail() }
        XCTAssertTrue(w.contains(0xE9))
        XCTAssertTrue(w.contains(0x5F))
        XCTAssertFalse(w.contains(0x2D))
        XCTAssertTrue(s.contains(0x2003))
        XCTAssertFalse(s.contains(0x0A), "\\s never matches the line terminator in line search")
        XCTAssertFalse(d.contains(0x0663))
    }

    func testAnchors() throws {
        XCTAssertEqual(try parse("^$"), .concat([.look(.startLine), .look(.endLine)]))
        XCTAssertEqual(try parse("(?R)^$"), .concat([.look(.startLineCRLF), .look(.endLineCRLF)]))
        let multi = RegexOptions(lineTerminatorFree: false)
        XCTAssertEqual(try parse("\\A\\z", multi), .concat([.look(.startText), .look(.endText)]))
        XCTAssertEqual(try parse("(?-m)^", multi), .look(.startText))
        XCTAssertEqual(try parse("\\b\\B"), .concat([.look(.wordBoundaryUnicode), .look(.notWordBoundaryUnicode)]))
        XCTAssertEqual(try parse("(?-u)\\b"), .look(.wordBoundaryASCII))
    }

    func testCaseInsensitiveLettersBecomeFoldedClasses() throws {
        XCTAssertEqual(try parse("(?i)a"), cls(0x41...0x41, 0x61...0x61))
        XCTAssertEqual(try parse("(?i)k"), cls(0x4B...0x4B, 0x6B...0x6B, 0x212A...0x212A))
        XCTAssertEqual(try parse("(?i)1"), lit("1"))
        XCTAssertEqual(try parse("(?i:a)b"), .concat([cls(0x41...0x41, 0x61...0x61), lit("b")]))
        XCTAssertEqual(try parse("(?-u)(?i)k"), .byteClass(ScalarRanges([0x4B...0x4B, 0x6B...0x6B])))
    }

    func testCaseFoldingAppliesBeforeNegation() throws {
        guard case .unicodeClass(let set) = try parse("(?i)[^a]") else { return XCTFail() }
        XCTAssertFalse(set.contains(0x41))
        XCTAssertFalse(set.contains(0x61))
    }

    func testFlagsEndWithTheirGroup() throws {
        XCTAssertEqual(try parse("((?i)a)a"), .concat([.group(cls(0x41...0x41, 0x61...0x61), name: nil), lit("a")]))
    }

    func testIgnoreWhitespaceSkipsSpacesAndComments() throws {
        XCTAssertEqual(try parse("(?x) a b # c\n c"), lit("abc"))
        XCTAssertEqual(try parse("(?x)a{2, 3}"), .repetition(lit("a"), min: 2, max: 3, greedy: true))
    }

    func testUnicodeProperties() throws {
        guard case .unicodeClass(let greek) = try parse("\\p{Greek}"), case .unicodeClass(let lu) = try parse("\\p{Lu}"),
              case .unicodeClass(let l) = try parse("\\pL"), case .unicodeClass(let notL) = try parse("\\P{Letter}"),
              case .unicodeClass(let sc) = try parse("\\p{sc=Cyrillic}"), case .unicodeClass(let neg) = try parse("\\p{^Greek}")
        else { return XCTFail() }
        XCTAssertTrue(greek.contains(0x3B1))
        XCTAssertFalse(greek.contains(0x61))
        XCTAssertFalse(greek.contains(0x378), "unassigned code points belong to no script")
        XCTAssertTrue(lu.contains(0x41))
        XCTAssertFalse(lu.contains(0x61))
        XCTAssertTrue(l.contains(0x4E2D))
        XCTAssertFalse(notL.contains(0x61))
        XCTAssertTrue(notL.contains(0x31))
        XCTAssertTrue(sc.contains(0x434))
        XCTAssertFalse(neg.contains(0x3B1))
    }

    // MARK: errors

    func testUnclosedGroupNamesItsColumn() {
        assertError("abcdef(ghi", "unclosed group", column: 7)
        XCTAssertEqual((try? RegexParser.parse("abcdef(ghi", options: RegexOptions())) == nil, true)
        do { _ = try CompiledRegex("abcdef(ghi") } catch {
            XCTAssertEqual(error.description, "regex parse error:\n    abcdef(ghi\n          ^\nerror: unclosed group")
        }
    }

    func testErrorsAndColumns() {
        assertError("a)", "unopened group", column: 2)
        assertError("x[ab", "unclosed character class", column: 2)
        assertError("[z-a]", "invalid character class range", column: 2)
        assertError("*a", "repetition operator missing expression", column: 1)
        assertError("a|+", "repetition operator missing expression", column: 3)
        assertError("a{2", "unclosed counted repetition", column: 2)
        assertError("a{x}", "invalid counted repetition: expected a decimal", column: 3)
        assertError("a{3,2}", "invalid repetition range: minimum is greater than maximum", column: 2)
        assertError("ab\\q", "unrecognized escape sequence", column: 3)
        assertError("(a)\\1", "backreferences are not supported", column: 4)
        assertError("a(?=b)", "look-around, including look-ahead and look-behind, is not supported", column: 2)
        assertError("(?<!b)", "look-around, including look-ahead and look-behind, is not supported", column: 1)
        assertError("\\p{Klingon}", "Unicode property not found", column: 1)
        assertError("(?P<>a)", "empty capture group name", column: 5)
        assertError("(?P<n>a)(?P<n>b)", "duplicate capture group name", column: 13)
        assertError("(?P<1a>x)", "invalid capture group character", column: 5)
        assertError("(?z)", "unrecognized flag", column: 3)
        assertError("(?ii)", "duplicate flag", column: 4)
        assertError("(?i-)", "flag negation without any flags", column: 5)
        assertError("\\xZZ", "invalid hexadecimal digit", column: 3)
        assertError("\\x{110000}", "hexadecimal literal is not a Unicode scalar value", column: 1)
        assertError("ab\\", "incomplete escape sequence", column: 3)
        assertError("a\nb", "the literal \"\\n\" is not allowed in a regex", column: 2)
        assertError("[[:foo:]]", "invalid ASCII class name", column: 2)
        assertError("\u{e9}\u{e9}(", "unclosed group", column: 3)
    }

    func testNestLimitIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 300) + String(repeating: ")", count: 300)
        XCTAssertThrowsError(try parse(deep))
    }

    func testSizeLimitRefusesEnormousProgramsQuickly() {
        for pattern in ["(a{1000}){1000}", "\\w{1000}{1000}", "((a{100}){100}){100}", "a{100000}{100000}"] {
            do {
                _ = try CompiledRegex(pattern)
                XCTFail("\(pattern) compiled")
            } catch {
                XCTAssertEqual(error.kind, .sizeLimit, pattern)
                XCTAssertTrue(error.description.hasPrefix("regex too big"), error.description)
            }
        }
    }

    func testModerateRepetitionCompiles() throws {
        XCTAssertNoThrow(try CompiledRegex("\\w{50}"))
        XCTAssertNoThrow(try CompiledRegex("a{1000}"))
    }

    func testSmartCaseSeesOnlyLiteralUppercase() {
        XCTAssertTrue(CompiledRegex.hasUppercaseLiteral("Foo"))
        XCTAssertTrue(CompiledRegex.hasUppercaseLiteral("[A-Z]"))
        XCTAssertTrue(CompiledRegex.hasUppercaseLiteral("\u{c9}t\u{e9}"))
        XCTAssertFalse(CompiledRegex.hasUppercaseLiteral("foo\\W\\S\\D\\B"))
        XCTAssertFalse(CompiledRegex.hasUppercaseLiteral("\\p{Lu}\\pL\\x{4F}"))
        XCTAssertFalse(CompiledRegex.hasUppercaseLiteral("(?U)a*(?P<Name>b)[[:upper:]]"))
    }

    func testNonUnicodeLiteralIsItsUTF8ButAClassOfItIsAnError() throws {
        // As the crate (and rg 15): `(?-u)é` matches é's two bytes; `(?-u)[é]` cannot.
        let literal = try CompiledRegex("(?-u)é")
        XCTAssertEqual(withBytes("aé") { literal.find(in: $0, from: 0) }, 1..<3)
        XCTAssertThrowsError(try CompiledRegex("(?-u)[é]"))
    }

    func testSpecialWordBoundarySyntax() throws {
        XCTAssertNoThrow(try CompiledRegex("\\b{start}a\\b{end}\\b{start-half}\\b{end-half}\\<\\>"))
        XCTAssertThrowsError(try CompiledRegex("\\b{middle}"))
        XCTAssertThrowsError(try CompiledRegex("\\b{start"))
        // `\b{2}` is `\b` repeated, as in the crate.
        XCTAssertNoThrow(try CompiledRegex("\\b{2}"))
    }
}

