import Search

/// `-E/--encoding`: how file bytes become the UTF-8 the matcher reads. As in ripgrep a
/// UTF-16 BOM wins over the label given (a UTF-16 file is read as UTF-16 whatever `-E`
/// says) and a UTF-8 BOM is dropped (the label decodes what follows), except under `none`,
/// which searches the raw bytes with no BOM sniffing at all. Every encoding
/// of the WHATWG Encoding Standard is read except `replacement` (its labels, such as
/// iso-2022-kr, are an error, as in rg).
enum InputEncoding: Sendable, Equatable {
    /// BOM sniffing only, done by the searcher as it reads.
    case auto
    case none
    case utf8
    case utf16(bigEndian: Bool)
    /// An index into `singleByteTables`.
    case singleByte(Int)
    case multiByte(MultiByteEncoding)

    /// What the searcher decodes as it reads (`SearchOptions.decoding`); nil for auto
    /// (BOM sniffing only) and none.
    var searcherDecoding: InputDecoding? {
        switch self {
        case .utf8: return .utf8
        case .utf16(let bigEndian): return .utf16(bigEndian: bigEndian)
        case .singleByte(let index): return .singleByte(upperHalf: Self.singleByteTables[index].upperHalf)
        case .multiByte(let encoding): return .multiByte(encoding)
        case .auto, .none: return nil
        }
    }

    init(label: String) throws {
        let label = label.trimmingWhitespace().lowercased()
        switch label {
        case "auto": self = .auto
        case "none": self = .none
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8": self = .utf8
        case "utf-16le", "utf-16", "ucs-2", "unicode", "unicodefeff", "csunicode", "iso-10646-ucs-2": self = .utf16(bigEndian: false)
        case "utf-16be", "unicodefffe": self = .utf16(bigEndian: true)
        default:
            if let index = Self.singleByteTables.firstIndex(where: { $0.labels.contains(label) }) {
                self = .singleByte(index)
                return
            }
            if let multiByte = MultiByteEncoding.allCases.first(where: { $0.labels.contains(label) }) {
                self = .multiByte(multiByte)
                return
            }
            throw ArgumentError.invalidValue(flag: "--encoding", value: label, reason: "unknown encoding: \(label)")
        }
    }

    /// The input decoded whole into UTF-8 for `--null-data` (other searches decode as they
    /// read, `searcherDecoding`), as the searcher does: a UTF-16 BOM decides the encoding,
    /// a UTF-8 BOM is dropped; both BOMs are dropped.
    func decode(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.count >= 2 && (bytes[0], bytes[1]) == (0xFF, 0xFE) { return Self.utf16(bytes[2...], bigEndian: false) }
        if bytes.count >= 2 && (bytes[0], bytes[1]) == (0xFE, 0xFF) { return Self.utf16(bytes[2...], bigEndian: true) }
        let hasUTF8BOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let body = hasUTF8BOM ? bytes[3...] : bytes[...]
        switch self {
        case .auto, .none: return Array(body)
        case .utf8: return Self.validUTF8(body)
        case .utf16(let bigEndian): return Self.utf16(body, bigEndian: bigEndian)
        case .singleByte(let index):
            let table = Self.singleByteTables[index].upperHalf
            var text = String.UnicodeScalarView()
            for byte in body {
                text.append(Unicode.Scalar(byte < 0x80 ? UInt16(byte) : table[Int(byte) - 0x80]) ?? "\u{FFFD}")
            }
            return Array(String(text).utf8)
        case .multiByte(let encoding):
            return body.withUnsafeBytes { encoding.decode($0) }
        }
    }

    /// Invalid sequences replaced by U+FFFD, as a transcoding reader does.
    private static func validUTF8(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var decoded = Array(String(decoding: units, as: UTF16.self).utf8)
        if index < bytes.endIndex { decoded += Array("\u{FFFD}".utf8) }  // an odd last byte
        return decoded
    }
}
