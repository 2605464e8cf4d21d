import Glibc

/// Hands each searching thread its own mutable search memory (PikeVM lists, lazy DFA
/// cache), so one `CompiledRegex` can be shared by every worker without locking in the hot loop.
/// A scratch is checked out for one search and returned after; the lock is held only to
/// pop or push the free list (a pthread mutex: Synchronization.Mutex trips TSan here).
final class ScratchPool<Scratch: AnyObject>: @unchecked Sendable {
    // Lock discipline: `free` is read and written only while `mutex` is held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var free: [Scratch] = []
    private let make: @Sendable () -> Scratch

    init(make: @escaping @Sendable () -> Scratch) {
        self.make = make
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withScratch<R>(_ body: (Scratch) -> R) -> R {
        pthread_mutex_lock(mutex)
        let scratch = free.popLast()
        pthread_mutex_unlock(mutex)
        let s = scratch ?? make()
        defer {
            pthread_mutex_lock(mutex)
            free.append(s)
            pthread_mutex_unlock(mutex)
        }
        return body(s)
    }
}
