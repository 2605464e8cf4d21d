import Glibc

/// Waiting out a full descriptor table (`ulimit -n 16`, EMFILE; the system's, ENFILE):
/// the other threads of the walk and the search hold descriptors they close within
/// milliseconds, so an open that failed for want of one is tried again after 1, 2, 4 ...
/// 64 ms, about 2 s in all, before its error is reported. ripgrep completes a tree search
/// at `ulimit -n 16`; without this trawl reported thousands of files as unreadable.
/// Not thread-safe: one per open being retried.
public struct DescriptorBackoff {
    private var wait: UInt32 = 1_000
    private var waited: UInt32 = 0
    /// Microseconds of waiting before giving up.
    static let patience: UInt32 = 2_000_000

    public init() {}

    /// True (after waiting) when an open that failed with `code` should be tried again.
    public mutating func shouldRetry(errno code: Int32) -> Bool {
        guard code == EMFILE || code == ENFILE, waited < Self.patience else { return false }
        usleep(wait)
        waited += wait
        wait = min(wait * 2, 64_000)
        return true
    }

    /// Calls `open` (which returns a descriptor, or -1 with errno set) until it succeeds or
    /// fails for another reason or for too long; errno is that of the last call.
    public static func retrying(_ open: () -> Int32) -> Int32 {
        var backoff = DescriptorBackoff()
        while true {
            let fd = open()
            if fd >= 0 { return fd }
            let code = errno
            guard backoff.shouldRetry(errno: code) else {
                errno = code
                return fd
            }
        }
    }
}
