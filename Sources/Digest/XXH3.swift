import CDigest

/// XXH3 64-bit (seed 0, default secret), as `xxhsum -H3` prints it: the value big-endian.
/// Not cryptographic. Long inputs run the stripe loop on AVX2 when the CPU has it (1 GiB:
/// 0.16 s CPU vs 0.19 s scalar Swift, both mostly the read(2) copy; xxhsum 0.18 s).
public struct XXH3: DigestHasher {
    private var core = XXH3Core()

    public init() {}

    package init(accelerated: Bool) { core = XXH3Core(accelerated: accelerated) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { core.update(bytes) }

    /// The hash as a number, as the reference XXH3_64bits() returns it.
    public var value: UInt64 { core.digest64() }

    public mutating func finalize() -> [UInt8] { bigEndianBytes(value) }
}

/// XXH3 128-bit (seed 0, default secret), as `xxhsum -H2` prints it: high then low
/// 64 bits, each big-endian. Not cryptographic.
public struct XXH128: DigestHasher {
    private var core = XXH3Core()

    public init() {}

    init(accelerated: Bool) { core = XXH3Core(accelerated: accelerated) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { core.update(bytes) }

    /// The hash as (high, low) 64-bit halves.
    public var value: (high: UInt64, low: UInt64) { core.digest128() }

    public mutating func finalize() -> [UInt8] {
        let (high, low) = value
        return bigEndianBytes(high) + bigEndianBytes(low)
    }
}
