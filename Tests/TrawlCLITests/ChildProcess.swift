#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// What the child reads on stdin.
enum ChildInput {
    /// /dev/null: a character device, so `grep` walks instead of searching stdin.
    case null
    /// A pipe fed with these bytes while the output is read (`runToEnd`), then closed.
    case bytes([UInt8])
    /// A regular file opened for reading.
    case file(String)
    /// A pipe the test writes itself (`writeStdin`, `closeStdin`).
    case pipe
}

/// A child process (the real `trawl` binary, or a tool) for the CLI tests: the one place
/// they spawn anything. Short runs go through `runToEnd` (`BinaryRunner.run`,
/// `TrawlTestCase.trawl`); tests that need what only a process has drive it step by step:
/// signals, exit statuses, pipes that fill up or break, a terminal, another user.
///
/// stdout is a pipe (or a pseudo-terminal) the test reads at its own pace, or stops
/// reading, or closes; stderr goes to a temporary file so a chatty child never blocks on
/// it. Signals start at their default dispositions with an empty mask, whatever XCTest set
/// up for itself; no descriptor of ours beyond the three reaches it.
/// Not thread-safe: one test thread drives one child.
final class ChildProcess {
    let pid: pid_t
    private(set) var stdoutFD: Int32
    private(set) var stdinFD: Int32
    private let stderrPath: String
    private(set) var stdout: [UInt8] = []
    /// Bytes `.bytes` input still has to write to the child's stdin.
    private var pendingInput: ArraySlice<UInt8> = []
    private(set) var exitStatus: Int32?
    /// When the child was seen to have exited (by `wait`).
    private(set) var exitedAt: ContinuousClock.Instant?
    let startedAt: ContinuousClock.Instant
    /// The command line, for messages.
    let commandLine: String

    /// Fails the test when the binary was not built (`BinaryRunner.trawlPath`).
    static func requireBinary() throws {
        _ = try BinaryRunner.trawlPath()
    }

    /// A prefix that runs the child as `nobody` (we run as root, who reads everything),
    /// or nil when that is impossible here.
    static var asNobody: [String]? {
        guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0 else { return nil }
        return ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
    }

    /// Starts `trawl arguments...` with this process's environment plus NO_COLOR and
    /// `environment`, in this process's directory unless `directory` is given. `prefix`
    /// runs it through another program (setpriv).
    /// `stdoutNonBlocking` sets O_NONBLOCK on the stdout pipe (writes may fail with EAGAIN).
    convenience init(_ arguments: [String], prefix: [String] = [], directory: String? = nil,
                     stdin input: ChildInput = .null, stdoutTerminal: Bool = false,
                     stdoutNonBlocking: Bool = false, environment extra: [String: String] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        let argv = prefix + [try BinaryRunner.trawlPath()] + arguments
        try self.init(executable: argv[0], arguments: Array(argv.dropFirst()), directory: directory,
                      environment: environment, stdin: input, stdoutTerminal: stdoutTerminal,
                      stdoutNonBlocking: stdoutNonBlocking)
    }

