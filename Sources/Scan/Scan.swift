#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Walk
import WorkerPool

/// The pipeline every job shares: paths in, one future per file on the pool, whole
/// per-file records out to a consumer on the calling thread, in completion or path order.
///
/// Backpressure: at most `maxInFlight` files are admitted and not yet taken by the consumer,
/// which holds at most one batch of that size more: memory stays bounded whatever the tree.
/// Cancellation: `cancellation` stops the walk between directories and makes jobs not yet
/// started return nothing; the consumer stops the scan by returning false.
public struct Scan: Sendable {
    public let pool: ThreadPoolExecutor
    public let order: ScanOrder
    public let maxInFlight: Int
    public let cancellation: CancellationToken

    public init(pool: ThreadPoolExecutor, order: ScanOrder = .completion, maxInFlight: Int = 4096,
                cancellation: CancellationToken = CancellationToken()) {
        self.pool = pool
        self.order = order
        self.maxInFlight = maxInFlight
        self.cancellation = cancellation
    }

    /// Runs the scan. `consume` is called on the calling thread for each event; returning
    /// false stops the scan (the rest of the walk and the jobs not yet started are dropped).
    /// Returns when every admitted file was handed over or the scan was stopped.
    /// Inlinable so the consumer loop specializes for the caller's record type: unspecialized,
    /// Result copies through value witnesses showed in profiles of `hash` on 78k files.
    ///
    /// `whenIdle` is called on the calling thread each time the consumer would wait for
    /// events: the place to flush buffered output so results stream as files complete.
    @inlinable
    public func run<Record: Sendable>(source: ScanSource, job: ScanJob<Record>,
                                      whenIdle: () -> Void = {},
                                      consume: (ScanEvent<Record>) -> Bool) {
        if order == .path, case .walk(let walker, let roots) = source {
            return runInPathOrder(walker: walker, roots: roots, job: job, whenIdle: whenIdle, consume: consume)
        }
        // Stopping this scan (the consumer said so) must not look like the user's interrupt.
        let stop = CancellationToken(parent: cancellation)
        let channel = EventChannel<Record>(capacity: maxInFlight, cancellation: cancellation)
        let producer = ProducerThread { [self] in
            produce(source: source, job: job, into: channel, stop: stop)
            channel.finishProducing()
        }
        var batch: [ScanEvent<Record>] = []
        var held: [(WalkEntry, Record)] = []
        var going = true
        while going, channel.take(into: &batch, whenIdle: whenIdle) {
            for event in batch where going {
                if order != .completion, case .record(let entry, let record) = event {
                    held.append((entry, record))
                    continue
                }
                if !consume(event) { going = false }
            }
            batch.removeAll(keepingCapacity: true)
        }
        if !going || cancellation.isCancelled {
            stop.cancel()
            channel.stop()  // wakes a producer waiting in `admit`
        }
        producer.join()
        guard going, order != .completion else { return }
        for index in PathSort.order(of: held.map { $0.0.path }) where going {
            going = consume(.record(held[index].0, held[index].1))
        }
    }

