import XCTest
import Dispatch
@testable import Search

final class RegexEngineTests: XCTestCase {
    func testPathologicalPatternRunsInLinearTime() throws {
        // Backtracking engines take exponential or quadratic time here; every engine of
        // ours is linear. No timing assertion: the test finishing at all is the check.
        let regex = try CompiledRegex("(a|aa)*b")
        let hay = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        XCTAssertNil(withBytes(hay) { regex.find(in: $0, from: 0) })
        XCTAssertNil(withBytes(hay) { regex.firstMatchEnd(in: $0, from: 0) })
        XCTAssertNil(withBytes(hay) { regex.findWithPikeVM(in: $0, from: 0) })
        let nested = try CompiledRegex("(x+x+)+y")
        let xs = [UInt8](repeating: UInt8(ascii: "x"), count: 20_000)
        XCTAssertNil(withBytes(xs) { nested.find(in: $0, from: 0) })
    }

    func testInvalidUTF8NeverMatchesDotAndNeverCrashes() throws {
        let dot = try CompiledRegex("a.b")
        for bad: [UInt8] in [[0x61, 0xFF, 0x62], [0x61, 0xC3, 0x62], [0x61, 0xED, 0xA0, 0x80, 0x62], [0x61, 0xC0, 0xAF, 0x62],
                              [0x61, 0xF4, 0x90, 0x80, 0x80, 0x62]] {
            XCTAssertNil(withBytes(bad) { dot.find(in: $0, from: 0) }, "\(bad)")
            XCTAssertNil(withBytes(bad) { dot.firstMatchEnd(in: $0, from: 0) }, "\(bad)")
        }
        XCTAssertEqual(withBytes([0xFF, 0x61, 0xC3, 0xA9, 0x62]) { dot.find(in: $0, from: 0) }, 1..<5)
    }

    func testInvalidUTF8AroundWordBoundaryAndClasses() throws {
        let hay: [UInt8] = [0xFF, 0x66, 0x6F, 0x6F, 0xE2, 0x82, 0x20, 0xF0]
        let word = try CompiledRegex("\\bfoo\\b")
        XCTAssertEqual(withBytes(hay) { word.find(in: $0, from: 0) }, 1..<4)
        XCTAssertEqual(withBytes(hay) { word.firstMatchEnd(in: $0, from: 0) }, 4)
        let notWord = try CompiledRegex("\\W+")
        XCTAssertEqual(withBytes(hay) { notWord.find(in: $0, from: 0) }, 6..<7)
        let bytes = try CompiledRegex("(?-u:\\xFF)f")
        XCTAssertEqual(withBytes(hay) { bytes.find(in: $0, from: 0) }, 0..<2)
        for start in 0...hay.count {
            _ = withBytes(hay) { (try! CompiledRegex("\\w|\\p{Greek}|.")).find(in: $0, from: start) }
        }
    }

    func testDFAGivesUpOnUnicodeWordBoundaryNextToNonASCII() throws {
        let regex = try CompiledRegex("\\bx\\b")
        XCTAssertEqual(withBytes("\u{e9}x y x") { regex.dfaOutcome(in: $0, from: 0) }, .gaveUp(at: 0))
        XCTAssertEqual(withBytes("ax y x") { regex.dfaOutcome(in: $0, from: 0) }, .match(end: 6))
        // The fallback gives the right answer.
        XCTAssertEqual(withBytes("\u{e9}x y x") { regex.find(in: $0, from: 0) }, 6..<7)
    }

