#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Platform
import Synchronization

/// A pool of named worker threads that runs blocking work and hands back futures:
/// Python's `concurrent.futures.ThreadPoolExecutor`, natively in Swift.
///
/// Each worker runs one task at a time and takes the next queued task only when it is
/// free, so a short task never waits behind a long one while a worker is idle, and a task
/// may wait for a later task of the same pool as long as a worker is free to run it.
/// Threads start lazily, one per submit that finds no idle worker, up to `maxWorkers`.
/// Each is named `<prefix>_<n>` (Python's scheme; Linux shows the first 15 bytes).
///
/// A throwing `initializer` breaks the pool: queued futures fail with
/// `ExecutorError.broken` and later submits throw it. When a thread cannot be created
/// (`pthread_create` fails, e.g. `EAGAIN` under `ulimit -u`), the pool runs with the
/// threads it has; with none at all, `submit` throws `ExecutorError.cannotStartThread`
/// rather than queue work that nothing would run.
///
/// Nothing is lost at exit: as CPython joins its workers at interpreter exit, an exit hook
/// (`atexit`) shuts every live pool down and waits for its queued and running work, and a
/// `submit` made after that throws `ExecutorError.processExiting`. The one exception is a
/// pool shut down with `shutdown(wait: false, cancelPending: true)`: its owner asked for
/// its work to stop and not to be waited for (a command interrupted by Ctrl-C).
///
/// Dropping the last reference shuts the pool down without waiting; queued work still runs.
///
/// Thread-safety: every member may be called from any thread.
public final class ThreadPoolExecutor: Sendable {
    /// Python's default: min(32, cores + 4). IO-bound work wants more threads than cores.
    public static var defaultMaxWorkers: Int {
        min(32, activeProcessorCount + 4)
    }

    /// The CPUs this process may run on (its affinity mask).
    public static var activeProcessorCount: Int { Int(trawl_active_processor_count()) }

    /// The full name of the pool thread calling this (`<prefix>_<n>`), nil on other threads.
    /// Unlike the OS-visible name, it is not cut to 15 bytes.
    public static var currentThreadName: String? { WorkerThreadName.current }

    /// The most threads the pool starts.
    public let maxWorkers: Int
    /// The prefix of the pool's thread names: the `name` given, or `ThreadPoolExecutor-<k>`
    /// with `k` unique in this process.
    public let name: String
    @usableFromInline let core: PoolCore

    /// Makes a pool; no thread starts before the first submit.
    ///
    /// - Parameters:
    ///   - maxWorkers: the most threads the pool starts; default `defaultMaxWorkers`. Must
    ///     be greater than 0 (a precondition, as Python's ValueError).
    ///   - name: the prefix of the threads' names; by default `ThreadPoolExecutor-<k>`.
    ///   - initializer: runs once on each new thread before it takes work; if it throws,
    ///     the pool is broken.
    public convenience init(maxWorkers: Int? = nil, name: String? = nil,
                            initializer: (@Sendable () throws -> Void)? = nil) {
        self.init(maxWorkers: maxWorkers, name: name, initializer: initializer, threadStarts: nil)
    }

    /// `threadStarts` caps how many threads may ever be created (tests of thread creation
    /// failing); nil: no cap but the system's.
    init(maxWorkers: Int?, name: String?, initializer: (@Sendable () throws -> Void)?, threadStarts: Int?) {
        let workers = maxWorkers ?? Self.defaultMaxWorkers
        precondition(workers > 0, "max_workers must be greater than 0")
        self.maxWorkers = workers
        self.name = name ?? "ThreadPoolExecutor-\(PoolRegistry.nextPoolNumber())"
        core = PoolCore(maxWorkers: workers, name: self.name, initializer: initializer, threadStarts: threadStarts)
    }

    deinit {
        core.shutdown(wait: false, cancelPending: false)
    }

