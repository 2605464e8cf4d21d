/// Operations over collections of futures: Python's `wait` and `as_completed`.
public enum Futures {
    /// When `wait` returns (Python's FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
    public enum ReturnWhen: Sendable {
        case firstCompleted
        /// The first future that finished with an error (not cancelled); all if none does.
        case firstError
        case allCompleted
    }

    /// Blocks until the `returnWhen` condition holds or `timeout` passes, then splits the
    /// futures into those done and those not. Never throws: on timeout the split is
    /// simply returned as it stands. Order inside each part follows the input.
    public static func wait<Value>(_ futures: [Future<Value>], timeout: Duration? = nil,
                                   returnWhen: ReturnWhen = .allCompleted)
        -> (done: [Future<Value>], notDone: [Future<Value>]) {
        let deadline = Deadline.after(timeout)
        let waiter = CountingWaiter(condition: returnWhen, total: futures.count)
        for future in futures {
            future.whenDone { done in
                let failed: Bool
                if case .failure = done.currentOutcome, !done.isCancelled { failed = true } else { failed = false }
                waiter.futureDone(failed: failed)
            }
        }
        waiter.wait(until: deadline)
        var done: [Future<Value>] = []
        var notDone: [Future<Value>] = []
        for future in futures {
            if future.isDone { done.append(future) } else { notDone.append(future) }
        }
        return (done, notDone)
    }

    /// The futures in the order they complete (Python's `as_completed`): already-done ones
    /// first, then each as it finishes. Throws `ExecutorError.timeout` when `timeout` (counted
    /// from this call) passes before all are done. Duplicates are yielded once.
    public static func completed<Value>(_ futures: [Future<Value>], timeout: Duration? = nil)
        -> CompletedFutures<Value> {
        CompletedFutures(futures: futures, deadline: Deadline.after(timeout))
    }
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

/// The async sequence behind `Futures.completed`.
public struct CompletedFutures<Value: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Future<Value>
    public typealias Failure = any Error

    let futures: [Future<Value>]
    let deadline: Deadline?

    public func makeAsyncIterator() -> Iterator {
        Iterator(channel: CompletionChannel(futures: futures, deadline: deadline))
    }

    public struct Iterator: AsyncIteratorProtocol {
        let channel: CompletionChannel<Value>

        public mutating func next() async throws -> Future<Value>? {
            try await channel.next()
        }

        // SE-0421: without this, each element hops executors (DESIGN.md: about 10x slower).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> Future<Value>? {
            if case .ready(let future) = try channel.poll() { return future }
            return try await channel.next()
        }
    }
}

/// Futures arrive as they complete; the consumer takes them in that order.
///
/// Lock discipline: `ready`, `remaining` and `waiting` are guarded by `lock`.
final class CompletionChannel<Value: Sendable>: @unchecked Sendable {
    // A pthread mutex, not SpinLock: the 6.3 compiler crashed (CopyPropagation) specializing
    // this generic class's init with a noncopyable field across modules.
    private let lock = ConditionLock()
    private var ready = RingBuffer<Future<Value>>(capacity: 64)
    private var remaining: Int
    private var waiting: ResumeOnce<Future<Value>?>?
    private let deadline: Deadline?

    init(futures: [Future<Value>], deadline: Deadline?) {
        var seen = Set<ObjectIdentifier>(minimumCapacity: futures.count)
        let unique = futures.filter { seen.insert(ObjectIdentifier($0)).inserted }
        remaining = unique.count
        self.deadline = deadline
        // Futures done already go in under one lock; only the others get a callback
        // (a closure each, and a lock per arrival).
        var done: [Future<Value>] = []
        var pending: [Future<Value>] = []
        for future in unique {
            if future.isDone { done.append(future) } else { pending.append(future) }
        }
        lock.withLock {
            for future in done { ready.append(future) }
        }
        for future in pending {
            future.whenDone { [self] finished in arrived(finished) }
        }
    }

    /// Futures already taken from `ready` by the consumer, yielded without the lock.
    private var taken: [Future<Value>] = []
    private var takenIndex = 0

    private func arrived(_ future: Future<Value>) {
        lock.lock()
        if let waiting {
            self.waiting = nil
            remaining -= 1
            lock.unlock()
            waiting.resume(with: .success(future))
            return
        }
        ready.append(future)
        lock.unlock()
    }

    enum Poll { case ready(Future<Value>?), mustWait }

    /// A future ready now (nil once all were yielded), or `.mustWait`. Throws on timeout.
    func poll() throws -> Poll {
        // `taken` is the consumer's own: one consumer iterates a sequence at a time.
        if takenIndex < taken.count {
            defer { takenIndex += 1 }
            return .ready(taken[takenIndex])
        }
        lock.lock()
        defer { lock.unlock() }
        if !ready.isEmpty {
            // Take every ready future in one lock round trip.
            taken.removeAll(keepingCapacity: true)
            while let future = ready.removeFirst() { taken.append(future) }
            remaining -= taken.count
            takenIndex = 1
            return .ready(taken[0])
        }
        if remaining == 0 { return .ready(nil) }
        if let deadline, deadline.hasPassed { throw ExecutorError.timeout }
        return .mustWait
    }

    func next() async throws -> Future<Value>? {
        if case .ready(let future) = try poll() { return future }
        let once = ResumeOnce<Future<Value>?>()
        return try await withCheckedThrowingContinuation { continuation in
            if let deadline { once.install(continuation, timeoutAt: deadline) } else { once.install(continuation) }
            lock.lock()
            if let future = ready.removeFirst() {
                remaining -= 1
                lock.unlock()
                once.resume(with: .success(future))
            } else if remaining == 0 {
                lock.unlock()
                once.resume(with: .success(nil))
            } else {
                waiting = once
                lock.unlock()
            }
        }
    }
}
