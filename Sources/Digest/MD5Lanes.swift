import CDigest

/// MD5 of many whole messages at once (a run of small files): eight side by side in SIMD
/// lanes where the CPU has AVX2, since one MD5 is a chain of dependent steps that leaves
/// most of a core idle; one after another otherwise.
public enum MD5Lanes {
    /// True when `digests(of:)` runs messages side by side.
    public static let isAccelerated = trawl_cpu_has_avx2() != 0

    /// Below this many messages the lanes would mostly idle: one after another instead.
    public static let fewestMessages = 3

    /// The MD5 of each message, in order.
    public static func digests(of messages: [UnsafeRawBufferPointer]) -> [[UInt8]] {
        guard isAccelerated, messages.count >= fewestMessages else { return portableDigests(of: messages) }
        let empty: UInt8 = 0
        return withUnsafePointer(to: empty) { placeholder in
            let starts = messages.map { $0.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? placeholder }
            let lengths = messages.map(\.count)
            var packed = [UInt8](repeating: 0, count: 16 * messages.count)
            starts.withUnsafeBufferPointer { starts in
                starts.withMemoryRebound(to: UnsafePointer<UInt8>?.self) { starts in
                    trawl_md5_many_avx2(starts.baseAddress, lengths, messages.count, &packed)
                }
            }
            return (0..<messages.count).map { Array(packed[16 * $0 ..< 16 * $0 + 16]) }
        }
    }

    /// The portable path: `MD5` on each message in turn (tests hold the lanes to it).
    public static func portableDigests(of messages: [UnsafeRawBufferPointer]) -> [[UInt8]] {
        messages.map { message in
            var hasher = MD5()
            hasher.update(message)
            return hasher.finalize()
        }
    }
}
