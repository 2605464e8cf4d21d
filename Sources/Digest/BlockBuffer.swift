/// The partial block a block-oriented hash keeps between `update` calls: up to 128 bytes,
/// stored inline so a hasher never allocates while streaming.
struct BlockBuffer: Sendable {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                          UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes held, 0 ..< blockSize between calls.
    private(set) var count = 0

    static let capacity = 128

    /// Moves bytes from the front of `input` until the buffer holds `blockSize` bytes or
    /// `input` is empty; returns true when the buffer is full.
    mutating func fill(from input: inout UnsafeRawBufferPointer, blockSize: Int) -> Bool {
        precondition(blockSize <= Self.capacity)
        let take = min(blockSize - count, input.count)
        if take > 0 {
            withUnsafeMutableBytes(of: &storage) { bytes in
                // count + take <= blockSize <= capacity, so the copy stays inside storage.
                bytes.baseAddress!.advanced(by: count).copyMemory(from: input.baseAddress!, byteCount: take)
            }
            count += take
            input = UnsafeRawBufferPointer(rebasing: input[take...])
        }
        return count == blockSize
    }

    /// The streaming loop every block hash shares: completes the held partial block from
    /// `bytes` and compresses it, compresses the whole blocks of `bytes` in place (no copy),
    /// and keeps the rest. `compress(pointer, blockCount)` runs the hash's block function.
    mutating func absorb(_ bytes: UnsafeRawBufferPointer, blockSize: Int,
                         compress: (UnsafeRawPointer, Int) -> Void) {
        var input = bytes
        if count > 0 {
            guard fill(from: &input, blockSize: blockSize) else { return }
            let block = takeBlock()
            withUnsafeBytes(of: block) { compress($0.baseAddress!, 1) }
        }
        let blocks = input.count / blockSize
        if blocks > 0 {
            compress(input.baseAddress!, blocks)
            input = UnsafeRawBufferPointer(rebasing: input[(blocks * blockSize)...])
        }
        _ = fill(from: &input, blockSize: blockSize)
    }

    /// A copy of the bytes held, for the caller to compress; leaves the buffer empty.
    mutating func takeBlock() -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                  UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
        count = 0
        return storage
    }

    /// The bytes held, as an array (used once per digest, when padding).
    var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0.prefix(count)) }
    }
}