    /// Starts `executable arguments...` with exactly `environment`, in `directory` (else ours).
    init(executable: String, arguments: [String], directory: String? = nil, environment: [String: String],
         stdin input: ChildInput = .null, stdoutTerminal: Bool = false, stdoutNonBlocking: Bool = false) throws {
        signal(SIGPIPE, SIG_IGN)
        stderrPath = NSTemporaryDirectory() + "trawl-child-stderr-\(getpid())-\(UUID().uuidString)"
        var outPipe: [Int32] = [0, 0]
        var inPipe: [Int32] = [-1, -1]
        if stdoutTerminal {
            // A pseudo-terminal in raw mode: trawl sees a tty (and flushes each record).
            // posix_openpt and friends need _GNU_SOURCE: the same through /dev/ptmx ioctls
            // (TIOCSPTLCK unlocks, TIOCGPTN names /dev/pts/N).
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            var unlock: Int32 = 0
            var number: Int32 = 0
            guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
                throw ChildError.spawn(errno)
            }
            let replica = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard replica >= 0 else { throw ChildError.spawn(errno) }
            var settings = termios()
            tcgetattr(replica, &settings)
            cfmakeraw(&settings)
            tcsetattr(replica, TCSANOW, &settings)
            outPipe = [master, replica]
        } else {
            guard makePipe(&outPipe) else { throw ChildError.spawn(errno) }
            if stdoutNonBlocking { _ = fcntl(outPipe[1], F_SETFL, fcntl(outPipe[1], F_GETFL) | O_NONBLOCK) }
        }
        var stdinPath = "/dev/null"
        switch input {
        case .null: break
        case .file(let path): stdinPath = path
        case .bytes(let bytes):
            pendingInput = bytes[...]
            guard makePipe(&inPipe) else { throw ChildError.spawn(errno) }
            // Ours only (the child's end is another open file description): `runToEnd`
            // feeds the pipe between reads and must never block on a child that stopped reading.
            _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        case .pipe:
            guard makePipe(&inPipe) else { throw ChildError.spawn(errno) }
        }
        let stdinPiped = inPipe[0] >= 0

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdinPiped {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        // Descriptors of ours that are not close-on-exec (Dispatch's, XCTest's) would leak
        // into the child and change what `ulimit -n` leaves it: closed there.
        for fd in Self.inheritableDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // posix_spawn_file_actions_addchdir_np needs _GNU_SOURCE: a shell changes directory
        // and execs the program in its place (same pid, same descriptors).
        let changingDirectory = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] } ?? []
        let argv = changingDirectory + [executable] + arguments
        commandLine = ([executable] + arguments).joined(separator: " ")
        var childPID: pid_t = 0
        let result = withCStrings(argv) { cArgv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { cEnvironment in
                posix_spawn(&childPID, argv[0], &actions, &attributes, cArgv, cEnvironment)
            }
        }
        close(outPipe[1])
        if stdinPiped { close(inPipe[0]) }
        guard result == 0 else {
            close(outPipe[0])
            if stdinPiped { close(inPipe[1]) }
            throw ChildError.spawn(result)
        }
        pid = childPID
        stdoutFD = outPipe[0]
        stdinFD = stdinPiped ? inPipe[1] : -1
        startedAt = .now
    }

    /// This process's open descriptors without FD_CLOEXEC.
    private static func inheritableDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { fd in
            let flags = fcntl(fd, F_GETFD)
            return flags >= 0 && flags & FD_CLOEXEC == 0
        }
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if stdoutFD >= 0 { close(stdoutFD) }
        if stdinFD >= 0 { close(stdinFD) }
        unlink(stderrPath)
    }

    /// Runs `trawl arguments...` to the end, reading all of stdout; kills the child after `timeout`.
    static func run(_ arguments: [String], prefix: [String] = [], directory: String? = nil,
                    stdin input: ChildInput = .null, timeout: Duration = .seconds(30)) throws -> ChildProcess {
        let child = try ChildProcess(arguments, prefix: prefix, directory: directory, stdin: input)
        try child.runToEnd(timeout: timeout)
        return child
    }

    /// Runs a system tool (not trawl) to its end; returns its exit status.
    @discardableResult
    static func runTool(_ arguments: [String]) throws -> Int32 {
        let child = try ChildProcess(executable: arguments[0], arguments: Array(arguments.dropFirst()),
                                     environment: ["PATH": "/usr/bin:/bin"])
        try child.runToEnd(timeout: .seconds(120))
        return child.exitStatus!
    }

    /// Feeds `.bytes` input, reads stdout to its end and waits for the exit; past `timeout`
    /// the child is killed and `ChildError.timedOut` thrown.
    func runToEnd(timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        if pendingInput.isEmpty { closeStdin() }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while stdoutFD >= 0 && ContinuousClock.now < deadline {
            var pollers = [pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)]
            if stdinFD >= 0 { pollers.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            guard poll(&pollers, nfds_t(pollers.count), 200) >= 0 || errno == EINTR else { break }
            if pollers.count > 1 && pollers[1].revents != 0 { feedStdin() }
            guard pollers[0].revents != 0 else { continue }
            let got = chunk.withUnsafeMutableBytes { Glibc.read(stdoutFD, $0.baseAddress, $0.count) }
            if got < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if got <= 0 { break }  // end of output (a pty's master reads EIO once the child is gone)
            stdout.append(contentsOf: chunk[..<got])
        }
        closeStdin()
        try wait(timeout: max(deadline - .now, .zero))
    }

    /// Writes what the pipe takes of the pending input; closes stdin when all is written
    /// or the child closed its end (EPIPE: it may exit without reading everything).
    private func feedStdin() {
        let written = pendingInput.withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
        if written > 0 { pendingInput = pendingInput.dropFirst(written) }
        if pendingInput.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) { closeStdin() }
    }

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// What the child wrote to stderr so far, byte for byte.
    var stderr: [UInt8] { (try? Data(contentsOf: URL(fileURLWithPath: stderrPath))).map { [UInt8]($0) } ?? [] }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var stdoutLines: [String] {
        var lines = stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func send(_ number: Int32) {
        kill(pid, number)
    }

    /// Reads whatever arrives within `timeout`; returns the bytes read by this call
    /// (empty at end of output or on timeout).
    @discardableResult
    func readSome(timeout: Duration = .seconds(10)) -> [UInt8] {
        guard stdoutFD >= 0 else { return [] }
        var poller = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        guard ready > 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let got = chunk.withUnsafeMutableBytes { Glibc.read(stdoutFD, $0.baseAddress, $0.count) }
        guard got > 0 else { return [] }  // a pty's master reads EIO once the child is gone
        stdout.append(contentsOf: chunk[..<got])
        return Array(chunk[..<got])
    }

    /// Reads until stdout holds at least `count` bytes (or `byte` appears), the output
    /// ends, or `timeout` passes. True when the condition was met.
    @discardableResult
    func read(until condition: ([UInt8]) -> Bool, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition(stdout) {
            let left = deadline - .now
            if left <= .zero { return false }
            let isOpen = isStdoutOpen
            if readSome(timeout: min(left, .milliseconds(200))).isEmpty && !isOpen { return false }
        }
        return true
    }

    private var isStdoutOpen: Bool {
        var poller = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
        return !(poll(&poller, 1, 0) > 0 && poller.revents & Int16(POLLHUP) != 0 && poller.revents & Int16(POLLIN) == 0)
    }

    /// Reads stdout to its end (EOF) or until `timeout`.
    func readToEnd(timeout: Duration = .seconds(60)) {
        guard stdoutFD >= 0 else { return }
        let deadline = ContinuousClock.now + timeout
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) >= 0 || errno == EINTR else { return }
            if poller.revents == 0 { continue }
            let got = chunk.withUnsafeMutableBytes { Glibc.read(stdoutFD, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { return }
            stdout.append(contentsOf: chunk[..<got])
        }
    }

    /// Closes the read end of stdout: the child's next write gets EPIPE.
    func closeStdout() {
        if stdoutFD >= 0 { close(stdoutFD) }
        stdoutFD = -1
    }

    /// Writes to the child's stdin pipe; false when the child closed it (EPIPE).
    @discardableResult
    func writeStdin(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(stdinFD, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 { if errno == EINTR { continue }; return false }
                offset += written
            }
            return true
        }
    }

    func closeStdin() {
        if stdinFD >= 0 { close(stdinFD) }
        stdinFD = -1
    }

    /// True once the child has exited (sets `exitStatus`); never waits, never kills.
    var hasExited: Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, WNOHANG, &usage) == pid else { return false }
        record(status, usage)
        return true
    }

    /// CPU time (user + system) the child used, known once it exited: a measure of work
    /// done that a busy machine disturbs far less than wall-clock time.
    private(set) var cpuSeconds: Double?

    private func record(_ status: Int32, _ usage: rusage) {
        cpuSeconds = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        exitedAt = .now
        let signalled = status & 0x7f
        // Killed by a signal: negative, so it never passes for a deliberate exit(130).
        exitStatus = signalled == 0 ? (status >> 8) & 0xff : -signalled
    }

    /// Waits for the exit; kills the child and throws after `timeout`.
    /// Sets `exitStatus` to the exit code, or minus the signal that killed it.
    func wait(timeout: Duration = .seconds(60)) throws {
        if exitStatus != nil { return }
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            var usage = rusage()
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { return record(status, usage) }
            if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                exitStatus = -SIGKILL
                throw ChildError.timedOut(timeout, commandLine)
            }
            usleep(2_000)
        }
    }

    /// The child's resident set in KiB (from /proc), nil once it exited.
    var residentKiB: Int? { procField("status", "VmRSS:").flatMap { Int($0) } }

    /// The child's peak resident set so far in KiB (VmHWM of its own address space).
    /// Not ru_maxrss: posix_spawn's child shares the parent's memory until exec, so that
    /// counts the test process's peak too.
    var peakResidentKiB: Int? { procField("status", "VmHWM:").flatMap { Int($0) } }

    /// Runs to the end (small outputs only: stdout is read after the exit), sampling the
    /// peak resident set every millisecond; the last sample is taken just before the exit.
    static func runSamplingPeak(_ arguments: [String], stdin input: ChildInput = .null) throws -> (ChildProcess, peakKiB: Int?) {
        let child = try ChildProcess(arguments, stdin: input)
        var peak: Int? = nil
        while !child.hasExited {
            if let sample = child.peakResidentKiB { peak = max(peak ?? 0, sample) }
            usleep(1000)
        }
        child.readToEnd()
        return (child, peak)
    }

    /// Bytes the child has read with read(2) and friends so far (/proc/PID/io `rchar`).
    var bytesRead: Int? { procField("io", "rchar:").flatMap { Int($0) } }

    /// True while a signal sent to the process waits to be taken (by sigwait).
    func isPending(_ number: Int32) -> Bool {
        guard let mask = procField("status", "ShdPnd:").flatMap({ UInt64($0, radix: 16) }) else { return false }
        return mask & (1 << UInt64(number - 1)) != 0
    }

    /// Waits until the child has taken `number` (at most `timeout`).
    func waitUntilTaken(_ number: Int32, timeout: Duration = .seconds(5)) {
        let deadline = ContinuousClock.now + timeout
        while isPending(number) && ContinuousClock.now < deadline { usleep(1_000) }
    }

    private func procField(_ file: String, _ key: String) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }
        return nil
    }
}

enum ChildError: Error, CustomStringConvertible {
    case spawn(Int32)
    case timedOut(Duration, String)

    var description: String {
        switch self {
        case .spawn(let code): return "spawn failed: \(String(cString: strerror(code)))"
        case .timedOut(let limit, let commandLine): return "still running after \(limit) and killed: \(commandLine)"
        }
    }
}

/// pipe2 needs _GNU_SOURCE: pipe, then close-on-exec on both ends (the child gets its
/// copies through dup2, which clears the flag).
private func makePipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    return true
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
