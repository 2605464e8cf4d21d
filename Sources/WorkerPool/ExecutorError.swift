/// What can go wrong when submitting work or reading a future's outcome.
public enum ExecutorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The future was cancelled before its work started (or its promise was dropped).
    case cancelled
    /// A bounded wait (`result(timeout:)`, `wait`, `completed`, `map`) ran out of time.
    case timeout
    /// A worker's initializer threw: the pool runs nothing more.
    case broken(String)
    /// The pool was shut down: it takes no new work.
    case shutdown
    /// A promise was completed twice, or after its future was cancelled.
    case alreadyCompleted

    public var description: String {
        switch self {
        case .cancelled: return "the work was cancelled"
        case .timeout: return "timed out"
        case .broken(let why): return "the pool is broken: a worker initializer failed: \(why)"
        case .shutdown: return "the pool is shut down"
        case .alreadyCompleted: return "the future is already completed"
        }
    }
}
