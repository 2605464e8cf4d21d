#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Platform
import Synchronization
import WorkerPool

/// Ctrl-C and SIGTERM, turned into a cancelled token instead of an exit() in the middle of
/// a write: SIGINT and SIGTERM are blocked in every thread and one thread waits for them
/// with sigwait. The first one cancels `token` (pending futures are dropped, running
/// reads stop at their next buffer, complete records are flushed whole, the command
/// returns); a second one exits at once. A write still blocked 100 ms after the first (a
/// stalled reader) is given up (`InterruptibleWrite`), so the run still ends.
///
/// SIGHUP and SIGQUIT end the run at once, as their default actions do, but first remove
/// the temporary files (`TemporaryFiles`); so does the second Ctrl-C.
final class SignalWatcher: Sendable {
    let token = CancellationToken()
    private let received = Atomic<Int32>(0)

    /// Time for the last records to reach a reader that is still reading; the bound
    /// from the first signal to the exit is 250 ms.
    static let abandonGraceNanoseconds: Int = 100_000_000
    /// How often a thread blocked in a write is kicked once writes are abandoned.
    static let kickIntervalNanoseconds: Int = 20_000_000

    /// The signal that stopped the run, if any.
    var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Must run before any other thread starts, so every thread inherits the mask.
    init() {
        InterruptibleWrite.installKickHandler()
        var set = Self.watched
        pthread_sigmask(SIG_BLOCK, &set, nil)
        (try? NamedThread(name: "trawl-signals") { [self] in watch() })?.detach()
    }

    /// The signals the watcher takes. One ignored when trawl started (nohup's SIGHUP, a
    /// background job's SIGINT) stays ignored: a blocked, ignored signal is discarded.
    private static var watched: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&set, number) }
        return set
    }

    fileprivate func watch() {
        var set = Self.watched
        while true {
            var number: Int32 = 0
            if received.load(ordering: .acquiring) == 0 {
                guard sigwait(&set, &number) == 0 else { continue }
            } else {
                // Interrupted: wait for a second signal while kicking stalled writes.
                let nanoseconds = InterruptibleWrite.isAbandoning ? Self.kickIntervalNanoseconds : Self.abandonGraceNanoseconds
                var wait = timespec(tv_sec: 0, tv_nsec: nanoseconds)
                number = sigtimedwait(&set, nil, &wait)
                if number < 0 {
                    if errno == EAGAIN { InterruptibleWrite.abandonBlockedWrites() }
                    continue
                }
            }
            if number == SIGHUP || number == SIGQUIT { Self.endBySignal(number) }
            if received.load(ordering: .acquiring) != 0 {
                // The second Ctrl-C: the user wants out now.
                TemporaryFiles.removeAllForExit()
                _exit(128 + number)
            }
            received.store(number, ordering: .releasing)
            token.cancel()
        }
    }

    /// Removes the temporary files, then dies by `number` with its default action (a
    /// core dump for SIGQUIT where allowed), so the parent sees what killed trawl.
    private static func endBySignal(_ number: Int32) -> Never {
        TemporaryFiles.removeAllForExit()
        Glibc.signal(number, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, number)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(number)
        _exit(128 + number)
    }
}
