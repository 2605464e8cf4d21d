#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A pthread mutex with a condition variable on the monotonic clock: the one lock for
/// threads that must sleep (the pool's queue, the scan's channels, the walk's stack).
///
/// Why not `Synchronization.Mutex`: TSan reports races between two accesses that are both
/// inside `Mutex.withLock` on Linux (DESIGN.md), while pthread primitives keep
/// `swift test --sanitize=thread` clean. Where two parties sleep apart (producers and a
/// consumer), a `LockCondition` adds a second condition on the same mutex.
///
/// Thread-safety: any thread. The mutex is adaptive: it spins briefly before sleeping in
/// the kernel. The pool's queue lock is held for a few instructions; sleeping on it put
/// futex calls at the top of profiles.
public final class ConditionLock: @unchecked Sendable {
    // The pointers are allocated once and never move; pthread calls are the only access.
    @usableFromInline let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    @usableFromInline let condition = makeMonotonicCondition()

    public init() {
        var mutexAttributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&mutexAttributes)
        pthread_mutexattr_settype(&mutexAttributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &mutexAttributes)
        pthread_mutexattr_destroy(&mutexAttributes)
    }

    deinit {
        destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable @inline(__always) public func lock() { pthread_mutex_lock(mutex) }
    @inlinable @inline(__always) public func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable @inline(__always) public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    @inlinable public func signal() { pthread_cond_signal(condition) }
    @inlinable public func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits until signalled (the lock must be held). Spurious wakeups happen: callers loop.
    @inlinable public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits until signalled or `deadline` passes; returns false on timeout. Lock held.
    public func wait(until deadline: Deadline) -> Bool {
        timedWait(condition, mutex, until: deadline)
    }
}

/// A further condition on a `ConditionLock`'s mutex, so two kinds of waiter (producers and
/// a consumer) are woken apart: a broadcast to both per event cost 300k futex calls in a
/// `dupes` run (DESIGN.md). `wait` needs the lock held; `signal` and `broadcast` may be
/// called with or without it.
public final class LockCondition: @unchecked Sendable {
    // Holding the lock keeps `mutex` allocated for as long as this condition lives.
    private let lock: ConditionLock
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let condition = makeMonotonicCondition()

    public init(on lock: ConditionLock) {
        self.lock = lock
        mutex = lock.mutex
    }

    deinit { destroy(condition) }

    @inlinable public func signal() { pthread_cond_signal(condition) }
    @inlinable public func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits until signalled (the lock must be held). Spurious wakeups happen: callers loop.
    @inlinable public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits until signalled or `deadline` passes; returns false on timeout. Lock held.
    public func wait(until deadline: Deadline) -> Bool {
        timedWait(condition, mutex, until: deadline)
    }
}

/// A pthread condition on the monotonic clock, so a wall-clock change moves no deadline.
private func makeMonotonicCondition() -> UnsafeMutablePointer<pthread_cond_t> {
    let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    pthread_cond_init(condition, &attributes)
    pthread_condattr_destroy(&attributes)
    return condition
}

private func destroy(_ condition: UnsafeMutablePointer<pthread_cond_t>) {
    pthread_cond_destroy(condition)
    condition.deallocate()
}

private func timedWait(_ condition: UnsafeMutablePointer<pthread_cond_t>, _ mutex: UnsafeMutablePointer<pthread_mutex_t>,
                       until deadline: Deadline) -> Bool {
    var time = deadline.absoluteTime
    return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
}
