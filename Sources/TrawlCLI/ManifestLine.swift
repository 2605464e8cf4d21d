import Digest

/// One line of a checksum manifest, in the formats coreutils, b3sum and xxhsum write:
/// GNU `HEX  path` (or `HEX *path`, binary mode), BSD `ALGO (path) = HEX` (`--tag`),
/// with GNU's rule for awkward names: a line whose name holds `\`, LF or CR starts with
/// `\` and spells them `\\`, `\n`, `\r`.
struct ManifestLine: Equatable {
    var algorithm: Algorithm?
    var digest: String
    var path: [UInt8]

    // MARK: Writing

    /// Appends the line (without its terminator). `escape` is false for -z records, whose
    /// names are written raw.
    static func write(digest: String, path: [UInt8], algorithm: Algorithm, tag: Bool, escape: Bool, to output: OutputBuffer) {
        let needsEscape = escape && path.contains { $0 == UInt8(ascii: "\\") || $0 == 10 || $0 == 13 }
        if needsEscape { output.append(UInt8(ascii: "\\")) }
        if tag {
            output.append(algorithm.tag)
            output.append(" (")
            appendPath(path, escaped: needsEscape, to: output)
            output.append(") = ")
            output.append(digest)
        } else {
            output.append(digest)
            output.append("  ")
            appendPath(path, escaped: needsEscape, to: output)
        }
    }

    private static func appendPath(_ path: [UInt8], escaped: Bool, to output: OutputBuffer) {
        guard escaped else { return output.append(path) }
        for byte in path {
            switch byte {
            case UInt8(ascii: "\\"): output.append("\\\\")
            case 10: output.append("\\n")
            case 13: output.append("\\r")
            default: output.append(byte)
            }
        }
    }

    // MARK: Reading

    /// Parses one line (terminator already removed, a trailing CR dropped here). Nil for a
    /// line that is not a checksum line; blank and `#` lines are the caller's to skip.
    static func parse(_ raw: [UInt8]) -> ManifestLine? {
        var line = raw[...]
        if line.last == 13 { line = line.dropLast() }
        var escaped = false
        if line.first == UInt8(ascii: "\\") {
            escaped = true
            line = line.dropFirst()
        }
        if let bsd = parseBSD(line, escaped: escaped) { return bsd }
        return parseGNU(line, escaped: escaped)
    }

    /// `ALGO (path) = HEX`; the algorithm tag is matched case-insensitively and may carry
    /// a digest size as `BLAKE2b-256` style tools do (only the known tags are accepted).
    private static func parseBSD(_ line: ArraySlice<UInt8>, escaped: Bool) -> ManifestLine? {
        guard let open = line.firstIndex(of: UInt8(ascii: "(")), open > line.startIndex,
              line[open - 1] == UInt8(ascii: " ") else { return nil }
        let tag = String(decoding: line[line.startIndex..<(open - 1)], as: UTF8.self)
        guard let algorithm = Algorithm.allCases.first(where: { $0.tag.caseInsensitiveCompare(tag) }) ?? Algorithm.from(name: tag) else {
            return nil
        }
        // The name runs to the last ") = ".
        let separator: [UInt8] = Array(") = ".utf8)
        var end: Int?
        var index = line.endIndex - separator.count
        while index > open {
            if line[index..<(index + separator.count)].elementsEqual(separator) { end = index; break }
            index -= 1
        }
        guard let end else { return nil }
        let digest = String(decoding: line[(end + separator.count)...], as: UTF8.self)
        guard isDigest(digest, for: algorithm) else { return nil }
        guard let path = unescape(line[(open + 1)..<end], escaped: escaped) else { return nil }
        return ManifestLine(algorithm: algorithm, digest: digest.lowercased(), path: path)
    }

    /// `HEX  path` or `HEX *path`; xxhsum's `XXH3_HEX` prefix names the algorithm.
    private static func parseGNU(_ line: ArraySlice<UInt8>, escaped: Bool) -> ManifestLine? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")), space + 1 < line.endIndex else { return nil }
        var digest = String(decoding: line[line.startIndex..<space], as: UTF8.self)
        var algorithm: Algorithm?
        if digest.hasPrefix("XXH3_") {
            algorithm = .xxh3
            digest.removeFirst(5)
        }
        let marker = line[space + 1]
        guard marker == UInt8(ascii: " ") || marker == UInt8(ascii: "*") else { return nil }
        guard !digest.isEmpty, digest.utf8.allSatisfy(isHexDigit) || (algorithm == nil && digest.utf8.allSatisfy(isDecimal)) else { return nil }
        guard let path = unescape(line[(space + 2)...], escaped: escaped), !path.isEmpty else { return nil }
        return ManifestLine(algorithm: algorithm, digest: digest.lowercased(), path: path)
    }

    private static func isDigest(_ digest: String, for algorithm: Algorithm) -> Bool {
        if algorithm == .crc32 { return !digest.isEmpty && digest.utf8.allSatisfy(isDecimal) }
        return digest.utf8.count == algorithm.digestLength * 2 && digest.utf8.allSatisfy(isHexDigit)
    }

    private static func unescape(_ name: ArraySlice<UInt8>, escaped: Bool) -> [UInt8]? {
        guard escaped else { return Array(name) }
        var out: [UInt8] = []
        out.reserveCapacity(name.count)
        var index = name.startIndex
        while index < name.endIndex {
            let byte = name[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < name.endIndex else { return nil }
                switch name[index + 1] {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                default: return nil
                }
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70)
    }

    private static func isDecimal(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

private extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
