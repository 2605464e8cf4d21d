import Glibc
import XCTest
@testable import Search

/// The WHATWG multi-byte decoders (https://encoding.spec.whatwg.org/), checked against the
/// standard's algorithms and indexes: valid pairs, errors as U+FFFD (an ASCII byte after a
/// lead is decoded again), ASCII passing through, and sequences split across calls.
final class MultiByteDecodingTests: XCTestCase {
    /// "Шерлок Холмс" in Shift_JIS and EUC-JP (ripgrep's f1_sjis and f1_eucjp inputs).
    static let sherlockShiftJIS: [UInt8] = [0x84, 0x59, 0x84, 0x75, 0x84, 0x82, 0x84, 0x7C, 0x84, 0x80, 0x84, 0x7B, 0x20,
                                            0x84, 0x56, 0x84, 0x80, 0x84, 0x7C, 0x84, 0x7D, 0x84, 0x83]
    static let sherlockEUCJP: [UInt8] = [0xA7, 0xBA, 0xA7, 0xD6, 0xA7, 0xE2, 0xA7, 0xDD, 0xA7, 0xE0, 0xA7, 0xDC, 0x20,
                                         0xA7, 0xB7, 0xA7, 0xE0, 0xA7, 0xDD, 0xA7, 0xDE, 0xA7, 0xE3]

