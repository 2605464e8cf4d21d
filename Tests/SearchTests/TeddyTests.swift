import CShims
import CTeddy
import XCTest
@testable import Search

/// The AVX2 Teddy prefilter behind `LiteralScanner` must give the portable path's answers:
/// the leftmost start, and on a tie the literal first in priority order.
final class TeddyTests: XCTestCase {
    private func plain(_ s: String) -> Literal { s.utf8.map { LiteralByte(byte: $0, fold: false) } }
    private func folded(_ s: String) -> Literal {
        s.lowercased().utf8.map { LiteralByte(byte: $0, fold: $0 >= 0x61 && $0 <= 0x7A) }
    }

    private func requireTeddy() throws {
        try XCTSkipUnless(trawl_teddy_is_available() != 0, "no AVX2: only the portable path runs here")
    }

    /// Every match from `from` on, in order, as (start, literal).
    private func allMatches(_ scanner: LiteralScanner, _ hay: [UInt8], from: Int, to end: Int) -> [[Int]] {
        hay.withUnsafeBytes { h in
            var out: [[Int]] = []
            var pos = from
            while pos < end, let (p, k) = scanner.find(h, from: pos, to: end) {
                out.append([p, k])
                pos = p + 1
            }
            return out
        }
    }

    /// Brute force: the definition of the contract.
    private func reference(_ literals: [Literal], _ hay: [UInt8], from: Int, to end: Int) -> [[Int]] {
        var out: [[Int]] = []
        for p in from..<max(from, end) {
            for (k, lit) in literals.enumerated() where p + lit.count <= end {
                if lit.indices.allSatisfy({ lit[$0].matches(hay[p + $0]) }) { out.append([p, k]); break }
            }
        }
        return out
    }

    private func assertAgree(_ literals: [Literal], _ hay: [UInt8], from: Int = 0, to end: Int? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        let end = end ?? hay.count
        let fast = LiteralScanner(literals, allowsTeddy: true)
        let portable = LiteralScanner(literals, allowsTeddy: false)
        XCTAssertFalse(portable.usesTeddy, file: file, line: line)
        let expected = reference(literals, hay, from: from, to: end)
        XCTAssertEqual(allMatches(portable, hay, from: from, to: end), expected, "portable", file: file, line: line)
        XCTAssertEqual(allMatches(fast, hay, from: from, to: end), expected,
                       "teddy=\(fast.usesTeddy) literals \(literals.map { $0.map(\.byte) }) folds \(literals.map { $0.map(\.fold) }) hay \(hay) \(from)..<\(end)",
                       file: file, line: line)
    }

    func testTeddyRunsForSetsWhenTheCPUHasAVX2() throws {
        try requireTeddy()
        XCTAssertTrue(LiteralScanner([plain("ERR_SYS"), plain("PME_TURN_OFF")]).usesTeddy)
        XCTAssertTrue(LiteralScanner([folded("PM_RESUME")]).usesTeddy)
        XCTAssertTrue(LiteralScanner([plain("a"), plain("b")]).usesTeddy)
        // One case-sensitive literal of 4+ bytes stays on trawl_memmem.
        XCTAssertFalse(LiteralScanner([plain("PM_RESUME")]).usesTeddy)
    }

    func testMoreThanSixtyFourLiteralsFallBackToThePortablePath() throws {
        try requireTeddy()
        let many = (0..<65).map { plain("lit\($0)") }
        XCTAssertFalse(LiteralScanner(many).usesTeddy)
        XCTAssertTrue(LiteralScanner(Array(many.prefix(64))).usesTeddy)
        assertAgree(many, Array("xx lit64 lit7 lit10".utf8))
    }

