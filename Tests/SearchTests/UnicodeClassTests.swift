import XCTest
@testable import Search

final class UnicodeClassTests: XCTestCase {
    func testUTF8SequencesCoverRangesExactly() {
        // Every scalar in a range encodes to a byte string the sequences accept, and the
        // neighbours outside it do not.
        let set = ScalarRanges([0x7F...0x801, 0xFFFE...0x10001, 0xD700...0xE001])
        let seqs = UTF8Sequences.sequences(for: set)
        func accepted(_ c: UInt32) -> Bool {
            let bytes = UTF8Sequences.encode(c)
            return seqs.contains { seq in
                seq.count == bytes.count && zip(seq, bytes).allSatisfy { $0.lo <= $1 && $1 <= $0.hi }
            }
        }
        for c: UInt32 in [0x7F, 0x80, 0x7FF, 0x800, 0x801, 0xFFFE, 0xFFFF, 0x10000, 0x10001, 0xD700, 0xD7FF, 0xE000, 0xE001] {
            XCTAssertTrue(accepted(c), String(c, radix: 16))
        }
        for c: UInt32 in [0x7E, 0x802, 0xFFFD, 0x10002, 0xD6FF, 0xE002] {
            XCTAssertFalse(accepted(c), String(c, radix: 16))
        }
    }

    func testDecodeRejectsOverlongSurrogateAndTruncated() {
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
            XCTAssertNil(bad.withUnsafeBytes { UTF8Sequences.decode($0, at: 0, end: $0.count) }, "\(bad)")
        }
        XCTAssertEqual(([0xE2, 0x82, 0xAC] as [UInt8]).withUnsafeBytes { UTF8Sequences.decode($0, at: 0, end: 3) }, 0x20AC)
        XCTAssertEqual(([0x61, 0xE2, 0x82, 0xAC] as [UInt8]).withUnsafeBytes { UTF8Sequences.decodeBackward($0, before: 4, begin: 0) }, 0x20AC)
    }

    func testGeneralCategoriesComeFromSwiftProperties() throws {
        let nd = try XCTUnwrap(UnicodeTables.property(named: "Nd"))
        XCTAssertTrue(nd.contains(0x0663))
        XCTAssertFalse(nd.contains(0x00B2), "superscript two is No, not Nd")
        let loose = try XCTUnwrap(UnicodeTables.property(named: "Uppercase Letter"))
        XCTAssertTrue(loose.contains(0x0394))
        XCTAssertNil(UnicodeTables.property(named: "NotAProperty"))
    }

    func testBinaryProperties() throws {
        let upper = try XCTUnwrap(UnicodeTables.property(named: "Uppercase"))
        XCTAssertTrue(upper.contains(0x41))
        XCTAssertTrue(upper.contains(0x2160), "ROMAN NUMERAL ONE is Uppercase but not Lu")
        XCTAssertFalse(upper.contains(0x61))
        let emoji = try XCTUnwrap(UnicodeTables.property(named: "Emoji"))
        XCTAssertTrue(emoji.contains(0x1F600))
    }

    func testScriptTable() throws {
        let greek = try XCTUnwrap(UnicodeTables.property(named: "Greek"))
        XCTAssertTrue(greek.contains(0x1F00))
        XCTAssertFalse(greek.contains(0x3E2), "Coptic letters are not Greek")
        let han = try XCTUnwrap(UnicodeTables.property(named: "sc=Hani"))
        XCTAssertTrue(han.contains(0x4E2D))
        let latin = try XCTUnwrap(UnicodeTables.property(named: "Latin"))
        XCTAssertTrue(latin.contains(0xE9))
        XCTAssertFalse(latin.contains(0x3B1))
    }

    func testWordClassMatchesRustDefinition() {
        XCTAssertTrue(UnicodeTables.isWordScalar(0x5F))
        XCTAssertTrue(UnicodeTables.isWordScalar(0x0301), "combining marks are word characters")
        XCTAssertTrue(UnicodeTables.isWordScalar(0x200D), "ZERO WIDTH JOINER is Join_Control")
        XCTAssertTrue(UnicodeTables.isWordScalar(0x4E2D))
        XCTAssertFalse(UnicodeTables.isWordScalar(0x2014))
    }

    func testUnicodeAwareWordBoundary() throws {
        let regex = try CompiledRegex("\\b\\w+\\b")
        XCTAssertEqual(withBytes("\u{2014}caf\u{e9}\u{2014}") { regex.find(in: $0, from: 0) }, 3..<8)
        let ascii = try CompiledRegex("(?-u:\\b)caf")
        XCTAssertEqual(withBytes("\u{e9}caf") { ascii.find(in: $0, from: 0) }, 2..<5)
    }

    func testGreekClassMatchesWholeCodePoints() throws {
        let regex = try CompiledRegex("\\p{Greek}+")
        XCTAssertEqual(withBytes("abc \u{3bb}\u{3cc}\u{3b3}\u{3bf}\u{3c2}!") { regex.find(in: $0, from: 0) }, 4..<14)
    }
}
