import Platform

/// Runs loop 0 on the calling thread and the others on threads of their own.
public struct WalkThreads: WalkLoopRunner {
    public init() {}

    public func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void) {
        // No thread to be had: the loops on the threads we have do the work.
        let threads = (1..<max(count, 1)).compactMap { index in try? NamedThread(name: "trawl-walk") { loop(index) } }
        loop(0)
        for thread in threads { thread.join() }
    }
}
