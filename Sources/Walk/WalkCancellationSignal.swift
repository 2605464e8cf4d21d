/// Something the walk polls between directories; when it reads true the walk stops
/// (workers finish the directory in hand, queued directories are dropped).
public protocol WalkCancellationSignal: Sendable {
    var isCancelled: Bool { get }
}
