/// The hash algorithms trawl offers, by the names users type (`-a sha256,md5`).
public enum Algorithm: String, CaseIterable, Sendable {
    case sha256, sha512, sha1, md5, blake3, xxh3, xxh128, xxh64
    /// XXH32, as `xxhsum -H0` prints it: 8 hex digits.
    case xxh32
    /// POSIX `cksum`'s CRC (data followed by its length); printed in decimal.
    case crc32
    /// zlib / IEEE CRC-32 as `rhash --crc32` prints it: 8 hex digits.
    case crc32b

    /// The canonical lowercase name, as accepted on the command line and printed in JSON.
    public var name: String { rawValue }

    /// Digest size in bytes.
    public var digestLength: Int {
        switch self {
        case .sha256, .blake3: return 32
        case .sha512: return 64
        case .sha1: return 20
        case .md5, .xxh128: return 16
        case .xxh3, .xxh64: return 8
        case .xxh32: return 4
        case .crc32, .crc32b: return 4
        }
    }

    /// The label of a BSD-style (`--tag`) line: `SHA256 (path) = hex`.
    /// `cksum` has no BSD form; its CRC is labelled `CRC`.
    public var tag: String {
        switch self {
        case .sha256: return "SHA256"
        case .sha512: return "SHA512"
        case .sha1: return "SHA1"
        case .md5: return "MD5"
        case .blake3: return "BLAKE3"
        case .xxh3: return "XXH3"
        case .xxh128: return "XXH128"
        case .xxh64: return "XXH64"
        case .xxh32: return "XXH32"
        case .crc32: return "CRC"
        case .crc32b: return "CRC32"
        }
    }

    /// True for the algorithms that resist deliberate collisions (safe against tampering).
    public var isCryptographic: Bool {
        switch self {
        case .sha256, .sha512, .blake3: return true
        default: return false
        }
    }

    /// A fresh streaming hasher for this algorithm.
    public func makeHasher() -> any DigestHasher {
        switch self {
        case .sha256: return SHA256()
        case .sha512: return SHA512()
        case .sha1: return SHA1()
        case .md5: return MD5()
        case .blake3: return BLAKE3()
        case .xxh3: return XXH3()
        case .xxh128: return XXH128()
        case .xxh64: return XXH64()
        case .xxh32: return XXH32()
        case .crc32: return CksumCRC()
        case .crc32b: return CRC32()
        }
    }

    /// The algorithm a user means by `name`, ignoring case, `-` and `_`:
    /// "sha-256", "SHA256", "sha2" -> .sha256; "b3" -> .blake3; "xxh3-64" -> .xxh3;
    /// "xxhash64" -> .xxh64; "cksum", "crc" -> .crc32; "crc32b", "zlib", "ieee" -> .crc32b.
    /// Nil when unknown.
    public static func from(name: String) -> Algorithm? {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" })
        switch key {
        case "sha256", "sha2", "sha2256": return .sha256
        case "sha512", "sha2512": return .sha512
        case "sha1", "sha": return .sha1
        case "md5": return .md5
        case "blake3", "b3", "b3sum": return .blake3
        case "xxh3", "xxh364", "xxh364bits", "xxhash3": return .xxh3
        case "xxh128", "xxh3128", "xxhash128": return .xxh128
        case "xxh64", "xxhash64", "xxhash": return .xxh64
        case "xxh32", "xxhash32": return .xxh32
        case "crc32", "cksum", "crc", "posixcrc": return .crc32
        case "crc32b", "zlib", "crc32zlib", "ieee", "crc32ieee": return .crc32b
        default: return nil
        }
    }

    /// Every algorithm whose digest prints as `hexLength` hex digits (cksum's decimal CRC
    /// does not), the established tool's first.
    public static func candidates(forHexLength hexLength: Int) -> [Algorithm] {
        let sameLength = allCases.filter { $0 != .crc32 && $0.digestLength * 2 == hexLength }
        return sameLength.filter(\.isEstablished) + sameLength.filter { !$0.isEstablished }
    }

    /// Whether the established tools write this algorithm's digests of its length: sha*sum
    /// and md5sum (not b3sum, not xxhsum -H2), xxhsum's default xxh64 (not -H3), zlib's
    /// crc32b (not xxh32). A new case must choose: no `default`.
    private var isEstablished: Bool {
        switch self {
        case .sha256, .sha512, .sha1, .md5, .xxh64, .crc32b: return true
        case .blake3, .xxh3, .xxh128, .xxh32, .crc32: return false
        }
    }

    /// The algorithm a manifest line most likely uses, from its digest's hex length alone
    /// (for `check` on untagged lines). Ambiguous lengths resolve to the established tool:
    /// 64 -> sha256 (not blake3), 32 -> md5 (not xxh128), 16 -> xxh64 (xxhsum's default,
    /// not xxh3), 8 -> crc32b (not xxh32). `cksum`'s decimal CRC has no fixed length and is never
    /// guessed. Nil for other lengths.
    public static func guess(fromHexLength hexLength: Int) -> Algorithm? {
        candidates(forHexLength: hexLength).first
    }

    /// The digest as its tools print it: lowercase hex, except `.crc32`, which `cksum`
    /// prints as a decimal number (the 4 digest bytes read big-endian).
    public func format(_ digest: [UInt8]) -> String {
        if self == .crc32 {
            let value = digest.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
            return String(value)
        }
        return Hex.encode(digest)
    }
}
