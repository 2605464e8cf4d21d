#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization

/// A pool of named worker threads that runs blocking work and hands back futures:
/// Python's `concurrent.futures.ThreadPoolExecutor`, natively in Swift.
///
/// Threads start lazily, one per submit that finds no idle worker, up to `maxWorkers`;
/// idle threads are reused before new ones are made. Each carries the OS-visible name
/// `<name>-<n>` (Linux keeps 15 bytes). A throwing `initializer` breaks the pool: pending
/// futures fail with `ExecutorError.broken` and later submits throw it.
///
/// Dropping the last reference shuts the pool down without waiting; queued work still runs.
/// Thread-safety: every member may be called from any thread.
public final class ThreadPoolExecutor: Sendable {
    /// Python's default: min(32, cores + 4). IO-bound work wants more threads than cores.
    public static var defaultMaxWorkers: Int {
        min(32, activeProcessorCount + 4)
    }

    /// The CPUs this process may run on (its affinity mask).
    public static var activeProcessorCount: Int { Int(trawl_active_processor_count()) }

    public let maxWorkers: Int
    public let name: String
    let core: PoolCore

    /// - Parameters:
    ///   - maxWorkers: the most threads the pool starts; default `defaultMaxWorkers`.
    ///   - name: the prefix of the threads' names, as `top -H` and /proc show them.
    ///   - initializer: runs once on each new thread before it takes work.
    public init(maxWorkers: Int? = nil, name: String = "pool",
                initializer: (@Sendable () throws -> Void)? = nil) {
        let workers = maxWorkers ?? Self.defaultMaxWorkers
        precondition(workers > 0, "ThreadPoolExecutor needs at least one worker")
        self.maxWorkers = workers
        self.name = name
        core = PoolCore(maxWorkers: workers, name: name, initializer: initializer)
    }

    deinit {
        core.shutdown(wait: false, cancelPending: false)
    }