    // Inlinable so the caller's module makes the Future of its concrete type: unspecialized,
    // each submit looked up Future<Value>'s generic metadata (a fifth of the submit path).
    /// Schedules `work` and returns its future.
    ///
    /// - Throws: `ExecutorError.shutdown` after `shutdown`, `ExecutorError.broken` when an
    ///   initializer failed, `ExecutorError.processExiting` once the process is exiting,
    ///   `ExecutorError.cannotStartThread` when the pool has no thread and cannot make one.
    /// - Complexity: O(1), lock-free unless a thread must be started or woken.
    /// `submit`, except that where the pool has no thread and cannot start one (`ulimit -u`
    /// reached), `work` runs on the calling thread and the future comes back done: for
    /// callers that must not lose work to a thread limit, at the cost of parallelism.
    ///
    /// - Throws: what `submit` throws, but `ExecutorError.cannotStartThread`.
    @inlinable
    public func submitOrRunHere<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) throws -> Future<Value> {
        do {
            return try submit(work)
        } catch ExecutorError.cannotStartThread(_) {
            let promise = Promise<Value>()
            do { try promise.succeed(work()) } catch { try promise.fail(error) }
            return promise.future
        }
    }

    @inlinable
    public func submit<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) throws -> Future<Value> {
        let future = Future(work: work, token: nil)
        try core.enqueue(future)
        return future
    }

    /// Like `submit(_:)`, with a token of the caller's: the work sees it cancelled when
    /// either `cancellation` or the pool's token is cancelled, and does not start if
    /// `cancellation` was cancelled before (its future then throws `ExecutorError.cancelled`).
    public func submit<Value: Sendable>(cancellation: CancellationToken,
                                        _ work: @escaping @Sendable () throws -> Value) throws -> Future<Value> {
        let token = CancellationToken(parents: [cancellation, core.token])
        let future = Future<Value>(work: {
            if cancellation.isCancelled { throw ExecutorError.cancelled }
            return try work()
        }, token: token)
        try core.enqueue(future)
        return future
    }

    /// Lets at most `count` tasks run at once (clamped to 1...maxWorkers; `maxWorkers`
    /// lifts the limit): for work whose blocking comes and goes, fewer threads contend for
    /// the cores while it does not block. Tasks already running finish; queued ones wait for
    /// a running one to end. Work that waits for other queued work of the same pool may wait
    /// for good under a limit: raise it first.
    public func limitConcurrency(to count: Int) {
        core.limitConcurrency(to: count)
    }

    /// The token every task of this pool sees; `shutdown(cancelPending: true)` cancels it.
    public var cancellationToken: CancellationToken { core.token }

    /// Stops taking work.
    ///
    /// With `cancelPending`, futures still queued are cancelled and running work sees the
    /// pool's token cancelled (it runs to its end: a task a worker has taken is never
    /// dropped); otherwise queued work still runs. With `wait`, returns once every thread
    /// has exited. Idempotent; safe from a worker thread (it never waits for itself).
    public func shutdown(wait: Bool = true, cancelPending: Bool = false) {
        core.shutdown(wait: wait, cancelPending: cancelPending)
    }

    /// Runs `body` with a new pool, then shuts it down and waits, also when `body` throws
    /// (Python's `with ThreadPoolExecutor() as pool:`).
    public static func with<R>(maxWorkers: Int? = nil, name: String? = nil,
                               initializer: (@Sendable () throws -> Void)? = nil,
                               _ body: (ThreadPoolExecutor) throws -> R) rethrows -> R {
        let pool = ThreadPoolExecutor(maxWorkers: maxWorkers, name: name, initializer: initializer)
        defer { pool.shutdown(wait: true) }
        return try body(pool)
    }

    /// The async form of `with`.
    public static func with<R>(maxWorkers: Int? = nil, name: String? = nil,
                               initializer: (@Sendable () throws -> Void)? = nil,
                               _ body: (ThreadPoolExecutor) async throws -> R) async rethrows -> R {
        let pool = ThreadPoolExecutor(maxWorkers: maxWorkers, name: name, initializer: initializer)
        defer { pool.shutdown(wait: true) }
        return try await body(pool)
    }

    /// How many threads the pool has started and not yet ended.
    public var threadCount: Int { core.liveThreads }
}

