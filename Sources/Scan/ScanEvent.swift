import Walk
import WorkerPool

/// What reaches the consumer of a scan, on its own thread, one at a time.
public enum ScanEvent<Record: Sendable>: Sendable {
    /// A file's record, whole: the consumer writes it without interleaving.
    case record(WalkEntry, Record)
    /// A problem finding files (a missing root, an unreadable directory, a loop).
    case walkError(WalkError)
}

/// A path-ordered scan waiting behind one file: its window is full, every file after it is
/// held (done or in progress) and the walk waits. Reported once per scan, after
/// `FileScan.stallNoticeDelay` seconds, to `whenStalled`.
public struct ScanStall: Sendable {
    /// The file every later record waits for: still being processed.
    public let entry: WalkEntry
    /// Files walked after it and held in the window.
    public let filesHeld: Int

    public init(entry: WalkEntry, filesHeld: Int) {
        self.entry = entry
        self.filesHeld = filesHeld
    }
}

/// Where the files of a scan come from.
public enum ScanSource: Sendable {
    /// Walk these roots (empty: the current directory, printed without `./`).
    case walk(Walker, roots: [[UInt8]])
    /// Read paths from a file or stdin (`-`), separated by `separator` (`--files-from`).
    case pathList(path: [UInt8], separator: UInt8)
    /// These entries, as they are (tests, stdin as one pseudo-file).
    case entries([WalkEntry])
}

/// In which order records reach the consumer.
public enum ScanOrder: Sendable, Equatable {
    /// As each file's future completes: the first result shows as soon as it exists.
    case completion
    /// Sorted by path (`--sort path`) and streamed: the walk yields files in path order,
    /// jobs run in parallel, a bounded reorder window puts records back in order, so the
    /// memory held stays bounded whatever the number of files. (A `--files-from` list is
    /// read to its end and sorted first, past 32 MiB of paths in sorted runs on disk.)
    case path
}

/// How the per-file job runs.
public enum ScanJob<Record: Sendable>: Sendable {
    /// On the pool, a task per run of files (`PathOrderGroups`; while reads block, runs of
    /// up to 32 read ahead together, or one file per task without io_uring): for jobs that
    /// read the file (grep, hash).
    case pooled(@Sendable (WalkEntry) -> Record?)
    /// On the pool like `pooled`, given a task's whole run of files at once (up to 32, in
    /// order): for jobs that work on several files together (MD5 of small files side by
    /// side in SIMD lanes). Returns a record (or nil) per file, in the run's order.
    case pooledRuns(@Sendable ([WalkEntry]) -> [Record?])
    /// On the walking thread itself: for jobs that never block (files), where a future per
    /// file would cost more than the job.
    case inline(@Sendable (WalkEntry) -> Record?)
}

extension ScanJob {
    /// True for the jobs that run on the pool.
    @inlinable var isPooled: Bool {
        if case .inline = self { return false }
        return true
    }

    /// Runs the job over `count` files, file `i` being `file(i)`, and hands each file's
    /// record (nil: nothing to report) to `deliver` in order, with its index. A run dequeued
    /// after `stop` reports nothing: the scan is over. (Indices rather than a generic
    /// collection: unspecialized, the collection's metadata lookups cost grep 6% of its CPU.)
    @inlinable
    func forEachRecord(count: Int, file: (Int) -> WalkEntry, stop: CancellationToken,
                       _ deliver: (Int, Record?) -> Void) {
        switch self {
        case .pooled(let work), .inline(let work):
            for index in 0..<count { deliver(index, stop.isCancelled ? nil : work(file(index))) }
        case .pooledRuns(let work):
            let records = stop.isCancelled ? [] : work((0..<count).map(file))
            for index in 0..<count { deliver(index, index < records.count ? records[index] : nil) }
        }
    }
}
