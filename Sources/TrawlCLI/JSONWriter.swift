/// Minimal JSON output straight into the output buffer: strings escaped per RFC 8259,
/// bytes that are not UTF-8 written as ripgrep does, `{"bytes": BASE64}`.
enum JSONWriter {
    /// A JSON value for bytes that should be text: `{"text":"..."}` when valid UTF-8,
    /// else `{"bytes":"BASE64"}` (ripgrep's --json convention).
    static func appendData(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
        if isValidUTF8(bytes) {
            output.append("{\"text\":")
            appendString(bytes, to: output)
        } else {
            output.append("{\"bytes\":\"")
            output.append(base64(bytes))
            output.append("\"")
        }
        output.append("}")
    }

    /// A JSON string of UTF-8 bytes (invalid sequences become U+FFFD).
    static func appendString(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) {
        output.append(UInt8(ascii: "\""))
        let text = isValidUTF8(bytes) ? nil : String(decoding: bytes, as: UTF8.self)
        let body: (UnsafeRawBufferPointer) -> Void = { raw in
            for byte in raw {
                switch byte {
                case UInt8(ascii: "\""): output.append("\\\"")
                case UInt8(ascii: "\\"): output.append("\\\\")
                case 10: output.append("\\n")
                case 13: output.append("\\r")
                case 9: output.append("\\t")
                case 0..<32:
                    output.append("\\u00")
                    output.append(hexDigit(byte >> 4))
                    output.append(hexDigit(byte & 15))
                default: output.append(byte)
                }
            }
        }
        if var text {
            text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        } else {
            body(bytes)
        }
        output.append(UInt8(ascii: "\""))
    }

    static func appendString(_ text: String, to output: OutputBuffer) {
        var text = text
        text.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: output) }
    }

    static func appendString(_ bytes: [UInt8], to output: OutputBuffer) {
        bytes.withUnsafeBytes { appendString($0, to: output) }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func base64(_ bytes: UnsafeRawBufferPointer) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            out.append(alphabet[Int((value >> 18) & 63)])
            out.append(alphabet[Int((value >> 12) & 63)])
            out.append(rest == 2 ? alphabet[Int((value >> 6) & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