/// The shared state of a pool: what its threads hold, so the executor can be dropped
/// (and shut the pool down) while work is still queued.
///
/// The submit path touches only atomics and the lock-free `TaskQueue`. Workers take tasks
/// under `takeLock`, which also guards `spinning`, `spinPolls` and `signalsInFlight`, and
/// sleep on its condition. `threadsLock` guards `threads`, `startsLeft`, `brokenReason`
/// and `abandonedAtExit`; its condition tells `shutdown(wait:)` that a thread ended. No
/// lock is held while work, callbacks or the initializer run.
@usableFromInline
final class PoolCore: @unchecked Sendable {
    enum State: Int { case running, shuttingDown, broken, exiting }

    let maxWorkers: Int
    let name: String
    let initializer: (@Sendable () throws -> Void)?
    let token = CancellationToken()

    private let queue = TaskQueue()
    private let state = Atomic<Int>(State.running.rawValue)
    /// Tasks pushed and not yet taken.
    private let queued = Atomic<Int>(0)
    /// Workers running a task: taken under `takeLock`, given back by `workDone`.
    private let running = Atomic<Int>(0)
    /// Threads started and not yet ended.
    private let live = Atomic<Int>(0)
    /// Workers waiting on `takeLock`'s condition (or about to).
    private let sleepers = Atomic<Int>(0)
    /// Submits between their state check and the end of their push: workers do not exit,
    /// nor does `shutdown(wait:)` return, while one is in flight, so no task is stranded.
    private let submitting = Atomic<Int>(0)
    /// The most tasks running at once (`limitConcurrency`).
    private let activeLimit: Atomic<Int>

    private let takeLock = ConditionLock()
    @exclusivity(unchecked) private var spinning = false
    @exclusivity(unchecked) private var spinPolls = PoolTuning.maxSpinPolls
    /// Sleepers signalled and not yet awake: a burst of submits wakes each sleeper once.
    @exclusivity(unchecked) private var signalsInFlight = 0

    private let threadsLock = ConditionLock()
    private var threads: [NamedThread] = []
    private var startedThreads = 0
    /// Threads tests let the pool create (Int.max: as many as the system gives).
    private var startsLeft: Int
    /// A thread creation failed: no more attempts while the pool has a thread, until one ends.
    private var creationFailed = false
    private var brokenReason = ""
    /// Shut down with `wait: false, cancelPending: true`: the exit hook does not wait.
    private var abandonedAtExit = false

    init(maxWorkers: Int, name: String, initializer: (@Sendable () throws -> Void)?, threadStarts: Int?) {
        self.maxWorkers = maxWorkers
        self.name = name
        self.initializer = initializer
        self.activeLimit = Atomic(maxWorkers)
        self.startsLeft = threadStarts ?? Int.max
        if PoolRegistry.isExiting { state.store(State.exiting.rawValue, ordering: .relaxed) }
        PoolRegistry.add(self)
    }

    deinit {
        PoolRegistry.remove(self)
        for thread in threads { thread.detach() }
    }

    var liveThreads: Int { live.load(ordering: .acquiring) }

    private var currentState: State { State(rawValue: state.load(ordering: .sequentiallyConsistent))! }

    private func refusal(_ state: State) -> ExecutorError {
        switch state {
        case .running, .shuttingDown: return .shutdown
        case .broken: return .broken(threadsLock.withLock { brokenReason })
        case .exiting: return .processExiting
        }
    }

