/// The WHATWG Encoding Standard's multi-byte legacy encodings trawl decodes. ripgrep decodes
/// them with encoding_rs, which implements the standard's decoders and indexes; these are
/// the same algorithms over the same indexes (`MultiByteEncodingTables`).
public enum MultiByteEncoding: Sendable, Equatable, CaseIterable {
    case shiftJIS
    case eucJP

    /// The standard's labels of the encoding (lowercase; a label is matched after trimming
    /// ASCII whitespace and lowercasing).
    public var labels: [String] {
        switch self {
        case .shiftJIS: return ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"]
        case .eucJP: return ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]
        }
    }

    /// `bytes` decoded whole into UTF-8 (for input that is transformed after decoding,
    /// such as `--null-data`'s; searches decode as they read, through `SearchOptions.decoding`).
    public func decode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var transcoder = MultiByteTranscoder(self)
        // Each input byte yields at most 3 bytes of UTF-8 (a 4-byte scalar takes 2 or more bytes).
        let capacity = 3 * bytes.count + MultiByteTranscoder.maxFinishOutput
        return [UInt8](unsafeUninitializedCapacity: capacity) { output, count in
            let raw = UnsafeMutableRawBufferPointer(output)
            let (consumed, produced) = transcoder.transcode(bytes, into: raw)
            precondition(consumed == bytes.count, "room for the worst case of every byte")
            count = produced + transcoder.finish(into: UnsafeMutableRawBufferPointer(rebasing: raw[produced...]))
        }
    }
}

/// Streaming decoder of a `MultiByteEncoding` into UTF-8, the standard's decoder algorithm
/// byte by byte (a lead byte waits in the state, so input may be split anywhere).
///
/// Invalid input never traps and never stops the stream: each error of the standard's
/// algorithm becomes one U+FFFD, and where the standard "prepends" bytes to the stream (an
/// ASCII byte after a lead byte, for instance) they are decoded again from a small queue.
struct MultiByteTranscoder {
    let encoding: MultiByteEncoding
    /// The index of the encoding (jis0208 for Shift_JIS and EUC-JP): pointer -> code
    /// point, 0 where the index has no entry.
    private let index: [UInt32]
    /// EUC-JP's second index (jis0212); empty for the others.
    private let secondIndex: [UInt32]

    /// The standard's lead byte (0: none).
    private var lead: UInt8 = 0
    /// EUC-JP: the lead came after 0x8F, so the pair is looked up in jis0212.
    private var jis0212 = false
    /// Bytes prepended to the stream, first byte lowest; decoded before the next input byte.
    private var queued: UInt64 = 0
    private var queuedCount = 0

    /// The most UTF-8 bytes one decoded byte produces (a supplementary code point).
    static let maxOutputPerStep = 4
    /// Room `finish` needs: its queue (at most 8 bytes) decoded, then the end's error.
    static let maxFinishOutput = 9 * maxOutputPerStep

    init(_ encoding: MultiByteEncoding) {
        self.encoding = encoding
        switch encoding {
        case .shiftJIS:
            index = MultiByteTables.jis0208
            secondIndex = []
        case .eucJP:
            index = MultiByteTables.jis0208
            secondIndex = MultiByteTables.jis0212
        }
    }

    /// Decodes `input` while `output` has room for the worst case of a byte. Returns bytes
    /// consumed and bytes produced; a sequence cut at the end of `input` waits in the state.
    mutating func transcode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> (consumed: Int, produced: Int) {
        var i = 0
        var o = 0
        while output.count - o >= MultiByteTranscoder.maxOutputPerStep {
            if queuedCount == 0 && lead == 0 {
                // ASCII runs, the bulk of most files, are copied as they are.
                // Bounds: i < input.count and o < output.count are checked for each byte.
                var run = 0
                let room = min(input.count - i, output.count - o)
                while run < room && input[i + run] < 0x80 {
                    output[o + run] = input[i + run]
                    run += 1
                }
                i += run
                o += run
                if output.count - o < MultiByteTranscoder.maxOutputPerStep { break }
            }
            let byte: UInt8
            if queuedCount > 0 {
                byte = dequeue()
            } else if i < input.count {
                byte = input[i]
                i += 1
            } else {
                break
            }
            o += decode(byte, into: output, at: o)
        }
        return (i, o)
    }