    /// `--sort path` over a walk: the walk yields files in path order (`walkSorted`), each
    /// gets a sequence number, jobs still run in parallel on the pool, and the consumer
    /// hands records over in sequence. At most `maxInFlight` files are between the walk and
    /// the consumer, reorder buffer included: a slow file early in the order makes the walk
    /// wait rather than the buffer grow.
    @inlinable
    func runInPathOrder<Record: Sendable>(walker: Walker, roots: [[UInt8]], job: ScanJob<Record>,
                                          whenIdle: () -> Void, consume: (ScanEvent<Record>) -> Bool) {
        let stop = CancellationToken(parent: cancellation)
        // Slots are taken when a file is walked and given back when its record is handed
        // over, so the channel itself never blocks: the window does.
        let window = ReorderWindow(capacity: maxInFlight)
        let channel = EventChannel<Sequenced<Record>>(capacity: Int.max, cancellation: cancellation)
        let producer = ProducerThread { [self] in
            produceInPathOrder(walker: walker, roots: roots, job: job, window: window, into: channel, stop: stop)
            channel.finishProducing()
        }
        var batch: [ScanEvent<Sequenced<Record>>] = []
        var waiting: [Int: (WalkEntry, Record?)] = [:]
        var next = 0
        var released = 0
        var going = true
        // No polling here: records come in bursts behind the next one in order, and a
        // polling consumer took CPU from the workers (hash of the Linux tree 0.42 -> 0.8 s).
        while going, channel.take(into: &batch, polls: 0, whenIdle: whenIdle) {
            for event in batch where going {
                switch event {
                case .walkError(let error):
                    going = consume(.walkError(error))
                case .record(let entry, let sequenced):
                    waiting[sequenced.number] = (entry, sequenced.record)
                    while going, let (ready, record) = waiting.removeValue(forKey: next) {
                        next += 1
                        if let record { going = consume(.record(ready, record)) }
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            // Slots go back once per batch: one lock round trip, not one per file.
            window.leave(next - released)
            released = next
        }
        if !going || cancellation.isCancelled {
            stop.cancel()
            window.stop()
            channel.stop()
        }
        producer.join()
    }

    /// The producer side of `runInPathOrder`: the sorted walk, numbering each file.
    @usableFromInline
    func produceInPathOrder<Record: Sendable>(walker: Walker, roots: [[UInt8]], job: ScanJob<Record>,
                                              window: ReorderWindow, into channel: EventChannel<Sequenced<Record>>,
                                              stop: CancellationToken) {
        let pool = self.pool
        var sequence = 0
        walker.walkSorted(roots: roots, cancellation: stop, onEntry: { entry in
            guard window.enter() else { return }
            let number = sequence
            sequence += 1
            switch job {
            case .inline(let work):
                _ = channel.admitAndComplete(.record(entry, Sequenced(number: number, record: work(entry))))
            case .pooled(let work):
                guard channel.admit() else { return }
                let submitted = try? pool.submit {
                    let record = stop.isCancelled ? nil : work(entry)
                    channel.complete(.record(entry, Sequenced(number: number, record: record)))
                }
                if submitted == nil { channel.complete(.record(entry, Sequenced(number: number, record: nil))) }
            }
        }, onError: { channel.post(.walkError($0)) })
    }

    @usableFromInline
    func produce<Record: Sendable>(source: ScanSource, job: ScanJob<Record>, into channel: EventChannel<Record>,
                                   stop cancellation: CancellationToken) {
        let pool = self.pool
        let onEntry: @Sendable (WalkEntry) -> Void
        switch job {
        case .inline(let work):
            onEntry = { entry in
                _ = channel.admitAndComplete(work(entry).map { .record(entry, $0) })
            }
        case .pooled(let work):
            onEntry = { entry in
                guard channel.admit() else { return }
                let submitted = try? pool.submit {
                    // A job dequeued after a stop reports nothing: the scan is over.
                    guard !cancellation.isCancelled else { return channel.complete(nil) }
                    channel.complete(work(entry).map { .record(entry, $0) })
                }
                if submitted == nil { channel.complete(nil) }
            }
        }
        let onError: @Sendable (WalkError) -> Void = { channel.post(.walkError($0)) }
        switch source {
        case .walk(let walker, let roots):
            walker.walk(roots: roots, cancellation: cancellation, onEntry: onEntry, onError: onError)
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

extension CancellationToken: WalkCancellationSignal {}

/// A thread of its own for the producer side, so the consumer keeps the calling thread and
/// the pool's workers stay free for jobs (with -j1 a producer on the pool would starve them).
@usableFromInline
final class ProducerThread: @unchecked Sendable {
    // Written once in init before any other access.
    private var thread = pthread_t()
    private let started: Bool
    private let body: @Sendable () -> Void

    @usableFromInline
    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(BodyBox(body)).toOpaque()
        var handle = pthread_t()
        started = pthread_create(&handle, nil, producerEntry, context) == 0
        if started {
            thread = handle
        } else {
            Unmanaged<BodyBox>.fromOpaque(context).release()
            body()
        }
    }

    @usableFromInline
    func join() {
        if started { pthread_join(thread, nil) }
    }
}

private final class BodyBox {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func producerEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let box = Unmanaged<BodyBox>.fromOpaque(argument!).takeRetainedValue()
    _ = trawl_set_thread_name("trawl-walk")
    box.body()
    return nil
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

/// The bound on files between the sorted walk and the consumer, reorder buffer included.
///
/// Lock discipline: `inside` and `stopped` are guarded by `mutex`; `changed` waits with it.
@usableFromInline
final class ReorderWindow: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var inside = 0
    private var stopped = false
    private let capacity: Int

    @usableFromInline
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Takes a slot, waiting while the window is full; false once stopped.
    @usableFromInline
    func enter() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while inside >= capacity && !stopped { pthread_cond_wait(changed, mutex) }
        if stopped { return false }
        inside += 1
        return true
    }

    @usableFromInline
    func leave(_ count: Int) {
        guard count > 0 else { return }
        pthread_mutex_lock(mutex)
        let wasFull = inside >= capacity
        inside -= count
        if wasFull { pthread_cond_signal(changed) }
        pthread_mutex_unlock(mutex)
    }

    @usableFromInline
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}
