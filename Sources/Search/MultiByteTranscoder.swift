/// The WHATWG Encoding Standard's multi-byte legacy encodings trawl decodes. ripgrep decodes
/// them with encoding_rs, which implements the standard's decoders and indexes; these are
/// the same algorithms over the same indexes (`MultiByteEncodingTables`).
public enum MultiByteEncoding: Sendable, Equatable, CaseIterable {
    case shiftJIS
    case eucJP
    case iso2022JP
    case eucKR
    /// GBK and gb18030: the standard decodes both with the gb18030 decoder.
    case gb18030
    case big5

    /// The standard's labels of the encoding (lowercase; a label is matched after trimming
    /// ASCII whitespace and lowercasing).
    public var labels: [String] {
        switch self {
        case .shiftJIS: return ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"]
        case .eucJP: return ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]
        case .iso2022JP: return ["csiso2022jp", "iso-2022-jp"]
        case .eucKR:
            return ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
                    "ksc5601", "ksc_5601", "windows-949"]
        case .gb18030:
            return ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58",
                    "x-gbk", "gb18030"]
        case .big5: return ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]
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
/// byte by byte (a partial sequence waits in the state, so input may be split anywhere).
///
/// Invalid input never traps and never stops the stream: each error of the standard's
/// algorithm becomes one U+FFFD, and where the standard "prepends" bytes to the stream (an
/// ASCII byte after a lead byte, for instance) they are decoded again from a small queue.
struct MultiByteTranscoder {
    let encoding: MultiByteEncoding
    /// The index of the encoding (jis0208 for Shift_JIS, EUC-JP and ISO-2022-JP): pointer
    /// -> code point, 0 where the index has no entry.
    private let index: [UInt32]
    /// EUC-JP's second index (jis0212); empty for the others.
    private let secondIndex: [UInt32]

    /// The standard's lead byte (gb18030's first byte; ISO-2022-JP's lead and escape byte);
    /// 0: none.
    private var lead: UInt8 = 0
    /// gb18030's second and third bytes of a four-byte sequence (0: none).
    private var second: UInt8 = 0
    private var third: UInt8 = 0
    /// EUC-JP: the lead came after 0x8F, so the pair is looked up in jis0212.
    private var jis0212 = false
    /// ISO-2022-JP's decoder state, output state and output flag.
    private var state = ISO2022JPState.ascii
    private var outputState = ISO2022JPState.ascii
    private var outputFlag = false
    /// Bytes prepended to the stream, first byte lowest; decoded before the next input byte.
    private var queued: UInt64 = 0
    private var queuedCount = 0

    private enum ISO2022JPState {
        case ascii, roman, katakana, leadByte, trailByte, escapeStart, escape
    }

    /// The most UTF-8 bytes one decoded byte produces (a supplementary code point, or
    /// Big5's two-code-point pairs).
    static let maxOutputPerStep = 4
    /// Room `finish` needs: its queue (at most 8 bytes) decoded, then the end's errors.
    static let maxFinishOutput = 12 * maxOutputPerStep

    init(_ encoding: MultiByteEncoding) {
        self.encoding = encoding
        secondIndex = encoding == .eucJP ? MultiByteTables.jis0212 : []
        switch encoding {
        case .shiftJIS, .eucJP, .iso2022JP: index = MultiByteTables.jis0208
        case .eucKR: index = MultiByteTables.eucKR
        case .gb18030: index = MultiByteTables.gb18030
        case .big5: index = MultiByteTables.big5
        }
    }

    /// True when a byte below 0x80 decodes to itself with no state change: ASCII runs,
    /// the bulk of most files, are then copied as they are.
    @inline(__always)
    private var passesASCII: Bool {
        queuedCount == 0 && lead == 0 && (encoding != .iso2022JP || (state == .ascii && !outputFlag))
    }

