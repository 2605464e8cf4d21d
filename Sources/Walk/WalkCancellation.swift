import Synchronization

/// Something the walk polls between directories; when it reads true the walk stops
/// (workers finish the directory in hand, queued directories are dropped).
public protocol WalkCancellationSignal: Sendable {
    var isCancelled: Bool { get }
}

/// A one-way flag: `cancel()` from any thread (a signal-handling thread, a callback).
public final class WalkCancellation: WalkCancellationSignal {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
