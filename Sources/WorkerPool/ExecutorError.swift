#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// What can go wrong when submitting work or reading a future's outcome.
public enum ExecutorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The future was cancelled before its work started (or its promise was dropped).
    case cancelled
    /// A bounded wait (`result(timeout:)`, `wait`, `completed`, `map`) ran out of time with
    /// `unfinished` of the `of` futures it waited for not done (Python's message:
    /// "2 (of 4) futures unfinished").
    case timeout(unfinished: Int, of: Int)
    /// A worker's initializer threw: the pool runs nothing more.
    case broken(String)
    /// The pool was shut down: it takes no new work.
    case shutdown
    /// The process is exiting (the exit hook shut the pools down): no new work is taken.
    case processExiting
    /// The pool has no thread and the system would give it none (`pthread_create` failed,
    /// e.g. under `ulimit -u`): the work was not queued.
    case cannotStartThread(String)
    /// A promise was completed twice, or after its future was cancelled.
    case alreadyCompleted

    /// A message a user can act on, as Python's exceptions give.
    public var description: String {
        switch self {
        case .cancelled: return "the work was cancelled"
        case .timeout(let unfinished, let total): return "\(unfinished) (of \(total)) futures unfinished"
        case .broken(let why): return "the pool is broken: a worker initializer failed: \(why)"
        case .shutdown: return "the pool is shut down"
        case .processExiting: return "cannot schedule new futures after the process began exiting"
        case .cannotStartThread(let why): return "the pool has no thread to run the work: \(why)"
        case .alreadyCompleted: return "the future is already completed"
        }
    }
}

/// Where errors thrown by `whenDone` callbacks go.
enum CallbackErrors {
    private static let handler = ConditionLockBox<(@Sendable (any Error, String) -> Void)?>(nil)

    static func report(_ error: any Error, future: String) {
        if let handler = handler.value {
            handler(error, future)
        } else {
            var line = "WorkerPool: exception calling callback for \(future): \(type(of: error)): \(error)\n"
            line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
        }
    }

    static func setHandler(_ new: (@Sendable (any Error, String) -> Void)?) {
        handler.value = new
    }

    static var currentHandler: (@Sendable (any Error, String) -> Void)? { handler.value }
}
