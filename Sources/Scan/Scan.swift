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
                if order == .path, case .record(let entry, let record) = event {
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
        guard going, order == .path else { return }
        for index in PathSort.order(of: held.map { $0.0.path }) where going {
            going = consume(.record(held[index].0, held[index].1))
        }
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
