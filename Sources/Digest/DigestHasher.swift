/// One streaming hash computation: feed bytes in pieces of any size, then take the digest.
///
/// Every conforming type is a value type with no allocation per `update`; streaming the
/// same bytes in any split gives the same digest as one call. `finalize()` ends the
/// computation: calling `update` or `finalize` again afterwards is a programming error
/// with unspecified results. Not thread-safe: one hasher belongs to one thread at a time
/// (it is `Sendable`, so it may move between threads). Named apart from `Swift.Hasher`,
/// which `Hashable` conformances use in the same files.
public protocol DigestHasher: Sendable {
    /// A hasher in its initial state.
    init()
    /// Absorbs `bytes`; the buffer is not retained.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest, `Algorithm.digestLength` bytes in the algorithm's canonical byte order.
    mutating func finalize() -> [UInt8]
}

extension DigestHasher {
    /// Absorbs the bytes of an array (convenience for tests and small inputs).
    @inlinable
    public mutating func update(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of `bytes` in one call.
    @inlinable
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = Self()
        hasher.update(contentsOf: bytes)
        return hasher.finalize()
    }
}
