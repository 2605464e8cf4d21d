#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// One pointer per thread (a pthread key), created once per process: each thread reads
/// and writes its own value, nil until it sets one. The slot does not own what it points
/// to; the optional `destructor` runs on a thread's non-nil value when that thread ends.
///
/// Thread-safety: any thread; each sees its own value.
public struct ThreadLocalSlot: Sendable {
    @usableFromInline let key: pthread_key_t

    public init(destructor: (@convention(c) (UnsafeMutableRawPointer?) -> Void)? = nil) {
        var key = pthread_key_t()
        pthread_key_create(&key, destructor)
        self.key = key
    }

    /// The calling thread's value.
    @inlinable public var value: UnsafeMutableRawPointer? {
        get { pthread_getspecific(key) }
        nonmutating set { pthread_setspecific(key, newValue) }
    }
}

/// A buffer of `byteCount` bytes per thread, made on the thread's first use and freed when
/// the thread ends: read buffers without a malloc per file (a 256 KiB malloc is an mmap +
/// munmap pair in glibc). Thread-safety: any thread; each sees its own buffer.
public final class ThreadBuffer: Sendable {
    public let byteCount: Int
    private let slot = ThreadLocalSlot { $0?.deallocate() }

    public init(byteCount: Int) { self.byteCount = byteCount }

    /// The calling thread's buffer.
    public var pointer: UnsafeMutableRawPointer {
        if let existing = slot.value { return existing }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        slot.value = buffer
        return buffer
    }
}
