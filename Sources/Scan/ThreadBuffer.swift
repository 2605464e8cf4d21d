#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A buffer of `byteCount` bytes per thread, made on the thread's first use and freed when
/// the thread ends: read buffers without a malloc per file (a 256 KiB malloc is an mmap +
/// munmap pair in glibc). Thread-safety: any thread; each sees its own buffer.
public final class ThreadBuffer: Sendable {
    public let byteCount: Int
    private let key: pthread_key_t

    public init(byteCount: Int) {
        self.byteCount = byteCount
        var key = pthread_key_t()
        pthread_key_create(&key) { $0?.deallocate() }
        self.key = key
    }

    /// The calling thread's buffer.
    public var pointer: UnsafeMutableRawPointer {
        if let existing = pthread_getspecific(key) { return existing }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        pthread_setspecific(key, buffer)
        return buffer
    }
}
