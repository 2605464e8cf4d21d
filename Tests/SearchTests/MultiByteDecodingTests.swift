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

    /// The same in the other encodings (as Python's codecs encode it; each decoder here
    /// reads it back).
    static let sherlockEUCKR: [UInt8] = [0xAC, 0xBA, 0xAC, 0xD6, 0xAC, 0xE2, 0xAC, 0xDD, 0xAC, 0xE0, 0xAC, 0xDC, 0x20,
                                         0xAC, 0xB7, 0xAC, 0xE0, 0xAC, 0xDD, 0xAC, 0xDE, 0xAC, 0xE3]
    static let sherlockGB18030: [UInt8] = [0xA7, 0xBA, 0xA7, 0xD6, 0xA7, 0xE2, 0xA7, 0xDD, 0xA7, 0xE0, 0xA7, 0xDC, 0x20,
                                           0xA7, 0xB7, 0xA7, 0xE0, 0xA7, 0xDD, 0xA7, 0xDE, 0xA7, 0xE3]
    static let sherlockBig5: [UInt8] = [0xC8, 0x4D, 0xC8, 0x5A, 0xC8, 0x66, 0xC8, 0x61, 0xC8, 0x64, 0xC8, 0x60, 0x20,
                                        0xC8, 0x4A, 0xC8, 0x64, 0xC8, 0x61, 0xC8, 0x62, 0xC8, 0x67]
    static let sherlockISO2022JP: [UInt8] = [0x1B, 0x24, 0x42, 0x27, 0x3A, 0x27, 0x56, 0x27, 0x62, 0x27, 0x5D, 0x27, 0x60,
                                             0x27, 0x5C, 0x1B, 0x28, 0x42, 0x20, 0x1B, 0x24, 0x42, 0x27, 0x37, 0x27, 0x60,
                                             0x27, 0x5D, 0x27, 0x5E, 0x27, 0x63, 0x1B, 0x28, 0x42]

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

    func testASCIIRunsAroundAMultiByteCharacterAtEveryOffset() {
        // The ASCII path copies eight bytes at a time: a pair at each offset of a run.
        for offset in 0...20 {
            let ascii = Array("abcdefghijklmnopqrstuvwxyz".utf8)
            let input = Array(ascii[..<offset]) + [0x88, 0x9F] + Array(ascii[offset...])
            let expected = String(decoding: ascii[..<offset], as: UTF8.self) + "亜" + String(decoding: ascii[offset...], as: UTF8.self)
            XCTAssertEqual(decode(input, .shiftJIS), expected, "offset \(offset)")
            XCTAssertEqual(decode(input, .shiftJIS, room: 9), expected, "offset \(offset), output room 9")
        }
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

    func testEUCKRPairsAndErrors() {
        XCTAssertEqual(decode(Array("ASCII\n".utf8), .eucKR), "ASCII\n")
        XCTAssertEqual(decode([0xB0, 0xA1, 0x81, 0x41], .eucKR), "가\u{AC02}")
        XCTAssertEqual(decode([0x80, 0xFF], .eucKR), "\u{FFFD}\u{FFFD}")
        XCTAssertEqual(decode([0x81, 0x20, 0x81, 0x5B], .eucKR), "\u{FFFD} \u{FFFD}[")  // 0x5B: pointer 26, no entry
        XCTAssertEqual(decode([0x81, 0x40, 0x41], .eucKR), "\u{FFFD}@A")  // 0x40 is no trail byte
        XCTAssertEqual(decode([0x41, 0xB0], .eucKR), "A\u{FFFD}")
    }

    func testGB18030TwoAndFourByteSequences() {
        XCTAssertEqual(decode([0x80, 0x81, 0x40, 0x81, 0x41], .gb18030), "€\u{4E02}\u{4E04}")
        XCTAssertEqual(decode([0x81, 0x30, 0x81, 0x30], .gb18030), "\u{80}")  // the ranges' first entry
        XCTAssertEqual(decode([0x81, 0x35, 0xF4, 0x37], .gb18030), "\u{E7C7}")  // pointer 7457
        XCTAssertEqual(decode([0x90, 0x30, 0x81, 0x30, 0xE3, 0x32, 0x9A, 0x35], .gb18030), "\u{10000}\u{10FFFF}")
    }

    func testGB18030ErrorsPrependWhatTheyRead() {
        XCTAssertEqual(decode([0xFF], .gb18030), "\u{FFFD}")
        XCTAssertEqual(decode([0x84, 0x31, 0xA5, 0x30], .gb18030), "\u{FFFD}")  // pointer 39420: a gap
        // Third byte no lead: the second byte goes again, then the third.
        XCTAssertEqual(decode([0x81, 0x30, 0x20], .gb18030), "\u{FFFD}0 ")
        // Fourth byte no digit: second, third and fourth go again (0x81 0x41 is a pair).
        XCTAssertEqual(decode([0x81, 0x30, 0x81, 0x41], .gb18030), "\u{FFFD}0\u{4E04}")
        XCTAssertEqual(decode([0x81, 0x30, 0x81], .gb18030), "\u{FFFD}")  // unfinished at the end
    }

    func testBig5PairsCombiningPairsAndPlaneTwo() {
        XCTAssertEqual(decode([0xA4, 0x40, 0x41], .big5), "一A")
        XCTAssertEqual(decode([0x88, 0x62, 0x88, 0x64, 0x88, 0xA3, 0x88, 0xA5], .big5),
                       "\u{CA}\u{304}\u{CA}\u{30C}\u{EA}\u{304}\u{EA}\u{30C}")
        XCTAssertEqual(decode([0x87, 0x45], .big5), "\u{27267}")  // HKSCS, decoded as the index says
        XCTAssertEqual(decode([0x80, 0xFF, 0xA4, 0x20, 0xA4, 0x7F], .big5), "\u{FFFD}\u{FFFD}\u{FFFD} \u{FFFD}\u{7F}")
    }

    func testISO2022JPEscapesSwitchStates() {
        XCTAssertEqual(decode(Array("plain\n".utf8), .iso2022JP), "plain\n")
        XCTAssertEqual(decode([0x1B, 0x24, 0x42, 0x30, 0x21, 0x1B, 0x28, 0x42, 0x61], .iso2022JP), "亜a")
        XCTAssertEqual(decode([0x1B, 0x28, 0x4A, 0x5C, 0x7E, 0x61], .iso2022JP), "¥\u{203E}a")  // Roman
        XCTAssertEqual(decode([0x1B, 0x28, 0x49, 0x21, 0x5F], .iso2022JP), "\u{FF61}\u{FF9F}")  // katakana
        XCTAssertEqual(decode([0x1B, 0x24, 0x40, 0x30, 0x21], .iso2022JP), "亜")
    }

    func testISO2022JPErrors() {
        XCTAssertEqual(decode([0x0E, 0x0F, 0x80], .iso2022JP), "\u{FFFD}\u{FFFD}\u{FFFD}")
        // An unknown escape: U+FFFD, then its bytes are read as text.
        XCTAssertEqual(decode([0x1B, 0x28, 0x58], .iso2022JP), "\u{FFFD}(X")
        XCTAssertEqual(decode([0x61, 0x1B], .iso2022JP), "a\u{FFFD}")
        XCTAssertEqual(decode([0x61, 0x1B, 0x28], .iso2022JP), "a\u{FFFD}(")
        // Two escapes in a row with nothing between: the second is an error.
        XCTAssertEqual(decode([0x1B, 0x24, 0x42, 0x1B, 0x28, 0x42, 0x61], .iso2022JP), "\u{FFFD}a")
        // A lead byte left alone at the end, and one cut by an escape.
        XCTAssertEqual(decode([0x1B, 0x24, 0x42, 0x30], .iso2022JP), "\u{FFFD}")
        XCTAssertEqual(decode([0x1B, 0x24, 0x42, 0x30, 0x1B, 0x28, 0x42, 0x61], .iso2022JP), "\u{FFFD}a")
    }

    func testSequencesSplitAnywhereDecodeAsWhole() {
        let mixed: [(MultiByteEncoding, [UInt8])] = [
            (.shiftJIS, Self.sherlockShiftJIS + [0x0A, 0x81, 0x20, 0xA1, 0x80, 0xF0, 0x40, 0x81, 0x0A, 0x81]),
            (.eucJP, Self.sherlockEUCJP + [0x0A, 0x8F, 0xA2, 0xAF, 0x8E, 0xA1, 0x8F, 0xA2, 0x41, 0xA1, 0x0A, 0x8F]),
            (.eucKR, Self.sherlockEUCKR + [0x0A, 0xB0, 0xA1, 0x81, 0x20, 0x81]),
            (.gb18030, Self.sherlockGB18030 + [0x0A, 0x81, 0x30, 0x81, 0x30, 0x81, 0x30, 0x81, 0x41, 0x80, 0x90, 0x30]),
            (.big5, Self.sherlockBig5 + [0x0A, 0x88, 0x62, 0x87, 0x45, 0xA4, 0x20, 0xA4]),
            (.iso2022JP, Self.sherlockISO2022JP + [0x0A, 0x1B, 0x28, 0x4A, 0x5C, 0x1B, 0x24, 0x42, 0x30, 0x21, 0x30]),
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
        options.decoding = .multiByte(encoding)
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

    func testUTF16ByteOrderMarkWinsAndUTF8sIsDropped() {
        // As rg 15: a UTF-8 BOM is dropped and the encoding decodes what follows.
        let utf8BOM = [0xEF, 0xBB, 0xBF] + Self.sherlockShiftJIS + [0x0A]
        let (sink, _) = searchMemory(utf8BOM, matcher: LiteralMatcher("Холмс"), options: decodingOptions(.shiftJIS))
        XCTAssertEqual(sink.rawLines, [Array("Шерлок Холмс\n".utf8)])
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
