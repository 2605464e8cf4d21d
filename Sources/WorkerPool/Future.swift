import Platform
/// What every future answers whatever its value type: lets `Futures.wait` and
/// `Futures.completed` take futures of different value types together
/// (`[any AnyFuture]`). Only `Future` conforms.
public protocol AnyFuture: AnyObject, Sendable, CustomStringConvertible {
    /// True when the future was cancelled before it ran.
    var isCancelled: Bool { get }
    /// True while the work runs on a worker thread.
    var isRunning: Bool { get }
    /// True once finished or cancelled.
    var isDone: Bool { get }
}

/// The eventual outcome of work running on a pool (or completed through a `Promise`).
///
/// A future moves through Python's four states once each, in order:
/// pending -> running -> finished, or pending -> cancelled. Callbacks added with
/// `whenDone` run exactly once, after the move to finished or cancelled.
///
/// Thread-safety: every member may be called from any thread. The state is guarded by a
/// one-word spin lock held only for a few instructions; waiting happens outside it.
public final class Future<Value: Sendable>: AnyFuture, @unchecked Sendable {
    /// A callback run once the future is done, with the future.
    public typealias Callback = @Sendable (Future<Value>) throws -> Void

    enum State { case pending, running, cancelled, finished }

    private let lock = SpinLock()
    // Guarded by `lock`. `@exclusivity(unchecked)` here and on the other hot fields of the
    // module: the lock already rules out overlapping access, and the dynamic checks
    // (swift_beginAccess) showed in every hot-path profile; a library cannot turn them off
    // with `-enforce-exclusivity=unchecked` (an unsafe flag dependents refuse).
    @exclusivity(unchecked) private var state: State = .pending
    @exclusivity(unchecked) private var outcome: Result<Value, any Error>?
    @exclusivity(unchecked) private var work: (@Sendable () throws -> Value)?
    // Most futures get one callback at most (`completed`, a waiter): an inline slot spares
    // an array allocation per future. Waiters carry an id so a timed wait can take its own
    // back out (0: `whenDone`'s, never removed).
    @exclusivity(unchecked) private var firstCallback: Callback?
    @exclusivity(unchecked) private var firstID = 0
    @exclusivity(unchecked) private var moreCallbacks: [(id: Int, callback: Callback)] = []
    @exclusivity(unchecked) private var lastID = 0
    /// The token running work sees as `CancellationToken.current`.
    @usableFromInline let token: CancellationToken?

    @usableFromInline
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

