import CDigest

/// CRC-32 as zlib, gzip, PNG and `rhash --crc32` compute it (reflected polynomial
/// 0xEDB88320, initial and final inversion). The digest is the value's 4 bytes
/// big-endian, so its hex form is the usual 8 digits ("123456789" -> cbf43926).
///
/// Long inputs fold 64 bytes per step with carry-less multiplication (PCLMULQDQ) when the
/// CPU has it; the rest runs slice-by-8 tables (eight bytes per step; 8 KiB built once).
public struct CRC32: DigestHasher {
    private var crc: UInt32 = 0xFFFF_FFFF
    private let accelerated: Bool

    public init() { accelerated = crcFoldingAvailable }

    package init(accelerated: Bool) { self.accelerated = accelerated }

    /// The checksum so far, as the number zlib's crc32() returns.
    public var value: UInt32 { ~crc }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress else { return }
        var p = start
        var remaining = bytes.count
        if accelerated && remaining >= crcFoldingMinimum {
            let blocks = remaining / 16
            var residue: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &residue) {
                trawl_crc32_fold_reflected(crc, start.assumingMemoryBound(to: UInt8.self), blocks,
                                           $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            crc = withUnsafeBytes(of: residue) { CRC32.extend(0, $0.baseAddress!, 16) }
            p += 16 * blocks
            remaining -= 16 * blocks
        }
        crc = CRC32.extend(crc, p, remaining)
    }

    static func extend(_ start: UInt32, _ pointer: UnsafeRawPointer, _ count: Int) -> UInt32 {
        // Loop state lives inside the closure so it stays in registers.
        CRC32.tables.withUnsafeBufferPointer { t in
            var p = pointer
            var remaining = count
            var c = start
            while remaining >= 8 {
                let low = c ^ p.littleEndianUInt32(at: 0)
                let high = p.littleEndianUInt32(at: 4)
                c = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                p += 8
                remaining -= 8
            }
            while remaining > 0 {
                c = (c >> 8) ^ t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)]
                p += 1
                remaining -= 1
            }
            return c
        }
    }

    public mutating func finalize() -> [UInt8] { bigEndianBytes(value) }

    /// tables[k * 256 + b]: the CRC of byte b followed by k zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[b] = c
        }
        for k in 1..<8 {
            for b in 0..<256 {
                let previous = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()
}

/// The CRC that POSIX `cksum` prints: polynomial 0x04C11DB7 processed most significant
/// bit first, over the data followed by its length (least significant byte first, as
/// few bytes as needed), inverted. The digest is the value's 4 bytes big-endian;
/// `cksum` prints the value in decimal (see `Algorithm.format(_:)`) next to the length.
public struct CksumCRC: DigestHasher {
    private var crc: UInt32 = 0
    /// Bytes absorbed so far; `cksum` prints it after the checksum.
    public private(set) var length: UInt64 = 0
    private let accelerated: Bool

    public init() { accelerated = crcFoldingAvailable }

    package init(accelerated: Bool) { self.accelerated = accelerated }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var input = bytes
        if accelerated && input.count >= crcFoldingMinimum {
            let blocks = input.count / 16
            var residue: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &residue) {
                trawl_crc32_fold_msb(crc, input.baseAddress!.assumingMemoryBound(to: UInt8.self), blocks,
                                     $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            crc = withUnsafeBytes(of: residue) { CksumCRC.extend(0, $0) }
            input = UnsafeRawBufferPointer(rebasing: input[(16 * blocks)...])
        }
        crc = CksumCRC.extend(crc, input)
    }

    /// The value `cksum` prints, for the bytes absorbed so far.
    public var value: UInt32 {
        var c = crc
        var n = length
        var lengthBytes: [UInt8] = []
        while n > 0 { lengthBytes.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        lengthBytes.withUnsafeBytes { c = CksumCRC.extend(c, $0) }
        return ~c
    }

    public mutating func finalize() -> [UInt8] { bigEndianBytes(value) }

    static func extend(_ start: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return start }
        return tables.withUnsafeBufferPointer { t in
            var p = base
            var remaining = bytes.count
            var c = start
            while remaining >= 8 {
                let high = c ^ p.bigEndianUInt32(at: 0)
                let low = p.bigEndianUInt32(at: 4)
                c = t[7 * 256 + Int(high >> 24)] ^ t[6 * 256 + Int((high >> 16) & 0xFF)]
                    ^ t[5 * 256 + Int((high >> 8) & 0xFF)] ^ t[4 * 256 + Int(high & 0xFF)]
                    ^ t[3 * 256 + Int(low >> 24)] ^ t[2 * 256 + Int((low >> 16) & 0xFF)]
                    ^ t[1 * 256 + Int((low >> 8) & 0xFF)] ^ t[Int(low & 0xFF)]
                p += 8
                remaining -= 8
            }
            while remaining > 0 {
                c = (c << 8) ^ t[Int((c >> 24) ^ UInt32(p.load(as: UInt8.self)))]
                p += 1
                remaining -= 1
            }
            return c
        }
    }

    /// tables[k * 256 + b]: the CRC of byte b followed by k zero bytes, MSB-first.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b) << 24
            for _ in 0..<8 { c = (c & 0x8000_0000) != 0 ? (c << 1) ^ 0x04C1_1DB7 : c << 1 }
            t[b] = c
        }
        for k in 1..<8 {
            for b in 0..<256 {
                let previous = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (previous << 8) ^ t[Int(previous >> 24)]
            }
        }
        return t
    }()
}

/// Folding pays for its setup from a few blocks on; below this the tables run alone.
let crcFoldingMinimum = 128
let crcFoldingAvailable = trawl_cpu_has_pclmul() != 0
