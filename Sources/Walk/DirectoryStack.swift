import Platform

/// The shared LIFO of directories still to read. LIFO keeps the walk depth-first, so the
/// stack stays small and paths of one subtree come out together.
/// A shared stack behind one lock rather than per-worker deques with stealing: the lock is
/// taken once per directory (about 5k times on the 78k-file Linux tree), not per file.
/// Measured there: CPU time per walk is the same with 1 and 2 loops (0.07 s) and the
/// wall time halves (0.066 s -> 0.034 s), so the lock costs nothing worth stealing for.
///
/// Lock discipline: `stack`, `active` and `finished` are read and written only while
/// `lock` is held.
final class DirectoryStack: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stack: [DirectoryWork]
    /// Workers holding a directory they have not finished: they may still push more.
    private var active = 0
    private var finished = false
    private let cancellation: (any WalkCancellationSignal)?

    init(_ initial: [DirectoryWork], cancellation: (any WalkCancellationSignal)?) {
        stack = initial.reversed()
        self.cancellation = cancellation
    }

    /// Pushes the children of the directory just read (none for the first call) and takes
    /// the next directory; blocks while others may still push. Nil: the walk is over.
    func finishAndTake(children: inout [DirectoryWork], wasActive: Bool) -> DirectoryWork? {
        lock.lock()
        defer { lock.unlock() }
        if wasActive { active -= 1 }
        if !children.isEmpty {
            // Reversed so the first child in directory order is read first.
            stack.append(contentsOf: children.reversed())
            children.removeAll(keepingCapacity: true)
            lock.broadcast()
        }
        while true {
            if finished { return nil }
            if cancellation?.isCancelled == true {
                finished = true
                stack.removeAll()
                lock.broadcast()
                return nil
            }
            if let next = stack.popLast() {
                active += 1
                return next
            }
            if active == 0 {
                finished = true
                lock.broadcast()
                return nil
            }
            lock.wait()
        }
    }
}
