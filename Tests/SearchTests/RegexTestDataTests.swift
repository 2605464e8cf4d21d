import XCTest
import Foundation
@testable import Search

/// The Rust regex crate's test data run through trawl's engine: every test a line search
/// or a multiline (`-U`) search can express must give the expected match spans, in order,
/// as `-o` iterates them. Tests the engine cannot express are counted with the reason
/// (Tests/SearchTests/REGEX-TESTDATA.md lists them; REGEX_TESTDATA_REPORT=path rewrites it).
final class RegexTestDataTests: XCTestCase {
    /// How one test ran.
    enum Outcome: Equatable {
        case passed
        case failed(String)
        case notApplicable(String)
    }

    /// The two searches trawl offers: each line its own text, or the whole input (`-U`).
    enum Mode: String, CaseIterable {
        case line, multiline
    }

    /// Tests known to fail, by `file/name`: the list must shrink, never hide a new failure
    /// (a listed test that passes fails the run too, so the list stays true).
    static let knownFailures: Set<String> = []

    func testEveryExpressibleCaseGivesTheCratesSpans() throws {
        let tests = try RegexTestData.load(directory: fixtures + "/regex-testdata")
        XCTAssertEqual(tests.count, 1203, "the crate's test data has 1,203 tests")
        var outcomes: [(RegexTestCase, Outcome)] = []
        for test in tests { outcomes.append((test, Self.run(test))) }
        for (test, outcome) in outcomes {
            switch outcome {
            case .failed(let why) where !Self.knownFailures.contains(test.name):
                XCTFail("\(test.name): \(why)")
            case .passed where Self.knownFailures.contains(test.name):
                XCTFail("\(test.name) passes now: remove it from knownFailures")
            default: break
            }
        }
        // The README's and REGEX-TESTDATA.md's figure: a wider `inapplicability` must show here.
        let passed = outcomes.filter { $0.1 == .passed }.count
        XCTAssertEqual(passed, 1078, "tests of the crate's data run and passed")
        if let path = ProcessInfo.processInfo.environment["REGEX_TESTDATA_REPORT"] {
            try Self.report(outcomes).write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// Why the engine cannot express a test, or nil when it can.
    static func inapplicability(_ test: RegexTestCase) -> String? {
        if test.searchKind == "overlapping" || test.matchKind == "all" {
            return "overlapping search or `match-kind = \"all\"` (every match of every set member): a line search reports leftmost-first matches only"
        }
        if test.name.hasPrefix("regex-lite/") {
            return "regex-lite's own semantics (no Unicode classes, ASCII-only case folding): the crate runs this file against regex-lite only"
        }
        if test.searchKind == "earliest" {
            return "`search-kind = \"earliest\"` (stop at the first match end seen): spans in trawl are leftmost-first"
        }
        if let bounds = test.bounds, bounds.upperBound != test.haystack.count {
            return "`bounds` ending before the haystack's end (look-ahead past the search's end): a search covers whole lines or the whole input"
        }
        if test.lineTerminator != [0x0A] { return "a line terminator other than `\\n`" }
        return nil
    }

    static func options(_ test: RegexTestCase, mode: Mode) -> RegexOptions {
        RegexOptions(caseInsensitive: test.caseInsensitive, multiLine: false, unicode: test.unicode,
                     lineTerminatorFree: mode == .line, utf8: test.utf8)
    }

    static func run(_ test: RegexTestCase) -> Outcome {
        if let why = inapplicability(test) { return .notApplicable(why) }
        // A haystack holding `\n` is several lines to a line search: only `-U` sees it whole.
        let modes: [Mode] = test.haystack.contains(0x0A) ? [.multiline] : [.line, .multiline]
        let expected = Array(test.matches.compactMap { $0.first ?? nil }.prefix(test.matchLimit ?? Int.max))
        var ran = 0
        for mode in modes {
            let regex: CompiledRegex
            do {
                regex = try CompiledRegex(patterns: test.regexes, options: options(test, mode: mode))
            } catch {
                if !test.compiles { ran += 1; continue }
                // A pattern that can match `\n` is refused by a line search (as rg refuses it).
                if mode == .line { continue }
                return .failed("\(mode): does not compile: \(error)")
            }
            guard test.compiles else { return .failed("\(mode): compiles, the crate refuses it") }
            ran += 1
            let actual = matches(regex, test.haystack, from: test.bounds?.lowerBound ?? 0,
                                 anchored: test.anchored, limit: test.matchLimit)
            if actual != expected {
                return .failed("\(mode): \(spansText(actual)), expected \(spansText(expected)) for \(test.regexes) on \(debugText(test.haystack))")
            }
        }
        return ran > 0 ? .passed : .failed("no mode could run it")
    }

    /// Every match in order, as `-o` and `--json` iterate them (`forEachMatch`). An
    /// anchored search (each match must start where the search resumes) stops at the first
    /// match starting later: the leftmost-first match starts at the resume point whenever
    /// any match does, and is then the one an anchored search finds.
    static func matches(_ regex: CompiledRegex, _ haystack: [UInt8], from start: Int, anchored: Bool,
                        limit: Int?) -> [Range<Int>] {
        var found: [Range<Int>] = []
        let limit = limit ?? Int.max
        haystack.withUnsafeBytes { hay in
            guard anchored else {
                regex.forEachMatch(in: hay, from: start) { m in
                    found.append(m)
                    return found.count < limit
                }
                return
            }
            var position = start
            var lastEnd = -1
            while found.count < limit, position <= hay.count, let m = regex.find(in: hay, from: position),
                  m.lowerBound == position {
                position = m.isEmpty ? m.upperBound + 1 : m.upperBound
                if m.isEmpty && m.upperBound == lastEnd { continue }
                lastEnd = m.upperBound
                found.append(m)
            }
        }
        return found
    }

    static func spansText(_ spans: [Range<Int>]) -> String {
        "[" + spans.map { "[\($0.lowerBound), \($0.upperBound)]" }.joined(separator: " ") + "]"
    }

    static func debugText(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }

    /// REGEX-TESTDATA.md: counts by file, then each reason a test cannot apply.
    static func report(_ outcomes: [(RegexTestCase, Outcome)]) -> String {
        var byFile: [String: (passed: Int, failed: Int, notApplicable: Int)] = [:]
        var reasons: [String: [String]] = [:]
        var failures: [String] = []
        for (test, outcome) in outcomes {
            let file = String(test.name[..<test.name.lastIndex(of: "/")!])
            var row = byFile[file] ?? (0, 0, 0)
            switch outcome {
            case .passed: row.passed += 1
            case .failed(let why): row.failed += 1; failures.append("- `\(test.name)`: \(why)")
            case .notApplicable(let why): row.notApplicable += 1; reasons[why, default: []].append(test.name)
            }
            byFile[file] = row
        }
        let total = byFile.values.reduce((0, 0, 0)) { ($0.0 + $1.passed, $0.1 + $1.failed, $0.2 + $1.notApplicable) }
        var out = """
        # The Rust regex crate's test data against trawl's engine

        `Fixtures/regex-testdata/` holds the crate's `testdata/*.toml` (MIT/Apache-2.0, see its
        LICENSE). `RegexTestDataTests` runs every test a line search or a multiline (`-U`)
        search can express through `CompiledRegex` (crate defaults: `^`/`$` at the text's ends
        unless the pattern says `(?m)`), in both modes when the haystack is one line, and
        compares the whole-match spans in order as `-o` iterates them (capture groups beyond the
        whole match are not reported by a line search; a set's matches are compared as the spans
        of the alternation of its patterns). Regenerate with
        `REGEX_TESTDATA_REPORT=$PWD/Tests/SearchTests/REGEX-TESTDATA.md swift test --filter RegexTestDataTests`.

        Total: \(total.0) passed, \(total.1) failing, \(total.2) not applicable (of \(outcomes.count)).

        | file | passed | failing | not applicable |
        | --- | ---: | ---: | ---: |

        """
        for file in byFile.keys.sorted() {
            let row = byFile[file]!
            out += "| \(file) | \(row.passed) | \(row.failed) | \(row.notApplicable) |\n"
        }
        out += "\n## Not applicable, by reason\n\n"
        for why in reasons.keys.sorted() {
            out += "- \(why): \(reasons[why]!.count) tests\n"
        }
        if !failures.isEmpty {
            out += "\n## Failing\n\n" + failures.joined(separator: "\n") + "\n"
        }
        return out
    }
}