    /// Ends the stream: what waits in the queue is decoded, and a sequence left unfinished
    /// is one U+FFFD. `output` needs room for `maxFinishOutput` bytes.
    mutating func finish(into output: UnsafeMutableRawBufferPointer) -> Int {
        var o = 0
        while true {
            while queuedCount > 0 { o += decode(dequeue(), into: output, at: o) }
            guard lead != 0 else { return o }
            // The standard's end-of-queue step: an unfinished sequence is an error.
            lead = 0
            jis0212 = false
            o += write(0xFFFD, to: output, at: o)
        }
    }

    /// One step of the standard's decoder: `byte` taken, what it completes written at
    /// `out[o...]` (room for `maxOutputPerStep` bytes); returns the bytes written.
    @inline(__always)
    private mutating func decode(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        switch encoding {
        case .shiftJIS: return decodeShiftJIS(byte, into: out, at: o)
        case .eucJP: return decodeEUCJP(byte, into: out, at: o)
        }
    }

    /// https://encoding.spec.whatwg.org/#shift_jis-decoder
    private mutating func decodeShiftJIS(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if lead != 0 {
            let first = lead
            lead = 0
            if (0x40...0x7E).contains(byte) || (0x80...0xFC).contains(byte) {
                let offset: UInt8 = byte < 0x7F ? 0x40 : 0x41
                let leadOffset: UInt8 = first < 0xA0 ? 0x81 : 0xC1
                let pointer = Int(first - leadOffset) * 188 + Int(byte - offset)
                // Pointers 8836...10715: the end-user-defined area, mapped to the PUA.
                if (8836...10715).contains(pointer) { return write(UInt32(0xE000 - 8836 + pointer), to: out, at: o) }
                let codePoint = lookUp(pointer, in: index)
                if codePoint != 0 { return write(codePoint, to: out, at: o) }
            }
            if byte < 0x80 { prepend(byte) }
            return write(0xFFFD, to: out, at: o)
        }
        switch byte {
        case 0...0x80: return write(UInt32(byte), to: out, at: o)
        case 0xA1...0xDF: return write(0xFF61 - 0xA1 + UInt32(byte), to: out, at: o)
        case 0x81...0x9F, 0xE0...0xFC:
            lead = byte
            return 0
        default: return write(0xFFFD, to: out, at: o)
        }
    }

    /// https://encoding.spec.whatwg.org/#euc-jp-decoder
    private mutating func decodeEUCJP(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if lead == 0x8E && (0xA1...0xDF).contains(byte) {
            lead = 0
            return write(0xFF61 - 0xA1 + UInt32(byte), to: out, at: o)
        }
        if lead == 0x8F && (0xA1...0xFE).contains(byte) {
            jis0212 = true
            lead = byte
            return 0
        }
        if lead != 0 {
            let first = lead
            lead = 0
            var codePoint: UInt32 = 0
            if (0xA1...0xFE).contains(first) && (0xA1...0xFE).contains(byte) {
                let pointer = Int(first - 0xA1) * 94 + Int(byte - 0xA1)
                codePoint = lookUp(pointer, in: jis0212 ? secondIndex : index)
            }
            jis0212 = false
            if codePoint != 0 { return write(codePoint, to: out, at: o) }
            if byte < 0x80 { prepend(byte) }
            return write(0xFFFD, to: out, at: o)
        }
        switch byte {
        case 0..<0x80: return write(UInt32(byte), to: out, at: o)
        case 0x8E, 0x8F, 0xA1...0xFE:
            lead = byte
            return 0
        default: return write(0xFFFD, to: out, at: o)
        }
    }

    @inline(__always)
    private func lookUp(_ pointer: Int, in index: [UInt32]) -> UInt32 {
        pointer < index.count ? index[pointer] : 0
    }

    /// Puts `byte` back in front of the stream (the standard's "prepend").
    private mutating func prepend(_ byte: UInt8) {
        precondition(queuedCount < 8, "a decoder prepends at most a few bytes")
        queued = queued << 8 | UInt64(byte)
        queuedCount += 1
    }

    private mutating func dequeue() -> UInt8 {
        let byte = UInt8(truncatingIfNeeded: queued)
        queued >>= 8
        queuedCount -= 1
        return byte
    }

    @inline(__always)
    private func write(_ scalar: UInt32, to out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        UTF16Transcoder.writeUTF8(scalar, to: out, at: o)
    }
}