    @usableFromInline
    func enqueue(_ task: any PoolTask) throws {
        submitting.add(1, ordering: .sequentiallyConsistent)
        defer { submitting.subtract(1, ordering: .sequentiallyConsistent) }
        let now = currentState
        guard now == .running else { throw refusal(now) }
        // A thread is started before the push when no idle worker will take the task
        // (Python's rule: a new thread per submit that finds none idle). Before, so that a
        // pool that can make no thread at all refuses the task rather than strand it.
        let liveNow = live.load(ordering: .relaxed)
        let busy = running.load(ordering: .relaxed)
        if liveNow < maxWorkers, busy < activeLimit.load(ordering: .relaxed),
           queued.load(ordering: .relaxed) + 1 > liveNow - busy {
            if let failure = startThread(), live.load(ordering: .acquiring) == 0 {
                throw ExecutorError.cannotStartThread(failure)
            }
        }
        queue.push(task)
        let waiting = queued.add(1, ordering: .sequentiallyConsistent).newValue
        // Only the push that made the queue non-empty wakes (Java's LinkedBlockingQueue):
        // a worker that takes a task and leaves more wakes the next (`nextTask`), so a
        // burst of submits costs one wake-up, not one each.
        if waiting == 1 { wakeIfNeeded(queued: waiting) }
    }

    /// Queues a Swift concurrency job: jobs must run even while the pool shuts down, or the
    /// tasks that own them would hang. With no thread to be had, it runs here.
    func enqueueJob(_ task: JobTask) {
        submitting.add(1, ordering: .sequentiallyConsistent)
        defer { submitting.subtract(1, ordering: .sequentiallyConsistent) }
        if live.load(ordering: .acquiring) < maxWorkers, queued.load(ordering: .relaxed) + 1 > live.load(ordering: .relaxed) - running.load(ordering: .relaxed) {
            if startThread() != nil, live.load(ordering: .acquiring) == 0 {
                task.runInline()
                return
            }
        }
        queue.push(task)
        let waiting = queued.add(1, ordering: .sequentiallyConsistent).newValue
        wakeIfNeeded(queued: waiting)
    }

    /// Wakes a sleeping worker when the queued tasks outnumber the awake, free workers.
    /// Waking one per submit made workers sleep and wake per task (mostly futex calls);
    /// an awake worker checks the queue before it sleeps, so skipping the wake is safe.
    private func wakeIfNeeded(queued waiting: Int) {
        let asleep = sleepers.load(ordering: .sequentiallyConsistent)
        guard asleep > 0 else { return }
        let busy = running.load(ordering: .relaxed)
        guard busy < activeLimit.load(ordering: .relaxed) else { return }
        let awakeFree = live.load(ordering: .relaxed) - busy - asleep
        guard waiting > awakeFree else { return }
        takeLock.lock()
        wakeOneLocked()
        takeLock.unlock()
    }

    /// Signals one sleeper not already signalled. `takeLock` held.
    private func wakeOneLocked() {
        guard sleepers.load(ordering: .relaxed) > signalsInFlight else { return }
        signalsInFlight += 1
        takeLock.signal()
    }

    /// A worker has finished its task: it counts as free before the future completes, so a
    /// submit made in reaction to the result reuses it rather than start another thread.
    func workDone() {
        running.subtract(1, ordering: .releasing)
    }

    func limitConcurrency(to count: Int) {
        activeLimit.store(min(max(1, count), maxWorkers), ordering: .sequentiallyConsistent)
        // Workers held back by the old limit look again; the next submits start threads.
        takeLock.withLock { takeLock.broadcast() }
    }

    // MARK: Threads

