import XCTest
@testable import Search

final class CaseFoldingTests: XCTestCase {
    func testASCIILetterOrbit() {
        XCTAssertEqual(CaseFolding.orbit(0x61), [0x41, 0x61])
    }

    func testKelvinSignAndLongS() {
        XCTAssertEqual(CaseFolding.orbit(0x6B), [0x4B, 0x6B, 0x212A])
        XCTAssertEqual(CaseFolding.orbit(0x17F), [0x53, 0x73, 0x17F])
    }

    func testGreekSigmaForms() {
        XCTAssertEqual(CaseFolding.orbit(0x3C3), [0x3A3, 0x3C2, 0x3C3])
    }

    func testFullFoldingIsNotUsed() {
        // ß uppercases to "SS" (two scalars): simple folding only pairs it with ẞ.
        XCTAssertEqual(CaseFolding.orbit(0xDF), [0xDF, 0x1E9E])
    }

    func testUncasedCharacterIsItsOwnOrbit() {
        XCTAssertEqual(CaseFolding.orbit(0x31), [0x31])
    }

    func testFoldingARangeAddsOtherCases() {
        let folded = CaseFolding.fold(ScalarRanges([0x61...0x63]))
        XCTAssertEqual(folded, ScalarRanges([0x41...0x43, 0x61...0x63]))
        XCTAssertEqual(CaseFolding.foldASCII(ScalarRanges([0x6B...0x6B])), ScalarRanges([0x4B...0x4B, 0x6B...0x6B]))
    }

    func testCaseInsensitiveMatchingUsesFolding() throws {
        let regex = try CompiledRegex("(?i)\u{3c3}\u{3c3}")
        XCTAssertEqual(withBytes("x\u{3a3}\u{3c2}") { regex.find(in: $0, from: 0) }, 1..<5)
        let cyr = try CompiledRegex("(?i)\u{434}")
        XCTAssertEqual(withBytes("\u{414}") { cyr.find(in: $0, from: 0) }, 0..<2)
    }
}
