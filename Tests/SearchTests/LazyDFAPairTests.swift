@testable import Search
import XCTest

/// `LazyDFA.earliestMatchEnd(_:from:split:to:cache:)`, two halves of a range run in step,
/// answers as one run over the range does: the same outcome for every split after a `\n`,
/// with a warm cache, a cold one, and one so small that it clears while the halves run.
final class LazyDFAPairTests: XCTestCase {
    private func assertPairAgrees(_ pattern: String, on texts: [[UInt8]], maxTableBytes: Int = 8 << 20,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let regex = try CompiledRegex(pattern)
        XCTAssertFalse(regex.canMatchNewline, pattern)
        let dfa = LazyDFA(nfa: regex.nfa, maxTableBytes: maxTableBytes)
        for text in texts {
            text.withUnsafeBytes { hay in
                let splits = [0] + hay.indices.filter { hay[$0] == 0x0A }.map { $0 + 1 }
                for start in [0, 1, hay.count / 3] where start < hay.count {
                    for split in splits where split > start && split < hay.count {
                        // A fresh cache for each: pairing from cold is the case with unknown
                        // transitions and clears.
                        let single = dfa.earliestMatchEnd(hay, from: start, to: hay.count, cache: DFACache(dfa: dfa))
                        let paired = dfa.earliestMatchEnd(hay, from: start, split: split, to: hay.count, cache: DFACache(dfa: dfa))
                        XCTAssertEqual("\(paired)", "\(single)", "\(pattern) from \(start) split at \(split)", file: file, line: line)
                    }
                }
            }
        }
    }

    private func randomTexts(_ alphabet: String, count: Int, length: Int) -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        let letters = Array(alphabet.utf8)
        return (0..<count).map { _ in (0..<length).map { _ in letters.randomElement(using: &generator)! } }
    }

    func testPairedHalvesAgreeWithOneRun() throws {
        let texts = randomTexts("ab c\n\n_x1", count: 12, length: 90)
        for pattern in ["ab", "a+b", "\\w{3}\\s+\\w", "^a", "b$", "x?$", "a*", "\\bab\\b", "(?i)AB|c1", "[^a\\n]{4}"] {
            try assertPairAgrees(pattern, on: texts)
        }
    }

    func testPairedHalvesAgreeWhileTheCacheClears() throws {
        // The smallest cache (64 rows) and a pattern with far more states: clears come
        // in the middle of the pairing, started by either half.
        let regex = try CompiledRegex("[a-d][^gh]{9}e|f[a-h]{8}b")
        let dfa = LazyDFA(nfa: regex.nfa, maxTableBytes: 1)
        var clears = 0
        for text in randomTexts("abcdefgh\n", count: 30, length: 400) {
            text.withUnsafeBytes { hay in
                for split in hay.indices where hay[split] == 0x0A && split + 1 < hay.count {
                    let cache = DFACache(dfa: dfa)
                    let single = dfa.earliestMatchEnd(hay, from: 0, to: hay.count, cache: DFACache(dfa: dfa))
                    let paired = dfa.earliestMatchEnd(hay, from: 0, split: split + 1, to: hay.count, cache: cache)
                    clears += cache.generation
                    XCTAssertEqual("\(paired)", "\(single)", "split at \(split + 1)")
                }
            }
        }
        XCTAssertGreaterThan(clears, 0, "the cache must clear for this test to mean anything")
    }

    func testAWarmCacheAcrossManySearchesStaysInAgreement() throws {
        let regex = try CompiledRegex("\\w{5}\\s+\\w{5}")
        let dfa = LazyDFA(nfa: regex.nfa)
        let warm = DFACache(dfa: dfa), other = DFACache(dfa: dfa)
        for text in randomTexts("abcde fg\n\n", count: 40, length: 200) {
            text.withUnsafeBytes { hay in
                guard let newline = hay.indices.first(where: { hay[$0] == 0x0A && $0 > hay.count / 2 }),
                      newline + 1 < hay.count else { return }
                let single = dfa.earliestMatchEnd(hay, from: 0, to: hay.count, cache: other)
                let paired = dfa.earliestMatchEnd(hay, from: 0, split: newline + 1, to: hay.count, cache: warm)
                XCTAssertEqual("\(paired)", "\(single)")
            }
        }
    }
}
