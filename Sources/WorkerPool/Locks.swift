#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization

/// Polls `condition` with CPU pause hints for a few microseconds; true once it holds.
/// For waits that are usually about to end, where suspending or sleeping costs more.
@inlinable
func spinBriefly(polls: Int = 512, until condition: () -> Bool) -> Bool {
    for _ in 0..<polls {
        if condition() { return true }
        trawl_cpu_relax()
    }
    return condition()
}

/// A pthread mutex with a condition variable on the monotonic clock.
///
/// Why not `Synchronization.Mutex`: TSan reports races between two accesses that are both
/// inside `Mutex.withLock` on Linux (DESIGN.md), while pthread primitives keep
/// `swift test --sanitize=thread` clean. Used where threads must sleep: the pool's queue
/// and blocking waiters; futures use `SpinLock`, which costs no allocation.
package final class ConditionLock: @unchecked Sendable {
    // The pointers are allocated once and never move; pthread calls are the only access.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        // Adaptive: spins briefly before sleeping in the kernel. The pool's queue lock is
        // held for a few instructions; sleeping on it put futex calls at the top of profiles.
        var mutexAttributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&mutexAttributes)
        pthread_mutexattr_settype(&mutexAttributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &mutexAttributes)
        pthread_mutexattr_destroy(&mutexAttributes)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    @inline(__always) package func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) package func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always) package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    package func signal() { pthread_cond_signal(condition) }
    package func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits until signalled (the lock must be held). Spurious wakeups happen: callers loop.
    package func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits until signalled or `deadline` passes; returns false on timeout. Lock held.
    func wait(until deadline: Deadline) -> Bool {
        var time = deadline.absoluteTime
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }
}

/// A test-and-test-and-set spin lock in one word, for critical sections of a few
/// instructions (a future's state change). It yields the CPU after a short spin, so a
/// preempted holder on a 2-core machine costs a reschedule, not a time slice of spinning.
/// Acquire/release atomics: TSan understands them.
struct SpinLock: ~Copyable, @unchecked Sendable {
    private let state = Atomic<Bool>(false)

    @inline(__always) func lock() {
        if state.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { return }
        lockSlow()
    }

    private func lockSlow() {
        var spins = 0
        while true {
            if !state.load(ordering: .relaxed),
               state.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                return
            }
            spins += 1
            if spins > 64 { sched_yield() }
        }
    }

    @inline(__always) func unlock() { state.store(false, ordering: .releasing) }
}

/// A point on the monotonic clock, for bounded waits.
@usableFromInline
struct Deadline: Sendable {
    @usableFromInline let nanoseconds: UInt64

    @usableFromInline
    init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    static var now: Deadline {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Deadline(nanoseconds: UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    /// `nil` timeout means no deadline.
    @usableFromInline
    static func after(_ timeout: Duration?) -> Deadline? {
        guard let timeout else { return nil }
        let (seconds, attoseconds) = timeout.components
        let total = max(0, seconds) * 1_000_000_000 + max(0, attoseconds / 1_000_000_000)
        return Deadline(nanoseconds: now.nanoseconds &+ UInt64(total))
    }

    var hasPassed: Bool { Deadline.now.nanoseconds >= nanoseconds }

    var absoluteTime: timespec {
        timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }
}

/// A value behind a `ConditionLock`, for rarely changed process-wide settings.
final class ConditionLockBox<Value>: @unchecked Sendable {
    // `stored` is read and written only with `lock` held.
    private let lock = ConditionLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