    /// True when finished with an error (not cancelled): `Futures.wait(returnWhen: .firstError)`.
    var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        if state == .finished, case .failure = outcome { return true }
        return false
    }

    private func read(_ body: (State) -> Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return body(state)
    }

    /// Python's repr: `<Future at 0x7f… state=finished returned Int>`.
    public var description: String {
        lock.lock()
        let state = self.state
        let outcome = self.outcome
        lock.unlock()
        let address = "0x" + String(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()), radix: 16)
        switch (state, outcome) {
        case (.pending, _): return "<Future at \(address) state=pending>"
        case (.running, _): return "<Future at \(address) state=running>"
        case (.cancelled, _): return "<Future at \(address) state=cancelled>"
        case (.finished, .success(let value)?): return "<Future at \(address) state=finished returned \(type(of: value))>"
        case (.finished, .failure(let error)?): return "<Future at \(address) state=finished raised \(type(of: error))>"
        case (.finished, nil): return "<Future at \(address) state=finished>"
        }
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

    /// The work's value; rethrows the work's error.
    ///
    /// - Parameter timeout: how long to wait; `nil` waits as long as it takes, `.zero` only
    ///   looks (a lock round trip when the future is pending).
    /// - Throws: the work's error; `ExecutorError.cancelled` when the future was cancelled;
    ///   `ExecutorError.timeout` when `timeout` passes first (the waiter is removed, so
    ///   polling leaves nothing behind).
    public func result(timeout: Duration? = nil) throws -> Value {
        try waitForOutcome(timeout: timeout).get()
    }

    /// The work's error, or nil when it succeeded (Python's `exception()`).
    ///
    /// - Throws: `ExecutorError.cancelled` or `ExecutorError.timeout` like `result(timeout:)`.
    public func error(timeout: Duration? = nil) throws -> (any Error)? {
        let outcome = try waitForOutcome(timeout: timeout)
        if isCancelled { throw ExecutorError.cancelled }
        if case .failure(let error) = outcome { return error }
        return nil
    }

    /// The outcome if the future is done, without waiting.
    @usableFromInline
    var currentOutcome: Result<Value, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return outcome
    }

    private func waitForOutcome(timeout: Duration?) throws -> Result<Value, any Error> {
        if let done = currentOutcome { return done }
        if let timeout, timeout <= .zero { throw ExecutorError.timeout(unfinished: 1, of: 1) }
        let waiter = BlockingWaiter()
        guard let id = addWaiter({ waiter.signal() }) else { return currentOutcome! }
        guard waiter.wait(until: Deadline.after(timeout)) else {
            removeWaiter(id)
            if let done = currentOutcome { return done }
            throw ExecutorError.timeout(unfinished: 1, of: 1)
        }
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

    // MARK: Callbacks

    /// Adds a callback run once when the future is done (Python's add_done_callback):
    /// on the thread that completes it, or at once on this thread when already done.
    /// An error thrown by a callback goes to `Futures.callbackErrorHandler` (by default a
    /// line on standard error, as Python logs it); it never reaches the pool or other callbacks.
    public func whenDone(_ callback: @escaping Callback) {
        lock.lock()
        if state == .cancelled || state == .finished {
            lock.unlock()
            run([callback])
            return
        }
        append(id: 0, callback)
        lock.unlock()
    }

    /// Registers `wake` to run once the future is done; nil (and `wake` not kept) when it
    /// already is. The id takes it back out with `removeWaiter`.
    func addWaiter(_ wake: @escaping @Sendable () -> Void) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if state == .cancelled || state == .finished { return nil }
        lastID += 1
        append(id: lastID, { _ in wake() })
        return lastID
    }

    /// Removes a waiter that is no longer wanted (its wait timed out). Lock-free for the
    /// inline slot; O(callbacks) otherwise.
    func removeWaiter(_ id: Int) {
        lock.lock()
        if firstCallback != nil, firstID == id {
            firstCallback = nil
            if !moreCallbacks.isEmpty {
                let next = moreCallbacks.removeFirst()
                firstCallback = next.callback
                firstID = next.id
            }
        } else if let index = moreCallbacks.firstIndex(where: { $0.id == id }) {
            moreCallbacks.remove(at: index)
        }
        lock.unlock()
    }

    /// Callbacks and waiters registered and not yet run (tests: timed waits leave none).
    var waiterCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return (firstCallback == nil ? 0 : 1) + moreCallbacks.count
    }

    /// Lock held.
    private func append(id: Int, _ callback: @escaping Callback) {
        if firstCallback == nil {
            firstCallback = callback
            firstID = id
        } else {
            moreCallbacks.append((id, callback))
        }
    }

    /// Takes the callbacks to run; the lock must be held.
    private func takeCallbacks() -> [Callback] {
        guard let first = firstCallback else { return [] }
        firstCallback = nil
        if moreCallbacks.isEmpty { return [first] }
        defer { moreCallbacks = [] }
        return [first] + moreCallbacks.map(\.callback)
    }

    private func run(_ callbacks: [Callback]) {
        for callback in callbacks {
            do {
                try callback(self)
            } catch {
                CallbackErrors.report(error, future: description)
            }
        }
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
@usableFromInline
protocol PoolTask: AnyObject, Sendable {
    /// Runs on a worker thread. Calls `core.workDone()` after the work and before waking
    /// anyone who waits on it, so a submit made in reaction sees the worker as free.
    func run(on core: PoolCore)
    /// Called instead of `run` when the pool can no longer run it.
    func abandon(because error: ExecutorError)
}

extension Future: PoolTask {
    @usableFromInline
    func run(on core: PoolCore) {
        // Cancelled while queued: nothing to run. A task a worker has taken always runs,
        // also when the pool's token was cancelled meanwhile (CPython's test_cancel_futures).
        guard let work = start() else {
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

    @usableFromInline
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
    // All fields are guarded by `lock`.
    private let lock = SpinLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var timer: Task<Void, Never>?
    private var timeoutError: ExecutorError = .timeout(unfinished: 1, of: 1)
    private var cleanup: (@Sendable () -> Void)?

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    /// Runs `body` if the deadline passes first (a waiter to take back out).
    func onTimeout(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        let pending = continuation != nil
        if pending { cleanup = body }
        lock.unlock()
    }

    func install(_ continuation: CheckedContinuation<Value, any Error>, timeoutAt deadline: Deadline,
                 error: ExecutorError = .timeout(unfinished: 1, of: 1)) {
        lock.lock()
        self.continuation = continuation
        self.timeoutError = error
        lock.unlock()
        let delay = deadline.nanoseconds > Deadline.now.nanoseconds ? deadline.nanoseconds - Deadline.now.nanoseconds : 0
        let timer = Task { [self] in
            try? await Task.sleep(nanoseconds: delay)
            if !Task.isCancelled { expire() }
        }
        lock.lock()
        if self.continuation == nil { timer.cancel() } else { self.timer = timer }
        lock.unlock()
    }

    private func expire() {
        lock.lock()
        let continuation = self.continuation
        let cleanup = self.cleanup
        let error = timeoutError
        self.continuation = nil
        self.timer = nil
        self.cleanup = nil
        lock.unlock()
        guard let continuation else { return }
        cleanup?()
        continuation.resume(throwing: error)
    }

    /// Resumes with `result` unless the deadline came first; false then.
    @discardableResult
    func tryResume(with result: Result<Value, any Error>) -> Bool {
        lock.lock()
        let continuation = self.continuation
        let timer = self.timer
        self.continuation = nil
        self.timer = nil
        self.cleanup = nil
        lock.unlock()
        guard let continuation else { return false }
        timer?.cancel()
        continuation.resume(with: result)
        return true
    }

    /// Resumes with `result` if nothing resumed it before.
    func resume(with result: Result<Value, any Error>) {
        tryResume(with: result)
    }
}