    func testFallbackForUnicodeWordBoundaryCoversOnlyTheLineThenResumesTheDFA() throws {
        let regex = try CompiledRegex("\\b\\w\\b")
        let text = "\u{e9}\u{e9}\n a \u{e9}"
        XCTAssertEqual(withBytes(text) { regex.firstMatchEndWithDFA(in: $0, from: 0) }, 7)
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, 6..<7)
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 7) }, 8..<10)
        XCTAssertNil(withBytes("\u{e9}\u{e9}\n--\n\u{e9}\u{e9}") { regex.firstMatchEnd(in: $0, from: 0) })
    }

    func testDFACacheClearingStillFindsMatches() throws {
        // A tiny cache forces clears; repeated clears make the DFA give up, and the
        // searcher's PikeVM fallback answers instead.
        let regex = try CompiledRegex("[a-q][^u-z]{13}x")
        let small = LazyDFA(nfa: regex.nfa, maxTableBytes: 1)
        let cache = DFACache(dfa: small)
        var text = ""
        for i in 0..<2000 { text.append(Character(Unicode.Scalar(UInt8(97 + (i * 7) % 26)))) }
        text += "abcdefghijklmnx"
        let outcome = withBytes(text) { small.earliestMatchEnd($0, from: 0, to: $0.count, cache: cache) }
        let expected = withBytes(text) { regex.findWithPikeVM(in: $0, from: 0) }
        XCTAssertNotNil(expected)
        switch outcome {
        case .match(let end): XCTAssertEqual(end, expected?.upperBound)
        case .gaveUp: break // its caller falls back to the PikeVM
        case .noMatch: XCTFail("DFA lost a match after clearing its cache")
        }
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, expected)
    }

    func testEnginesAgreeOnGeneratedHaystacks() throws {
        // Every engine path (prefilter + DFA + PikeVM on the line, DFA alone, PikeVM
        // alone) must agree on random text over a small alphabet.
        let patterns = ["ab|ba", "a+b*", "(?i)ab", "\\bab", "b$", "^a", "[ab]{2}c", "a(b|c)*?c", "\\w+\\s", "x*",
                        "(a|ab)(c|bcd)", "foo|foobar", "(?i)k", "\\Bb\\B", "a.c"]
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("abcxK \n".utf8) + [0xE2, 0x84, 0xAA]
        for pattern in patterns {
            // utf8: false: the engines themselves, before empty matches inside a code point
            // are dropped (which `find` does on top of them).
            let regex = try CompiledRegex(pattern, options: RegexOptions(utf8: false))
            for _ in 0..<40 {
                let hay = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                let start = Int.random(in: 0...hay.count, using: &rng)
                let pike = withBytes(hay) { regex.findWithPikeVM(in: $0, from: start) }
                let found = withBytes(hay) { regex.find(in: $0, from: start) }
                let end = withBytes(hay) { regex.firstMatchEnd(in: $0, from: start) }
                let dfaEnd = withBytes(hay) { regex.firstMatchEndWithDFA(in: $0, from: start) }
                XCTAssertEqual(found, pike, "\(pattern) on \(hay) from \(start)")
                XCTAssertEqual(end == nil, pike == nil, "\(pattern) on \(hay) from \(start)")
                XCTAssertEqual(dfaEnd == nil, pike == nil, "\(pattern) on \(hay) from \(start)")
                if let pike, let end {
                    // The reported end is on the same line as the leftmost-first match.
                    let lo = min(pike.lowerBound, end), hi = max(pike.lowerBound, end)
                    XCTAssertFalse(hay[lo..<hi].contains(0x0A), "\(pattern) on \(hay) from \(start)")
                }
            }
        }
    }

    /// `find`'s spans (from the two-pass DFA search, or the scanner for a literal pattern)
    /// equal the PikeVM's on random text over a small alphabet.
    private func assertSpansAgreeWithPikeVM(_ patterns: [String], options: RegexOptions,
                                            file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("abcdx \n".utf8)
        for pattern in patterns {
            let regex = try CompiledRegex(pattern, options: options)
            // A literal pattern's spans come from its scanner.
            XCTAssertEqual(regex.spanDFAs == nil, regex.exactScanner != nil, pattern, file: file, line: line)
            for _ in 0..<80 {
                let hay = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                let start = Int.random(in: 0...hay.count, using: &rng)
                let pike = withBytes(hay) { regex.findWithPikeVM(in: $0, from: start) }
                let found = withBytes(hay) { regex.find(in: $0, from: start) }
                XCTAssertEqual(found, pike, "\(pattern) on \(String(decoding: hay, as: UTF8.self).debugDescription) from \(start)",
                               file: file, line: line)
            }
        }
    }

    func testMultilineSpansFromTwoPassDFAAgreeWithPikeVM() throws {
        try assertSpansAgreeWithPikeVM(["a\\s+b", "(?s)a.*b", "(?s)a.*?b", "^b", "a$", "\\Aa", "b\\z", "(?-m)^a|b$",
                                        "ab|a\\nb", "x*", "\\bab\\b", "(a|ab)(c|bcd)", "[^x]+", "\\B\\n", "(?s).", "a\\n*$",
                                        "\\w+"], options: RegexOptions(lineTerminatorFree: false))
    }

    func testLineSpansFromTwoPassDFAAgreeWithPikeVM() throws {
        // Line mode (grep without -U): `-o`, colours and `-r` take their spans from the
        // forward and reverse DFAs once the line is known.
        try assertSpansAgreeWithPikeVM(["a\\s*b", "^b", "a$", "x*", "\\bab\\b", "(a|ab)(c|bcd)", "[^x]+", "\\w+c", "a+?b",
                                        "(?i)AB", "\\Bb", "b*", "(?:)", "[ab]{2,3}"], options: RegexOptions())
    }

    func testLeftmostFirstDFAKeepsPikeVMThreadOrderAroundAssertions() throws {
        // Found by a differential run against rg -U --json.
        let regex = try CompiledRegex("(?:((c|^)|(?:[^\\s])?))+(?:(?i)a){0,}", options: RegexOptions(lineTerminatorFree: false))
        let text = "\nAb\nAbxxA\n "
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, 0..<0)
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 1) }, 1..<2)
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 1) }, withBytes(text) { regex.findWithPikeVM(in: $0, from: 1) })
    }

    func testMultilineSpanAcrossLines() throws {
        let regex = try CompiledRegex("(?s)begin.*?end", options: RegexOptions(lineTerminatorFree: false))
        let text = "x begin\n1\nend end"
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, 2..<13)
    }

    func testLiteralTrieKeepsLeftmostFirstPriority() throws {
        let cases: [(String, String, Range<Int>?)] = [
            ("(samwise|sam)x", "samx", 0..<4), ("(samwise|sam)x", "samwisex", 0..<8), ("(sam|samwise)e", "samwisee", 0..<8),
            ("(ab|a|abc)c", "abc", 0..<3), ("(ab|a|abc)c", "ac", 0..<2), ("a|ab|abc", "abc", 0..<1), ("abc|ab|a", "abc", 0..<3),
            ("abc|a|ab", "abd", 0..<1), ("(|a)b", "ab", 0..<2), ("(a|)a", "a", 0..<1),
        ]
        for (pattern, hay, expected) in cases {
            XCTAssertEqual(withBytes(hay) { try! CompiledRegex(pattern).find(in: $0, from: 0) }, expected, pattern)
        }
    }

    func testLiteralTrieAgreesWithPlainAlternation() throws {
        // An impossible branch (\b\B) after each word keeps the second regex off the trie path.
        var rng = SystemRandomNumberGenerator()
        let words = ["ab", "abc", "b", "bca", "cab", "a", "ca", "abcab", "cc", "k", "Ka"]
        for trial in 0..<60 {
            let chosen = (0..<Int.random(in: 1...6, using: &rng)).map { _ in words.randomElement(using: &rng)! }
            let options = RegexOptions(caseInsensitive: trial % 2 == 1)
            let trie = try CompiledRegex(patterns: chosen, options: options)
            let plain = try CompiledRegex(patterns: chosen.flatMap { [$0, "\\b\\B"] }, options: options)
            for _ in 0..<20 {
                let hay = (0..<Int.random(in: 0...16, using: &rng)).map { _ in Array("abcAKk \n\u{212A}".utf8).randomElement(using: &rng)! }
                XCTAssertEqual(withBytes(hay) { trie.findWithPikeVM(in: $0, from: 0) }, withBytes(hay) { plain.findWithPikeVM(in: $0, from: 0) },
                               "\(chosen) on \(String(decoding: hay, as: UTF8.self).debugDescription)")
                XCTAssertEqual(withBytes(hay) { trie.firstMatchEndWithDFA(in: $0, from: 0) } == nil,
                               withBytes(hay) { plain.find(in: $0, from: 0) } == nil)
            }
        }
    }

    func testOneRegexIsSharedSafelyAcrossThreads() throws {
        let regex = try CompiledRegex("\\w+_RESUME")
        let text = String(repeating: "xx yy\n", count: 500) + "PM_RESUME\n"
        let bytes = Array(text.utf8)
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { results.deallocate() }
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            shared[i] = bytes.withUnsafeBytes { regex.find(in: $0, from: 0)?.lowerBound ?? -1 }
        }
        XCTAssertEqual(Array(results), [Int](repeating: 3000, count: 8))
    }
}
