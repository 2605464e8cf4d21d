#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Synchronization

/// The pools of this process that have started a thread, and the exit hook that drains
/// them: CPython's `threading._register_atexit(_python_exit)`, which joins every pool's
/// workers at interpreter exit so that work submitted is not lost.
///
/// Lock discipline: `pools` is read and written only inside `lock.withLock`.
enum PoolRegistry {
    private static let lock = Mutex<[ObjectIdentifier: WeakPool]>([:])
    private static let exiting = Atomic<Bool>(false)
    private static let poolNumbers = Atomic<Int>(0)
    private static let hookInstalled = Atomic<Bool>(false)

    /// True once the exit hook began: new pools start refusing work.
    static var isExiting: Bool { exiting.load(ordering: .sequentiallyConsistent) }

    /// The `k` of the default prefix `ThreadPoolExecutor-<k>`, unique per process.
    static func nextPoolNumber() -> Int {
        poolNumbers.add(1, ordering: .relaxed).newValue - 1
    }

    static func add(_ core: PoolCore) {
        if !hookInstalled.exchange(true, ordering: .acquiringAndReleasing) {
            atexit { PoolRegistry.shutDownAll() }
        }
        lock.withLock { $0[ObjectIdentifier(core)] = WeakPool(core) }
    }

    static func remove(_ core: PoolCore) {
        lock.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(core)) }
    }

    /// The exit hook: every live pool stops taking work and finishes what it has.
    static func shutDownAll() {
        exiting.store(true, ordering: .sequentiallyConsistent)
        let cores = lock.withLock { pools in pools.values.compactMap(\.core) }
        for core in cores { core.shutdownForExit() }
    }
}

/// A registry entry that does not keep its pool alive.
private struct WeakPool: @unchecked Sendable {
    // Written once at init; PoolCore is Sendable.
    weak var core: PoolCore?
    init(_ core: PoolCore) { self.core = core }
}

/// The full name of the pool thread running the caller, kept beside the 15 bytes Linux
/// keeps (`ThreadPoolExecutor.currentThreadName`).
enum WorkerThreadName {
    private static let slot = ThreadLocalSlot()

    static var current: String? {
        guard let raw = slot.value else { return nil }
        return Unmanaged<NameBox>.fromOpaque(raw).takeUnretainedValue().name
    }

    /// Sets (or with nil, clears and releases) the calling thread's name.
    static func set(_ name: String?) {
        if let raw = slot.value { Unmanaged<NameBox>.fromOpaque(raw).release() }
        let box = name.map { Unmanaged.passRetained(NameBox($0)).toOpaque() }
        slot.value = box
    }

    private final class NameBox {
        let name: String
        init(_ name: String) { self.name = name }
    }
}
