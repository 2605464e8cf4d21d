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
    // `futures`, `batchPaths`: guarded by `lock`.
    private let lock = Mutex<(futures: [Future<Void>], batchPaths: [[UInt8]])>(([], []))
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
    }

    /// A result found by the walk: its commands go to the pool (`-x`) or wait for the end (`-X`).
    func submit(_ path: [UInt8]) {
        if let pool {
            guard let future = try? pool.submit({ [self] in runPerResult(path) }) else { return }
            lock.withLock { $0.futures.append(future) }
        } else {
            lock.withLock { $0.batchPaths.append(path) }
        }
    }

    /// Waits for the `-x` commands, then runs the `-X` ones. Ctrl-C (`interrupt`) stops the
    /// children and returns at once. Returns true when every command succeeded.
    func finish(interrupt: CancellationToken) -> Bool {
        let futures = lock.withLock { $0.futures }
        for future in futures {
            while true {
                do {
                    try future.result(timeout: .milliseconds(50))
                    break
                } catch ExecutorError.timeout {
                    if interrupt.isCancelled { return stop() }
                } catch {
                    break
                }
            }
        }
        pool?.shutdown(wait: true)
        if interrupt.isCancelled { return stop() }
        if !batch.isEmpty {
            var paths = lock.withLock { $0.batchPaths }
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
                switch children.run(command.words(for: paths[start..<end], separator: separator), capture: false) {
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
