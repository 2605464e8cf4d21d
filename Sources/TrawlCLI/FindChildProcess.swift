#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import WorkerPool

/// The child processes of `find -x`/`-X`: spawned with posix_spawnp (vfork-based, no page
/// table copy per command), with the signal mask and dispositions trawl changed for itself
/// (SIGINT/SIGTERM blocked, SIGPIPE ignored) restored, so a child behaves as from a shell.
///
/// Thread-safety: `run` may be called from many threads at once; `terminateAll` from any.
final class FindChildProcesses: Sendable {
    private struct State {
        var running: [pid_t: Bool] = [:]  // pid -> in its own process group
        var stopping = false
    }
    private let state = Mutex(State())
    /// Close-on-exec pipes, made atomically: a child spawned by another thread at the same
    /// moment must not inherit this command's write end (the reader would wait for that
    /// child's exit). pipe2 is declared only under _GNU_SOURCE, which Swift's Glibc module
    /// leaves out, so it is looked up once at run time (glibc and musl both have it).
    private static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32)? =
        dlsym(nil, "pipe2").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32).self) }

    private func makePipe(_ fds: inout [Int32]) -> Bool {
        if let pipe2 = Self.pipe2 { return pipe2(&fds, O_CLOEXEC) == 0 }
        // No pipe2: the flag is set right after, with a window another spawn may hit.
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// What a finished child left: its exit status (128 + N when killed by signal N) and,
    /// when captured, its output.
    struct Outcome {
        var status: Int32
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
    }

    enum Failure: Error {
        /// posix_spawnp's error (ENOENT: no such command).
        case cannotStart(errno: Int32)
        /// trawl is stopping (Ctrl-C): nothing new starts.
        case stopped
    }

    /// Runs `words` (the program, then its arguments) to the end. `capture`: stdout and
    /// stderr are collected through pipes and stdin is /dev/null, and the child gets its
    /// own process group so Ctrl-C can stop it with everything it started; otherwise it
    /// shares trawl's terminal (stdin, stdout, stderr and process group).
    /// An uncaptured child is waited for in steps of up to 20 ms, so that `interrupt` (a signal
    /// sent to trawl alone, not to the terminal's process group) still stops it.
    func run(_ words: [[UInt8]], capture: Bool, interrupt: CancellationToken? = nil) -> Result<Outcome, Failure> {
        if state.withLock({ $0.stopping }) { return .failure(.stopped) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var restored = sigset_t()
        sigemptyset(&restored)
        for number in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&restored, number) }
        posix_spawnattr_setsigdefault(&attributes, &restored)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        if capture {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
            // Close-on-exec, so children spawned at the same time by other threads do not
            // hold these write ends open (the reader would never see the end).
            guard makePipe(&outPipe) else { return .failure(.cannotStart(errno: errno)) }
            guard makePipe(&errPipe) else {
                let code = errno
                close(outPipe[0]); close(outPipe[1])
                return .failure(.cannotStart(errno: code))
            }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { word in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: word.count + 1)
            for i in 0..<word.count { copy[i] = CChar(bitPattern: word[i]) }
            copy[word.count] = 0
            return copy
        }
        argv.append(nil)
        defer { for pointer in argv { pointer?.deallocate() } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, argv[0]!, &actions, &attributes, argv, environ)
        if capture {
            close(outPipe[1])
            close(errPipe[1])
        }
        guard spawned == 0 else {
            if capture { close(outPipe[0]); close(errPipe[0]) }
            return .failure(.cannotStart(errno: spawned))
        }
        let stopNow = state.withLock { state -> Bool in
            state.running[pid] = capture
            return state.stopping
        }
        if stopNow { kill(capture ? -pid : pid, SIGTERM) }
        var outcome = Outcome(status: 0)
        if capture {
            Self.drain(outPipe[0], errPipe[0], into: &outcome)
            close(outPipe[0])
            close(errPipe[0])
        }
        var status: Int32 = 0
        if capture || interrupt == nil {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        } else {
            var signalled = false
            // Short waits first: most batch commands end within milliseconds.
            var pause: UInt32 = 200
            while true {
                let done = waitpid(pid, &status, WNOHANG)
                if done == pid || (done < 0 && errno != EINTR) { break }
                if !signalled && interrupt?.isCancelled == true {
                    kill(pid, SIGTERM)
                    signalled = true
                }
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
        }
        state.withLock { _ = $0.running.removeValue(forKey: pid) }
        // The wait status: exit code in bits 8-15 when the low 7 bits (the signal) are 0.
        outcome.status = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .success(outcome)
    }

    /// Stops every running child (SIGTERM to its process group) and refuses new ones.
    func terminateAll() {
        let running = state.withLock { state -> [pid_t: Bool] in
            state.stopping = true
            return state.running
        }
        for (pid, ownGroup) in running { kill(ownGroup ? -pid : pid, SIGTERM) }
    }

    /// Reads both pipes to their ends (poll, so neither fills while the other is read).
    private static func drain(_ out: Int32, _ err: Int32, into outcome: inout Outcome) {
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0), pollfd(fd: err, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var open = 2
        while open > 0 {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let got = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if got > 0 {
                    if i == 0 { outcome.stdout.append(contentsOf: chunk[0..<got]) } else { outcome.stderr.append(contentsOf: chunk[0..<got]) }
                } else if got == 0 || (errno != EINTR && errno != EAGAIN) {
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
    }
}
