import XCTest
@testable import Search

/// The generated UCD 16.0.0 tables behind `\p{...}`: every script, script extensions,
/// binary properties, break properties and (cumulative) ages, by name or alias.
final class UnicodePropertiesTests: XCTestCase {
    private func spans(_ pattern: String, _ text: String) throws -> [Range<Int>] {
        let regex = try CompiledRegex(pattern)
        var found: [Range<Int>] = []
        withBytes(text) { hay in regex.forEachMatch(in: hay) { found.append($0); return true } }
        return found
    }

    func testEveryScriptIsKnownNotOnlyTheCommonOnes() throws {
        XCTAssertEqual(try spans("\\p{Ol_Chiki}+", "a\u{1C5A}\u{1C5B}b"), [1..<7])
        XCTAssertEqual(try spans("\\p{sc=Olck}", "\u{1C5A}"), [0..<3])
    }

    func testScriptExtensionsIncludeSharedCharacters() throws {
        // U+0951 DEVANAGARI STRESS SIGN UDATTA is sc=Inherited, scx includes Bengali.
        XCTAssertEqual(try spans("\\p{scx=Beng}", "\u{0951}"), [0..<3])
        XCTAssertEqual(try spans("\\p{sc=Beng}", "\u{0951}"), [])
    }

    func testAgeIsCumulative() throws {
        // U+20AC EURO SIGN came in 2.1: in age=3.0 as well, not in age=2.0.
        XCTAssertEqual(try spans("\\p{age=3.0}", "\u{20AC}"), [0..<3])
        XCTAssertEqual(try spans("\\p{age=V2_0}", "\u{20AC}"), [])
    }

    func testBinaryAndBreakProperties() throws {
        XCTAssertEqual(try spans("\\p{Extended_Pictographic}", "a\u{1F600}"), [1..<5])
        XCTAssertEqual(try spans("\\p{RI}+", "\u{1F1FA}\u{1F1F8}"), [0..<8])
        XCTAssertEqual(try spans("\\p{wb=ALetter}+", "ab1"), [0..<2])
        XCTAssertEqual(try spans("\\p{sb=Upper}", "aB"), [1..<2])
        XCTAssertEqual(try spans("\\p{gcb=ZWJ}", "\u{200D}"), [0..<3])
    }

    func testUnknownValueIsAnError() {
        XCTAssertThrowsError(try CompiledRegex("\\p{wb=NoSuchValue}"))
        XCTAssertThrowsError(try CompiledRegex("\\p{NoSuchProperty}"))
    }
}
