#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Scan
import Walk
import WorkerPool

/// `trawl files`: the list of files a scan would read.
enum FilesCommand {
    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        let flags = try WalkFlags(arguments, sortDefault: .completion, timeSorts: true)
        let quiet = arguments.has(.quiet)
        let pool = ThreadPoolExecutor(maxWorkers: flags.threads, name: "trawl-io")
        // Interrupted: do not wait for a worker blocked on a silent FIFO; exit ends it.
        defer { pool.shutdown(wait: !interrupt.isCancelled, cancelPending: true) }
        let scan = Scan(pool: pool, order: flags.order, cancellation: interrupt)
        var listed = 0
        var waiting: [(entry: WalkEntry, record: Void)] = []
        var failed = false
        let terminator = flags.pathTerminator
        // Paths from --files-from arrive unchecked (.unknown): one stat tells a missing path
        // (reported, as a missing root is) from a file, and leaves directories out.
        let job = ScanJob<Result<Void, ReadError>>.inline { entry in
            if entry.kind == .regular { return .success(()) }
            guard entry.kind == .unknown else { return nil }
            guard let info = entry.path.fileStatus() else { return .failure(ReadError(path: entry.path, errno: errno)) }
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : .success(())
        }
        scan.run(source: try flags.source(paths: arguments.positionals), job: flags.sharded(job), whenIdle: { output.flush() },
                 whenStalled: { Diagnostics.error(stallNote($0)) }) { event in
            switch event {
            case .record(_, .failure(let error)):
                output.flush()
                Diagnostics.error(error.description)
                failed = true
                return true
            case .record(let entry, .success):
                listed += 1
                // -q: the first file found answers the question.
                if quiet { return false }
                if flags.deferredSort != nil {
                    waiting.append((entry, ()))
                    return true
                }
                output.append(entry.path)
                output.append(terminator)
                output.endRecord()
                return !output.isBroken
            case .walkError(let error):
                output.flush()
                Diagnostics.error(error.description)
                if !error.isWarning { failed = true }
                return true
            }
        }
        for (entry, _) in flags.deferredSort?.sorted(waiting) ?? [] {
            output.append(entry.path)
            output.append(terminator)
            output.endRecord()
            if output.isBroken { break }
        }
        output.flush()
        if quiet && listed > 0 { return 0 }
        if failed { return 2 }
        return listed > 0 ? 0 : 1
    }
}
