import XCTest
@testable import Search

/// Inputs the regex fuzz target (Fuzz/RegexFuzz.swift) turned up, pinned.
final class FuzzRegressionRegexTests: XCTestCase {
    /// Fuzz finding timeout-a1258652: options byte 0x4b ((?i), no (?m), (?x), (?R)), a
    /// pattern of many `\w` under case folding ending in a lone `\`. libFuzzer flagged it
    /// past 10 s on a loaded machine; alone it parses (to an error) in 0.2 s under ASan and
    /// 0.1 s in a release trawl. Pinned: it must fail with a parse error, not hang or trap.
    func testCaseFoldedWordClassesEndingInBackslashFailToParse() {
        let input: [UInt8] = [
            0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x4f, 0x01, 0xa6, 0x01, 0x77, 0x4b, 0xa5, 0x01, 0x77, 0x4b, 0xa5,
            0x01, 0x77, 0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x4f, 0x01, 0xa5, 0x01, 0x77, 0x4b, 0x4f, 0x70, 0x5c,
            0x77, 0x4f, 0x70, 0x5c, 0x77, 0x3b, 0x01, 0x77, 0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x01, 0x01, 0x01,
            0x01, 0x4f, 0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x77, 0xa6, 0x01, 0x01, 0x4f, 0x4b, 0x70, 0xff, 0x77,
            0xff, 0x73, 0x4f, 0x01, 0xa5, 0x01, 0x77, 0x4b, 0x70, 0x4f, 0x4f, 0x70, 0x5c, 0xa5, 0x4f, 0x01,
            0x77, 0x77, 0x01, 0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x4f, 0x70, 0x5c, 0x77, 0x3b, 0x01, 0x77, 0x4b,
            0x4f, 0x70, 0x5c, 0x77, 0x01, 0x01, 0x01, 0x01, 0x4f, 0x4b, 0x4f, 0x70, 0x5c, 0x77, 0x4f, 0x01,
            0xa6, 0x01, 0x77, 0x4b, 0x70, 0xff, 0x77, 0xff, 0x73, 0x4f, 0x01, 0xa5, 0x01, 0x77, 0x4b, 0x70,
            0x4f, 0x70, 0x5c, 0x77, 0x4f, 0x70, 0x5c, 0x77, 0xff, 0xff, 0x70, 0x5c, 0x00, 0x77, 0x6f, 0xff,
            0xff, 0xff,
        ]
        let rest = input[1...]
        let split = rest.firstIndex(of: 0)!
        let pattern = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
        let options = RegexOptions(caseInsensitive: true, multiLine: false, dotMatchesNewline: false,
                                   ignoreWhitespace: true, swapGreed: false, unicode: true, crlf: true,
                                   lineTerminatorFree: true)
        XCTAssertThrowsError(try CompiledRegex(pattern, options: options))
        // Without the trailing backslash the pattern compiles and searches.
        let trimmed = String(pattern.dropLast())
        if let regex = try? CompiledRegex(trimmed, options: options) {
            let haystack = Array(rest[(split + 1)...])
            _ = haystack.withUnsafeBytes { regex.find(in: $0, from: 0) }
        }
    }

    /// Fuzz finding crash-36ee2589: options byte 0xb5 ((?i), (?s), (?U), (?-u), -U), pattern
    /// `^`, haystack `\xB5^\0\xFE`. The one empty match is at offset 0, before a stray
    /// continuation byte: under the crate's UTF-8 mode `find` drops it (a continuation byte
    /// is never a boundary) while `firstMatchEnd`, which selects lines, keeps it, as rg
    /// does. The target now checks their agreement without UTF-8 mode.
    func testEmptyMatchBeforeAStrayContinuationByte() throws {
        let hay: [UInt8] = [0xb5, 0x5e, 0x00, 0xfe]
        var options = RegexOptions(caseInsensitive: true, multiLine: true, dotMatchesNewline: true,
                                   swapGreed: true, unicode: false, lineTerminatorFree: false)
        let codePoints = try CompiledRegex("^", options: options)
        options.utf8 = false
        let bytes = try CompiledRegex("^", options: options)
        hay.withUnsafeBytes { raw in
            XCTAssertNil(codePoints.find(in: raw, from: 0))
            XCTAssertEqual(codePoints.firstMatchEnd(in: raw, from: 0), 0)
            XCTAssertEqual(bytes.find(in: raw, from: 0), 0..<0)
            XCTAssertEqual(bytes.firstMatchEnd(in: raw, from: 0), 0)
        }
    }
}
