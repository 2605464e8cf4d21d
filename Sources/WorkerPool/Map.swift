extension ThreadPoolExecutor {
    /// Applies `transform` to every item on the pool and yields the results in input order
    /// (Python's `Executor.map`). Lazy: at most `2 * maxWorkers` chunks are in flight, so
    /// mapping ten million items never makes ten million futures. Items are grouped
    /// `chunkSize` to a task, which pays off for trivial transforms.
    ///
    /// Errors: the first error (in input order) is thrown at its position; `timeout`,
    /// counted from this call, throws `ExecutorError.timeout` when a result is not ready in
    /// time; `ExecutorError.shutdown` / `.broken` when the pool cannot take the work.
    /// Breaking out of the loop cancels the chunks not yet started.
    public func map<Items: Sequence, Result: Sendable>(
        _ items: Items, chunkSize: Int = 1, timeout: Duration? = nil,
        _ transform: @escaping @Sendable (Items.Element) throws -> Result
    ) -> PoolMap<Items, Result> where Items.Element: Sendable {
        precondition(chunkSize > 0, "chunkSize must be positive")
        return PoolMap(pool: self, items: items, chunkSize: chunkSize,
                       deadline: Deadline.after(timeout), transform: transform)
    }
}

/// The async sequence `ThreadPoolExecutor.map` returns.
public struct PoolMap<Items: Sequence, Result: Sendable>: AsyncSequence where Items.Element: Sendable {
    public typealias Element = Result
    public typealias Failure = any Error

    let pool: ThreadPoolExecutor
    let items: Items
    let chunkSize: Int
    let deadline: Deadline?
    let transform: @Sendable (Items.Element) throws -> Result

    public func makeAsyncIterator() -> Iterator {
        Iterator(state: MapState(pool: pool, source: items.makeIterator(), chunkSize: chunkSize,
                                 window: 2 * pool.maxWorkers, deadline: deadline, transform: transform))
    }

    public struct Iterator: AsyncIteratorProtocol {
        let state: MapState<Items.Iterator, Result>

        public mutating func next() async throws -> Result? {
            try await state.next()
        }

        // SE-0421: avoids an executor hop per element when the result is already there.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> Result? {
            if let value = try state.nextIfReady() { return value }
            return try await state.next()
        }
    }
}

/// The in-flight window of a map. Used by one consumer at a time (an iterator is not
/// shared), so it needs no lock; `@unchecked Sendable` only lets it cross awaits.
final class MapState<Source: IteratorProtocol, Result: Sendable>: @unchecked Sendable where Source.Element: Sendable {
    private let pool: ThreadPoolExecutor
    private var source: Source?
    private let chunkSize: Int
    private let window: Int
    private let deadline: Deadline?
    private let transform: @Sendable (Source.Element) throws -> Result
    private var inFlight = RingBuffer<Future<[Result]>>(capacity: 16)
    private var current: [Result] = []
    private var index = 0
    private var failed = false

    init(pool: ThreadPoolExecutor, source: Source, chunkSize: Int, window: Int, deadline: Deadline?,
         transform: @escaping @Sendable (Source.Element) throws -> Result) {
        self.pool = pool
        self.source = source
        self.chunkSize = chunkSize
        self.window = window
        self.deadline = deadline
        self.transform = transform
    }

    deinit {
        while let future = inFlight.removeFirst() { future.cancel() }
    }

    /// Tops the window up to its size with chunks of the source.
    private func refill() throws {
        while inFlight.count < window, var items = source {
            var chunk: [Source.Element] = []
            chunk.reserveCapacity(chunkSize)
            while chunk.count < chunkSize, let item = items.next() { chunk.append(item) }
            source = chunk.count < chunkSize ? nil : items
            if chunk.isEmpty { break }
            let transform = self.transform
            let items = chunk
            let future = try pool.submit { try items.map(transform) }
            inFlight.append(future)
        }
    }

    /// The next value if it needs no waiting; nil otherwise (call `next()`).
    func nextIfReady() throws -> Result?? {
        if index < current.count {
            defer { index += 1 }
            return .some(current[index])
        }
        if failed { return .some(nil) }
        try refill()
        guard let head = inFlight.first else { return .some(nil) }
        guard let outcome = head.currentOutcome else { return nil }
        return try take(outcome)
    }

    private func take(_ outcome: Swift.Result<[Result], any Error>) throws -> Result?? {
        _ = inFlight.removeFirst()
        do {
            current = try outcome.get()
        } catch {
            failed = true
            while let future = inFlight.removeFirst() { future.cancel() }
            throw error
        }
        index = 0
        return try nextIfReady()
    }

    func next() async throws -> Result? {
        while true {
            if let value = try nextIfReady() { return value }
            guard let head = inFlight.first else { return nil }
            // Trivial transforms finish within microseconds: polling briefly before
            // suspending spares a continuation and a thread wake-up per element.
            if spinBriefly(until: { head.isDone }) { continue }
            do {
                _ = try await head.value(until: deadline)
            } catch ExecutorError.timeout {
                failed = true
                while let future = inFlight.removeFirst() { future.cancel() }
                throw ExecutorError.timeout
            } catch {
                // The chunk failed: `nextIfReady` rethrows it in order on the next round.
            }
        }
    }
}
