import XCTest
import Foundation
@testable import Search

/// A hook for differential testing against ripgrep: with REGEX_DIFF_IN set to a file of
/// JSON lines `[pattern, haystack]`, writes `[pattern, haystack, start, end]` (or an
/// error) per line to REGEX_DIFF_OUT, for a script to compare with `rg -o -b`. The
/// differential through the binary is Tools/regex-differential.py.
final class RegexDifferentialTests: XCTestCase {
    func testWriteSpansForDifferentialComparison() throws {
        let env = ProcessInfo.processInfo.environment
        guard let input = env["REGEX_DIFF_IN"], let output = env["REGEX_DIFF_OUT"] else {
            throw XCTSkip("set REGEX_DIFF_IN and REGEX_DIFF_OUT to compare with rg")
        }
        var out = ""
        for line in try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n") {
            let pair = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String]
            let result: [Any]
            do {
                let multiline = env["REGEX_DIFF_MULTILINE"] == "1"
                let regex = try CompiledRegex(pair[0], options: RegexOptions(lineTerminatorFree: !multiline))
                // Every match in order, as rg -o lists them (empty ones included).
                var spans: [[Int]] = []
                withBytes(pair[1]) { hay in
                    regex.forEachMatch(in: hay) { m in
                        spans.append([m.lowerBound, m.upperBound])
                        return true
                    }
                }
                result = [pair[0], pair[1], spans]
            } catch {
                result = [pair[0], pair[1], "ERR \(error)"]
            }
            out += String(data: try JSONSerialization.data(withJSONObject: result), encoding: .utf8)! + "\n"
        }
        try out.write(toFile: output, atomically: true, encoding: .utf8)
    }
}
