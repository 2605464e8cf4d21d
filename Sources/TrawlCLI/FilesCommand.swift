import Scan
import Walk
import WorkerPool

/// `trawl files`: the list of files a scan would read.
enum FilesCommand {
    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        let flags = try WalkFlags(arguments, sortDefault: .completion)
        if arguments.has("type-list") {
            for line in flags.options.fileTypes.listing() { output.append(line + "\n") }
            output.flush()
            return 0
        }
        let pool = ThreadPoolExecutor(maxWorkers: flags.threads, name: "trawl-io")
        // Interrupted: do not wait for a worker blocked on a silent FIFO; exit ends it.
        defer { pool.shutdown(wait: !interrupt.isCancelled, cancelPending: true) }
        let scan = Scan(pool: pool, order: flags.order, cancellation: interrupt)
        var listed = 0
        var failed = false
        let terminator = flags.pathTerminator
        scan.run(source: try flags.source(paths: arguments.positionals), job: .inline { entry in entry.kind == .regular || entry.kind == .unknown ? () : nil }) { event in
            switch event {
            case .record(let entry, _):
                output.append(entry.path)
                output.append(terminator)
                output.endRecord()
                listed += 1
                return !output.isBroken
            case .walkError(let error):
                output.flush()
                Diagnostics.error(error.description)
                failed = true
                return true
            }
        }
        output.flush()
        if failed { return 2 }
        return listed > 0 ? 0 : 1
    }
}
