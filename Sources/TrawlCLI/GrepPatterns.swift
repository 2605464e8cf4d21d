#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Search

/// grep's patterns as the bytes the user gave, not as repaired Strings: an argument or a
/// `-f` line holding invalid UTF-8 must not silently become U+FFFD (which then matches
/// nothing). Under `-F` those bytes are matched as they are (GNU grep); a regex holding
/// them is refused with an error naming the pattern (ripgrep), since a byte inside a
/// bracket or an escape has no meaning there: `(?-u:\xFF)` says it instead.
enum GrepPatterns {
    /// The bytes of `pattern` as they were on the command line. Swift's `CommandLine`
    /// repairs invalid UTF-8, so the raw argv is searched for the argument that decodes to
    /// the pattern (alone, or after an ASCII flag prefix such as `--regexp=` or `-e`).
    static func commandLineBytes(_ pattern: String) -> [UInt8] {
        guard pattern.unicodeScalars.contains("\u{FFFD}") else { return Array(pattern.utf8) }
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let raw = Array(UnsafeBufferPointer(start: argument, count: strlen(argument))).map { UInt8(bitPattern: $0) }
            guard invalidUTF8Offset(raw) != nil else { continue }
            let decoded = String(decoding: raw, as: UTF8.self)
            if decoded == pattern { return raw }
            if decoded.hasSuffix(pattern) {
                let prefix = decoded.unicodeScalars.dropLast(pattern.unicodeScalars.count)
                if prefix.allSatisfy(\.isASCII) { return Array(raw.dropFirst(prefix.count)) }
            }
        }
        return Array(pattern.utf8)
    }

    /// The offset of the first byte that starts no valid UTF-8 sequence, or nil when all is valid.
    static func invalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var offset = 0
        while offset < bytes.count {
            guard let width = validScalarWidth(bytes, at: offset) else { return offset }
            offset += width
        }
        return nil
    }

    /// `bytes` as a regex matching exactly them: valid text escaped, each invalid byte as
    /// a byte escape outside Unicode mode.
    static func fixedStringPattern(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return CompiledRegex.escape(text) }
        var pattern = ""
        var offset = 0
        while offset < bytes.count {
            if let width = validScalarWidth(bytes, at: offset) {
                pattern += CompiledRegex.escape(String(decoding: bytes[offset..<(offset + width)], as: UTF8.self))
                offset += width
            } else {
                pattern += "(?-u:\\x" + hexByte(bytes[offset]) + ")"
                offset += 1
            }
        }
        return pattern
    }

    /// The pattern regex for `bytes`; throws when a regex (not `-F`) holds invalid UTF-8.
    static func regexPattern(_ bytes: [UInt8]) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = invalidUTF8Offset(bytes) ?? 0
        throw CommandError.message("regex parse error: pattern \(shown(bytes)) holds invalid UTF-8 at byte offset \(offset); "
                                   + "match bytes with an escape such as (?-u:\\x\(hexByte(bytes[offset]))), or use -F")
    }

    /// The pattern for a message: printable ASCII as is, every other invalid byte as `\xHH`.
    static func shown(_ bytes: [UInt8]) -> String {
        var text = ""
        var offset = 0
        while offset < bytes.count {
            if let width = validScalarWidth(bytes, at: offset) {
                text += String(decoding: bytes[offset..<(offset + width)], as: UTF8.self)
                offset += width
            } else {
                text += "\\x" + hexByte(bytes[offset])
                offset += 1
            }
        }
        return text
    }

    private static func validScalarWidth(_ bytes: [UInt8], at offset: Int) -> Int? {
        for width in 1...4 where offset + width <= bytes.count {
            if String(validating: bytes[offset..<(offset + width)], as: UTF8.self) != nil { return width }
        }
        return nil
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
