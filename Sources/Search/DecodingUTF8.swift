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
                // A whole valid sequence is copied as it is. 117 MB of accented text,
                // `grep -c -E utf-8` (release, interleaved runs on a loaded machine):
                // 0.47-0.52 s through the state machine, 0.37-0.39 s so.
                let length = UTF8ValidatingTranscoder.validSequenceLength(input, at: i)
                if length > 0 {
                    // Bounds: length <= 4 bytes of input from i; 4 <= maxOutputPerByte of room.
                    for k in 0..<length { output[o + k] = input[i + k] }
                    i += length
                    o += length
                    continue
                }
            }
            guard i < input.count else { break }
            let byte = input[i]
            i += 1
            o += decode(byte, into: output, at: o)
        }
        return (i, o)
    }

    /// The length of the well-formed sequence of 2 to 4 bytes at `input[i]`, or 0 (ASCII,
    /// an invalid or a cut sequence: the state machine takes those).
    @inline(__always)
    private static func validSequenceLength(_ input: UnsafeRawBufferPointer, at i: Int) -> Int {
        let available = input.count - i
        guard available >= 2 else { return 0 }
        let lead = input[i]
        let second = input[i + 1]
        switch lead {
        case 0xC2...0xDF:
            return (0x80...0xBF).contains(second) ? 2 : 0
        case 0xE0...0xEF:
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard available >= 3, (low...high).contains(second), (0x80...0xBF).contains(input[i + 2]) else { return 0 }
            return 3
        case 0xF0...0xF4:
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard available >= 4, (low...high).contains(second), (0x80...0xBF).contains(input[i + 2]),
                  (0x80...0xBF).contains(input[i + 3]) else { return 0 }
            return 4
        default:
            return 0
        }
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
