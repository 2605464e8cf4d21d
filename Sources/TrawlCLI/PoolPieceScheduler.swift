import Search
import WorkerPool

/// grep's pool as the threads a big file's pieces run on (`Searcher.search(...splittingOn:)`).
/// A piece no worker has started when the searching worker wants it is cancelled and
/// searched there: every worker may be waiting on pieces, none waits on a queued one.
struct PoolPieceScheduler: PieceScheduler {
    let pool: ThreadPoolExecutor
    let pieceCount: Int
    let cancellation: CancellationToken

    var isCancelled: Bool { cancellation.isCancelled }

    func start<Result: Sendable>(_ piece: @escaping @Sendable () -> Result) -> (() -> Result?)? {
        // Where no thread can be started, the piece runs here at once (its claim is done).
        guard let future = try? pool.submitOrRunHere(piece) else { return nil }
        return { future.cancel() ? nil : try? future.result() }
    }
}
