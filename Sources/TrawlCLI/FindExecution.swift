#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import WorkerPool

/// One `-x`/`-X` command line: the program and its argument templates.
struct FindCommandLine: Sendable {
    let words: [FindTemplate]
    /// The program as typed, for messages.
    let program: String

    /// fd's rules: without a placeholder the path is appended (`{}`); a batch command takes
    /// at most one placeholder and its program must be fixed.
    init(_ words: [String], batch: Bool) throws(ArgumentError) {
        let flag = batch ? "--exec-batch" : "--exec"
        guard let first = words.first, !first.isEmpty else { throw .missingValue(flag) }
        var templates = words.map(FindTemplate.init)
        if batch {
            if templates[0].hasPlaceholders {
                throw .invalidValue(flag: flag, value: first, reason: "the first word must be a fixed program, not a placeholder")
            }
            if templates.reduce(0, { $0 + $1.placeholderCount }) > 1 {
                throw .invalidValue(flag: flag, value: words.joined(separator: " "), reason: "only one placeholder allowed for batch commands")
            }
        }
        if !templates.contains(where: \.hasPlaceholders) { templates.append(FindTemplate("{}")) }
        self.words = templates
        program = first
    }

    /// The words for one path (`-x`).
    func words(for path: [UInt8], separator: [UInt8]?) -> [[UInt8]] {
        words.map { $0.render(path, separator: separator) }
    }

    /// The words for many paths (`-X`): the placeholder word repeated for each.
    func words(for paths: ArraySlice<[UInt8]>, separator: [UInt8]?) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for word in words {
            if word.hasPlaceholders {
                for path in paths { result.append(word.render(path, separator: separator)) }
            } else {
                result.append(word.render([], separator: nil))
            }
        }
        return result
    }
}

/// Runs the commands of `-x` for each result on the worker pool and of `-X` once at the
/// end, printing each command's output whole under one lock, never interleaved.
///
/// Thread-safety: `submit` from any walking thread; `finish` from the thread that walked.
final class FindExecution: @unchecked Sendable {
    let perResult: [FindCommandLine]
    let batch: [FindCommandLine]
    let batchSize: Int
    let separator: [UInt8]?
    let nullSeparated: Bool
    let children = FindChildProcesses()
    let output: FindOutput
    private let pool: ThreadPoolExecutor?
    /// Commands submitted and not yet finished are at most `slots`: twice the workers keeps
    /// every worker fed, while a queue that short makes the pool hand out one command per
    /// worker (with a long queue a worker takes several at once, counted as running, and the
    /// other workers wait while it runs them one after another: -x true 1.9 s at -j 2 and
    /// -j 1 alike). A semaphore: the walking threads wait on it, the workers post it.
    private let window: UnsafeMutablePointer<sem_t>
    private let slots: Int
    private let batchPaths = Mutex<[[UInt8]]>([])
    private let failed = Atomic<Bool>(false)
    private let reported = Mutex<Set<String>>([])

    init(perResult: [FindCommandLine], batch: [FindCommandLine], batchSize: Int, threads: Int, separator: [UInt8]?,
         nullSeparated: Bool, output: FindOutput) {
        self.perResult = perResult
        self.batch = batch
        self.batchSize = batchSize
        self.separator = separator
        self.nullSeparated = nullSeparated
        self.output = output
        pool = perResult.isEmpty ? nil : ThreadPoolExecutor(maxWorkers: threads, name: "trawl-exec")
        slots = 2 * threads
        window = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        sem_init(window, 0, UInt32(slots))
    }

    deinit {
        sem_destroy(window)
        window.deallocate()
    }

    /// Takes a slot of the window; false when `interrupt` was cancelled first.
    private func acquireSlot(interrupt: CancellationToken) -> Bool {
        while true {
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            deadline.tv_nsec += 50_000_000
            if deadline.tv_nsec >= 1_000_000_000 { deadline.tv_sec += 1; deadline.tv_nsec -= 1_000_000_000 }
            if sem_timedwait(window, &deadline) == 0 { return true }
            if interrupt.isCancelled { return false }
        }
    }

