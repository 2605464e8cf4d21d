/// The WHATWG indexes of `MultiByteEncodingTables`, decoded from their base64 text on first
/// use (Swift's `static let`: once, thread-safe). The largest, gb18030, is 24k entries.
enum MultiByteTables {
    static let jis0208 = decode(MultiByteEncodingTables.jis0208, width: 2)
    static let jis0212 = decode(MultiByteEncodingTables.jis0212, width: 2)
    static let eucKR = decode(MultiByteEncodingTables.eucKR, width: 2)
    static let gb18030 = decode(MultiByteEncodingTables.gb18030, width: 2)
    static let big5 = decode(MultiByteEncodingTables.big5, width: 3)
    /// index gb18030 ranges: (pointer, code point) pairs, pointers ascending.
    private static let gb18030Ranges: [(pointer: Int, codePoint: UInt32)] = {
        let values = decode(MultiByteEncodingTables.gb18030Ranges, width: 3)
        return stride(from: 0, to: values.count, by: 2).map { (Int(values[$0]), values[$0 + 1]) }
    }()

    /// The standard's "index gb18030 ranges code point" of a four-byte sequence's pointer.
    static func gb18030RangesCodePoint(_ pointer: Int) -> UInt32? {
        if (pointer > 39419 && pointer < 189000) || pointer > 1237575 { return nil }
        if pointer == 7457 { return 0xE7C7 }
        // The last range starting at or before the pointer (binary search over 207).
        var low = 0
        var high = gb18030Ranges.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if gb18030Ranges[middle].pointer <= pointer { low = middle } else { high = middle }
        }
        let range = gb18030Ranges[low]
        return range.codePoint + UInt32(pointer - range.pointer)
    }

    /// Pointer -> code point from `width`-byte little-endian values (0: no entry).
    private static func decode(_ text: StaticString, width: Int) -> [UInt32] {
        let bytes = base64(text)
        precondition(bytes.count % width == 0, "a table of whole entries")
        var values = [UInt32](repeating: 0, count: bytes.count / width)
        for entry in values.indices {
            var value: UInt32 = 0
            for k in (0..<width).reversed() { value = value << 8 | UInt32(bytes[entry * width + k]) }
            values[entry] = value
        }
        return values
    }

    /// Base64 (RFC 4648) to bytes; line breaks and the padding are skipped.
    private static func base64(_ text: StaticString) -> [UInt8] {
        var bytes: [UInt8] = []
        text.withUTF8Buffer { characters in
            bytes.reserveCapacity(characters.count / 4 * 3)
            var accumulator: UInt32 = 0
            var bits = 0
            for character in characters {
                let value: UInt32
                switch character {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(character - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(character - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(character - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): value = 62
                case UInt8(ascii: "/"): value = 63
                default: continue
                }
                accumulator = accumulator << 6 | value
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    accumulator &= (1 << UInt32(bits)) - 1
                }
            }
        }
        return bytes
    }
}