    /// Decodes `input` while `output` has room for the worst case of a byte. Returns bytes
    /// consumed and bytes produced; a sequence cut at the end of `input` waits in the state.
    mutating func transcode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> (consumed: Int, produced: Int) {
        var i = 0
        var o = 0
        while output.count - o >= MultiByteTranscoder.maxOutputPerStep {
            if passesASCII {
                // Bounds: i + run < input.count and o + run < output.count for each byte.
                // ISO-2022-JP's shift and escape bytes (0x0E, 0x0F, 0x1B) take the slow path.
                var run = 0
                if encoding != .iso2022JP {
                    run = ASCIIRun.copy(input, from: i, into: output, at: o)
                } else {
                    // ISO-2022-JP's shift and escape bytes (0x0E, 0x0F, 0x1B) take the slow path.
                    let room = min(input.count - i, output.count - o)
                    while run < room, case let byte = input[i + run], byte < 0x80, byte != 0x0E, byte != 0x0F, byte != 0x1B {
                        output[o + run] = byte
                        run += 1
                    }
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

    /// Ends the stream: what waits in the queue is decoded, and the standard's
    /// end-of-stream steps run (an unfinished sequence is one U+FFFD). `output` needs room
    /// for `maxFinishOutput` bytes. rg 15 (encoding_rs) differs in one case: a Shift_JIS,
    /// EUC-KR or Big5 lead byte ending input that has other bytes before it gives no U+FFFD
    /// there; the standard's algorithm, followed here, gives one.
    mutating func finish(into output: UnsafeMutableRawBufferPointer) -> Int {
        var o = 0
        while true {
            while queuedCount > 0 { o += decode(dequeue(), into: output, at: o) }
            guard let written = endOfStream(into: output, at: o) else { return o }
            o += written
        }
    }

    /// One step of the standard's decoder: `byte` taken, what it completes written at
    /// `out[o...]` (room for `maxOutputPerStep` bytes); returns the bytes written.
    @inline(__always)
    private mutating func decode(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        switch encoding {
        case .shiftJIS: return decodeShiftJIS(byte, into: out, at: o)
        case .eucJP: return decodeEUCJP(byte, into: out, at: o)
        case .iso2022JP: return decodeISO2022JP(byte, into: out, at: o)
        case .eucKR: return decodeEUCKR(byte, into: out, at: o)
        case .gb18030: return decodeGB18030(byte, into: out, at: o)
        case .big5: return decodeBig5(byte, into: out, at: o)
        }
    }

    /// The standard's end-of-queue step: nil when the decoder is finished, else the bytes
    /// written (an error's U+FFFD; bytes it prepends are decoded next).
    private mutating func endOfStream(into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int? {
        if encoding == .iso2022JP {
            switch state {
            case .ascii, .roman, .katakana, .leadByte:
                return nil
            case .trailByte:
                state = .leadByte
            case .escapeStart:
                outputFlag = false
                state = outputState
            case .escape:
                prepend(lead)
                lead = 0
                outputFlag = false
                state = outputState
            }
            return write(0xFFFD, to: out, at: o)
        }
        guard lead != 0 else { return nil }
        (lead, second, third, jis0212) = (0, 0, 0, false)
        return write(0xFFFD, to: out, at: o)
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
            return errorAfterLead(byte, into: out, at: o)
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
            return errorAfterLead(byte, into: out, at: o)
        }
        switch byte {
        case 0..<0x80: return write(UInt32(byte), to: out, at: o)
        case 0x8E, 0x8F, 0xA1...0xFE:
            lead = byte
            return 0
        default: return write(0xFFFD, to: out, at: o)
        }
    }

    /// https://encoding.spec.whatwg.org/#iso-2022-jp-decoder
    private mutating func decodeISO2022JP(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        switch state {
        case .ascii, .roman, .katakana, .leadByte:
            if byte == 0x1B {
                state = .escapeStart
                return 0
            }
            outputFlag = false
            switch (state, byte) {
            case (.ascii, 0..<0x80) where byte != 0x0E && byte != 0x0F:
                return write(UInt32(byte), to: out, at: o)
            case (.roman, 0x5C): return write(0xA5, to: out, at: o)
            case (.roman, 0x7E): return write(0x203E, to: out, at: o)
            case (.roman, 0..<0x80) where byte != 0x0E && byte != 0x0F:
                return write(UInt32(byte), to: out, at: o)
            case (.katakana, 0x21...0x5F): return write(0xFF61 - 0x21 + UInt32(byte), to: out, at: o)
            case (.leadByte, 0x21...0x7E):
                lead = byte
                state = .trailByte
                return 0
            default: return write(0xFFFD, to: out, at: o)
            }
        case .trailByte:
            if byte == 0x1B {
                lead = 0
                state = .escapeStart
                return write(0xFFFD, to: out, at: o)
            }
            let first = lead
            lead = 0
            state = .leadByte
            if (0x21...0x7E).contains(byte) {
                let codePoint = lookUp(Int(first - 0x21) * 94 + Int(byte - 0x21), in: index)
                if codePoint != 0 { return write(codePoint, to: out, at: o) }
            }
            return write(0xFFFD, to: out, at: o)
        case .escapeStart:
            if byte == 0x24 || byte == 0x28 {
                lead = byte
                state = .escape
                return 0
            }
            prepend(byte)
            outputFlag = false
            state = outputState
            return write(0xFFFD, to: out, at: o)
        case .escape:
            let first = lead
            lead = 0
            var next: ISO2022JPState? = nil
            switch (first, byte) {
            case (0x28, 0x42): next = .ascii
            case (0x28, 0x4A): next = .roman
            case (0x28, 0x49): next = .katakana
            case (0x24, 0x40), (0x24, 0x42): next = .leadByte
            default: break
            }
            if let next {
                state = next
                outputState = next
                // Two escape sequences in a row: the second is an error.
                let followsOutput = outputFlag
                outputFlag = true
                return followsOutput ? write(0xFFFD, to: out, at: o) : 0
            }
            prepend(byte)
            prepend(first)
            outputFlag = false
            state = outputState
            return write(0xFFFD, to: out, at: o)
        }
    }

    /// https://encoding.spec.whatwg.org/#euc-kr-decoder
    private mutating func decodeEUCKR(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if lead != 0 {
            let first = lead
            lead = 0
            if (0x41...0xFE).contains(byte) {
                let codePoint = lookUp(Int(first - 0x81) * 190 + Int(byte - 0x41), in: index)
                if codePoint != 0 { return write(codePoint, to: out, at: o) }
            }
            return errorAfterLead(byte, into: out, at: o)
        }
        return decodeFirstByte(byte, into: out, at: o)
    }

    /// https://encoding.spec.whatwg.org/#gb18030-decoder (`lead` is "gb18030 first").
    private mutating func decodeGB18030(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if third != 0 {
            guard (0x30...0x39).contains(byte) else {
                prepend(byte)
                prepend(third)
                prepend(second)
                (lead, second, third) = (0, 0, 0)
                return write(0xFFFD, to: out, at: o)
            }
            let pointer = Int(lead - 0x81) * (10 * 126 * 10) + Int(second - 0x30) * (10 * 126)
                + Int(third - 0x81) * 10 + Int(byte - 0x30)
            (lead, second, third) = (0, 0, 0)
            return write(MultiByteTables.gb18030RangesCodePoint(pointer) ?? 0xFFFD, to: out, at: o)
        }
        if second != 0 {
            if (0x81...0xFE).contains(byte) {
                third = byte
                return 0
            }
            prepend(byte)
            prepend(second)
            (lead, second) = (0, 0)
            return write(0xFFFD, to: out, at: o)
        }
        if lead != 0 {
            if (0x30...0x39).contains(byte) {
                second = byte
                return 0
            }
            let first = lead
            lead = 0
            if (0x40...0x7E).contains(byte) || (0x80...0xFE).contains(byte) {
                let offset: UInt8 = byte < 0x7F ? 0x40 : 0x41
                let codePoint = lookUp(Int(first - 0x81) * 190 + Int(byte - offset), in: index)
                if codePoint != 0 { return write(codePoint, to: out, at: o) }
            }
            return errorAfterLead(byte, into: out, at: o)
        }
        switch byte {
        case 0..<0x80: return write(UInt32(byte), to: out, at: o)
        case 0x80: return write(0x20AC, to: out, at: o)
        case 0x81...0xFE:
            lead = byte
            return 0
        default: return write(0xFFFD, to: out, at: o)
        }
    }

    /// https://encoding.spec.whatwg.org/#big5-decoder
    private mutating func decodeBig5(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if lead != 0 {
            let first = lead
            lead = 0
            if (0x40...0x7E).contains(byte) || (0xA1...0xFE).contains(byte) {
                let offset: UInt8 = byte < 0x7F ? 0x40 : 0x62
                let pointer = Int(first - 0x81) * 157 + Int(byte - offset)
                // Four pointers decode to a letter and a combining mark.
                let pair: (UInt32, UInt32)?
                switch pointer {
                case 1133: pair = (0x00CA, 0x0304)
                case 1135: pair = (0x00CA, 0x030C)
                case 1164: pair = (0x00EA, 0x0304)
                case 1166: pair = (0x00EA, 0x030C)
                default: pair = nil
                }
                if let (base, mark) = pair {
                    let written = write(base, to: out, at: o)
                    return written + write(mark, to: out, at: o + written)
                }
                let codePoint = lookUp(pointer, in: index)
                if codePoint != 0 { return write(codePoint, to: out, at: o) }
            }
            return errorAfterLead(byte, into: out, at: o)
        }
        return decodeFirstByte(byte, into: out, at: o)
    }

    /// The standard's error after a lead byte: U+FFFD, and an ASCII byte is decoded again.
    private mutating func errorAfterLead(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        if byte < 0x80 { prepend(byte) }
        return write(0xFFFD, to: out, at: o)
    }

    /// EUC-KR's and Big5's byte with no lead before it: ASCII, a lead, or an error.
    private mutating func decodeFirstByte(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        switch byte {
        case 0..<0x80: return write(UInt32(byte), to: out, at: o)
        case 0x81...0xFE:
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
