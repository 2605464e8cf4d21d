import XCTest
@testable import Search

final class LiteralSetMatcherTests: XCTestCase {
    private func spans(_ matcher: any Matcher, _ text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBytes { hay in
            var found: [Range<Int>] = []
            var start = 0
            while start <= hay.count, let span = matcher.find(in: hay, from: start) {
                found.append(span)
                start = span.isEmpty ? span.upperBound + 1 : span.upperBound
            }
            return found
        }
    }

    /// Spans agree with the regex engine's leftmost-first alternation of the same literals,
    /// overlapping prefixes and suffixes included, with and without case folding.
    func testSpansAgreeWithRegexAlternation() throws {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abkKsS\u{17F}\n".unicodeScalars)
        for round in 0..<400 {
            let fold = round % 2 == 1
            var literals: [String] = []
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let length = Int.random(in: 1...4, using: &random)
                literals.append(String(String.UnicodeScalarView((0..<length).map { _ in "abksAB".unicodeScalars.randomElement(using: &random)! })))
            }
            let bytes = literals.map { Array($0.utf8) }
            guard LiteralSetMatcher.accepts(bytes, caseInsensitive: fold) else { continue }
            let set = LiteralSetMatcher(bytes, caseInsensitive: fold)
            let regex = try CompiledRegex(patterns: literals.map(CompiledRegex.escape), options: RegexOptions(caseInsensitive: fold))
            for _ in 0..<10 {
                let text = Array(String(String.UnicodeScalarView((0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })).utf8)
                XCTAssertEqual(spans(set, text), spans(regex, text), "\(literals) fold \(fold) in \(String(decoding: text, as: UTF8.self))")
                let setEnd = text.withUnsafeBytes { set.firstMatchEnd(in: $0, from: 0) }
                XCTAssertEqual(setEnd == nil, spans(regex, text).isEmpty)
            }
        }
    }

    func testFirstListedLiteralWinsAtTheSameStart() {
        let set = LiteralSetMatcher([Array("ab".utf8), Array("abc".utf8), Array("b".utf8)], caseInsensitive: false)
        XCTAssertEqual(spans(set, Array("xabc".utf8)), [1..<3])
        let longerFirst = LiteralSetMatcher([Array("abc".utf8), Array("ab".utf8)], caseInsensitive: false)
        XCTAssertEqual(spans(longerFirst, Array("xabc abd".utf8)), [1..<4, 5..<7])
    }

    func testRefusesWhatItCannotMatch() {
        XCTAssertFalse(LiteralSetMatcher.accepts([[]], caseInsensitive: false))
        XCTAssertFalse(LiteralSetMatcher.accepts([Array("a\nb".utf8)], caseInsensitive: false))
        XCTAssertFalse(LiteralSetMatcher.accepts([Array("\u{e9}".utf8)], caseInsensitive: true))
        XCTAssertTrue(LiteralSetMatcher.accepts([Array("\u{e9}".utf8), [0xFF]], caseInsensitive: false))
    }

    /// 100,000 words: built and searched (as one regex they were refused as too big).
    func testHundredThousandWords() {
        var words: [[UInt8]] = []
        for index in 0..<100_000 { words.append(Array("w\(index * 7919)z".utf8)) }
        let set = LiteralSetMatcher(words, caseInsensitive: false)
        XCTAssertEqual(spans(set, Array("a w7919z b w791900z w1z".utf8)), [2..<8, 11..<19])
    }
}
