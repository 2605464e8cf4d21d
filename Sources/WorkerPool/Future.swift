/// The eventual outcome of work running on a pool (or completed through a `Promise`).
///
/// A future moves through Python's four states once each, in order:
/// pending -> running -> finished, or pending -> cancelled. Callbacks added with
/// `whenDone` run exactly once, after the move to finished or cancelled.
///
/// Thread-safety: every member may be called from any thread. The state is guarded by a
/// one-word spin lock held only for a few instructions; waiting happens outside it.
public final class Future<Value: Sendable>: @unchecked Sendable {
    public typealias Callback = @Sendable (Future<Value>) throws -> Void

    enum State { case pending, running, cancelled, finished }

    private let lock = SpinLock()
    // Guarded by `lock`.
    private var state: State = .pending
    private var outcome: Result<Value, any Error>?
    private var work: (@Sendable () throws -> Value)?
    // Most futures get one callback at most (`completed`, a waiter): an inline slot spares
    // an array allocation per future.
    private var firstCallback: Callback?
    private var moreCallbacks: [Callback] = []
    /// The token running work sees as `CancellationToken.current`.
    let token: CancellationToken?

    init(work: (@Sendable () throws -> Value)?, token: CancellationToken?) {
        self.work = work
        self.token = token
    }

    // MARK: State

    /// True when the future was cancelled before it ran.
    public var isCancelled: Bool { read { $0 == .cancelled } }
    /// True while the work runs on a worker thread.
    public var isRunning: Bool { read { $0 == .running } }
    /// True once finished or cancelled: `result` then returns without waiting.
    public var isDone: Bool { read { $0 == .cancelled || $0 == .finished } }

    private func read(_ body: (State) -> Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return body(state)
    }

    /// Cancels the work if it has not started. Returns true when the future is (now)
    /// cancelled, false when the work is running or finished: a running task is never
    /// interrupted here (see `CancellationToken` for cooperative stopping).
    @discardableResult
    public func cancel() -> Bool {
        lock.lock()
        switch state {
        case .running, .finished:
            lock.unlock()
            return false
        case .cancelled:
            lock.unlock()
            return true
        case .pending:
            state = .cancelled
            outcome = .failure(ExecutorError.cancelled)
            work = nil
            let callbacks = takeCallbacks()
            lock.unlock()
            run(callbacks)
            return true
        }
    }

    // MARK: Outcome

    /// The work's value; rethrows the work's error. Throws `ExecutorError.cancelled` when
    /// the future was cancelled, `ExecutorError.timeout` when `timeout` passes first.
    /// `nil` waits as long as it takes.
    public func result(timeout: Duration? = nil) throws -> Value {
        try waitForOutcome(timeout: timeout).get()
    }

    /// The work's error, or nil when it succeeded. Throws `ExecutorError.cancelled` or
    /// `ExecutorError.timeout` like `result(timeout:)`.
    public func error(timeout: Duration? = nil) throws -> (any Error)? {
        let outcome = try waitForOutcome(timeout: timeout)
        if isCancelled { throw ExecutorError.cancelled }
        if case .failure(let error) = outcome { return error }
        return nil
    }

