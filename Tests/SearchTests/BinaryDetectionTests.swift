import XCTest
@testable import Search

final class BinaryDetectionTests: XCTestCase {
    func testQuitModeStopsSilentlyWhenTheFirstChunkHoldsNul() throws {
        // As rg does for walked files: the chunk holding the NUL is not searched.
        // Fixtures/text/binary.dat: "text foo\n\0bin foo\n", the NUL at offset 9.
        let input = try fixtureBytes("text/binary.dat")
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("foo"),
                                          options: makeOptions(bufferCapacity: 65536, binary: .quit))
        XCTAssertEqual(sink.events, [])
        XCTAssertEqual(sink.binaryOffsets, [9])
        XCTAssertEqual(result.stats.binaryByteOffset, 9)
        XCTAssertTrue(result.stats.quitOnBinary)
        XCTAssertTrue(result.stats.isBinary)
        XCTAssertEqual(result.stats.matchedLines, 0)
    }

    func testQuitModeKeepsMatchesFromEarlierChunks() {
        // 16-byte reads: the matches in the first reads are reported, then the NUL at 40 quits.
        let input = Array("abc\nabc\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\0abc\n".utf8)
        XCTAssertEqual(input.firstIndex(of: 0), 39)
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("abc"),
                                          options: makeOptions(bufferCapacity: 16, binary: .quit))
        XCTAssertEqual(sink.events, ["1:abc", "2:abc"])
        XCTAssertEqual(sink.binaryOffsets, [39])
        XCTAssertTrue(result.stats.quitOnBinary)
        XCTAssertEqual(result.stats.matchedLines, 2, "the printer warns: matches were printed")
    }

    func testConvertModeReplacesNulAndSearchesOn() throws {
        // rg -c foo on the explicit file Fixtures/text/binary.dat counts 2; the offset is 9.
        let input = try fixtureBytes("text/binary.dat")
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("foo"),
                                          options: makeOptions(bufferCapacity: 65536, binary: .convert))
        XCTAssertEqual(sink.binaryOffsets, [9])
        XCTAssertEqual(result.stats.matchedLines, 2)
        XCTAssertFalse(result.stats.quitOnBinary)
        XCTAssertEqual(sink.events, ["1:text foo", "3:bin foo"], "the NUL became a line terminator")
    }

    func testConvertModeTellsTheSinkBeforeTheFirstMatchFromTheBinaryChunk() {
        struct StopAtBinaryMatch: SearchSink {
            var sawBinary = false
            var printed = 0
            var binaryMatch = false
            mutating func binaryDetected(offset: Int) { sawBinary = true }
            mutating func matched(_ line: SearchLine) -> Bool {
                if sawBinary { binaryMatch = true; return false }
                printed += 1
                return true
            }
        }
        var sink = StopAtBinaryMatch()
        let input = Array("abc\n\0def\nabc\n".utf8)
        let result = input.withUnsafeBytes {
            Searcher(matcher: LiteralMatcher("abc"), options: makeOptions(bufferCapacity: 65536, binary: .convert))
                .search(bytes: $0, into: &sink)
        }
        XCTAssertTrue(sink.binaryMatch)
        XCTAssertEqual(sink.printed, 0)
        XCTAssertEqual(result.stats.matchedLines, 1)
    }

    func testTextModeSearchesNulBytesAsIs() {
        let input: [UInt8] = Array("a\0b\n".utf8) + Array("c\n".utf8)
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher(bytes: [0x00, 0x62]),
                                          options: makeOptions(binary: .text))
        XCTAssertEqual(sink.rawLines, [Array("a\0b\n".utf8)])
        XCTAssertNil(result.stats.binaryByteOffset)
        XCTAssertTrue(sink.binaryOffsets.isEmpty)
    }

    func testOnlyNulBytes() {
        let input = [UInt8](repeating: 0, count: 100)
        let quit = searchMemory(input, matcher: LiteralMatcher(""), options: makeOptions(binary: .quit))
        XCTAssertEqual(quit.1.stats.binaryByteOffset, 0)
        XCTAssertEqual(quit.1.stats.matchedLines, 0)
        let text = searchMemory(input, matcher: LiteralMatcher(""), options: makeOptions(binary: .text))
        XCTAssertEqual(text.1.stats.matchedLines, 1, "one line of 100 NULs")
        let convert = searchMemory(input, matcher: LiteralMatcher(""), options: makeOptions(binary: .convert))
        XCTAssertEqual(convert.1.stats.matchedLines, 100, "each NUL became an empty line")
    }

    func testBinaryOffsetCountsFromTheStartAcrossReads() {
        var input = [UInt8](repeating: 0x61, count: 1000)
        input[777] = 0
        let (_, result) = searchMemory(input, matcher: LiteralMatcher("zz"),
                                       options: makeOptions(bufferCapacity: 64, binary: .quit))
        XCTAssertEqual(result.stats.binaryByteOffset, 777)
    }

    func testMultilineQuitModeSearchesNothingInABinaryInput() {
        let (sink, result) = searchMemory(Array("abc\n\0".utf8), matcher: LiteralMatcher("abc"),
                                          options: makeOptions(binary: .quit, multiline: true))
        XCTAssertEqual(sink.events, [])
        XCTAssertEqual(result.stats.binaryByteOffset, 4)
    }
}
