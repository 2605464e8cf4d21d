/// `--shard I/N`: one of N disjoint parts of a tree, so N processes or machines can each
/// scan a part (a shared file system none holds alone) and their outputs add up to one run.
///
/// A file belongs to shard I when FNV-1a (64-bit) of its path relative to its root, taken
/// modulo N, is I - 1. Relative, so machines that mount the tree at different places agree;
/// a root that is a file itself, and a `--files-from` path, count by the path as given.
/// The hash depends on nothing but those bytes: stable across runs, machines and versions.
public struct PathShard: Sendable, Equatable {
    /// 1-based, at most `count`.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`; nil unless 1 <= I <= N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public func includes(relativePath path: UnsafeRawBufferPointer) -> Bool {
        count == 1 || Int(Self.hash(path) % UInt64(count)) == index - 1
    }

    public func includes(relativePath path: [UInt8]) -> Bool {
        path.withUnsafeBytes { includes(relativePath: $0) }
    }

    /// FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