    /// The outcome if the future is done, without waiting.
    var currentOutcome: Result<Value, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return outcome
    }

    private func waitForOutcome(timeout: Duration?) throws -> Result<Value, any Error> {
        if let done = currentOutcome { return done }
        let waiter = BlockingWaiter()
        whenDone { _ in waiter.signal() }
        guard waiter.wait(until: Deadline.after(timeout)) else { throw ExecutorError.timeout }
        return currentOutcome!
    }

    /// The value, awaited without blocking a thread. Throws like `result()`.
    public var value: Value {
        get async throws {
            if let done = currentOutcome { return try done.get() }
            return try await withCheckedThrowingContinuation { continuation in
                whenDone { future in continuation.resume(with: future.currentOutcome!) }
            }
        }
    }

    /// The value, awaited until `deadline`; throws `ExecutorError.timeout` after it.
    func value(until deadline: Deadline?) async throws -> Value {
        if let done = currentOutcome { return try done.get() }
        guard let deadline else { return try await value }
        let once = ResumeOnce<Value>()
        return try await withCheckedThrowingContinuation { continuation in
            once.install(continuation, timeoutAt: deadline)
            whenDone { future in once.resume(with: future.currentOutcome!) }
        }
    }

    // MARK: Callbacks

    /// Adds a callback run once when the future is done (Python's add_done_callback):
    /// on the thread that completes it, or at once on this thread when already done.
    /// An error thrown by a callback is dropped: it never reaches the pool or other callbacks.
    public func whenDone(_ callback: @escaping Callback) {
        lock.lock()
        if state == .cancelled || state == .finished {
            lock.unlock()
            run([callback])
            return
        }
        if firstCallback == nil { firstCallback = callback } else { moreCallbacks.append(callback) }
        lock.unlock()
    }

    /// Takes the callbacks to run; the lock must be held.
    private func takeCallbacks() -> [Callback] {
        guard let first = firstCallback else { return [] }
        firstCallback = nil
        if moreCallbacks.isEmpty { return [first] }
        defer { moreCallbacks = [] }
        return [first] + moreCallbacks
    }

    private func run(_ callbacks: [Callback]) {
        for callback in callbacks { try? callback(self) }
    }

    // MARK: Completion (pool and promise side)

    /// Moves pending -> running and hands out the work; nil when cancelled meanwhile.
    func start() -> (@Sendable () throws -> Value)? {
        lock.lock()
        defer { lock.unlock() }
        guard state == .pending, let work else { return nil }
        state = .running
        self.work = nil
        return work
    }

    /// Moves to finished with `result`; false when already finished or cancelled.
    @discardableResult
    func complete(with result: Result<Value, any Error>) -> Bool {
        lock.lock()
        guard state == .pending || state == .running else {
            lock.unlock()
            return false
        }
        state = .finished
        outcome = result
        work = nil
        guard firstCallback != nil else {
            lock.unlock()
            return true
        }
        let callbacks = takeCallbacks()
        lock.unlock()
        run(callbacks)
        return true
    }
}

/// Anything the pool's queue can hold: a future's work or a Swift concurrency job.
protocol PoolTask: AnyObject, Sendable {
    /// Runs on a worker thread. Calls `core.workDone()` after the work and before waking
    /// anyone who waits on it, so a submit made in reaction sees the worker as free.
    func run(on core: PoolCore)
    /// Called instead of `run` when the pool can no longer run it.
    func abandon(because error: ExecutorError)
}

extension Future: PoolTask {
    func run(on core: PoolCore) {
        // A cancelled token means shutdown(cancelPending:) or the caller's cancel came
        // before the work started: it counts as pending, so it is cancelled, not run.
        // Tasks without a token of their own see the pool's, which each worker thread holds
        // as its current token once, not per task.
        guard !(token ?? core.token).isCancelled, let work = start() else {
            cancel()
            core.workDone()
            return
        }
        let result: Result<Value, any Error>
        if let token {
            result = token.makeCurrent { Result { try work() } }
        } else {
            result = Result { try work() }
        }
        core.workDone()
        complete(with: result)
    }

    func abandon(because error: ExecutorError) {
        if error == .cancelled || error == .shutdown {
            cancel()
        } else if start() != nil {
            complete(with: .failure(error))
        }
    }
}

/// A one-shot sleep for a thread waiting on futures.
final class BlockingWaiter: @unchecked Sendable {
    // `signalled` is guarded by `condition`'s mutex.
    private let condition = ConditionLock()
    private var signalled = false

    func signal() {
        condition.withLock {
            signalled = true
            condition.signal()
        }
    }

    /// Returns false when the deadline passed first.
    func wait(until deadline: Deadline?) -> Bool {
        condition.withLock {
            while !signalled {
                if let deadline {
                    if !condition.wait(until: deadline) && !signalled { return false }
                } else {
                    condition.wait()
                }
            }
            return true
        }
    }
}

/// Resumes a continuation once: with the first outcome, or with `.timeout` at a deadline.
final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    // Both fields are guarded by `lock`.
    private let lock = SpinLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var timer: Task<Void, Never>?

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func install(_ continuation: CheckedContinuation<Value, any Error>, timeoutAt deadline: Deadline) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
        let delay = deadline.nanoseconds > Deadline.now.nanoseconds ? deadline.nanoseconds - Deadline.now.nanoseconds : 0
        let timer = Task { [self] in
            try? await Task.sleep(nanoseconds: delay)
            if !Task.isCancelled { resume(with: .failure(ExecutorError.timeout)) }
        }
        lock.lock()
        if self.continuation == nil { timer.cancel() } else { self.timer = timer }
        lock.unlock()
    }

    func resume(with result: Result<Value, any Error>) {
        lock.lock()
        let continuation = self.continuation
        let timer = self.timer
        self.continuation = nil
        self.timer = nil
        lock.unlock()
        timer?.cancel()
        continuation?.resume(with: result)
    }
}
