#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims

/// An OS thread with a name `top -H` and debuggers show (Linux keeps the first 15 bytes),
/// running one closure. Join it, or detach it when nothing waits for its end.
///
/// Thread-safety: `join` and `detach` once, from one thread; `isCurrent` from any.
public struct NamedThread: @unchecked Sendable {
    // A pthread_t is a plain handle, copied by value; pthread calls are the only use.
    private let handle: pthread_t

    /// Starts `body` on a new thread named `name`. Throws the `pthread_create` status when
    /// the system gives no thread (`EAGAIN` under `ulimit -u`): callers run with fewer.
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadStartError) {
        let context = Unmanaged.passRetained(ThreadStart(name: name, body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, namedThreadEntry, context)
        guard status == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(context).release()
            throw ThreadStartError(status: status)
        }
        self.handle = handle
    }

    /// Waits for the thread's closure to return.
    public func join() { pthread_join(handle, nil) }

    /// Lets the thread end on its own; its resources go when it does.
    public func detach() { pthread_detach(handle) }

    /// True when called on this thread.
    public var isCurrent: Bool { pthread_equal(handle, pthread_self()) != 0 }
}

/// `pthread_create` failed with `status` (an errno value).
public struct ThreadStartError: Error, CustomStringConvertible {
    public let status: Int32
    public init(status: Int32) { self.status = status }
    public var description: String { "cannot start a thread: \(String(cString: strerror(status)))" }
}

/// What a new thread needs: passed retained through pthread_create's argument.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// The C entry point of every named thread. A free function, so it is not actor-isolated
/// (a closure written in main.swift would be main-actor isolated and trap: DESIGN.md).
private func namedThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
    _ = trawl_set_thread_name(start.name)
    start.body()
    return nil
}
