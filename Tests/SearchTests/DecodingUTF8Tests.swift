import XCTest
@testable import Search

/// `-E utf-8`: the WHATWG UTF-8 decoder, each maximal invalid subpart one U+FFFD.
final class UTF8ValidatingDecodingTests: XCTestCase {
    private func decode(_ input: [UInt8], chunk: Int = Int.max) -> String {
        var transcoder = UTF8ValidatingTranscoder()
        var output: [UInt8] = []
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { scratch.deallocate() }
        input.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                var piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + min(chunk, bytes.count - start))])
                start += piece.count
                while !piece.isEmpty {
                    let (consumed, produced) = transcoder.transcode(piece, into: scratch)
                    output += scratch[..<produced]
                    piece = UnsafeRawBufferPointer(rebasing: piece[consumed...])
                }
            }
        }
        output += scratch[..<transcoder.finish(into: scratch)]
        return String(decoding: output, as: UTF8.self)
    }

    func testValidTextPassesAndInvalidSubpartsBecomeOneReplacementEach() {
        let valid = Array("plain, café, 日本, 😀\n".utf8)
        let invalid: [UInt8] = [0x61, 0xFF, 0x62, 0xE2, 0x82, 0x63, 0xF0, 0x9F, 0x98, 0xED, 0xA0, 0x80, 0xC0, 0xAF, 0xF4, 0x90, 0x41, 0xE2]
        // Swift's String(decoding:) replaces maximal subparts as the standard does.
        let expected = String(decoding: valid + invalid, as: UTF8.self)
        XCTAssertTrue(expected.contains("a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"), expected)
        for chunk in [1, 2, 3, 5, Int.max] {
            XCTAssertEqual(decode(valid + invalid, chunk: chunk), expected, "chunk \(chunk)")
        }
    }
}