    func testAgreesWithPortablePathOnRandomSetsAndHaystacks() throws {
        try requireTeddy()
        var rng = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            // Small alphabets make overlaps, shared prefixes and prefixes of each other common.
            let alphabet = UInt8(2 + round % 5)
            func letter() -> UInt8 {
                // Now and then a non-ASCII byte (the -i variants of s and k are C5 BF, E2 84 AA).
                if Int.random(in: 0..<40, using: &rng) == 0 { return [0xC5, 0xBF, 0xE2][Int.random(in: 0..<3, using: &rng)] }
                return 97 + UInt8.random(in: 0..<alphabet, using: &rng)
            }
            let count = round % 10 == 0 ? Int.random(in: 9...64, using: &rng) : Int.random(in: 1...8, using: &rng)
            let literals: [Literal] = (0..<count).map { _ in
                let length = Int.random(in: 1...9, using: &rng)
                return (0..<length).map { _ in
                    let b = letter()
                    return LiteralByte(byte: b, fold: b < 0x80 && Bool.random(using: &rng))
                }
            }
            let length = Int.random(in: 0..<(round % 3 == 0 ? 40 : 200), using: &rng)
            var hay: [UInt8] = (0..<length).map { _ in
                let b = letter()
                return b < 0x80 && Int.random(in: 0..<4, using: &rng) == 0 ? b & ~0x20 : b
            }
            // Plant a literal, sometimes right at the end.
            if let lit = literals.randomElement(using: &rng), hay.count >= lit.count, Bool.random(using: &rng) {
                let at = Bool.random(using: &rng) ? hay.count - lit.count : Int.random(in: 0...(hay.count - lit.count), using: &rng)
                hay.replaceSubrange(at..<(at + lit.count), with: lit.map(\.byte))
            }
            let from = hay.isEmpty || Bool.random(using: &rng) ? 0 : Int.random(in: 0..<hay.count, using: &rng)
            let end = Bool.random(using: &rng) ? hay.count : Int.random(in: from...hay.count, using: &rng)
            assertAgree(literals, hay, from: from, to: end)
        }
    }

    func testLeftmostStartWinsOverPriorityOrder() throws {
        try requireTeddy()
        let scanner = LiteralScanner([plain("bcd"), plain("ab")])
        XCTAssertTrue(scanner.usesTeddy)
        let hay = Array("xxabcd".utf8)
        hay.withUnsafeBytes { h in
            XCTAssertEqual(scanner.find(h, from: 0, to: h.count).map { [$0.start, $0.literal] }, [2, 1])
        }
    }

    func testFirstLiteralInPriorityOrderWinsAtTheSameStart() throws {
        try requireTeddy()
        let hay = Array("the samwise gamgee".utf8)
        for literals in [[plain("sam"), plain("samwise")], [plain("samwise"), plain("sam")],
                         [plain("samw"), plain("sam"), plain("samwise")], [folded("SAMWISE"), plain("samw")]] {
            let scanner = LiteralScanner(literals)
            XCTAssertTrue(scanner.usesTeddy)
            hay.withUnsafeBytes { h in
                XCTAssertEqual(scanner.find(h, from: 0, to: h.count).map { [$0.start, $0.literal] }, [4, 0])
            }
        }
    }

    func testFindsMatchesAtEveryPositionAcrossBlockEdges() throws {
        try requireTeddy()
        let literals = [plain("ERR_SYS"), plain("PME_TURN_OFF"), plain("LINK_REQ_RST"), folded("cfg_bme_evt")]
        for (k, lit) in literals.enumerated() {
            for position in 0...(140 - lit.count) {
                var hay = [UInt8](repeating: UInt8(ascii: "x"), count: 140)
                hay.replaceSubrange(position..<(position + lit.count), with: lit.map(\.byte))
                let found = hay.withUnsafeBytes { LiteralScanner(literals).find($0, from: 0, to: $0.count) }
                XCTAssertEqual(found.map { [$0.start, $0.literal] }, [position, k])
            }
        }
    }

    func testHaystacksShorterThanABlockFindMatchesAtTheirEnds() throws {
        try requireTeddy()
        let literals = [plain("abc"), folded("XYZW")]
        for length in 0..<40 {
            for planted in [plain("abc"), plain("xYzW")] where planted.count <= length {
                var hay = [UInt8](repeating: UInt8(ascii: "-"), count: length)
                hay.replaceSubrange((length - planted.count)..<length, with: planted.map(\.byte))
                assertAgree(literals, hay)
                // Cut one byte short, the match must vanish.
                assertAgree(literals, hay, to: length - 1)
            }
        }
    }

    func testFoldedLiteralsMatchEitherCaseAndNothingElse() throws {
        try requireTeddy()
        let literals = [folded("pme_turn_off"), folded("err_sys")]
        let scanner = LiteralScanner(literals)
        XCTAssertTrue(scanner.usesTeddy)
        for (text, expected) in [("x ERR_SYS", [2, 1]), ("x eRr_SyS", [2, 1]), ("Pme_Turn_Off err_sys", [0, 0]),
                                 ("err-sys ERR_SY", nil), ("err_sy\u{17F}", nil)] as [(String, [Int]?)] {
            let hay = Array(text.utf8)
            let found = hay.withUnsafeBytes { scanner.find($0, from: 0, to: $0.count) }
            XCTAssertEqual(found.map { [$0.start, $0.literal] }, expected, text)
        }
    }

    func testLiteralsSharingAWindowShareABucket() {
        let windows = [plain("abc"), plain("xyz"), plain("abc"), folded("abc")]
        XCTAssertEqual(TeddyPrefilter.buckets(windows), [0, 1, 0, 2])
        let many = (0..<20).map { plain(String(format: "%03d", $0)) }
        let buckets = TeddyPrefilter.buckets(many)
        XCTAssertEqual(Set(buckets).count, 8)
        XCTAssertEqual(buckets, buckets.sorted(), "neighbours in sorted order share a bucket")
    }

    func testFingerprintAvoidsACommonPrefixWhenARarerWindowExists() {
        // "the" is common; "QZX" at offset 3 is rare.
        XCTAssertEqual(TeddyPrefilter.bestOffset([plain("theQZX"), plain("theQZY")], width: 3, maxOffset: 3), 3)
        XCTAssertEqual(TeddyPrefilter.bestOffset([plain("QZXthe")], width: 3, maxOffset: 3), 0)
    }

    func testFingerprintSkipsRunsOfCapitalsThatAreCommonWords() {
        // ERR, PME, LIN, CFG are common in C; windows across the underscore are rarer.
        let literals = ["ERR_SYS", "PME_TURN_OFF", "LINK_REQ_RST", "CFG_BME_EVT"].map(plain)
        XCTAssertEqual(TeddyPrefilter.bestOffset(literals, width: 3, maxOffset: 4), 2)
        XCTAssertEqual(TeddyPrefilter.ByteClass.upper.rarity, 23)
        XCTAssertEqual(TeddyPrefilter.ByteClass.lower.rarity, 8)
    }
}
