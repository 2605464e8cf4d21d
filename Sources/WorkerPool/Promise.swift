/// The producer side of a future that no pool runs: whoever holds the promise completes it
/// (Java's CompletableFuture, Python's Future used by hand).
///
/// Thread-safety: `succeed` and `fail` may race from any threads; exactly one wins.
public struct Promise<Value: Sendable>: Sendable {
    /// The future this promise completes; hand it to whoever waits.
    public let future: Future<Value>

    /// A promise with a pending future.
    public init() {
        future = Future(work: nil, token: nil)
    }

    /// Completes the future with `value`. Throws `ExecutorError.alreadyCompleted` when it was
    /// completed or cancelled before.
    public func succeed(_ value: Value) throws {
        guard future.complete(with: .success(value)) else { throw ExecutorError.alreadyCompleted }
    }

    /// Completes the future with `error`. Throws `ExecutorError.alreadyCompleted` when it was
    /// completed or cancelled before.
    public func fail(_ error: any Error) throws {
        guard future.complete(with: .failure(error)) else { throw ExecutorError.alreadyCompleted }
    }
}
