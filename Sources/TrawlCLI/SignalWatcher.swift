#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization
import WorkerPool

/// Ctrl-C and SIGTERM, turned into a cancelled token instead of an exit() in the middle of
/// a write: SIGINT and SIGTERM are blocked in every thread and one thread waits for them
/// with sigwait. The first one cancels `token` (pending futures are dropped, running
/// reads stop at their next buffer, complete records are flushed whole, the command
/// returns); a second one exits at once.
final class SignalWatcher: Sendable {
    let token = CancellationToken()
    private let received = Atomic<Int32>(0)

    /// The signal that stopped the run, if any.
    var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Must run before any other thread starts, so every thread inherits the mask.
    init() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, signalThreadEntry, context) == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<SignalWatcher>.fromOpaque(context).release()
        }
    }

    fileprivate func watch() {
        _ = trawl_set_thread_name("trawl-signals")
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        while true {
            var number: Int32 = 0
            guard sigwait(&set, &number) == 0 else { continue }
            if received.load(ordering: .acquiring) != 0 {
                // The second Ctrl-C: the user wants out now.
                _exit(128 + number)
            }
            received.store(number, ordering: .releasing)
            token.cancel()
        }
    }
}

private func signalThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let watcher = Unmanaged<SignalWatcher>.fromOpaque(argument!).takeRetainedValue()
    watcher.watch()
    return nil
}
