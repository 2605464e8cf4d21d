import Digest

/// Reads the records `trawl hash --json` writes, one object a line:
/// `{"path":P,"size":N,"algorithm":"sha256","digest":"HEX"}`, where P is a JSON string or,
/// for a name that is not UTF-8, `{"bytes":"BASE64"}` (ripgrep's convention; `{"text":S}`
/// is read too). Other members are skipped; a record without path, algorithm or digest
/// is not a checksum line.
enum ManifestJSON {
    static func parse(_ line: ArraySlice<UInt8>) -> ManifestLine? {
        var reader = Reader(bytes: line)
        var path: [UInt8]?, algorithm: Algorithm?, digest: String?, size: Int?
        guard reader.consume(UInt8(ascii: "{")) else { return nil }
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = reader.string(), reader.consume(UInt8(ascii: ":")) else { return nil }
                switch String(decoding: key, as: UTF8.self) {
                case "path": path = reader.name()
                case "algorithm": algorithm = reader.string().flatMap { Algorithm.from(name: String(decoding: $0, as: UTF8.self)) }
                case "digest": digest = reader.string().map { String(decoding: $0, as: UTF8.self).lowercased() }
                case "size": size = reader.number()
                default: guard reader.skipValue() else { return nil }
                }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard reader.atEnd, let path, !path.isEmpty, let algorithm, let digest, !digest.isEmpty else { return nil }
        return ManifestLine(algorithm: algorithm, digest: digest, path: path, size: size)
    }

    /// A cursor over one line of JSON; every method skips white space first and returns
    /// nil (or false) on anything it does not expect.
    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var atEnd: Bool {
            mutating get { skipSpace(); return index == bytes.endIndex }
        }

        mutating func skipSpace() {
            while index < bytes.endIndex, [32, 9, 10, 13].contains(bytes[index]) { index += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A path: a string, or `{"bytes":BASE64}` / `{"text":S}`.
        mutating func name() -> [UInt8]? {
            if let text = string() { return text }
            guard consume(UInt8(ascii: "{")), let key = string(), consume(UInt8(ascii: ":")),
                  let value = string(), consume(UInt8(ascii: "}")) else { return nil }
            switch String(decoding: key, as: UTF8.self) {
            case "text": return value
            case "bytes": return Self.base64Decode(value)
            default: return nil
            }
        }

        mutating func number() -> Int? {
            skipSpace()
            let start = index
            while index < bytes.endIndex, ManifestLine.isDecimal(bytes[index]) { index += 1 }
            return Int(String(decoding: bytes[start..<index], as: UTF8.self))
        }

        /// A string's bytes with its escapes resolved (\uXXXX, surrogate pairs included).
        mutating func string() -> [UInt8]? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return out }
                guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
                guard index < bytes.endIndex else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar), consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")),
                       let low = hex4(), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: return nil
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.endIndex,
                  let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else { return nil }
            index += 4
            return value
        }

        /// Skips a value of a member trawl does not read: a string, number, literal, or a
        /// flat object or array of those.
        mutating func skipValue() -> Bool {
            skipSpace()
            guard index < bytes.endIndex else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                if consume(close) { return true }
                repeat {
                    if close == UInt8(ascii: "}") { guard string() != nil, consume(UInt8(ascii: ":")) else { return false } }
                    guard skipValue() else { return false }
                } while consume(UInt8(ascii: ","))
                return consume(close)
            default:
                let start = index
                while index < bytes.endIndex, !",}] \t".utf8.contains(bytes[index]) { index += 1 }
                return index > start
            }
        }

        static func base64Decode(_ text: [UInt8]) -> [UInt8]? {
            var out: [UInt8] = []
            var accumulator: UInt32 = 0, bits = 0
            for byte in text where byte != UInt8(ascii: "=") {
                let value: UInt8
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
                case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
                case UInt8(ascii: "+"): value = 62
                case UInt8(ascii: "/"): value = 63
                default: return nil
                }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                }
            }
            return out
        }
    }
}
