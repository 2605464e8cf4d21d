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
        let scanRun = ScanRun(threads: flags.threads, interrupt: interrupt, output: output)
        defer { scanRun.shutdown() }
        var listed = 0
        var waiting: [(entry: WalkEntry, record: Void)] = []
        let terminator = flags.pathTerminator
        // Paths from --files-from arrive unchecked (.unknown): one stat tells a missing path
        // (reported, as a missing root is) from a file, and leaves directories out.
        let job = ScanJob<Result<Void, ReadError>>.inline { entry in
            if entry.kind == .regular { return .success(()) }
            guard entry.kind == .unknown else { return nil }
            guard let info = entry.path.fileStatus() else { return .failure(ReadError(path: entry.path, errno: errno)) }
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : .success(())
        }
        scanRun.scanFiles(try flags.source(paths: arguments.positionals), job: flags.sharded(job), order: flags.order,
                          whenIdle: { output.flush() }) { entry, _ in
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
        }
        for (entry, _) in flags.deferredSort?.sorted(waiting) ?? [] {
            output.append(entry.path)
            output.append(terminator)
            output.endRecord()
            if output.isBroken { break }
        }
        output.flush()
        if quiet && listed > 0 { return 0 }
        if scanRun.failed { return 2 }
        return listed > 0 ? 0 : 1
    }
}
