/// Streaming decoder of a WHATWG single-byte encoding into UTF-8: ASCII as it is, each byte
/// 0x80...0xFF through its table (U+FFFD where the encoding has no code point).
struct SingleByteTranscoder {
    private let upperHalf: [UInt16]

    /// The most UTF-8 bytes one byte produces (a BMP code point).
    static let maxOutputPerByte = 3

    init(upperHalf: [UInt16]) {
        precondition(upperHalf.count == 128, "a code point for each of 0x80...0xFF")
        self.upperHalf = upperHalf
    }

    /// Decodes `input` while `output` has room for the worst case of a byte. Returns bytes
    /// consumed and bytes produced.
    func transcode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int) {
        var i = 0
        var o = 0
        upperHalf.withUnsafeBufferPointer { table in
            while output.count - o >= SingleByteTranscoder.maxOutputPerByte {
                let run = ASCIIRun.copy(input, from: i, into: output, at: o)
                i += run
                o += run
                guard i < input.count, output.count - o >= SingleByteTranscoder.maxOutputPerByte else { break }
                // input[i] >= 0x80 here: the table has its code point.
                o += UTF16Transcoder.writeUTF8(UInt32(table[Int(input[i]) - 0x80]), to: output, at: o)
                i += 1
            }
        }
        return (i, o)
    }
}
