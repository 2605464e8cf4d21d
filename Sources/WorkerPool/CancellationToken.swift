#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Synchronization

/// A flag that running work checks to stop early: cooperative cancellation beyond
/// Python's `Future.cancel()`, which can only stop work that has not started.
///
/// A token is cancelled when `cancel()` is called on it or on any of its parents. The pool
/// gives every task a token: the pool's own (cancelled by `shutdown(cancelPending: true)`)
/// or, when the task was submitted with a token, one linked to both. Work reads it through
/// `CancellationToken.current` or the token it captured.
///
/// Thread-safety: all members may be used from any thread.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parents: [CancellationToken]

    /// A token cancelled by its own `cancel()` or by any of `parents`'.
    public init(parents: [CancellationToken] = []) {
        self.parents = parents
    }

    /// A token cancelled by its own `cancel()` or by `parent`'s.
    public convenience init(parent: CancellationToken) {
        self.init(parents: [parent])
    }

    /// True once this token or one of its parents was cancelled. Costs one atomic load per
    /// token in the chain: cheap enough to check per buffer read.
    public var isCancelled: Bool {
        if flag.load(ordering: .relaxed) { return true }
        // Indexed, not iterated: an iterator retained the array and each parent, atomics
        // on objects every worker shares (checked per buffer read).
        var index = 0
        while index < parents.count {
            if parents[index].isCancelled { return true }
            index += 1
        }
        return false
    }

    /// Cancels this token and every token linked below it. Idempotent.
    public func cancel() {
        flag.store(true, ordering: .relaxed)
    }

    /// The token of the pool task running on the calling thread, or nil outside pool work.
    public static var current: CancellationToken? {
        guard let raw = currentTokenSlot.value else { return nil }
        return Unmanaged<CancellationToken>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Makes `self` the current token of the calling thread for good (a pool's token on
    /// its worker threads; the pool outlives them).
    func makeCurrentForThread() {
        currentTokenSlot.value = Unmanaged.passUnretained(self).toOpaque()
    }

    /// Runs `body` with `self` as the thread's current token (the worker holds a reference).
    func makeCurrent<R>(_ body: () throws -> R) rethrows -> R {
        let previous = currentTokenSlot.value
        currentTokenSlot.value = Unmanaged.passUnretained(self).toOpaque()
        defer { currentTokenSlot.value = previous }
        return try body()
    }
}

/// The thread-local slot behind `CancellationToken.current`, created once per process.
private let currentTokenSlot = ThreadLocalSlot()
