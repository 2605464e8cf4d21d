import XCTest
@testable import Search

final class LiteralExtractionTests: XCTestCase {
    private func info(_ pattern: String, _ options: RegexOptions = RegexOptions()) throws -> LiteralInfo {
        LiteralInfo.analyze(try RegexParser.parse(pattern, options: options))
    }

    private func plain(_ s: String) -> Literal { s.utf8.map { LiteralByte(byte: $0, fold: false) } }

    func testPlainLiteralIsExact() throws {
        XCTAssertEqual(try info("PM_RESUME").exact, [plain("PM_RESUME")])
    }

    func testAlternationOfLiteralsIsExactInPriorityOrder() throws {
        XCTAssertEqual(try info("sam|samwise|sam").exact, [plain("sam"), plain("samwise")])
    }

    func testSmallClassesExpandToLiterals() throws {
        XCTAssertEqual(try info("a[bc]d").exact, [plain("abd"), plain("acd")])
        XCTAssertEqual(try info("ab{2}").exact, [plain("abb")])
    }

    func testInnerLiteralIsRequiredButNotExact() throws {
        let i = try info("[A-Z]+_RESUME")
        XCTAssertNil(i.exact)
        XCTAssertEqual(i.required, [plain("_RESUME")])
        XCTAssertEqual(try info("\\wAh").required, [plain("Ah")])
    }

    func testRequiredPicksTheRarerLiteral() throws {
        XCTAssertEqual(try info("the\\s+QZX_1\\d").required, [plain("QZX_1")])
    }

    func testAlternationRequiresALiteralInEveryBranch() throws {
        XCTAssertEqual(try info("\\d+foo|bar\\w").required, [plain("foo"), plain("bar")])
        XCTAssertNil(try info("\\d+foo|\\w+").required)
    }

    func testOptionalPartsAreNotRequired() throws {
        XCTAssertEqual(try info("(abc)?def").required, [plain("def")])
        XCTAssertNil(try info("a*").required)
        XCTAssertNil(try info("x?").exact)
    }

    func testAssertionsBreakExactness() throws {
        let i = try info("\\bfoo\\b")
        XCTAssertNil(i.exact)
        XCTAssertEqual(i.required, [plain("foo")])
    }

    func testCaseInsensitiveASCIILettersFoldInPlace() throws {
        let i = try info("(?i)pm_r")
        let expected: Literal = [LiteralByte(byte: 0x70, fold: true), LiteralByte(byte: 0x6D, fold: true),
                                 LiteralByte(byte: 0x5F, fold: false), LiteralByte(byte: 0x72, fold: true)]
        XCTAssertEqual(i.exact, [expected])
    }

    func testCaseInsensitiveKeepsNonASCIIFoldVariants() throws {
        // k also folds to KELVIN SIGN, a separate literal.
        let i = try info("(?i)k")
        XCTAssertEqual(i.exact?.count, 2)
        XCTAssertTrue(i.exact?.contains(plain("\u{212A}")) ?? false)
    }

    func testHugeExpansionsAreDropped() throws {
        XCTAssertNil(try info("[ab][cd][ef][gh][ij]").exact)
    }

    func testScannerFindsLeftmostAndFirstPriority() {
        let scanner = LiteralScanner([plain("samwise"), plain("sam")])
        let text = Array("xx samwise sam".utf8)
        let hit = text.withUnsafeBytes { scanner.find($0, from: 0, to: $0.count) }
        XCTAssertEqual(hit?.start, 3)
        XCTAssertEqual(hit?.literal, 0)
    }

    func testScannerFoldsASCIICase() {
        let lit: Literal = "pm_resume".utf8.map { LiteralByte(byte: $0, fold: $0 != 0x5F) }
        let scanner = LiteralScanner([lit])
        let text = Array((String(repeating: "pm resume ", count: 10) + "Pm_ReSuMe").utf8)
        XCTAssertEqual(text.withUnsafeBytes { scanner.find($0, from: 0, to: $0.count) }?.start, 100)
        XCTAssertNil(text.withUnsafeBytes { scanner.find($0, from: 0, to: 108) })
    }

    func testScannerFindsMatchesAtEveryAlignment() {
        let scanner = LiteralScanner([plain("ab"), plain("xyz")])
        for offset in 0..<40 {
            let text = [UInt8](repeating: 0x2E, count: offset) + Array("xyz".utf8) + [UInt8](repeating: 0x2E, count: 20)
            XCTAssertEqual(text.withUnsafeBytes { scanner.find($0, from: 0, to: $0.count) }?.start, offset)
        }
    }

    func testScannerFindsNonASCIICaseVariantsBeforeASCIIHits() throws {
        let regex = try CompiledRegex("(?i)pm_resume|link")
        let text = "xx pm_re\u{17F}ume LINK pm_resume"
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, 3..<13)
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 4) }, 14..<18)
        let kelvin = try CompiledRegex("(?i)kb|zz")
        XCTAssertEqual(withBytes("zq \u{212A}B zz") { kelvin.find(in: $0, from: 0) }, 3..<7)
        XCTAssertEqual(withBytes("zz \u{212A}B") { kelvin.find(in: $0, from: 0) }, 0..<2)
    }

    func testExactLiteralPatternSpansComeFromTheScanner() throws {
        let regex = try CompiledRegex("ERR_SYS|PME_TURN_OFF")
        XCTAssertNotNil(regex.exactScanner)
        XCTAssertEqual(withBytes("a PME_TURN_OFF ERR_SYS") { regex.find(in: $0, from: 0) }, 2..<14)
        let inner = try CompiledRegex("[A-Z]+_RESUME")
        XCTAssertNil(inner.exactScanner)
        XCTAssertNotNil(inner.requiredScanner)
    }

    func testRequiredLiteralOnNonMatchingLineIsSkipped() throws {
        let regex = try CompiledRegex("[A-Z]+_RESUME")
        let text = "x _RESUME\nlower_RESUME\nPM_RESUME"
        XCTAssertEqual(withBytes(text) { regex.find(in: $0, from: 0) }, 23..<32)
        XCTAssertEqual(withBytes(text) { regex.firstMatchEnd(in: $0, from: 0) }, 32)
    }
}
