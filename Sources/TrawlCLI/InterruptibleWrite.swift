#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// How a write to stdout, stderr or an output file ended.
enum WriteOutcome: Equatable {
    case written
    /// EPIPE: the reader went away (SIGPIPE is ignored). A quiet stop, as in ripgrep.
    case brokenPipe
    /// Any other error (ENOSPC, EIO, ...): the caller reports it and exits 2.
    case failed(Int32)
    /// The run was interrupted and the write could not finish: the reader stalled.
    case abandoned
}

/// Writes that finish, fail with a reason, or give up once an interrupted run must exit.
///
/// SIGINT and SIGTERM are blocked in every thread (`SignalWatcher`), so nothing interrupts a
/// write(2) to a pipe nobody reads: the first signal would wait forever behind it. After the
/// signal, `SignalWatcher` calls `abandonBlockedWrites` (after a grace period that lets a
/// working reader take the last records whole) and again every few milliseconds; each call
/// sends `kickSignal` to the threads inside a write here, whose write then returns EINTR
/// and gives up. The repeated kicks cover a thread that registers just after a kick.
///
/// EAGAIN (a non-blocking stdout, set by whoever shares the file description) is waited out
/// with poll(2), in slices short enough to notice the abandonment.
///
/// Thread-safe: any thread may write; the registry of writing threads is behind a mutex.
enum InterruptibleWrite {
    /// Interrupts a blocked write: ignored by default, so a stray one does no harm.
    static let kickSignal = SIGURG

    private static let writers = Mutex<[pthread_t]>([])
    private static let abandoning = Atomic<Bool>(false)

    /// Installs the no-op handler for `kickSignal`, without SA_RESTART so a blocked write
    /// returns EINTR. Called once, by `SignalWatcher`, before any thread writes.
    static func installKickHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(kickSignal, &action, nil)
    }

    /// True once an interrupted run gave up waiting on its output.
    static var isAbandoning: Bool { abandoning.load(ordering: .acquiring) }

    /// From now on, blocked writes give up: kicks every thread inside one. Call repeatedly.
    static func abandonBlockedWrites() {
        abandoning.store(true, ordering: .releasing)
        writers.withLock { threads in
            for thread in threads { pthread_kill(thread, kickSignal) }
        }
    }

    /// Runs a blocking call (a write, the open of a FIFO with no reader yet) where
    /// `abandonBlockedWrites` can interrupt it.
    static func interruptible<T>(_ body: () -> T) -> T {
        let me = pthread_self()
        writers.withLock { $0.append(me) }
        defer {
            writers.withLock { threads in
                if let index = threads.lastIndex(of: me) { threads.remove(at: index) }
            }
        }
        return body()
    }

    /// Writes all of `bytes` to `fd`.
    static func all(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteOutcome {
        guard var next = bytes.baseAddress, !bytes.isEmpty else { return .written }
        var left = bytes.count
        return interruptible {
            while left > 0 {
                let written = write(fd, next, left)
                if written >= 0 {
                    next += written
                    left -= written
                    continue
                }
                switch errno {
                case EINTR:
                    // A kick with no byte written: the reader is stalled. (A kick during a
                    // write that made progress returns the count instead, and writing goes on.)
                    if isAbandoning { return .abandoned }
                case EAGAIN:
                    if !waitUntilWritable(fd) { return .abandoned }
                case EPIPE:
                    return .brokenPipe
                case let code:
                    return .failed(code)
                }
            }
            return .written
        }
    }

    /// poll(2) for room on a non-blocking descriptor; false when the run gave up meanwhile.
    private static func waitUntilWritable(_ fd: Int32) -> Bool {
        while !isAbandoning {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            // 50 ms slices: the kick interrupts poll too, the slice is a backstop.
            if poll(&poller, 1, 50) > 0 { return true }
        }
        return false
    }
}