    /// Schedules `work` and returns its future. Throws `ExecutorError.shutdown` after
    /// `shutdown`, `ExecutorError.broken` when an initializer failed.
    public func submit<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) throws -> Future<Value> {
        let future = Future(work: work, token: nil)
        try core.enqueue(future)
        return future
    }

    /// Like `submit(_:)`, with a token of the caller's: the work sees it cancelled when
    /// either `cancellation` or the pool's token is cancelled, and does not start if
    /// `cancellation` was cancelled before.
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
    /// a running one to end. Work that waits for other queued work of the same pool must
    /// take it back (`Future.runIfPending`) or it may wait for good.
    public func limitConcurrency(to count: Int) {
        core.limitConcurrency(to: count)
    }

    /// The token every task of this pool sees; `shutdown(cancelPending: true)` cancels it.
    public var cancellationToken: CancellationToken { core.token }

    /// Stops taking work. With `cancelPending`, queued futures are cancelled and running
    /// work sees its token cancelled; otherwise queued work still runs. With `wait`, returns
    /// once every thread has exited. Idempotent; safe from a worker thread (it never waits
    /// for itself).
    public func shutdown(wait: Bool = true, cancelPending: Bool = false) {
        core.shutdown(wait: wait, cancelPending: cancelPending)
    }

    /// Runs `body` with a new pool, then shuts it down and waits, also when `body` throws.
    public static func with<R>(maxWorkers: Int? = nil, name: String = "pool",
                               initializer: (@Sendable () throws -> Void)? = nil,
                               _ body: (ThreadPoolExecutor) throws -> R) rethrows -> R {
        let pool = ThreadPoolExecutor(maxWorkers: maxWorkers, name: name, initializer: initializer)
        defer { pool.shutdown(wait: true) }
        return try body(pool)
    }

    /// The async form of `with`.
    public static func with<R>(maxWorkers: Int? = nil, name: String = "pool",
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
/// Lock discipline: every `var` is read and written only with `condition` locked. The
/// lock is held to move work in and out of the queue and between states, never while
/// work, callbacks or the initializer run (SwiftNIO's NIOThreadPool does the same).
final class PoolCore: @unchecked Sendable {
    enum State: Equatable { case running, shuttingDown, broken(String) }

    let maxWorkers: Int
    let name: String
    let initializer: (@Sendable () throws -> Void)?
    let token = CancellationToken()

    private let condition = ConditionLock()
    private var state = State.running
    private var queue = RingBuffer<any PoolTask>(capacity: 256)
    private var threads: [pthread_t] = []
    private var startedThreads = 0
    private(set) var liveThreadsLocked = 0
    /// Workers asleep in `condition.wait()`.
    private var idle = 0
    /// Signals sent to idle workers that have not woken yet: stops a burst of submits from
    /// counting one sleeping worker as free again and again.
    private var wakeupsInFlight = 0

    /// The most tasks running at once (`limitConcurrency`); `maxWorkers` by default.
    /// Workers beyond it sleep with work queued: a running task's worker takes the next
    /// when it finishes, so no wake-up is lost.
    private var activeLimit: Int

    init(maxWorkers: Int, name: String, initializer: (@Sendable () throws -> Void)?) {
        self.activeLimit = maxWorkers
        self.maxWorkers = maxWorkers
        self.name = name
        self.initializer = initializer
    }

    var liveThreads: Int { condition.withLock { liveThreadsLocked } }

    func enqueue(_ task: any PoolTask) throws {
        condition.lock()
        switch state {
        case .running: break
        case .shuttingDown:
            condition.unlock()
            throw ExecutorError.shutdown
        case .broken(let why):
            condition.unlock()
            throw ExecutorError.broken(why)
        }
        appendLocked(task)
        condition.unlock()
    }

    /// Queues a Swift concurrency job: jobs must run even while the pool shuts down, or the
    /// tasks that own them would hang.
    func enqueueJob(_ task: any PoolTask) {
        condition.lock()
        appendLocked(task)
        condition.unlock()
    }

    /// Tasks executing now. A worker that finished one (`workDone`) counts as free at once,
    /// before it takes the lock again: otherwise a submit made right after a result arrives
    /// would see no free worker and wake or start another thread each time.
    private let running = Atomic<Int>(0)

    func workDone() {
        running.subtract(1, ordering: .relaxed)
    }

    /// Queue length, readable without the lock by a spinning worker.
    private let queued = Atomic<Int>(0)
    /// Workers polling `queued` before they sleep (at most one: see `workerMain`).
    private var spinning = 0
    /// How long the next spin polls: doubled when a spin finds work, halved when it does
    /// not, so a pool fed slowly (files from a walk) stops burning a core on spins that
    /// end in sleep anyway. Lock held.
    private var spinPolls = PoolTuning.maxSpinPolls

    /// Workers awake and not running a task (between tasks, spinning, or just signalled):
    /// each will take a queued task without being woken. Lock held.
    private var freeAwakeLocked: Int {
        liveThreadsLocked - idle + wakeupsInFlight - running.load(ordering: .relaxed)
    }

    func limitConcurrency(to count: Int) {
        condition.lock()
        let raised = min(max(1, count), maxWorkers) - activeLimit
        activeLimit += raised
        // Workers held back by the old limit take queued work now.
        for _ in 0..<max(0, min(raised, queue.count)) {
            if !wakeIdleWorkerLocked(), liveThreadsLocked < maxWorkers { startThreadLocked() }
        }
        condition.unlock()
    }

    /// True when queued work must wait for a running task to end. Lock held.
    private var atActiveLimitLocked: Bool { running.load(ordering: .relaxed) >= activeLimit }

    private func appendLocked(_ task: any PoolTask) {
        queue.append(task)
        queued.store(queue.count, ordering: .releasing)
        if atActiveLimitLocked { return }
        // Wake or start a thread only for work no awake worker will take. Waking one per
        // submit made workers sleep and wake per task (0.5M tasks/s, mostly futex calls);
        // tasks that run long keep their workers busy, so queued work still wakes others.
        if queue.count <= freeAwakeLocked { return }
        if wakeIdleWorkerLocked() { return }
        if liveThreadsLocked < maxWorkers { startThreadLocked() }
    }

    /// Signals one idle worker not already signalled; false when there is none.
    private func wakeIdleWorkerLocked() -> Bool {
        guard idle > wakeupsInFlight else { return false }
        wakeupsInFlight += 1
        condition.signal()
        return true
    }

    private func startThreadLocked() {
        let index = startedThreads
        startedThreads += 1
        liveThreadsLocked += 1
        let context = Unmanaged.passRetained(WorkerContext(core: self, index: index)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, workerThreadEntry, context)
        if status != 0 {
            Unmanaged<WorkerContext>.fromOpaque(context).release()
            liveThreadsLocked -= 1
            if liveThreadsLocked == 0 {
                state = .broken("cannot start a thread: \(String(cString: strerror(status)))")
            }
            return
        }
        threads.append(thread)
    }

    /// The body of every worker thread.
    func workerMain(index: Int) {
        _ = trawl_set_thread_name("\(name)-\(index)")
        if let initializer {
            do {
                try initializer()
            } catch {
                breakPool(because: "\(error)")
                return
            }
        }
        token.makeCurrentForThread()
        var batch: [any PoolTask] = []
        batch.reserveCapacity(PoolTuning.maxBatch)
        condition.lock()
        var mayspin = true
        while true {
            let heldBack = !queue.isEmpty && atActiveLimitLocked
            if queue.isEmpty || heldBack {
                if queue.isEmpty && state != .running { break }
                // One worker at a time polls the queue for a few microseconds before
                // sleeping: with a steady stream of short tasks the next one is usually
                // about to arrive, and sleeping and waking per task put futex calls and
                // context switches at half of all time (perf, 1M trivial tasks, 2 cores).
                // One spinner only, so idle threads never compete with working ones.
                if mayspin, !heldBack, spinning == 0 {
                    spinning = 1
                    condition.unlock()
                    let polls = spinPolls
                    let found = spinBriefly(polls: polls) { queued.load(ordering: .acquiring) > 0 }
                    condition.lock()
                    spinPolls = found ? min(polls * 2, PoolTuning.maxSpinPolls) : max(polls / 2, PoolTuning.minSpinPolls)
                    spinning = 0
                    mayspin = false
                    continue
                }
                mayspin = true
                idle += 1
                condition.wait()
                idle -= 1
                if wakeupsInFlight > 0 { wakeupsInFlight -= 1 }
                continue
            }
            // A long queue is shared out a few tasks per lock round trip: trivial tasks then
            // cost one lock per batch (2M trivial tasks: 1.6-1.8M -> 1.8-2.0M tasks/s), while a short
            // queue still goes one task per worker. Tasks held in a batch stay cancellable: each checks
            // its token when it starts.
            let room = activeLimit - running.load(ordering: .relaxed)
            let share = min(PoolTuning.maxBatch, room, max(1, queue.count / (2 * liveThreadsLocked)))
            for _ in 0..<share { batch.append(queue.removeFirst()!) }
            queued.store(queue.count, ordering: .relaxed)
            running.add(share, ordering: .relaxed)
            mayspin = true
            // Work left that no awake worker will take: wake the next sleeper (a cascade,
            // as Java's LinkedBlockingQueue does).
            if queue.count > freeAwakeLocked && !atActiveLimitLocked { _ = wakeIdleWorkerLocked() }
            condition.unlock()
            for task in batch { task.run(on: self) }
            batch.removeAll(keepingCapacity: true)
            condition.lock()
        }
        liveThreadsLocked -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func breakPool(because why: String) {
        condition.lock()
        if case .broken = state {} else { state = .broken(why) }
        let pending = queue.removeAll()
        queued.store(0, ordering: .relaxed)
        liveThreadsLocked -= 1
        condition.broadcast()
        condition.unlock()
        for task in pending { task.abandon(because: .broken(why)) }
    }

    func shutdown(wait: Bool, cancelPending: Bool) {
        condition.lock()
        if state == .running { state = .shuttingDown }
        var cancelled: [any PoolTask] = []
        if cancelPending {
            token.cancel()
            // Concurrency jobs stay queued: they must run for their tasks to finish.
            let all = queue.removeAll()
            for task in all {
                if task is JobTask { queue.append(task) } else { cancelled.append(task) }
            }
            queued.store(queue.count, ordering: .relaxed)
        }
        condition.broadcast()
        let toJoin = wait ? threads : []
        if wait { threads = [] }
        condition.unlock()
        for task in cancelled { task.abandon(because: .cancelled) }
        guard wait else { return }
        let me = pthread_self()
        for thread in toJoin where pthread_equal(thread, me) == 0 {
            pthread_join(thread, nil)
        }
        if toJoin.contains(where: { pthread_equal($0, me) != 0 }) { return }
        // Another caller may be joining some threads: wait until all have left the loop.
        condition.withLock {
            while liveThreadsLocked > 0 { condition.wait() }
        }
    }

    deinit {
        for thread in threads { pthread_detach(thread) }
    }
}

enum PoolTuning {
    /// The most tasks a worker takes in one lock round trip.
    static let maxBatch = 8
    /// A spin's bounds in polls of about 20 ns (a `pause` each): 40 µs, enough for a
    /// submitter's next task to arrive; 1 µs, for a pool fed rarely.
    static let maxSpinPolls = 2000
    static let minSpinPolls = 50
}

/// What a new thread needs: passed retained through pthread_create's argument.
private final class WorkerContext {
    let core: PoolCore
    let index: Int
    init(core: PoolCore, index: Int) {
        self.core = core
        self.index = index
    }
}

/// The C entry point of worker threads. A free function, so it is not actor-isolated
/// (a closure written in main.swift would be main-actor isolated and trap: DESIGN.md).
private func workerThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let context = Unmanaged<WorkerContext>.fromOpaque(argument!).takeRetainedValue()
    context.core.workerMain(index: context.index)
    return nil
}
