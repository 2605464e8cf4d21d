/// The pool as a Swift concurrency `TaskExecutor`: `Task(executorPreference: pool) { ... }`
/// runs the task's synchronous stretches on the pool's threads, so blocking calls inside
/// it occupy a pool thread, not one of the cooperative pool's few.
extension ThreadPoolExecutor: TaskExecutor {
    /// Queues a job of a task that prefers this executor; it runs on a pool thread, or on
    /// the calling thread when the pool has none and cannot start one.
    public func enqueue(_ job: consuming ExecutorJob) {
        core.enqueueJob(JobTask(job: UnownedJob(job), executor: asUnownedTaskExecutor()))
    }

    /// This pool as the runtime's unowned task-executor reference.
    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}

/// A concurrency job in the pool's queue.
final class JobTask: PoolTask, @unchecked Sendable {
    // Immutable after init; UnownedJob is a handle the runtime lets us move across threads.
    private let job: UnownedJob
    private let executor: UnownedTaskExecutor

    init(job: UnownedJob, executor: UnownedTaskExecutor) {
        self.job = job
        self.executor = executor
    }

    @usableFromInline
    func run(on core: PoolCore) {
        job.runSynchronously(on: executor)
        core.workDone()
    }

    /// Runs the job on the calling thread: the pool has no thread to run it on.
    func runInline() {
        job.runSynchronously(on: executor)
    }

    @usableFromInline
    func abandon(because error: ExecutorError) {
        // A job must run for its task to make progress; cancellation is the task's business.
        job.runSynchronously(on: executor)
    }
}
