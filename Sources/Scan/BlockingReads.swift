#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization
import WorkerPool

/// How often files' reads block (a cold page cache, a slow disk), measured per task by the
/// voluntary context switches of the worker that ran it: a read served from the page cache
/// never gives up the CPU, one that waits for the disk does (preemption is not counted).
///
/// FileScan groups a directory's files into one task when reads return at once (fewer tasks,
/// locks and wake-ups). While reads block, a task first reads its files ahead in one
/// io_uring submission (`ReadAhead`), so that they wait at once and neighbours merge into
/// few disk requests; without io_uring, files go one per task so that many reads wait at
/// once rather than in turn (the measurements: DESIGN.md, "A cold page cache").
///
/// Thread-safety: any thread; updates are relaxed and may lose a sample to a race, which
/// only delays the average.
@usableFromInline
final class BlockingReads: Sendable {
    /// Share of recent files whose task blocked, in 1/1024: an average over tasks that
    /// gives the newest an eighth of the weight.
    private let share: Atomic<Int>

    /// `common`: start as though every read blocked (else as though none did).
    @usableFromInline init(common: Bool = false) {
        share = Atomic(common ? 1024 : 0)
    }

    /// True while at least a quarter of recent files blocked.
    @usableFromInline var areCommon: Bool { share.load(ordering: .relaxed) > 256 }

    /// Runs the task `body` over `files` files and records how often it blocked.
    @inlinable
    func measure<T>(files: Int, _ body: () throws -> T) rethrows -> T {
        let before = trawl_thread_voluntary_switches()
        defer { record(files: files, switches: trawl_thread_voluntary_switches() - before) }
        return try body()
    }

    /// Runs `readAhead`, the read-ahead of a task's `files` files, then `body`, the task's
    /// reads, and records the task. Read-ahead reports how many files the disk had to fetch
    /// (`ReadAhead.files`; where unknown, nil: then whether it waited counts as every file
    /// blocking, as each would have read alone). The reads after it count as blocked by
    /// their waits, as in `measure` (files past the read-ahead's first 128 KiB, or that
    /// block for other reasons).
    @inlinable
    func measureReadAhead<T>(files: Int, _ readAhead: () -> Int?, then body: () throws -> T) rethrows -> T {
        let before = trawl_thread_voluntary_switches()
        let fetched = readAhead()
        let middle = trawl_thread_voluntary_switches()
        defer {
            let late = min(files, trawl_thread_voluntary_switches() - middle)
            record(files: files, switches: max(fetched ?? (middle > before ? files : 0), late))
        }
        return try body()
    }

    /// The concurrency limit `steer` last gave the pool (0: none yet).
    private let applied = Atomic<Int>(0)

    /// In path order, while reads return at once, at most this many tasks run: one per
    /// core and one more for a worker held up now and then, so that runnable workers do
    /// not crowd out the sorted walk's single thread (DESIGN.md, "Feeding the pool").
    @usableFromInline static let warmConcurrency = ThreadPoolExecutor.activeProcessorCount + 1

    /// Sets `pool`'s concurrency for what reads do now: `warmConcurrency` while they return
    /// at once, every worker while they block, read ahead or not (waits overlap; DESIGN.md).
    /// Called per task submitted; the pool's lock is taken only when the limit changes.
    @usableFromInline
    func steer(_ pool: ThreadPoolExecutor) {
        let limit = areCommon ? pool.maxWorkers : Self.warmConcurrency
        if applied.exchange(limit, ordering: .relaxed) != limit { pool.limitConcurrency(to: limit) }
    }

    @usableFromInline
    func record(files: Int, switches: Int) { Self.update(share, files: files, switches: switches) }

    /// Moves a share an eighth of the way to this task's: the blocked fraction of its files.
    private static func update(_ share: borrowing Atomic<Int>, files: Int, switches: Int) {
        let sample = min(1024, switches * 1024 / max(1, files))
        let old = share.load(ordering: .relaxed)
        share.store(old + (sample - old) / 8, ordering: .relaxed)
    }
}
