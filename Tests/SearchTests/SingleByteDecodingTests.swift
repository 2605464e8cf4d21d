import XCTest
@testable import Search

/// The single-byte decoder the searcher runs for `-E latin1` and the like: ASCII as it is,
/// high bytes through the table, decoded as the buffer fills.
final class SingleByteDecodingTests: XCTestCase {
    /// windows-1252's upper half in the shape the CLI passes it: 0x80 is €, 0x81 has no
    /// code point, the rest as Latin-1 (enough for these tests).
    private static let windows1252: [UInt16] = (0x80...0xFF).map { byte in
        byte == 0x80 ? 0x20AC : byte == 0x81 ? 0xFFFD : UInt16(byte)
    }

    private func options(bufferCapacity: Int = 8) -> SearchOptions {
        var options = makeOptions(bufferCapacity: bufferCapacity)
        options.decoding = .singleByte(upperHalf: Self.windows1252)
        return options
    }

    func testHighBytesDecodeThroughTheTableWithATinyBuffer() {
        let input = Array("plain line\ncaf".utf8) + [0xE9, 0x20, 0x80, 0x81] + Array(" end\nlast\n".utf8)
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("café €"), options: options())
        XCTAssertNil(result.error)
        XCTAssertEqual(sink.events, ["2:café €\u{FFFD} end"])
        XCTAssertEqual(result.stats.bytesSearched, "plain line\ncafé €\u{FFFD} end\nlast\n".utf8.count)
    }

    func testASCIIRunsOfEveryLengthAroundHighBytes() {
        // The pass-through copies eight bytes at a time: a high byte at each offset.
        for offset in 0...20 {
            let ascii = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            let input = Array(ascii[..<offset]) + [0xE9] + Array(ascii[offset...]) + [0x0A]
            let (sink, _) = searchMemory(input, matcher: LiteralMatcher("é"), options: options(bufferCapacity: 64))
            let expected = String(decoding: ascii[..<offset], as: UTF8.self) + "é" + String(decoding: ascii[offset...], as: UTF8.self) + "\n"
            XCTAssertEqual(sink.rawLines, [Array(expected.utf8)], "offset \(offset)")
        }
    }

    func testUTF8ByteOrderMarkIsDroppedAndTheTableDecodesTheRest() {
        let (sink, _) = searchMemory([0xEF, 0xBB, 0xBF] + Array("café\n".utf8), matcher: LiteralMatcher("caf"),
                                     options: options())
        XCTAssertEqual(sink.rawLines, [Array("cafÃ©\n".utf8)])
    }
}
