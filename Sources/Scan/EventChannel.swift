#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Platform
import Synchronization
import WorkerPool

/// Producers (walker threads, pool workers) push events; one consumer takes them in
/// batches. `admit()` blocks producers while `capacity` files are in flight, so a slow
/// consumer (a slow pipe) makes the scan wait instead of grow.
///
/// Wake-ups are the cost that matters here: a broadcast per event put 300k futex calls in a
/// `dupes` run over 78k files. So producers and the consumer sleep on separate conditions,
/// each side is signalled only when someone sleeps there, and the consumer polls briefly
/// before it sleeps, so a steady stream of events reaches it without any wake-up at all.
///
/// Lock discipline: every `var` is guarded by `lock`; `pending` mirrors `events.count` for
/// the consumer's lock-free poll. The consumer sleeps on the lock's own condition,
/// producers on `producerWakeup`.
@usableFromInline
final class EventChannel<Record: Sendable>: @unchecked Sendable {
    @usableFromInline let lock = ConditionLock()
    @usableFromInline let producerWakeup: LockCondition
    @usableFromInline var events: [ScanEvent<Record>] = []
    /// Files admitted and not yet taken by the consumer.
    @usableFromInline var inFlight = 0
    @usableFromInline var producerDone = false
    /// Files admitted since the start: the source's total once the producer is done.
    @usableFromInline var admittedFiles = 0
    @usableFromInline var stopped = false
    @usableFromInline var consumerSleeping = false
    @usableFromInline var producersSleeping = 0
    @usableFromInline let pending = Atomic<Int>(0)
    @usableFromInline let capacity: Int
    /// Once cancelled, `take` stops waiting for files still in flight: a worker blocked in
    /// read(2) on a silent FIFO or pipe would otherwise hold Ctrl-C off indefinitely.
    private let cancellation: CancellationToken?

    @usableFromInline
    init(capacity: Int, cancellation: CancellationToken? = nil) {
        self.capacity = max(1, capacity)
        self.cancellation = cancellation
        producerWakeup = LockCondition(on: lock)
        events.reserveCapacity(256)
    }

    /// Lock held: waits while the channel is full; false once the consumer stopped the scan.
    @inlinable
    func waitForRoom() -> Bool {
        while inFlight >= capacity && !stopped {
            producersSleeping += 1
            producerWakeup.wait()
            producersSleeping -= 1
        }
        return !stopped
    }

    /// Takes slots for `count` more files (waiting while the channel is full, then taking
    /// them all); false once the consumer stopped the scan.
    @inlinable
    func admit(_ count: Int = 1) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard waitForRoom() else { return false }
        inFlight += count
        admittedFiles += count
        return true
    }

    /// `admit` and `complete` in one lock round trip, for jobs run on the producer's thread.
    /// False once the consumer stopped the scan.
    @inlinable
    func admitAndComplete(_ event: ScanEvent<Record>?) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard waitForRoom() else { return false }
        admittedFiles += 1
        if let event {
            inFlight += 1
            append(event)
        }
        return true
    }

    /// `admitAndComplete` for several files' events at once: waits while the channel is
    /// full, then takes them all. False once the consumer stopped the scan.
    @inlinable
    func admitAndComplete(contentsOf completed: [ScanEvent<Record>]) -> Bool {
        guard !completed.isEmpty else { return true }
        lock.lock()
        defer { lock.unlock() }
        guard waitForRoom() else { return false }
        inFlight += completed.count
        admittedFiles += completed.count
        events.append(contentsOf: completed)
        pending.store(events.count, ordering: .releasing)
        wakeConsumer()
        return true
    }

    /// Hands over the outcome of an admitted file (nil: nothing to report for it).
    @inlinable
    func complete(_ event: ScanEvent<Record>?) {
        lock.lock()
        if let event {
            append(event)
        } else {
            inFlight -= 1
            if producersSleeping > 0 { producerWakeup.signal() }
            if producerDone && inFlight == 0 { wakeConsumer() }
        }
        lock.unlock()
    }

    /// Hands over the events of a pool task's admitted files and `empty` more of its files
    /// that had nothing to report (most of a grep), in one lock round trip and one wake-up
    /// of a sleeping consumer.
    @inlinable
    func complete(contentsOf completed: [ScanEvent<Record>], empty: Int = 0) {
        guard !completed.isEmpty || empty > 0 else { return }
        lock.lock()
        events.append(contentsOf: completed)
        pending.store(events.count, ordering: .releasing)
        inFlight -= empty
        if empty > 0 && producersSleeping > 0 { producerWakeup.signal() }
        if !completed.isEmpty || (producerDone && inFlight == 0) { wakeConsumer() }
        lock.unlock()
    }

    /// An event that took no slot (walk errors).
    @inlinable
    func post(_ event: ScanEvent<Record>) {
        lock.lock()
        inFlight += 1
        append(event)
        lock.unlock()
    }

    /// Lock held.
    @inlinable
    func append(_ event: ScanEvent<Record>) {
        events.append(event)
        pending.store(events.count, ordering: .releasing)
        wakeConsumer()
    }

    /// Lock held.
    @inlinable
    func wakeConsumer() {
        if consumerSleeping {
            consumerSleeping = false
            lock.signal()
        }
    }

    /// The producer is done; returns the number of files it admitted.
    @usableFromInline @discardableResult
    func finishProducing() -> Int {
        lock.lock()
        defer { lock.unlock() }
        producerDone = true
        wakeConsumer()
        return admittedFiles
    }

    /// Stops the scan: producers get false from `admit`.
    @usableFromInline
    func stop() {
        lock.lock()
        stopped = true
        producerWakeup.broadcast()
        lock.unlock()
    }

    /// Waits for events and moves them all into `batch`; false when the scan is over
    /// (the producer finished and every admitted file was reported), or when it was
    /// cancelled and nothing is left to hand over (files still in flight are abandoned).
    @usableFromInline
    func take(into batch: inout [ScanEvent<Record>], polls: Int = 1024, whenIdle idle: () -> Void) -> Bool {
        // A few microseconds of polling catch the next event of a busy scan without sleeping.
        for _ in 0..<polls where pending.load(ordering: .acquiring) == 0 { trawl_cpu_relax() }
        // Nothing came: the consumer is about to wait, so what it holds should go out now
        // (the first result of a scan reaches stdout while the walk goes on).
        if pending.load(ordering: .acquiring) == 0 { idle() }
        lock.lock()
        defer { lock.unlock() }
        while events.isEmpty {
            if producerDone && (inFlight == 0 || stopped) { return false }
            consumerSleeping = true
            guard let cancellation else {
                lock.wait()
                continue
            }
            if cancellation.isCancelled { return false }
            // Cancelling flips a flag and signals nothing here: look again every 50 ms.
            if !lock.wait(until: Deadline.after(.milliseconds(50))!) && events.isEmpty {
                // Still waiting (a slow or huge file): let the consumer refresh what it shows.
                lock.unlock()
                idle()
                lock.lock()
            }
        }
        swap(&batch, &events)
        pending.store(0, ordering: .relaxed)
        inFlight -= batch.count
        if producersSleeping > 0 { producerWakeup.broadcast() }
        return true
    }
}
