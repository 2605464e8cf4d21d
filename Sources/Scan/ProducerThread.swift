import Platform

/// A thread of its own for the producer side, so the consumer keeps the calling thread and
/// the pool's workers stay free for jobs (with -j1 a producer on the pool would starve them);
/// also `PipelinedReader`'s reading thread.
@usableFromInline
final class ProducerThread: Sendable {
    private let thread: NamedThread?

    /// `name` is the thread's OS-visible name (Linux keeps 15 bytes). With no thread to be
    /// had, `body` runs here, before init returns.
    @usableFromInline
    init(name: String = "trawl-walk", _ body: @escaping @Sendable () -> Void) {
        thread = try? NamedThread(name: name, body)
        if thread == nil { body() }
    }

    @usableFromInline
    func join() { thread?.join() }
}
