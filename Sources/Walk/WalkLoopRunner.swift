/// Runs a walk's worker loops in parallel and returns when all of them have returned.
/// The seam that lets a walk run on the caller's pool (`ThreadPoolExecutor` conforms) or
/// on threads of its own (`WalkThreads`).
public protocol WalkLoopRunner: Sendable {
    /// Calls `loop(i)` for i in 0..<count, concurrently, and waits for all calls to return.
    /// A loop that starts late (a busy pool) finds no work and returns at once, so a pool
    /// with fewer free workers than `count` only lowers the parallelism.
    func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void)
}
