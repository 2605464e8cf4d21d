/// Several algorithms fed from one read (`-a sha256,md5`): each `update` passes the same
/// buffer to every hasher in turn, so a file is read once however many digests it gets.
/// Not thread-safe; one per file being hashed.
public struct MultiHasher: Sendable {
    /// The algorithms, in the order their digests are returned.
    public let algorithms: [Algorithm]
    private var hashers: [any DigestHasher]

    /// Hashers for `algorithms` (duplicates are allowed and computed twice).
    public init(_ algorithms: [Algorithm]) {
        self.algorithms = algorithms
        self.hashers = algorithms.map { $0.makeHasher() }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        for i in hashers.indices { hashers[i].update(bytes) }
    }

    /// One digest per algorithm, in `algorithms` order.
    public mutating func finalize() -> [[UInt8]] {
        hashers.indices.map { hashers[$0].finalize() }
    }
}
