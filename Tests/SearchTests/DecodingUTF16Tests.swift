import XCTest
@testable import Search

final class DecodingUTF16Tests: XCTestCase {
    private func utf16(_ text: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bytes += bigEndian ? pair.reversed() : pair
        }
        return bytes
    }

    func testUTF16LittleEndianWithBOMIsSearchedAsUTF8() throws {
        // Fixtures/text/utf16le.txt: BOM FF FE, then "hi foo there\nbar\n".
        let (sink, _) = searchMemory(try fixtureBytes("text/utf16le.txt"), matcher: LiteralMatcher("foo"),
                                     options: makeOptions())
        XCTAssertEqual(sink.rawLines, [Array("hi foo there\n".utf8)])
        XCTAssertEqual(sink.events, ["1:hi foo there"])
        let (accented, _) = searchMemory(utf16("ab\ncé\nb\n", bigEndian: false), matcher: LiteralMatcher("é"),
                                         options: makeOptions())
        XCTAssertEqual(accented.events, ["2:cé"])
    }

    func testUTF16BigEndianWithBOMIsSearchedAsUTF8() throws {
        // Fixtures/text/utf16be.txt: BOM FE FF, then "x\nhello wörld\n".
        let (sink, _) = searchMemory(try fixtureBytes("text/utf16be.txt"), matcher: LiteralMatcher("wö"),
                                     options: makeOptions())
        XCTAssertEqual(sink.events, ["2:hello wörld"])
    }

    func testSurrogatePairsBecomeFourByteUTF8AcrossTinyReads() {
        let text = String(repeating: "ab😀\n", count: 20)
        let (sink, result) = searchMemory(utf16(text, bigEndian: false), matcher: LiteralMatcher("😀"),
                                          options: makeOptions(bufferCapacity: 8))
        XCTAssertEqual(result.stats.matchedLines, 20)
        XCTAssertEqual(sink.rawLines.first, Array("ab😀\n".utf8))
        XCTAssertEqual(result.stats.bytesSearched, text.utf8.count)
    }

    func testOddTrailingByteBecomesReplacementCharacter() {
        let (sink, _) = searchMemory(utf16("a\nb", bigEndian: false) + [0x63], matcher: LiteralMatcher("b"),
                                     options: makeOptions())
        XCTAssertEqual(sink.rawLines, [Array("b\u{FFFD}".utf8)])
    }

    func testUnpairedSurrogatesBecomeReplacementCharacters() {
        // LE: D800 then 'a', then a lone DC00.
        let input: [UInt8] = [0xFF, 0xFE, 0x00, 0xD8, 0x61, 0x00, 0x00, 0xDC]
        let (sink, _) = searchMemory(input, matcher: LiteralMatcher(""), options: makeOptions())
        XCTAssertEqual(sink.rawLines, [Array("\u{FFFD}a\u{FFFD}".utf8)])
    }

    func testTruncatedBOMIsSearchedAsPlainBytes() {
        for input: [UInt8] in [[0xFF], [0xFE], [0xEF, 0xBB], [0xFF, 0xFE], [0xFE, 0xFF, 0x00]] {
            let (sink, result) = searchMemory(input, matcher: LiteralMatcher(""), options: makeOptions())
            XCTAssertNil(result.error)
            XCTAssertLessThanOrEqual(sink.events.count, 1, "\(input)")
        }
        let (sink, _) = searchMemory([0xFF], matcher: LiteralMatcher(bytes: [0xFF]), options: makeOptions())
        XCTAssertEqual(sink.rawLines, [[0xFF]])
        let (bomOnly, _) = searchMemory([0xFF, 0xFE], matcher: LiteralMatcher(""), options: makeOptions())
        XCTAssertEqual(bomOnly.events, [], "a lone BOM decodes to nothing")
    }

    func testUTF8BOMIsDroppedLikeRg() throws {
        // Fixtures/text/utf8-bom.txt: EF BB BF, then "abc\n".
        let (sink, _) = searchMemory(try fixtureBytes("text/utf8-bom.txt"), matcher: LiteralMatcher("abc"),
                                     options: makeOptions())
        XCTAssertEqual(sink.rawLines, [Array("abc\n".utf8)])
        XCTAssertEqual(sink.offsets, [0])
    }

    func testUTF16FileDescriptorSearch() {
        let bytes = utf16(String(repeating: "line\n", count: 5000) + "needle\n", bigEndian: false)
        withTemporaryFile(bytes) { fd, path in
            var sink = RecordingSink()
            let result = Searcher(matcher: LiteralMatcher("needle"), options: makeOptions(bufferCapacity: 1024))
                .search(fileDescriptor: fd, path: path, into: &sink)
            XCTAssertEqual(sink.events, ["5001:needle"])
            XCTAssertNil(result.error)
        }
    }
}

final class DecodingUTF16RandomTests: XCTestCase {
    /// Random code units (surrogates often, unpaired ones included) read through tiny
    /// buffers must decode exactly as the standard library's UTF-16 decoding does.
    func testRandomUnitsDecodeLikeTheStandardLibrary() {
        var generator = SplitMix(seed: 99)
        for round in 0..<300 {
            let count = Int(generator.next() % 60)
            let units: [UInt16] = (0..<count).map { _ in
                switch generator.next() % 6 {
                case 0: return 0xD800 | UInt16(generator.next() % 0x400)
                case 1: return 0xDC00 | UInt16(generator.next() % 0x400)
                case 2: return 0x0A
                case 3: return UInt16(generator.next() % 0x80)
                default: return UInt16(truncatingIfNeeded: generator.next())
                }
            }
            let bigEndian = generator.next() % 2 == 0
            var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            for unit in units {
                let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
                bytes += bigEndian ? pair.reversed() : pair
            }
            let expected = Array(String(decoding: units, as: UTF16.self).utf8)
            let capacity = [8, 9, 16, 64][Int(generator.next() % 4)]
            // Empty pattern, inverted nothing: every line comes back; join them.
            let (sink, result) = searchMemory(bytes, matcher: LiteralMatcher(""),
                                              options: makeOptions(bufferCapacity: capacity, binary: .text))
            XCTAssertEqual(Array(sink.rawLines.joined()), expected, "round \(round)")
            XCTAssertEqual(result.stats.bytesSearched, expected.count, "round \(round)")
        }
    }
}
