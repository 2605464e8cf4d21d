import Search
import WorkerPool

/// grep's pool as the threads a big file's pieces run on (`Searcher.search(...splittingOn:)`).
/// A piece no worker has started when the searching worker wants it is cancelled and
/// searched there: every worker may be waiting on pieces, none waits on a queued one.
/// A class: passed per file as `any PieceScheduler`, a struct was copied field by field.
final class PoolPieceScheduler: PieceScheduler {
    let pool: ThreadPoolExecutor
    let pieceCount: Int
    let cancellation: CancellationToken

    var isCancelled: Bool { cancellation.isCancelled }

    init(pool: ThreadPoolExecutor, pieceCount: Int, cancellation: CancellationToken) {
        self.pool = pool
        self.pieceCount = pieceCount
        self.cancellation = cancellation
    }

    func start<Result: Sendable>(_ piece: @escaping @Sendable () -> Result) -> (() -> Result?)? {
        // Where no thread can be started, the piece runs here at once (its claim is done).
        guard let future = try? pool.submitOrRunHere(piece) else { return nil }
        return { future.cancel() ? nil : try? future.result() }
    }
}
