import Synchronization

/// The pool's FIFO of queued tasks: producers never lock, consumers take one task each
/// under the pool's take lock.
///
/// Dmitry Vyukov's multi-producer queue of linked nodes behind a dummy head: `push` swaps
/// itself in as the tail with one atomic exchange, then links the old tail to it; `pop`
/// follows the head's link. Submitters thus never contend with the workers taking tasks
/// (a single locked ring buffer, shared by both sides, capped trivial tasks at about 1.9M
/// tasks/s with four workers; Java's LinkedBlockingQueue separates the two sides likewise).
///
/// Nodes are allocated by hand, not as class instances: no reference counting or dynamic
/// exclusivity checks on the hot path. A node's task is moved out when popped, so the
/// queue never holds a task it has handed over.
///
/// Thread-safety: `push` from any thread; `pop` and `deinit` only by one thread at a time
/// (the pool holds its take lock around `pop`).
final class TaskQueue: @unchecked Sendable {
    private struct Node: ~Copyable {
        var task: (any PoolTask)?
        /// The next node's address (0: none yet), published with release ordering.
        let next: Atomic<UInt>
    }

    /// The dummy node; its successor holds the oldest task. Consumer side only.
    @exclusivity(unchecked) private var head: UnsafeMutablePointer<Node>
    /// The newest node: swapped by producers.
    private let tail: Atomic<UInt>

    init() {
        let stub = Self.makeNode(nil)
        head = stub
        tail = Atomic(UInt(bitPattern: stub))
    }

    deinit {
        while pop() != nil {}
        head.deinitialize(count: 1)
        head.deallocate()
    }

    private static func makeNode(_ task: (any PoolTask)?) -> UnsafeMutablePointer<Node> {
        let node = UnsafeMutablePointer<Node>.allocate(capacity: 1)
        node.initialize(to: Node(task: task, next: Atomic(0)))
        return node
    }

    /// Appends `task`. Lock-free: one exchange and one store.
    func push(_ task: any PoolTask) {
        let node = Self.makeNode(task)
        let previous = tail.exchange(UInt(bitPattern: node), ordering: .acquiringAndReleasing)
        UnsafeMutablePointer<Node>(bitPattern: previous)!.pointee.next.store(UInt(bitPattern: node), ordering: .releasing)
    }

    /// The oldest task, or nil when there is none or the producer that appended the next
    /// one has not linked it yet (between its two steps in `push`: callers that know a
    /// task is there retry).
    func pop() -> (any PoolTask)? {
        let nextBits = head.pointee.next.load(ordering: .acquiring)
        guard let next = UnsafeMutablePointer<Node>(bitPattern: nextBits) else { return nil }
        let task = next.pointee.task.take()
        let old = head
        head = next
        old.deinitialize(count: 1)
        old.deallocate()
        return task
    }
}
