#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import WorkerPool

/// Producers (walker threads, pool workers) push events; one consumer takes them in
/// batches. `admit()` blocks producers while `capacity` files are in flight, so a slow
/// consumer (a slow pipe) makes the scan wait instead of grow.
///
/// Lock discipline: every `var` is guarded by `mutex`; `changed` is waited on with it.
final class EventChannel<Record: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var events: [ScanEvent<Record>] = []
    /// Files admitted and not yet taken by the consumer.
    private var inFlight = 0
    private var producerDone = false
    private var stopped = false
    private let capacity: Int
    /// Once cancelled, `take` stops waiting for files still in flight: a worker blocked in
    /// read(2) on a silent FIFO or pipe would otherwise hold Ctrl-C off indefinitely.
    private let cancellation: CancellationToken?

    init(capacity: Int, cancellation: CancellationToken? = nil) {
        self.capacity = max(1, capacity)
        self.cancellation = cancellation
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        events.reserveCapacity(256)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Takes a slot for one more file; false once the consumer stopped the scan.
    func admit() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while inFlight >= capacity && !stopped { pthread_cond_wait(changed, mutex) }
        if stopped { return false }
        inFlight += 1
        return true
    }

    /// Hands over the outcome of an admitted file (nil: nothing to report for it).
    func complete(_ event: ScanEvent<Record>?) {
        pthread_mutex_lock(mutex)
        if let event {
            events.append(event)
        } else {
            inFlight -= 1
        }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// An event that took no slot (walk errors).
    func post(_ event: ScanEvent<Record>) {
        pthread_mutex_lock(mutex)
        events.append(event)
        inFlight += 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    func finishProducing() {
        pthread_mutex_lock(mutex)
        producerDone = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Stops the scan: producers get false from `admit`.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Waits for events and moves them all into `batch`; false when the scan is over
    /// (the producer finished and every admitted file was reported), or when it was
    /// cancelled and nothing is left to hand over (files still in flight are abandoned).
    func take(into batch: inout [ScanEvent<Record>]) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while events.isEmpty {
            if producerDone && inFlight == 0 { return false }
            if stopped && producerDone { return false }
            guard let cancellation else {
                pthread_cond_wait(changed, mutex)
                continue
            }
            if cancellation.isCancelled { return false }
            // Cancelling flips a flag and signals nothing here: look again every 50 ms.
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            deadline.tv_nsec += 50_000_000
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_sec += 1
                deadline.tv_nsec -= 1_000_000_000
            }
            pthread_cond_timedwait(changed, mutex, &deadline)
        }
        swap(&batch, &events)
        inFlight -= batch.count
        pthread_cond_broadcast(changed)
        return true
    }
}
