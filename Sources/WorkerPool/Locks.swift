#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Platform
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
