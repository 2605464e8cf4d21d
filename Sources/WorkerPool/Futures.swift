import Platform
/// Operations over collections of futures: Python's `wait` and `as_completed`.
///
/// Each takes futures of one value type (`[Future<Int>]`) or of several
/// (`[any AnyFuture]`); a future given twice counts once.
public enum Futures {
    /// When `wait` returns (Python's FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
    public enum ReturnWhen: Sendable {
        /// As soon as any future is done.
        case firstCompleted
        /// The first future that finished with an error (not cancelled); all if none does.
        case firstError
        /// Once every future is done.
        case allCompleted
    }

    /// Blocks until the `returnWhen` condition holds or `timeout` passes, then splits the
    /// futures into those done and those not. Never throws: on timeout the split is
    /// simply returned as it stands. Order inside each part follows the input; a future
    /// given twice appears once. A timed-out wait leaves no callback behind on the futures.
    public static func wait<S: Sequence, Value>(_ futures: S, timeout: Duration? = nil,
                                                returnWhen: ReturnWhen = .allCompleted)
        -> (done: [Future<Value>], notDone: [Future<Value>]) where S.Element == Future<Value> {
        split(unique(futures.map { ($0, $0 as any WaitableFuture) }), timeout: timeout, returnWhen: returnWhen)
    }

    /// `wait` for futures of different value types.
    public static func wait<S: Sequence>(_ futures: S, timeout: Duration? = nil,
                                         returnWhen: ReturnWhen = .allCompleted)
        -> (done: [any AnyFuture], notDone: [any AnyFuture]) where S.Element == any AnyFuture {
        split(unique(futures.map { ($0, waitable($0)) }), timeout: timeout, returnWhen: returnWhen)
    }

    /// The futures in the order they complete (Python's `as_completed`): already-done ones
    /// first, then each as it finishes. Iterate it once. The sequence holds no future it has
    /// yielded. Throws `ExecutorError.timeout(unfinished:of:)` when `timeout` (counted from
    /// this call) passes before all are done. Duplicates are yielded once.
    public static func completed<S: Sequence, Value>(_ futures: S, timeout: Duration? = nil)
        -> CompletedFutures<Future<Value>> where S.Element == Future<Value> {
        let deadline = Deadline.after(timeout)
        return CompletedFutures(channel: CompletionChannel(unique(futures.map { ($0, $0 as any WaitableFuture) }), deadline: deadline))
    }

    /// `completed` for futures of different value types.
    public static func completed<S: Sequence>(_ futures: S, timeout: Duration? = nil)
        -> CompletedFutures<any AnyFuture> where S.Element == any AnyFuture {
        let deadline = Deadline.after(timeout)
        return CompletedFutures(channel: CompletionChannel(unique(futures.map { ($0, waitable($0)) }), deadline: deadline))
    }

    /// Receives every error a `whenDone` callback throws, with the future's description.
    /// nil (the default) writes `WorkerPool: exception calling callback for <Future ...>: ...`
    /// to standard error, as Python's concurrent.futures logs it.
    public static var callbackErrorHandler: (@Sendable (any Error, String) -> Void)? {
        get { CallbackErrors.currentHandler }
        set { CallbackErrors.setHandler(newValue) }
    }

    /// The futures with the first of each duplicate kept, in order.
    private static func unique<Element>(_ futures: [(Element, any WaitableFuture)]) -> [(Element, any WaitableFuture)] {
        var seen = Set<ObjectIdentifier>(minimumCapacity: futures.count)
        return futures.filter { seen.insert(ObjectIdentifier($0.1)).inserted }
    }

    private static func split<Element>(_ futures: [(Element, any WaitableFuture)], timeout: Duration?, returnWhen: ReturnWhen)
        -> (done: [Element], notDone: [Element]) {
        let waiter = CountingWaiter(condition: returnWhen, total: futures.count)
        var registered: [(future: any WaitableFuture, id: Int)] = []
        for (_, future) in futures {
            if let id = future.addWaiter({ [weak future] in waiter.futureDone(failed: future?.hasFailed ?? false) }) {
                registered.append((future, id))
            } else {
                waiter.futureDone(failed: future.hasFailed)
            }
        }
        waiter.wait(until: Deadline.after(timeout))
        for (future, id) in registered { future.removeWaiter(id) }
        var done: [Element] = []
        var notDone: [Element] = []
        for (element, future) in futures {
            if future.isDone { done.append(element) } else { notDone.append(element) }
        }
        return (done, notDone)
    }
}

/// What `Futures` needs of a future beyond `AnyFuture`: only `Future` conforms.
protocol WaitableFuture: AnyFuture {
    var hasFailed: Bool { get }
    func addWaiter(_ wake: @escaping @Sendable () -> Void) -> Int?
    func removeWaiter(_ id: Int)
}

extension Future: WaitableFuture {}

/// The future behind an element of a collection of futures.
@inline(__always)
func waitable<Element>(_ element: Element) -> any WaitableFuture {
    if let future = element as? any WaitableFuture { return future }
    preconditionFailure("only WorkerPool's Future conforms to AnyFuture")
}

/// Counts completions for `Futures.wait`.
private final class CountingWaiter: @unchecked Sendable {
    // All vars guarded by `lock`.
    private let lock = ConditionLock()
    private let condition: Futures.ReturnWhen
    private let total: Int
    private var done = 0
    private var failed = 0

