#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization
import Walk
import WorkerPool

/// The pipeline every job shares: paths in, one future per file on the pool (per run of
/// consecutive files in path order), whole per-file records out to a consumer on the
/// calling thread, in completion or path order.
///
/// Backpressure: at most `maxInFlight` files are admitted and not yet taken by the consumer,
/// which holds at most one batch of that size more: memory stays bounded whatever the tree.
/// Cancellation: `cancellation` stops the walk between directories and makes jobs not yet
/// started return nothing; the consumer stops the scan by returning false.
public struct FileScan: Sendable {
    public let pool: ThreadPoolExecutor
    public let order: ScanOrder
    public let maxInFlight: Int
    public let cancellation: CancellationToken
    /// How long (seconds) the path-order window may sit full behind one file before
    /// `whenStalled` hears of it: long enough that ordinary runs never do.
    public let stallNoticeDelay: Double
    /// The most files of a directory a task reads ahead in one io_uring submission while
    /// reads block (`ReadAhead`); 0 or 1: none, each read waits on its own (`-j 1`'s
    /// default, one read at a time as in ripgrep). At most `FileScan.maxReadAhead`.
    public let readAhead: Int
    /// Called on the producer thread once the source is exhausted (not when stopped), with
    /// the number of files it gave: a total for a progress display, known only then.
    public var whenSourceDone: (@Sendable (_ files: Int) -> Void)?
    /// Starts as though reads block, rather than finding out from the first tasks (tests:
    /// a walk can hand out every file before the first task tells).
    @usableFromInline var startsWithBlockingReads = false

    public init(pool: ThreadPoolExecutor, order: ScanOrder = .completion, maxInFlight: Int = 4096,
                cancellation: CancellationToken = CancellationToken(), stallNoticeDelay: Double = 1,
                readAhead: Int = FileScan.maxReadAhead) {
        precondition((0...Self.maxReadAhead).contains(readAhead), "readAhead must be 0...\(Self.maxReadAhead)")
        self.pool = pool
        self.order = order
        self.maxInFlight = maxInFlight
        self.cancellation = cancellation
        self.stallNoticeDelay = stallNoticeDelay
        self.readAhead = readAhead
    }

    /// The most files one read-ahead submission takes (the ring's size).
    public static var maxReadAhead: Int { ReadAhead.maxFiles }

    /// Whether tasks read ahead while reads block: asked for, and io_uring works here.
    @usableFromInline var readsAhead: Bool { readAhead > 1 && ReadAhead.isAvailable }

    /// Runs the scan. `consume` is called on the calling thread for each event; returning
    /// false stops the scan (the rest of the walk and the jobs not yet started are dropped).
    /// Returns when every admitted file was handed over or the scan was stopped.
    /// Inlinable so the consumer loop specializes for the caller's record type: unspecialized,
    /// Result copies through value witnesses showed in profiles of `hash` on 78k files.
    ///
    /// `whenIdle` is called on the calling thread each time the consumer would wait for
    /// events: the place to flush buffered output so results stream as files complete.
    ///
    /// `whenStalled` is called on the calling thread, at most once, when a path-ordered walk
    /// has held a full window for `stallNoticeDelay` seconds behind one file still being
    /// processed (a huge file, a silent FIFO): the place to tell the user why output stopped.
    @inlinable
    public func run<Record: Sendable>(source: ScanSource, job: ScanJob<Record>,
                                      whenIdle: () -> Void = {},
                                      whenStalled: (ScanStall) -> Void = { _ in },
                                      consume: (ScanEvent<Record>) -> Bool) {
        if order == .path {
            return runInPathOrder(source: source, job: job, whenIdle: whenIdle, whenStalled: whenStalled, consume: consume)
        }
        // Stopping this scan (the consumer said so) must not look like the user's interrupt.
        let stop = CancellationToken(parent: cancellation)
        let channel = EventChannel<Record>(capacity: maxInFlight, cancellation: cancellation)
        let producer = ProducerThread { [self] in
            produce(source: source, job: job, into: channel, stop: stop)
            let files = channel.finishProducing()
            if !stop.isCancelled { whenSourceDone?(files) }
        }
        var batch: [ScanEvent<Record>] = []
        var going = true
        while going, channel.take(into: &batch, whenIdle: whenIdle) {
            for event in batch where going {
                if !consume(event) { going = false }
            }
            batch.removeAll(keepingCapacity: true)
        }
        if !going || cancellation.isCancelled {
            stop.cancel()
            channel.stop()  // wakes a producer waiting in `admit`
        }
        producer.join()
    }

