import Digest

/// One line of a checksum manifest, in the formats coreutils, b3sum and xxhsum write:
/// GNU `HEX  path` (or `HEX *path`, binary mode), BSD `ALGO (path) = HEX` (`--tag`),
/// `cksum`'s `CRC SIZE path`, and trawl's own `--json` records; with GNU's rule for
/// awkward names: a line whose name holds `\`, LF or CR starts with `\` and spells them
/// `\\`, `\n`, `\r` (not in NUL-separated manifests, whose names are raw).
public struct ManifestLine: Equatable, Sendable {
    /// The algorithm the line names (a tag, xxhsum's `XXH3_` prefix, a JSON field, the cksum
    /// format); nil when only the digest's length tells (`candidates`).
    public var algorithm: Algorithm?
    /// As the line spells it, lowercase (cksum's CRC in decimal).
    public var digest: String
    public var path: [UInt8]
    /// The file's size, where the format records it (cksum, JSON): a file of another size
    /// does not match.
    public var size: Int?

    public init(algorithm: Algorithm?, digest: String, path: [UInt8], size: Int? = nil) {
        self.algorithm = algorithm
        self.digest = digest
        self.path = path
        self.size = size
    }

    /// The algorithms that may have written this line: the one it names, else every one
    /// whose digest has this many hex digits (64: sha256 and blake3; 32: md5 and xxh128;
    /// 16: xxh64 and xxh3; 8: crc32b and xxh32), plus cksum's CRC for a decimal digest.
    /// `check` computes them all in one read and accepts the one that matches.
    public var candidates: [Algorithm] {
        if let algorithm { return [algorithm] }
        var result = Algorithm.candidates(forHexLength: digest.utf8.count)
        if digest.utf8.allSatisfy(Self.isDecimal) && digest.utf8.count <= 10 { result.append(.crc32) }
        return result
    }

    /// Whether `bytes`, the digest `algorithm` computed, is the one this line records.
    public func matches(_ bytes: [UInt8], algorithm: Algorithm) -> Bool {
        if algorithm == .crc32 {
            // cksum prints the CRC in decimal without leading zeros; compare the numbers.
            return UInt64(digest) == UInt64(algorithm.format(bytes))
        }
        return algorithm.format(bytes) == digest
    }

    // MARK: Writing

    /// Appends the line (without its terminator) to `output`. `escape` is false for -z
    /// records, whose names are written raw. A crc32 line without `tag` is cksum's
    /// `CRC SIZE path`. Allocates only when `output` must grow: `hash` reuses one array.
    public static func write(digest: String, path: [UInt8], size: Int, algorithm: Algorithm, tag: Bool, escape: Bool,
                             to output: inout [UInt8]) {
        let needsEscape = escape && path.contains { $0 == UInt8(ascii: "\\") || $0 == 10 || $0 == 13 }
        if needsEscape { output.append(UInt8(ascii: "\\")) }
        if algorithm == .crc32 && !tag {
            output.append(contentsOf: digest.utf8)
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: String(size).utf8)
            output.append(UInt8(ascii: " "))
            appendPath(path, escaped: needsEscape, to: &output)
        } else if tag {
            output.append(contentsOf: algorithm.tag.utf8)
            output.append(contentsOf: " (".utf8)
            appendPath(path, escaped: needsEscape, to: &output)
            output.append(contentsOf: ") = ".utf8)
            output.append(contentsOf: digest.utf8)
        } else {
            output.append(contentsOf: digest.utf8)
            output.append(contentsOf: "  ".utf8)
            appendPath(path, escaped: needsEscape, to: &output)
        }
    }

    private static func appendPath(_ path: [UInt8], escaped: Bool, to output: inout [UInt8]) {
        guard escaped else { return output.append(contentsOf: path) }
        for byte in path {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case 10: output.append(contentsOf: "\\n".utf8)
            case 13: output.append(contentsOf: "\\r".utf8)
            default: output.append(byte)
            }
        }
    }

    // MARK: Reading

    /// Parses one line (terminator already removed, a trailing CR dropped here). Nil for a
    /// line that is not a checksum line; blank and `#` lines are the caller's to skip.
    /// `escapes` is false for a NUL-separated manifest (`hash -z`): names are raw there.
    public static func parse(_ raw: [UInt8], escapes: Bool = true) -> ManifestLine? {
        var line = raw[...]
        if line.first == UInt8(ascii: "{") { return ManifestJSON.parse(line) }
        if escapes && line.last == 13 { line = line.dropLast() }
        var escaped = false
        if escapes && line.first == UInt8(ascii: "\\") {
            escaped = true
            line = line.dropFirst()
        }
        if let bsd = parseBSD(line, escaped: escaped) { return bsd }
        if let cksum = parseCksum(line, escaped: escaped) { return cksum }
        return parseGNU(line, escaped: escaped)
    }

    /// cksum's `CRC SIZE path`: two decimal numbers, each followed by one space.
    private static func parseCksum(_ line: ArraySlice<UInt8>, escaped: Bool) -> ManifestLine? {
        guard let first = line.firstIndex(of: UInt8(ascii: " ")), first > line.startIndex,
              line[line.startIndex..<first].allSatisfy(isDecimal),
              let second = line[(first + 1)...].firstIndex(of: UInt8(ascii: " ")), second > first + 1,
              line[(first + 1)..<second].allSatisfy(isDecimal), second + 1 < line.endIndex,
              let crc = UInt64(String(decoding: line[line.startIndex..<first], as: UTF8.self)), crc <= UInt64(UInt32.max),
              let size = Int(String(decoding: line[(first + 1)..<second], as: UTF8.self)),
              let path = unescape(line[(second + 1)...], escaped: escaped) else { return nil }
        return ManifestLine(algorithm: .crc32, digest: String(crc), path: path, size: size)
    }

    /// `ALGO (path) = HEX`; the algorithm tag is matched case-insensitively against each
    /// algorithm's tag, then as a name (`Algorithm.from(name:)`: `SHA2-256`, `xxh3_64`, ...).
    private static func parseBSD(_ line: ArraySlice<UInt8>, escaped: Bool) -> ManifestLine? {
        guard let open = line.firstIndex(of: UInt8(ascii: "(")), open > line.startIndex,
              line[open - 1] == UInt8(ascii: " ") else { return nil }
        let tag = String(decoding: line[line.startIndex..<(open - 1)], as: UTF8.self)
        guard let algorithm = Algorithm.allCases.first(where: { $0.tag.equalsIgnoringCase(tag) }) ?? Algorithm.from(name: tag) else {
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

    static func isDecimal(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

private extension String {
    func equalsIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