    /// Starts a worker thread unless the pool has `maxWorkers` or cannot make more; returns
    /// why creation failed, nil otherwise (also when no thread was needed after all).
    private func startThread() -> String? {
        threadsLock.lock()
        defer { threadsLock.unlock() }
        guard live.load(ordering: .relaxed) < maxWorkers else { return nil }
        let index = startedThreads
        var failure = ThreadStartError(status: EAGAIN)
        var thread: NamedThread?
        let alone = live.load(ordering: .relaxed) == 0
        if startsLeft > 0, !creationFailed || alone {
            live.add(1, ordering: .sequentiallyConsistent)
            do {
                thread = try NamedThread(name: "\(name)_\(index)") { [self] in workerMain(index: index) }
            } catch {
                failure = error
                live.subtract(1, ordering: .sequentiallyConsistent)
            }
        }
        guard let thread else {
            // Fewer threads, not none: stop trying until a thread ends, so each submit does
            // not pay for a failing pthread_create.
            creationFailed = true
            return failure.description
        }
        startsLeft -= 1
        startedThreads += 1
        threads.append(thread)
        return nil
    }

    /// The body of every worker thread.
    func workerMain(index: Int) {
        WorkerThreadName.set("\(name)_\(index)")
        defer { WorkerThreadName.set(nil) }
        if let initializer {
            do {
                try initializer()
            } catch {
                breakPool(because: "\(error)")
                threadEnded()
                return
            }
        }
        token.makeCurrentForThread()
        while let task = nextTask() {
            task.run(on: self)
        }
        threadEnded()
    }

    private func threadEnded() {
        threadsLock.withLock {
            live.subtract(1, ordering: .sequentiallyConsistent)
            // A thread that could not be made may be made now that one has ended.
            creationFailed = false
            threadsLock.broadcast()
        }
    }

    /// The next task for this worker, or nil when the pool is shutting down and nothing is
    /// queued. One task per call: a worker holds no task it is not running.
    private func nextTask() -> (any PoolTask)? {
        takeLock.lock()
        defer { takeLock.unlock() }
        var maySpin = true
        while true {
            let waiting = queued.load(ordering: .sequentiallyConsistent)
            let now = currentState
            if now == .broken { return nil }
            let heldBack = running.load(ordering: .relaxed) >= activeLimit.load(ordering: .relaxed)
            if waiting > 0, !heldBack {
                var task = queue.pop()
                // Counted but not yet linked: its producer is between its two steps.
                while task == nil {
                    trawl_cpu_relax()
                    task = queue.pop()
                }
                let left = queued.subtract(1, ordering: .relaxed).newValue
                let busy = running.add(1, ordering: .relaxed).newValue
                // Work left that no awake worker will take: wake the next sleeper (a
                // cascade, as Java's LinkedBlockingQueue does).
                if left > 0, busy < activeLimit.load(ordering: .relaxed) {
                    let asleep = sleepers.load(ordering: .relaxed)
                    if asleep > 0, left > live.load(ordering: .relaxed) - busy - asleep { wakeOneLocked() }
                }
                return task
            }
            if waiting == 0, now != .running {
                // A submit that passed its state check is about to push: wait for it.
                if submitting.load(ordering: .sequentiallyConsistent) == 0 {
                    // Workers held back by a limit may sleep through the shutdown's wake-up.
                    takeLock.broadcast()
                    return nil
                }
                takeLock.unlock()
                sched_yield()
                takeLock.lock()
                continue
            }
            // One worker at a time polls the queue for a few microseconds before sleeping:
            // with a steady stream of short tasks the next one is usually about to arrive,
            // and sleeping and waking per task put futex calls and context switches at half
            // of all time (perf, 1M trivial tasks, 2 cores). One spinner only, so idle
            // threads never compete with working ones.
            if maySpin, !heldBack, !spinning {
                spinning = true
                let polls = spinPolls
                takeLock.unlock()
                let found = spinBriefly(polls: polls) { queued.load(ordering: .acquiring) > 0 || state.load(ordering: .relaxed) != State.running.rawValue }
                takeLock.lock()
                spinPolls = found ? min(polls * 2, PoolTuning.maxSpinPolls) : max(polls / 2, PoolTuning.minSpinPolls)
                spinning = false
                maySpin = false
                continue
            }
            maySpin = true
            // Announce the sleep, then look once more: a submit either sees this sleeper
            // or pushed before this look (both sequentially consistent).
            sleepers.add(1, ordering: .sequentiallyConsistent)
            let canTake = queued.load(ordering: .sequentiallyConsistent) > 0
                && running.load(ordering: .relaxed) < activeLimit.load(ordering: .relaxed)
            let mayExit = state.load(ordering: .sequentiallyConsistent) != State.running.rawValue
                && queued.load(ordering: .sequentiallyConsistent) == 0
            if !canTake && !mayExit { takeLock.wait() }
            let left = sleepers.subtract(1, ordering: .sequentiallyConsistent).newValue
            signalsInFlight = min(max(0, signalsInFlight - 1), left)
        }
    }

