import Scan
import Walk
import WorkerPool

/// What every scanning command (files, grep, hash, dupes, check) does around its per-file
/// work: a pool of `trawl-io` workers, scans over it, and one way of telling what went
/// wrong. A walk error or a file that could not be read is printed as a `trawl:` line
/// between records (what is buffered is written first) and fails the run; a malformed
/// ignore-file line only warns, as in ripgrep; a path-ordered scan stalled behind one file
/// prints a note saying why output stopped.
///
/// Not thread-safe: the command's calling thread (the scans' consumer) uses it.
final class ScanRun {
    let pool: ThreadPoolExecutor
    let interrupt: CancellationToken
    /// Where records are written: flushed before each message so it comes between records.
    private let output: OutputBuffer?
    /// False under grep's `--no-messages`: errors still fail the run, silently.
    private let showsErrors: Bool
    /// An error was reported: a walk error other than a warning, or a file not read.
    private(set) var failed = false

    init(threads: Int, interrupt: CancellationToken, output: OutputBuffer?, showsErrors: Bool = true) {
        pool = ThreadPoolExecutor(maxWorkers: threads, name: "trawl-io")
        self.interrupt = interrupt
        self.output = output
        self.showsErrors = showsErrors
    }

    /// Ends the pool, dropping work not started; interrupted, it does not wait for a worker
    /// blocked on a silent FIFO (exit ends it). For the command's `defer`.
    func shutdown() {
        pool.shutdown(wait: !interrupt.isCancelled, cancelPending: true)
    }

    /// Tells an error between records and remembers the run failed.
    func report(_ message: String) {
        output?.flush()
        if showsErrors { Diagnostics.error(message) }
        failed = true
    }

    /// Runs `job` over `source` on the pool; `consume` gets each record on this thread and
    /// returns false to stop. Walk errors are reported here. `whenStalled` replaces the
    /// stall note (nil: the note is printed).
    func scan<Record: Sendable>(_ source: ScanSource, job: ScanJob<Record>, order: ScanOrder,
                                readAhead: Int = FileScan.maxReadAhead,
                                whenSourceDone: (@Sendable (_ files: Int) -> Void)? = nil,
                                whenIdle: () -> Void = {}, whenStalled: ((ScanStall) -> Void)? = nil,
                                consume: (WalkEntry, Record) -> Bool) {
        var scan = FileScan(pool: pool, order: order, cancellation: interrupt, readAhead: readAhead)
        scan.whenSourceDone = whenSourceDone
        scan.run(source: source, job: job, whenIdle: whenIdle, whenStalled: { stall in
            if let whenStalled { whenStalled(stall) } else { Diagnostics.error(stallNote(stall)) }
        }) { event in
            switch event {
            case .record(let entry, let record):
                return consume(entry, record)
            case .walkError(let error):
                if error.isWarning {
                    output?.flush()
                    if showsErrors { Diagnostics.error(error.description) }
                } else {
                    report(error.description)
                }
                return true
            }
        }
    }

    /// `scan` for jobs that read files: a file that could not be read is reported here and
    /// `consume` gets the others.
    func scanFiles<Value: Sendable>(_ source: ScanSource, job: ScanJob<Result<Value, ReadError>>, order: ScanOrder,
                                    readAhead: Int = FileScan.maxReadAhead,
                                    whenSourceDone: (@Sendable (_ files: Int) -> Void)? = nil,
                                    whenIdle: () -> Void = {}, whenStalled: ((ScanStall) -> Void)? = nil,
                                    consume: (WalkEntry, Value) -> Bool) {
        scan(source, job: job, order: order, readAhead: readAhead, whenSourceDone: whenSourceDone, whenIdle: whenIdle,
             whenStalled: whenStalled) { entry, record in
            switch record {
            case .success(let value): return consume(entry, value)
            case .failure(let error):
                report(error.description)
                return true
            }
        }
    }
}

/// What `--sort path` (hash's default) prints once when one slow file holds everything
/// after it: otherwise a run that stopped printing looks hung.
func stallNote(_ stall: ScanStall) -> String {
    "note: --sort path: waiting for \(String(decoding: stall.entry.path, as: UTF8.self)) "
        + "(\(stall.filesHeld) files held behind it; --sort none prints files as they finish)"
}
