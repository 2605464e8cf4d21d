/// Streaming UTF-16 (LE or BE) to UTF-8 transcoder for files that start with a BOM
/// (ripgrep sniffs the BOM the same way and searches the UTF-8 result).
///
/// Invalid input never traps: an unpaired surrogate or a trailing odd byte becomes
/// U+FFFD. State (a pending high surrogate) carries across calls, so input may be split
/// anywhere on a code-unit boundary; the caller keeps an odd trailing byte for the next call.
struct UTF16Transcoder {
    let bigEndian: Bool
    private var pendingHigh: UInt16? = nil

    /// The most UTF-8 bytes one code unit can produce: U+FFFD for a dropped pending high
    /// surrogate plus three bytes for a BMP scalar.
    static let maxOutputPerUnit = 6

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    /// Transcodes whole code units of `input` while `output` has room for the worst case.
    /// Returns bytes consumed (always even) and bytes produced.
    mutating func transcode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> (consumed: Int, produced: Int) {
        var i = 0
        var o = 0
        let units = input.count / 2
        // Bounds: i + 1 < input.count (whole units only); o + 6 <= output.count is checked
        // before each unit and one unit writes at most 6 bytes.
        while i / 2 < units && output.count - o >= UTF16Transcoder.maxOutputPerUnit {
            let a = UInt16(input[i]), b = UInt16(input[i + 1])
            let unit = bigEndian ? (a << 8 | b) : (b << 8 | a)
            i += 2
            if let high = pendingHigh {
                pendingHigh = nil
                if unit & 0xFC00 == 0xDC00 {
                    let scalar = 0x10000 + (UInt32(high & 0x3FF) << 10 | UInt32(unit & 0x3FF))
                    o += UTF16Transcoder.writeUTF8(scalar, to: output, at: o)
                    continue
                }
                o += UTF16Transcoder.writeUTF8(0xFFFD, to: output, at: o)
            }
            switch unit & 0xFC00 {
            case 0xD800: pendingHigh = unit
            case 0xDC00: o += UTF16Transcoder.writeUTF8(0xFFFD, to: output, at: o)
            default: o += UTF16Transcoder.writeUTF8(UInt32(unit), to: output, at: o)
            }
        }
        return (i, o)
    }

    /// Ends the stream: U+FFFD for a pending high surrogate and for an odd trailing byte.
    /// `output` needs room for 6 bytes.
    mutating func finish(oddTrailingByte: Bool, into output: UnsafeMutableRawBufferPointer) -> Int {
        var o = 0
        if pendingHigh != nil {
            pendingHigh = nil
            o += UTF16Transcoder.writeUTF8(0xFFFD, to: output, at: o)
        }
        if oddTrailingByte { o += UTF16Transcoder.writeUTF8(0xFFFD, to: output, at: o) }
        return o
    }

    @inline(__always)
    static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            out[o] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[o] = UInt8(0xC0 | scalar >> 6)
            out[o + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[o] = UInt8(0xE0 | scalar >> 12)
            out[o + 1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            out[o + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[o] = UInt8(0xF0 | scalar >> 18)
            out[o + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
            out[o + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
            out[o + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