    private func breakPool(because why: String) {
        threadsLock.withLock {
            brokenReason = why
            state.store(State.broken.rawValue, ordering: .sequentiallyConsistent)
        }
        takeLock.withLock { takeLock.broadcast() }
        for task in drainQueue() { task.abandon(because: .broken(why)) }
    }

    /// Takes every queued task out (submits in flight finish their push first).
    private func drainQueue() -> [any PoolTask] {
        while submitting.load(ordering: .sequentiallyConsistent) > 0 { sched_yield() }
        var drained: [any PoolTask] = []
        takeLock.withLock {
            while queued.load(ordering: .acquiring) > 0 {
                guard let task = queue.pop() else {
                    trawl_cpu_relax()
                    continue
                }
                queued.subtract(1, ordering: .relaxed)
                drained.append(task)
            }
        }
        return drained
    }

    func shutdown(wait: Bool, cancelPending: Bool, atExit: Bool = false) {
        threadsLock.withLock {
            if cancelPending && !wait && !atExit { abandonedAtExit = true }
            let next = atExit ? State.exiting : State.shuttingDown
            _ = state.compareExchange(expected: State.running.rawValue, desired: next.rawValue,
                                      ordering: .sequentiallyConsistent)
        }
        if cancelPending {
            token.cancel()
            var jobs: [any PoolTask] = []
            for task in drainQueue() {
                // Concurrency jobs stay queued: they must run for their tasks to finish.
                if task is JobTask { jobs.append(task) } else { task.abandon(because: .cancelled) }
            }
            for job in jobs {
                queue.push(job)
                queued.add(1, ordering: .sequentiallyConsistent)
            }
        }
        takeLock.withLock { takeLock.broadcast() }
        guard wait else { return }
        waitForThreads()
    }

    /// Waits until every thread but the caller's has ended, and joins them.
    private func waitForThreads() {
        threadsLock.lock()
        let isWorker = threads.contains { $0.isCurrent }
        while live.load(ordering: .sequentiallyConsistent) > (isWorker ? 1 : 0)
                || submitting.load(ordering: .sequentiallyConsistent) > 0 {
            // Submits in flight may still start a thread: look again shortly.
            _ = threadsLock.wait(until: Deadline.after(.milliseconds(10))!)
        }
        let toJoin = threads.filter { !$0.isCurrent }
        threads.removeAll { !$0.isCurrent }
        threadsLock.unlock()
        for thread in toJoin { thread.join() }
    }

    /// The exit hook's part: shut down and wait, unless the owner abandoned the pool.
    func shutdownForExit() {
        let abandoned = threadsLock.withLock { abandonedAtExit }
        shutdown(wait: !abandoned, cancelPending: false, atExit: true)
    }
}

enum PoolTuning {
    /// A spin's bounds in polls of about 20 ns (a `pause` each): 40 µs, enough for a
    /// submitter's next task to arrive; 1 µs, for a pool fed rarely.
    static let maxSpinPolls = 2000
    static let minSpinPolls = 50
}
