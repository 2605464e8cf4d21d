import Glibc
import Synchronization
import Platform

/// Runs a walk's worker loops in parallel and returns when all of them have returned.
/// The seam that lets a walk run on the caller's pool (`ThreadPoolExecutor` conforms) or
/// on threads of its own (`WalkThreads`).
public protocol WalkLoopRunner: Sendable {
    /// Calls `loop(i)` for i in 0..<count, concurrently, and waits for all calls to return.
    /// A loop that starts late (a busy pool) finds no work and returns at once, so a pool
    /// with fewer free workers than `count` only lowers the parallelism.
    func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void)
}

/// Runs loop 0 on the calling thread and the others on threads of their own.
public struct WalkThreads: WalkLoopRunner {
    public init() {}

    public func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void) {
        // No thread to be had: the loops on the threads we have do the work.
        let threads = (1..<max(count, 1)).compactMap { index in try? NamedThread(name: "trawl-walk") { loop(index) } }
        loop(0)
        for thread in threads { thread.join() }
    }
}

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
