import XCTest
@testable import Search

/// Hostile patterns (issue 21): each is refused with a parse error, compiled in linear
/// time, or stopped by cancellation; none overflows the stack.
final class RegexLimitsTests: XCTestCase {
    private func assertNestLimit(_ pattern: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try CompiledRegex(pattern)
            XCTFail("a pattern nested past the limit compiled", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, .parse, file: file, line: line)
            XCTAssertTrue(error.message.contains("nest limit"), error.description, file: file, line: line)
        }
    }

    func testFifteenThousandOpenBracketsAreANestError() {
        assertNestLimit(String(repeating: "[", count: 15_000))
        assertNestLimit(String(repeating: "[a", count: 300) + String(repeating: "]", count: 300))
    }

    func testStackedQuantifiersAreANestError() {
        assertNestLimit("a" + String(repeating: "*", count: 60_000))
        assertNestLimit("a" + String(repeating: "{1}", count: 20_000))
        assertNestLimit("a" + String(repeating: "+?", count: 30_000))
    }

    func testRepetitionsInsideGroupsCountTowardsTheLimit() {
        let inner = "(a" + String(repeating: "*", count: 200) + ")"
        assertNestLimit(inner + String(repeating: "*", count: 60))
        XCTAssertNoThrow(try CompiledRegex(inner + String(repeating: "*", count: 40)))
    }

    func testNestingWithinTheLimitStillCompiles() throws {
        let groups = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        let regex = try CompiledRegex(groups + "b")
        XCTAssertEqual(Array("xab".utf8).withUnsafeBytes { regex.find(in: $0, from: 0) }, 1..<3)
        XCTAssertNoThrow(try CompiledRegex(String(repeating: "[", count: 100) + "a" + String(repeating: "]", count: 100)))
        XCTAssertNoThrow(try CompiledRegex("a**"))
    }

    /// A megabyte literal is one node built in one buffer (joining per character was
    /// quadratic, 7 s), and it is too long for the automata, so the literal scanner alone
    /// searches for it.
    func testMegabyteLiteralCompilesAndMatches() throws {
        var generator = SystemRandomNumberGenerator()
        let word = String((0..<1_000_000).map { _ in "abcdefgh".randomElement(using: &generator)! })
        let regex = try CompiledRegex(word)
        let haystack = Array(("x\n" + word + "\ny").utf8)
        XCTAssertEqual(haystack.withUnsafeBytes { regex.find(in: $0, from: 0) }, 2..<1_000_002)
        XCTAssertNil(Array("abc".utf8).withUnsafeBytes { regex.find(in: $0, from: 0) })
    }

    func testCancellationStopsCompilation() {
        let pattern = String(repeating: "a.", count: 100_000)
        do {
            _ = try CompiledRegex(patterns: [pattern], options: RegexOptions(), isCancelled: { true })
            XCTFail("compiled despite cancellation")
        } catch {
            XCTAssertEqual(error.kind, .cancelled)
        }
        var polls = 0
        do {
            _ = try CompiledRegex(patterns: Array(repeating: "ab", count: 5000), options: RegexOptions(), isCancelled: {
                polls += 1
                return polls > 2
            })
            XCTFail("compiled despite cancellation")
        } catch {
            XCTAssertEqual(error.kind, .cancelled)
        }
    }
}
