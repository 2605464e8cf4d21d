#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// The real `trawl` binary run as a child process, for tests that need what only a process
/// has: signals, exit statuses, pipes that fill up or break, another user's permissions.
///
/// stdout is a pipe the test reads at its own pace (or stops reading, or closes); stderr
/// goes to a temporary file so a chatty child never blocks on it; stdin is /dev/null, a
/// pipe the test writes (`stdinPipe: true`), or a file.
/// Not thread-safe: one test thread drives one child.
final class ChildProcess {
    let pid: pid_t
    private(set) var stdoutFD: Int32
    private(set) var stdinFD: Int32
    private let stderrPath: String
    private(set) var stdout: [UInt8] = []
    private(set) var exitStatus: Int32?
    /// When the child was seen to have exited (by `wait`).
    private(set) var exitedAt: ContinuousClock.Instant?
    let startedAt: ContinuousClock.Instant

    /// The `trawl` executable: `TRAWL_BINARY`, else the one SwiftPM built beside this
    /// test bundle (`.build/<config>/trawl`).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["TRAWL_BINARY"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // The bundle is an executable on Linux (`trawlPackageTests.xctest`), or a directory on macOS.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("trawl").path
    }

    /// Fails the test (skips it) when the binary was not built.
    static func requireBinary() throws {
        guard access(binary, X_OK) == 0 else {
            throw XCTSkip("\(binary) not built: run `swift build --product trawl` first")
        }
    }

    /// A prefix that runs the child as `nobody` (we run as root, who reads everything),
    /// or nil when that is impossible here.
    static var asNobody: [String]? {
        guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0 else { return nil }
        return ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
    }

    /// A prefix that runs the child in `directory` (posix_spawn's addchdir needs _GNU_SOURCE).
    static func inDirectory(_ directory: String) -> [String] {
        ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory]
    }

    /// Starts `trawl arguments...` (paths absolute: the child runs in our directory). `prefix` runs it through another
    /// program (setpriv). `stdinPath` opens a file as stdin; `stdinPipe` gives a pipe.
    /// `stdoutNonBlocking` sets O_NONBLOCK on the stdout pipe (writes may fail with EAGAIN).
    init(_ arguments: [String], prefix: [String] = [],
         stdinPath: String? = nil, stdinPipe: Bool = false, stdoutTerminal: Bool = false,
         stdoutNonBlocking: Bool = false, environment: [String: String] = [:]) throws {
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
        if stdinPipe { guard makePipe(&inPipe) else { throw ChildError.spawn(errno) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdinPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)

        // Default dispositions and an empty mask, whatever XCTest set up for itself.
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

        var environmentList = ProcessInfo.processInfo.environment
        environmentList["NO_COLOR"] = "1"
        for (key, value) in environment { environmentList[key] = value }
        let argv = prefix + [Self.binary] + arguments
        var childPID: pid_t = 0
        let result = withCStrings(argv) { cArgv in
            withCStrings(environmentList.map { "\($0.key)=\($0.value)" }) { cEnvironment in
                posix_spawn(&childPID, argv[0], &actions, &attributes, cArgv, cEnvironment)
            }
        }
        close(outPipe[1])
        if stdinPipe { close(inPipe[0]) }
        guard result == 0 else {
            close(outPipe[0])
            if stdinPipe { close(inPipe[1]) }
            throw ChildError.spawn(result)
        }
        pid = childPID
        stdoutFD = outPipe[0]
        stdinFD = stdinPipe ? inPipe[1] : -1
        startedAt = .now
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

    /// Runs to the end, reading all of stdout; kills the child after `timeout`.
    static func run(_ arguments: [String], prefix: [String] = [],
                    stdinPath: String? = nil, timeout: Duration = .seconds(30)) throws -> ChildProcess {
        let child = try ChildProcess(arguments, prefix: prefix, stdinPath: stdinPath)
        child.readToEnd(timeout: timeout)
        try child.wait(timeout: timeout)
        return child
    }

    /// Runs a system tool (not trawl) to its end; returns its exit status.
    @discardableResult
    static func runTool(_ arguments: [String]) throws -> Int32 {
        var childPID: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(["PATH=/usr/bin:/bin"]) { environment in posix_spawn(&childPID, arguments[0], nil, nil, argv, environment) }
        }
        guard result == 0 else { throw ChildError.spawn(result) }
        var status: Int32 = 0
        waitpid(childPID, &status, 0)
        return (status >> 8) & 0xff
    }

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
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
                throw ChildError.timedOut(timeout)
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
    static func runSamplingPeak(_ arguments: [String], stdinPath: String? = nil) throws -> (ChildProcess, peakKiB: Int?) {
        let child = try ChildProcess(arguments, stdinPath: stdinPath)
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
    case timedOut(Duration)

    var description: String {
        switch self {
        case .spawn(let code): return "spawn failed: \(String(cString: strerror(code)))"
        case .timedOut(let limit): return "child still running after \(limit); killed"
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

/// A temporary directory for one test, removed by `remove()`.
struct TemporaryTree {
    let path: String

    /// tmpfs when there is one: creating 30,000 files took 24 s on this VM's ext4 (with
    /// other builds running) against 1.2 s in /dev/shm.
    static let scratchRoot: String = {
        if access("/dev/shm", W_OK) == 0 { return "/dev/shm/" }
        return NSTemporaryDirectory()
    }()

    init(_ label: String) {
        var template = Array((Self.scratchRoot + "trawl-\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = made.map { String(cString: $0) } ?? Self.scratchRoot + "trawl-\(label)-\(UUID().uuidString)"
        if made == nil { mkdir(path, 0o755) }
    }

    /// Removes the tree with `rm -rf`, which (unlike FileManager) copes with paths longer
    /// than PATH_MAX and folders left unreadable.
    func remove() {
        _ = try? ChildProcess.runTool(["/bin/rm", "-rf", path])
    }

    /// Writes `contents` at `relative` (folders made as needed) with open/write: fast
    /// enough for 50,000 files.
    @discardableResult
    func write(_ relative: String, _ contents: [UInt8]) -> String {
        let full = path + "/" + relative
        if let slash = relative.lastIndex(of: "/") {
            makeDirectories(path + "/" + relative[..<slash])
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "cannot create \(full): \(String(cString: strerror(errno)))")
        contents.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                precondition(written > 0)
                offset += written
            }
        }
        close(fd)
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    func makeDirectories(_ full: String) {
        if mkdir(full, 0o755) == 0 || errno == EEXIST { return }
        if let slash = full.lastIndex(of: "/") {
            makeDirectories(String(full[..<slash]))
            mkdir(full, 0o755)
        }
    }
}

/// Checks that grep output in `path:line:text` form consists of whole lines, each one a
/// line the full run prints, none twice.
func assertWholeLines(_ output: [UInt8], allowed: Set<String>, file: StaticString = #filePath, line: UInt = #line) {
    if let last = output.last {
        XCTAssertEqual(last, 10, "output ends in the middle of a line", file: file, line: line)
    }
    var seen = Set<String>()
    for piece in output.split(separator: 10) {
        let text = String(decoding: piece, as: UTF8.self)
        XCTAssertTrue(allowed.contains(text), "not a line of the full output: \(text.prefix(200))", file: file, line: line)
        XCTAssertTrue(seen.insert(text).inserted, "printed twice: \(text)", file: file, line: line)
    }
}

/// A generated tree of many small files, made once per test process and removed at exit:
/// `d000/f00000.txt` ... in `directories` folders of `perDirectory` files. File `i` holds
/// `alpha i`, `needle i one`, `beta`, `needle i two`, then `padding` lines of filler.
struct BigTree: Sendable {
    let path: String
    let files: Int
    let directories: Int

    static let shared = BigTree(directories: 100, perDirectory: 300)

    init(directories: Int, perDirectory: Int) {
        let tree = TemporaryTree("big")
        self.path = tree.path
        self.files = directories * perDirectory
        self.directories = directories
        for d in 0..<directories {
            tree.makeDirectories(tree.path + "/" + Self.directoryName(d))
            for f in 0..<perDirectory {
                let i = d * perDirectory + f
                tree.write(Self.relativePath(i, perDirectory: perDirectory), Self.contents(i))
            }
        }
        BigTree.removeAtExit(path)
    }

    static func directoryName(_ d: Int) -> String { "d" + pad(d, 3) }
    static func relativePath(_ i: Int, perDirectory: Int) -> String {
        directoryName(i / perDirectory) + "/f" + pad(i, 5) + ".txt"
    }
    static func contents(_ i: Int) -> String { "alpha \(i)\nneedle \(i) one\nbeta\nneedle \(i) two\n" }

    /// The lines `trawl grep -n needle ROOT` prints for the whole tree, `ROOT/...:2:needle i one`.
    func grepLines(root: String) -> Set<String> {
        var lines = Set<String>()
        let perDirectory = files / directories
        for i in 0..<files {
            let file = root + "/" + Self.relativePath(i, perDirectory: perDirectory)
            lines.insert("\(file):2:needle \(i) one")
            lines.insert("\(file):4:needle \(i) two")
        }
        return lines
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func removeAtExit(_ path: String) {
        removalLock.lock()
        pathsToRemove.append(path)
        removalLock.unlock()
        atexit {
            removalLock.lock()
            for path in pathsToRemove { _ = try? FileManager.default.removeItem(atPath: path) }
            pathsToRemove = []
            removalLock.unlock()
        }
    }
}

private let removalLock = NSLock()
// Guarded by removalLock.
nonisolated(unsafe) private var pathsToRemove: [String] = []