    /// Decodes `input` through the streaming transcoder, `chunk` input bytes and at most
    /// `room` output bytes per call.
    private func decode(_ input: [UInt8], _ encoding: MultiByteEncoding, chunk: Int = Int.max, room: Int = 1 << 16) -> String {
        var transcoder = MultiByteTranscoder(encoding)
        var output: [UInt8] = []
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: max(room, MultiByteTranscoder.maxFinishOutput),
                                                             alignment: 1)
        defer { scratch.deallocate() }
        input.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + min(chunk, bytes.count - start))
                var piece = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                while !piece.isEmpty {
                    let (consumed, produced) = transcoder.transcode(
                        piece, into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<room]))
                    output += scratch[..<produced]
                    piece = UnsafeRawBufferPointer(rebasing: piece[consumed...])
                }
                start = end
            }
        }
        let tail = transcoder.finish(into: scratch)
        output += scratch[..<tail]
        return String(decoding: output, as: UTF8.self)
    }

    func testShiftJISDecodesRipgrepsSherlockHolmes() {
        XCTAssertEqual(decode(Self.sherlockShiftJIS, .shiftJIS), "Шерлок Холмс")
    }

    func testShiftJISSingleBytesAndPairs() {
        XCTAssertEqual(decode(Array("plain ASCII ~\n".utf8), .shiftJIS), "plain ASCII ~\n")
        XCTAssertEqual(decode([0x80], .shiftJIS), "\u{80}")
        XCTAssertEqual(decode([0xA1, 0xDF], .shiftJIS), "\u{FF61}\u{FF9F}")  // half-width katakana
        XCTAssertEqual(decode([0x81, 0x40, 0x88, 0x9F], .shiftJIS), "\u{3000}亜")
        // Lead 0xE0 uses lead offset 0xC1; trail 0x80 and up offset 0x41.
        XCTAssertEqual(decode([0xE0, 0x40, 0x88, 0xA0], .shiftJIS), "漾唖")
        // Pointers 8836...10715 are the end-user-defined area: the Private Use Area.
        XCTAssertEqual(decode([0xF0, 0x40, 0xF9, 0xFC], .shiftJIS), "\u{E000}\u{E757}")
    }

    func testShiftJISErrorsBecomeReplacementCharacters() {
        // Bytes that are neither ASCII, 0x80, katakana nor a lead: one U+FFFD each.
        XCTAssertEqual(decode([0xA0, 0xFD, 0xFE, 0xFF], .shiftJIS), "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        // A lead before an ASCII byte: U+FFFD, then the ASCII byte decoded again.
        XCTAssertEqual(decode([0x81, 0x20, 0x81, 0x0A], .shiftJIS), "\u{FFFD} \u{FFFD}\n")
        // A lead before a non-ASCII byte that is no trail: both taken by one U+FFFD.
        XCTAssertEqual(decode([0x81, 0xFD, 0x41], .shiftJIS), "\u{FFFD}A")
        // A pair whose pointer the index leaves out (108, row 2's gap).
        XCTAssertEqual(decode([0x81, 0xAD, 0x41], .shiftJIS), "\u{FFFD}A")
        // A lead at the end of the input.
        XCTAssertEqual(decode([0x41, 0x81], .shiftJIS), "A\u{FFFD}")
    }

    func testEUCJPDecodesRipgrepsSherlockHolmes() {
        XCTAssertEqual(decode(Self.sherlockEUCJP, .eucJP), "Шерлок Холмс")
    }

    func testEUCJPThreeIndexesAndErrors() {
        XCTAssertEqual(decode(Array("ASCII\n".utf8), .eucJP), "ASCII\n")
        XCTAssertEqual(decode([0xA1, 0xA1, 0xB0, 0xA1], .eucJP), "\u{3000}亜")  // jis0208
        XCTAssertEqual(decode([0x8E, 0xA1, 0x8E, 0xDF], .eucJP), "\u{FF61}\u{FF9F}")  // half-width katakana
        XCTAssertEqual(decode([0x8F, 0xA2, 0xAF], .eucJP), "\u{02D8}")  // jis0212 pointer 108
        XCTAssertEqual(decode([0x80, 0xFF, 0xA0], .eucJP), "\u{FFFD}\u{FFFD}\u{FFFD}")
        XCTAssertEqual(decode([0xA1, 0x41], .eucJP), "\u{FFFD}A")
        XCTAssertEqual(decode([0x8E, 0xE0, 0x41], .eucJP), "\u{FFFD}A")  // 0x8E takes 0xA1...0xDF only
        XCTAssertEqual(decode([0x8F, 0xA2, 0x41], .eucJP), "\u{FFFD}A")  // the three-byte form cut by ASCII
        XCTAssertEqual(decode([0x8F, 0x41], .eucJP), "\u{FFFD}A")
        XCTAssertEqual(decode([0x8F, 0xA1, 0xA1, 0x41], .eucJP), "\u{FFFD}A")  // jis0212 has no pointer 0
        XCTAssertEqual(decode([0x41, 0x8F, 0xA2], .eucJP), "A\u{FFFD}")  // unfinished at the end
    }

    func testSequencesSplitAnywhereDecodeAsWhole() {
        let mixed: [(MultiByteEncoding, [UInt8])] = [
            (.shiftJIS, Self.sherlockShiftJIS + [0x0A, 0x81, 0x20, 0xA1, 0x80, 0xF0, 0x40, 0x81, 0x0A, 0x81]),
            (.eucJP, Self.sherlockEUCJP + [0x0A, 0x8F, 0xA2, 0xAF, 0x8E, 0xA1, 0x8F, 0xA2, 0x41, 0xA1, 0x0A, 0x8F]),
        ]
        for (encoding, input) in mixed {
            let whole = decode(input, encoding)
            XCTAssertTrue(whole.hasPrefix("Шерлок Холмс\n"), whole)
            for chunk in 1...4 {
                XCTAssertEqual(decode(input, encoding, chunk: chunk), whole, "\(encoding) chunk \(chunk)")
            }
            // Output with room for one step at a time: input is left for the next call.
            XCTAssertEqual(decode(input, encoding, room: MultiByteTranscoder.maxOutputPerStep), whole)
            // The whole-input decoder (--null-data) agrees with the streaming one.
            let decodedWhole = input.withUnsafeBytes { encoding.decode($0) }
            XCTAssertEqual(String(decoding: decodedWhole, as: UTF8.self), whole)
        }
    }

    private func decodingOptions(_ encoding: MultiByteEncoding, bufferCapacity: Int = 8) -> SearchOptions {
        var options = makeOptions(bufferCapacity: bufferCapacity)
        options.decoding = encoding
        return options
    }

    func testSearcherDecodesWhileReadingWithATinyBuffer() {
        let input = Array("first line\n".utf8) + Self.sherlockShiftJIS + Array(" tail\nlast\n".utf8)
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("Холмс"), options: decodingOptions(.shiftJIS))
        XCTAssertNil(result.error)
        XCTAssertEqual(sink.events, ["2:Шерлок Холмс tail"])
        XCTAssertEqual(sink.rawLines, [Array("Шерлок Холмс tail\n".utf8)])
    }

    func testSequencesAcrossReadBoundariesDecodeInTheSearcher() {
        // 300 KB of two-byte characters: raw reads of 64 KiB end inside pairs, with either
        // alignment of the pairs.
        let line = Self.sherlockEUCJP + [0x0A]
        for prefix in [[], [UInt8(0x41)]] as [[UInt8]] {
            let input = prefix + Array([[UInt8]](repeating: line, count: 300_000 / line.count).joined())
            let (_, result) = searchMemory(input, matcher: LiteralMatcher("Шерлок Холмс"),
                                           options: decodingOptions(.eucJP, bufferCapacity: 4096))
            XCTAssertEqual(result.stats.matchedLines, 300_000 / line.count, "prefix \(prefix)")
        }
    }

    func testByteOrderMarkWinsOverTheEncoding() {
        let utf8 = [0xEF, 0xBB, 0xBF] + Array("Холмс\n".utf8)
        let (sink, _) = searchMemory(utf8, matcher: LiteralMatcher("Холмс"), options: decodingOptions(.shiftJIS))
        XCTAssertEqual(sink.rawLines, [Array("Холмс\n".utf8)])
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("Холмс\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (sink16, _) = searchMemory(utf16, matcher: LiteralMatcher("Холмс"), options: decodingOptions(.eucJP))
        XCTAssertEqual(sink16.rawLines, [Array("Холмс\n".utf8)])
    }

    func testBigDecodedFileIsReadNotMapped() throws {
        // Above the mapping threshold: a mapped file would be searched as raw bytes, where
        // the UTF-8 pattern never matches. `-m 1` stops the decoded search at line 1.
        let input = Self.sherlockShiftJIS + [UInt8](repeating: 0x0A, count: Searcher.mappingThreshold)
        var options = decodingOptions(.shiftJIS, bufferCapacity: 1 << 16)
        options.maxCount = 1
        let searcher = Searcher(matcher: LiteralMatcher("Холмс"), options: options)
        var sink = RecordingSink()
        let result = withTemporaryFile(input) { fd, path in
            searcher.search(fileDescriptor: fd, path: path, isRegularFile: true, into: &sink)
        }
        XCTAssertNil(result.error)
        XCTAssertEqual(sink.rawLines, [Array("Шерлок Холмс\n".utf8)])
    }
}