    /// `--sort path`: the files come in path order (a sorted walk, or a path list put in
    /// order by `ExternalPathSort`), the window numbers them, jobs still run in parallel on
    /// the pool, and the consumer hands records over in sequence. At most `maxInFlight` files
    /// are between the source and the consumer, reorder buffer included: a slow file early in
    /// the order makes the walk wait rather than the buffer grow, whatever the number of files.
    @inlinable
    func runInPathOrder<Record: Sendable>(source: ScanSource, job: ScanJob<Record>,
                                          whenIdle: () -> Void, whenStalled: (ScanStall) -> Void,
                                          consume: (ScanEvent<Record>) -> Bool) {
        let stop = CancellationToken(parent: cancellation)
        // Slots are taken when a file is walked and given back when its record is handed
        // over, so the channel itself never blocks: the window does.
        let window = ReorderWindow(capacity: maxInFlight)
        let channel = EventChannel<Sequenced<Record>>(capacity: Int.max, cancellation: cancellation)
        let producer = ProducerThread { [self] in
            produceInPathOrder(source: source, job: job, window: window, into: channel, stop: stop)
            let files = channel.finishProducing()
            if !stop.isCancelled { whenSourceDone?(files) }
        }
        var batch: [ScanEvent<Sequenced<Record>>] = []
        var reorder = ReorderBuffer<Record>(capacity: window.capacity)
        var released = 0
        var going = true
        var stallWatch = StallWatch(delay: stallNoticeDelay)
        // No polling here: records come in bursts behind the next one in order, and a
        // polling consumer took CPU from the workers (DESIGN.md, "Feeding the pool").
        while going, channel.take(into: &batch, polls: 0, whenIdle: {
            whenIdle()
            // Idle calls come at least every 50 ms while waiting (EventChannel.take): a
            // stall is a wait of `stallNoticeDelay` for one record with the window full.
            if stallWatch.isDue(next: reorder.next), let stall = window.stall(next: reorder.next) {
                stallWatch.reported = true
                whenStalled(stall)
            }
        }) {
            for event in batch where going {
                switch event {
                case .walkError(let error):
                    going = consume(.walkError(error))
                case .record(let entry, let sequenced):
                    reorder.insert(entry, sequenced.record, number: sequenced.number)
                    while going, let (ready, record) = reorder.popNext() {
                        if let record { going = consume(.record(ready, record)) }
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            // Slots go back once per batch: one lock round trip, not one per file.
            window.leave(reorder.next - released)
            released = reorder.next
        }
        if !going || cancellation.isCancelled {
            stop.cancel()
            window.stop()
            channel.stop()
        }
        producer.join()
        pool.limitConcurrency(to: pool.maxWorkers)  // `BlockingReads.steer` set it for this scan
    }

    /// The producer side of `runInPathOrder`: files in path order, numbered by the window
    /// and handed to the pool in groups of consecutive files (`PathOrderGroups`).
    /// Inlinable, with the channel's producer side, so the per-file work specializes for the
    /// record type: unspecialized, value-witness copies of entries and events and generic
    /// enum tag calls came to about 3% of `hash`'s profile.
    @inlinable
    func produceInPathOrder<Record: Sendable>(source: ScanSource, job: ScanJob<Record>,
                                              window: ReorderWindow, into channel: EventChannel<Sequenced<Record>>,
                                              stop: CancellationToken) {
        let pool = self.pool
        var group: [(WalkEntry, Int)] = []
        let groupLimit = PathOrderGroups(window: window.capacity)
        let blocking = BlockingReads(common: startsWithBlockingReads)
        /// Hands the gathered files to one pool task, which runs them in order and hands the
        /// records over together: records ahead of the one the consumer waits for cannot go
        /// out anyway, and a wake-up and lock round trip per file cost a context switch each
        /// (DESIGN.md, "Feeding the pool").
        func submitGroup() {
            guard job.isPooled, !group.isEmpty else { return }
            let files = group
            group.removeAll(keepingCapacity: true)
            // One admission per group (the channel is unbounded here: the window bounds).
            guard channel.admit(files.count) else { return }
            blocking.steer(pool)
            let readingAhead = blocking.areCommon && readsAhead && files.count > 1
            let submitted = Self.submit(to: pool) {
                func records() -> [ScanEvent<Sequenced<Record>>] {
                    var events: [ScanEvent<Sequenced<Record>>] = []
                    events.reserveCapacity(files.count)
                    job.forEachRecord(count: files.count, file: { files[$0].0 }, stop: stop) { index, record in
                        let (entry, number) = files[index]
                        events.append(.record(entry, Sequenced(number: number, record: record)))
                    }
                    return events
                }
                // Measured without the hand-over, whose lock waits are not reads blocking.
                let events = FileReader.withDirectoryCache {
                    guard readingAhead else { return blocking.measure(files: files.count, records) }
                    return blocking.measureReadAhead(files: files.count, { ReadAhead.files(files.lazy.map(\.0), limit: readAhead) }, then: records)
                }
                channel.complete(contentsOf: events)
            }
            if !submitted {
                for (entry, number) in files { channel.complete(.record(entry, Sequenced(number: number, record: nil))) }
            }
        }
        func admit(_ entry: WalkEntry) {
            var number = window.tryEnter(entry)
            if number == nil {
                // Full: what is gathered must reach the pool before the walk waits for it.
                submitGroup()
                number = window.enter(entry)
            }
            guard let number else { return }
            switch job {
            case .inline(let work):
                _ = channel.admitAndComplete(.record(entry, Sequenced(number: number, record: work(entry))))
            case .pooled, .pooledRuns:
                group.append((entry, number))
                // Reading ahead, a group is as many files as one submission takes at once.
                let readingAhead = blocking.areCommon && readsAhead
                if group.count >= (readingAhead ? min(groupLimit.cap, readAhead) : groupLimit.size(forFile: number)) { submitGroup() }
            }
        }
        // An inline job (`files --sort path`) leaves the walk all the work: its helpers
        // read ahead from the start.
        Self.forEachInPathOrder(source, stop: stop, walkHelpersFromStart: !job.isPooled,
                                onError: { channel.post(.walkError($0)) }, admit)
        submitGroup()
    }

    /// Runs `task` on the pool, or on the calling thread where the pool has no thread and
    /// cannot start one (`submitOrRunHere`): no file is lost to `ulimit -u`. False when the
    /// pool refuses the work because it is shut down (the scan is being stopped).
    @usableFromInline
    static func submit(to pool: ThreadPoolExecutor, _ task: @escaping @Sendable () -> Void) -> Bool {
        (try? pool.submitOrRunHere(task)) != nil
    }

    /// The files of `source` in path order: a sorted walk, a path list read to its end and
    /// sorted (`ExternalPathSort`), or entries sorted in memory. Stops once `stop` is cancelled.
    @usableFromInline
    static func forEachInPathOrder(_ source: ScanSource, stop: CancellationToken, walkHelpersFromStart: Bool = false,
                                   onError: @escaping @Sendable (WalkError) -> Void, _ body: (WalkEntry) -> Void) {
        switch source {
        case .walk(let walker, let roots):
            walker.walkSorted(roots: roots, cancellation: stop, helpersFromStart: walkHelpersFromStart,
                              onEntry: body, onError: onError)
        case .pathList(let path, let separator):
            // Nothing can go out before the last path is read: any of them may sort first.
            var sorter = ExternalPathSort()
            do {
                try PathInput.read(path: path, separator: separator, stopWhen: { stop.isCancelled }) { sorter.add($0.path) }
            } catch {
                onError(error)
            }
            sorter.forEachSorted { path in
                // As PathInput makes them.
                body(WalkEntry(path: path, depth: 0, kind: .unknown))
                return !stop.isCancelled
            }
        case .entries(let entries):
            for index in PathSort.order(of: entries.map(\.path)) where !stop.isCancelled { body(entries[index]) }
        }
    }

    @inlinable
    func produce<Record: Sendable>(source: ScanSource, job: ScanJob<Record>, into channel: EventChannel<Record>,
                                   stop cancellation: CancellationToken) {
        let pool = self.pool
        let onEntry: @Sendable (WalkEntry) -> Void
        switch job {
        case .inline(let work):
            onEntry = { entry in
                _ = channel.admitAndComplete(work(entry).map { .record(entry, $0) })
            }
        case .pooled, .pooledRuns:
            onEntry = { entry in
                guard channel.admit() else { return }
                let submitted = Self.submit(to: pool) {
                    job.forEachRecord(count: 1, file: { _ in entry }, stop: cancellation) { _, record in
                        channel.complete(record.map { .record(entry, $0) })
                    }
                }
                if !submitted { channel.complete(nil) }
            }
        }
        let onError: @Sendable (WalkError) -> Void = { channel.post(.walkError($0)) }
        switch source {
        case .walk(let walker, let roots):
            guard job.isPooled else {
                // Inline: a run of a directory's files goes over in one lock round trip.
                walker.walk(roots: roots, cancellation: cancellation, onFiles: { run in
                    var events: [ScanEvent<Record>] = []
                    job.forEachRecord(count: run.count, file: { run[$0] }, stop: cancellation) { index, record in
                        if let record { events.append(.record(run[index], record)) }
                    }
                    _ = channel.admitAndComplete(contentsOf: events)
                }, onError: onError)
                break
            }
            // A directory's files go to the pool as a few tasks rather than one per file:
            // per file, the walker woke a sleeping worker and fought the workers for the
            // pool's lock (3 futex calls per file).
            // While reads block, a task reads its files ahead in one submission (`ReadAhead`),
            // or without io_uring takes one file per task: see `BlockingReads`.
            let sizes = PathOrderGroups(window: maxInFlight)
            let walked = FileCounter()
            let blocking = BlockingReads(common: startsWithBlockingReads)
            walker.walk(roots: roots, cancellation: cancellation, onFiles: { run in
                // Read ahead in name order: files extracted or checked out in that order lie
                // in it on disk, and only neighbours in a submission merge (DESIGN.md).
                let files = blocking.areCommon && readsAhead
                    ? run.sorted { pathPrecedes($0.path, $1.path) } : run
                var start = 0
                while start < files.count, !cancellation.isCancelled {
                    let readingAhead = blocking.areCommon && readsAhead
                    let size = readingAhead ? min(files.count - start, readAhead)
                        : blocking.areCommon ? 1 : min(files.count - start, sizes.size(forFile: walked.value))
                    let group = Array(files[start..<(start + size)])
                    start += size
                    walked.add(size)
                    guard channel.admit(group.count) else { return }
                    let submitted = Self.submit(to: pool) {
                        func records() -> ([ScanEvent<Record>], empty: Int) {
                            Self.records(of: group, job: job, cancellation: cancellation)
                        }
                        // Measured without the hand-over, whose lock waits are not reads
                        // blocking. One file needs no directory opened for it.
                        let (events, empty) = group.count == 1 ? blocking.measure(files: 1, records)
                            : FileReader.withDirectoryCache {
                                guard readingAhead else { return blocking.measure(files: group.count, records) }
                                return blocking.measureReadAhead(files: group.count, { ReadAhead.files(group, limit: readAhead) }, then: records)
                            }
                        channel.complete(contentsOf: events, empty: empty)
                    }
                    if !submitted { for _ in group { channel.complete(nil) } }
                }
            }, onError: onError)
        case .pathList(let path, let separator):
            do {
                try PathInput.read(path: path, separator: separator, stopWhen: { cancellation.isCancelled }) { entry in
                    onEntry(entry)
                }
            } catch {
                onError(error)
            }
        case .entries(let entries):
            for entry in entries where !cancellation.isCancelled { onEntry(entry) }
        }
    }
}

extension FileScan {
    /// One pool task of a walk in completion order: a directory's files in turn (opened
    /// relative to it by the caller's `FileReader.withDirectoryCache`), their records and
    /// the count of files with nothing to report, for one hand-over.
    @inlinable
    static func records<Record: Sendable>(of group: [WalkEntry], job: ScanJob<Record>,
                                          cancellation: CancellationToken) -> ([ScanEvent<Record>], empty: Int) {
        var events: [ScanEvent<Record>] = []
        var empty = 0
        job.forEachRecord(count: group.count, file: { group[$0] }, stop: cancellation) { index, record in
            if let record { events.append(.record(group[index], record)) } else { empty += 1 }
        }
        return (events, empty)
    }
}

extension CancellationToken: WalkCancellationSignal {}

/// Files handed to the pool so far, counted across the walker's threads.
@usableFromInline
final class FileCounter: Sendable {
    private let count = Atomic<Int>(0)
    @usableFromInline init() {}
    @usableFromInline var value: Int { count.load(ordering: .relaxed) }
    @usableFromInline func add(_ files: Int) { count.add(files, ordering: .relaxed) }
}

/// A record with its place in path order.
@usableFromInline
struct Sequenced<Record: Sendable>: Sendable {
    @usableFromInline let number: Int
    @usableFromInline let record: Record?

    @usableFromInline
    init(number: Int, record: Record?) {
        self.number = number
        self.record = record
    }
}
