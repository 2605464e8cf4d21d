import WorkerPool

/// Walk loops as tasks on the caller's pool: `walker.walk(roots:, runner: pool, ...)`.
///
/// Loop 0 runs on the calling thread, so the walk finishes even when every worker of the
/// pool is busy (or the caller is itself the pool's only worker); loops still queued when
/// the walk is over are cancelled rather than waited for. Submitting to a pool that was
/// shut down just leaves fewer loops.
extension ThreadPoolExecutor: WalkLoopRunner {
    public func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void) {
        var futures: [Future<Void>] = []
        for index in 1..<max(count, 1) {
            if let future = try? submit({ loop(index) }) { futures.append(future) }
        }
        loop(0)
        for future in futures where !future.cancel() {
            _ = try? future.result(timeout: nil)
        }
    }
}
