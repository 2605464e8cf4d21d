import Printer
import XCTest

/// `-r`'s template: literal text, `$N`, `${N}`, `$name`, `$$`, read once; groups asked for
/// only when the template names one.
final class ReplacementTests: XCTestCase {
    /// Groups as a fixed answer: group 1 is bytes 0..<1 of the line, `word` bytes 2..<4.
    private struct FixedGroups: CaptureGroups {
        func captures(in line: UnsafeRawBufferPointer, at span: Range<Int>) -> ([Range<Int>?], [String: Range<Int>]) {
            ([span, 0..<1], ["word": 2..<4])
        }
    }

    private func replaced(_ template: String, _ line: String, _ span: Range<Int>, groups: (any CaptureGroups)? = FixedGroups()) -> String {
        let replacement = Replacement(template) { groups }
        var out: [UInt8] = []
        Array(line.utf8).withUnsafeBytes { replacement.append(line: $0, span: span, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    func testTemplateParsesGroupsNamesAndDollars() {
        XCTAssertEqual(Replacement.parse(Array("a${1}b${2}c$$d$name$".utf8)),
                       [.literal(Array("a".utf8)), .group(1), .literal(Array("b".utf8)), .group(2),
                        .literal(Array("c$d".utf8)), .named("name"), .literal(Array("$".utf8))])
        XCTAssertEqual(Replacement.parse(Array("$1a".utf8)), [.named("1a")], "a name is the longest run, as in rg")
    }

    func testWholeMatchAndGroupsAreFilledIn() {
        XCTAssertEqual(replaced("<$0>", "xyzw", 1..<3), "<yz>")
        XCTAssertEqual(replaced("$1-${word}-$9", "xyzw", 1..<3), "x-zw-", "a group that does not exist is empty")
    }

    func testGroupsAreNotAskedForWhenTheTemplateNamesNone() {
        var asked = false
        let replacement = Replacement("[$0]") { asked = true; return nil }
        XCTAssertFalse(asked)
        XCTAssertEqual(replacement.pieces.count, 3)
    }

    func testNoGroupEngineLeavesGroupsEmpty() {
        XCTAssertEqual(replaced("($1)", "xyzw", 1..<3, groups: nil), "()")
    }
}