    /// A result found by the walk: its commands go to the pool (`-x`; the walk waits while
    /// the window is full) or wait for the end (`-X`).
    func submit(_ path: [UInt8], interrupt: CancellationToken) {
        guard let pool else {
            batchPaths.withLock { $0.append(path) }
            return
        }
        guard acquireSlot(interrupt: interrupt) else { return }
        do {
            _ = try pool.submitOrRunHere { [self] in
                defer { sem_post(window) }
                runPerResult(path)
            }
        } catch {
            sem_post(window)
        }
    }

    /// Waits for the `-x` commands, then runs the `-X` ones. Ctrl-C (`interrupt`) stops the
    /// children and returns at once. Returns true when every command succeeded.
    func finish(interrupt: CancellationToken) -> Bool {
        if pool != nil {
            // Every slot back: every command finished.
            for _ in 0..<slots where !acquireSlot(interrupt: interrupt) { return stop() }
        }
        pool?.shutdown(wait: true)
        if interrupt.isCancelled { return stop() }
        if !batch.isEmpty {
            var paths = batchPaths.withLock { $0 }
            paths.sort { $0.lexicographicallyPrecedes($1) }
            runBatches(paths, interrupt: interrupt)
        }
        return !failed.load(ordering: .relaxed)
    }

    private func stop() -> Bool {
        children.terminateAll()
        pool?.shutdown(wait: false, cancelPending: true)
        return false
    }

    /// The `-x` commands of one result, one after another until one fails (fd's rule); their
    /// output printed together.
    private func runPerResult(_ path: [UInt8]) {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        for command in perResult {
            switch children.run(command.words(for: path, separator: separator), capture: true) {
            case .success(let outcome):
                stdout.append(contentsOf: outcome.stdout)
                stderr.append(contentsOf: outcome.stderr)
                if outcome.status != 0 {
                    failed.store(true, ordering: .relaxed)
                    output.writeWhole(stdout: stdout, stderr: stderr, nullSeparated: nullSeparated)
                    return
                }
            case .failure(let failure):
                failed.store(true, ordering: .relaxed)
                output.writeWhole(stdout: stdout, stderr: stderr, nullSeparated: nullSeparated)
                report(failure, program: command.program)
                return
            }
        }
        output.writeWhole(stdout: stdout, stderr: stderr, nullSeparated: nullSeparated)
    }

    /// `-X`: every command over all paths, split so no command line passes the system's
    /// limit (or `--batch-size`); children share trawl's terminal.
    private func runBatches(_ paths: [[UInt8]], interrupt: CancellationToken) {
        guard !paths.isEmpty else { return }
        output.flush()
        // Half of ARG_MAX, less the environment, leaves room as xargs does.
        let argumentBytes = max(4096, sysconf(Int32(_SC_ARG_MAX)) / 2 - environmentBytes())
        for command in batch {
            var start = 0
            while start < paths.count {
                if interrupt.isCancelled { return }
                var end = start
                var bytes = command.program.utf8.count + 64
                while end < paths.count && (batchSize == 0 || end - start < batchSize) {
                    let cost = paths[end].count * max(1, command.words.count) + 16
                    if end > start && bytes + cost > argumentBytes { break }
                    bytes += cost
                    end += 1
                }
                switch children.run(command.words(for: paths[start..<end], separator: separator), capture: false, interrupt: interrupt) {
                case .success(let outcome):
                    if outcome.status != 0 { failed.store(true, ordering: .relaxed) }
                case .failure(let failure):
                    failed.store(true, ordering: .relaxed)
                    report(failure, program: command.program)
                    return
                }
                start = end
            }
        }
    }

    private func environmentBytes() -> Int {
        var total = 0
        var entry = environ
        while let pointer = entry.pointee {
            total += strlen(pointer) + 1 + MemoryLayout<UnsafeRawPointer>.size
            entry += 1
        }
        return total
    }

    /// A command that cannot start: said once per program, not once per file.
    private func report(_ failure: FindChildProcesses.Failure, program: String) {
        guard case .cannotStart(let code) = failure else { return }
        guard reported.withLock({ $0.insert(program).inserted }) else { return }
        output.flush()
        Diagnostics.error(code == ENOENT ? "command not found: \(program)"
                          : "cannot run '\(program)': \(String(cString: strerror(code)))")
    }
}
