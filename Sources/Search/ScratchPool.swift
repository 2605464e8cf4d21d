import Platform

/// Hands each searching thread its own mutable search memory (PikeVM lists, lazy DFA
/// cache), so one `CompiledRegex` can be shared by every worker without locking in the hot loop.
/// A scratch is checked out for one search and returned after; the lock is held only to
/// pop or push the free list (Platform's pthread lock: Synchronization.Mutex trips TSan here).
final class ScratchPool<Scratch: AnyObject>: @unchecked Sendable {
    // Lock discipline: `free` is read and written only while `lock` is held.
    private let lock = ConditionLock()
    private var free: [Scratch] = []
    private let make: @Sendable () -> Scratch

    init(make: @escaping @Sendable () -> Scratch) {
        self.make = make
    }

    @inline(__always)
    func withScratch<R>(_ body: (Scratch) -> R) -> R {
        let scratch = lock.withLock { free.popLast() }
        let s = scratch ?? make()
        defer { lock.withLock { free.append(s) } }
        return body(s)
    }
}