    init(condition: Futures.ReturnWhen, total: Int) {
        self.condition = condition
        self.total = total
    }

    func futureDone(failed didFail: Bool) {
        lock.withLock {
            done += 1
            if didFail { failed += 1 }
            lock.broadcast()
        }
    }

    private var satisfied: Bool {
        switch condition {
        case .allCompleted: return done >= total
        case .firstCompleted: return done > 0 || total == 0
        case .firstError: return failed > 0 || done >= total
        }
    }

    func wait(until deadline: Deadline?) {
        lock.withLock {
            while !satisfied {
                if let deadline {
                    if !lock.wait(until: deadline) { return }
                } else {
                    lock.wait()
                }
            }
        }
    }
}

/// The async sequence behind `Futures.completed`: single pass.
public struct CompletedFutures<Element: Sendable>: AsyncSequence, Sendable {
    /// Errors: `ExecutorError.timeout(unfinished:of:)`.
    public typealias Failure = any Error

    let channel: CompletionChannel<Element>

    /// The iterator; all iterators of one sequence share its futures.
    public func makeAsyncIterator() -> Iterator {
        Iterator(channel: channel)
    }

    /// Yields each future once, as it is done.
    public struct Iterator: AsyncIteratorProtocol {
        let channel: CompletionChannel<Element>

        /// The next future done, nil after the last.
        public mutating func next() async throws -> Element? {
            try await channel.next()
        }

        // SE-0421: without this, each element hops executors (DESIGN.md: about 10x slower).
        /// The next future done, without an executor hop when one is ready.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> Element? {
            if case .ready(let future) = try channel.poll() { return future }
            return try await channel.next()
        }
    }
}

/// Futures arrive as they complete; the consumer takes them in that order.
///
/// Lock discipline: `ready`, `pending` and `waiting` are guarded by `lock`; `taken` is the
/// consumer's own (one consumer iterates at a time).
final class CompletionChannel<Element: Sendable>: @unchecked Sendable {
    // A pthread mutex, not SpinLock: the 6.3 compiler crashed (CopyPropagation) specializing
    // this generic class's init with a noncopyable field across modules.
    private let lock = ConditionLock()
    @exclusivity(unchecked) private var ready = RingBuffer<Element>(capacity: 64)
    /// Futures not done yet, with the id of the waiter each holds for this channel.
    @exclusivity(unchecked) private var pending: [ObjectIdentifier: (future: any WaitableFuture, id: Int)] = [:]
    @exclusivity(unchecked) private var waiting: ResumeOnce<Element?>?
    private let total: Int
    private let deadline: Deadline?
    /// Futures moved out of `ready` in one lock round trip, yielded without the lock.
    @exclusivity(unchecked) private var taken = RingBuffer<Element>(capacity: 64)

    init(_ futures: [(Element, any WaitableFuture)], deadline: Deadline?) {
        total = futures.count
        self.deadline = deadline
        // Futures done already go in under one lock; only the others get a waiter.
        lock.lock()
        for (element, future) in futures {
            if let id = future.addWaiter({ [weak self] in self?.arrived(element, future) }) {
                pending[ObjectIdentifier(future)] = (future, id)
            } else {
                ready.append(element)
            }
        }
        lock.unlock()
    }

    deinit {
        for (future, id) in pending.values { future.removeWaiter(id) }
    }

    private func arrived(_ element: Element, _ future: any WaitableFuture) {
        lock.lock()
        pending.removeValue(forKey: ObjectIdentifier(future))
        if let waiting {
            self.waiting = nil
            lock.unlock()
            // The consumer's wait may have timed out meanwhile: then the future waits in `ready`.
            if waiting.tryResume(with: .success(element)) { return }
            lock.lock()
        }
        ready.append(element)
        lock.unlock()
    }

    enum Poll { case ready(Element?), mustWait }

    /// A future ready now (nil once all were yielded), or `.mustWait`. Throws on timeout.
    func poll() throws -> Poll {
        if let element = taken.removeFirst() { return .ready(element) }
        lock.lock()
        defer { lock.unlock() }
        if !ready.isEmpty {
            swap(&ready, &taken)
            return .ready(taken.removeFirst())
        }
        if pending.isEmpty { return .ready(nil) }
        if let deadline, deadline.hasPassed { throw timeoutLocked() }
        return .mustWait
    }

    private func timeoutLocked() -> ExecutorError {
        .timeout(unfinished: pending.count, of: total)
    }

    func next() async throws -> Element? {
        if case .ready(let element) = try poll() { return element }
        let once = ResumeOnce<Element?>()
        return try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let deadline {
                once.install(continuation, timeoutAt: deadline, error: timeoutLocked())
            } else {
                once.install(continuation)
            }
            if let element = ready.removeFirst() {
                lock.unlock()
                once.resume(with: .success(element))
            } else if pending.isEmpty {
                lock.unlock()
                once.resume(with: .success(nil))
            } else {
                waiting = once
                lock.unlock()
                once.onTimeout { [weak self] in self?.dropWaiting(once) }
            }
        }
    }

    /// The consumer's wait timed out: later arrivals go to `ready`.
    private func dropWaiting(_ once: ResumeOnce<Element?>) {
        lock.withLock { if waiting === once { waiting = nil } }
    }
}
