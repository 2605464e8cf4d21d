/// Streaming UTF-8 decoder for `-E utf-8` (and input a legacy `-E` finds a UTF-8 BOM on):
/// the WHATWG UTF-8 decoder, so each maximal invalid subpart becomes one U+FFFD, as rg's
/// encoding_rs does. Valid input comes out as it went in.
///
/// A sequence cut at the end of one input waits in the state for the next call.
struct UTF8ValidatingTranscoder {
    private var codePoint: UInt32 = 0
    private var bytesSeen = 0
    private var bytesNeeded = 0
    private var lowerBoundary: UInt8 = 0x80
    private var upperBoundary: UInt8 = 0xBF

    /// The most UTF-8 bytes one input byte produces: U+FFFD for a cut sequence, then the
    /// byte's own code point (at most 4 bytes, when it completes a sequence).
    static let maxOutputPerByte = 7

    /// Decodes `input` while `output` has room for the worst case of a byte. Returns bytes
    /// consumed and bytes produced.
    mutating func transcode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int) {
        var i = 0
        var o = 0
        while output.count - o >= UTF8ValidatingTranscoder.maxOutputPerByte {
            if bytesNeeded == 0 {
                let run = ASCIIRun.copy(input, from: i, into: output, at: o)
                i += run
                o += run
                if output.count - o < UTF8ValidatingTranscoder.maxOutputPerByte { break }
            }
            guard i < input.count else { break }
            let byte = input[i]
            i += 1
            o += decode(byte, into: output, at: o)
        }
        return (i, o)
    }

    /// Ends the stream: a sequence left unfinished is one U+FFFD. `output` needs 3 bytes.
    mutating func finish(into output: UnsafeMutableRawBufferPointer) -> Int {
        guard bytesNeeded != 0 else { return 0 }
        reset()
        return UTF16Transcoder.writeUTF8(0xFFFD, to: output, at: 0)
    }

    /// https://encoding.spec.whatwg.org/#utf-8-decoder, one byte; returns bytes written.
    private mutating func decode(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if bytesNeeded == 0 {
            switch byte {
            case 0..<0x80: return UTF16Transcoder.writeUTF8(UInt32(byte), to: out, at: o)
            case 0xC2...0xDF:
                bytesNeeded = 1
                codePoint = UInt32(byte & 0x1F)
            case 0xE0...0xEF:
                if byte == 0xE0 { lowerBoundary = 0xA0 }
                if byte == 0xED { upperBoundary = 0x9F }
                bytesNeeded = 2
                codePoint = UInt32(byte & 0x0F)
            case 0xF0...0xF4:
                if byte == 0xF0 { lowerBoundary = 0x90 }
                if byte == 0xF4 { upperBoundary = 0x8F }
                bytesNeeded = 3
                codePoint = UInt32(byte & 0x07)
            default: return UTF16Transcoder.writeUTF8(0xFFFD, to: out, at: o)
            }
            return 0
        }
        guard (lowerBoundary...upperBoundary).contains(byte) else {
            // The standard prepends the byte: U+FFFD for the cut sequence, then the byte
            // decoded afresh.
            reset()
            let written = UTF16Transcoder.writeUTF8(0xFFFD, to: out, at: o)
            return written + decode(byte, into: out, at: o + written)
        }
        lowerBoundary = 0x80
        upperBoundary = 0xBF
        codePoint = codePoint << 6 | UInt32(byte & 0x3F)
        bytesSeen += 1
        guard bytesSeen == bytesNeeded else { return 0 }
        let scalar = codePoint
        reset()
        return UTF16Transcoder.writeUTF8(scalar, to: out, at: o)
    }

    private mutating func reset() {
        (codePoint, bytesSeen, bytesNeeded, lowerBoundary, upperBoundary) = (0, 0, 0, 0x80, 0xBF)
    }
}
