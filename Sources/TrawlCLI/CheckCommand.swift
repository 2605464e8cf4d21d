#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import FileHashing
import Manifest
import Platform
import Scan
import Walk
import WorkerPool

/// `trawl check`: verifies files against manifests, printing what `sha256sum -c` prints,
/// hashing in parallel and reporting in manifest order.
enum CheckCommand {
    struct Totals {
        var malformed = 0
        var mismatched = 0
        var unreadable = 0
        var verified = 0
    }

    /// What one manifest line's file came to: its digests (one per candidate algorithm),
    /// or why it could not be read.
    typealias Outcome = Result<FileDigest, ListedFileError>
    /// A line on its way: the algorithms it may use, and those its file is being hashed
    /// with (all of them, or the one lines of its kind matched so far).
    typealias Planned = (line: ManifestLine, candidates: [Algorithm], algorithms: [Algorithm])
    /// Consecutive lines hashed by one pool task, one outcome each (nil: cancelled).
    typealias Batch = (lines: [Planned], future: Future<[Outcome?]?>)

    /// Lines per pool task once every worker has work: a task per line cost a future, a
    /// wake-up and a wait each (sha256 manifest of the Linux tree, 78k lines: 1.5 s -> 0.95 s,
    /// system time 1.2 -> 0.6 s with the fcntl calls gone too).
    static let linesPerTask = 16

    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        let forced = try parseAlgorithms(arguments.values(.algo), default: nil).first
        let threads = try arguments.number(.threads, minimum: 1)
            ?? Commands.defaultThreads
        let readAhead = try WalkFlags.readAhead(arguments, threads: threads)
        let manifests = arguments.positionals.isEmpty ? ["-"] : arguments.positionals
        let scanRun = ScanRun(threads: threads, interrupt: interrupt, output: output)
        defer { scanRun.shutdown() }
        let pool = scanRun.pool
        if let directory = arguments.value(.audit) {
            return try Audit.run(manifests: manifests, directory: directory, forced: forced, scanRun: scanRun,
                                 readAhead: readAhead, output: output)
        }
        let quiet = arguments.has(.quiet), status = arguments.has(.status)
        let strict = arguments.has(.strict), warn = arguments.has(.warn)
        let ignoreMissing = arguments.has(.ignoreMissing)
        var exit: Int32 = 0
        for manifest in manifests {
            if interrupt.isCancelled { break }
            var totals = Totals()
            var reader: LineReader
            do { reader = try LineReader(detectingSeparatorOf: manifest, cancellation: interrupt) } catch {
                Diagnostics.error("\(error)")
                exit = max(exit, 1)
                continue
            }
            defer { reader.close() }
            // A window of tasks in manifest order: hashing runs ahead in parallel while
            // lines are reported in order, and a huge manifest never makes a task per line.
            // A line goes to a task of its own while workers are idle (a few huge files
            // hash in parallel), else into a run of `linesPerTask`.
            var window: [Batch] = []
            var gathering: [Planned] = []
            let limit = 4 * pool.maxWorkers
            // Which candidate matched lines of each kind (64 hex digits: sha256 or blake3...).
            // The first lines compute every candidate in their one read; later ones the one
            // that matched, and the others in a second read only when it does not match (a
            // changed file, a manifest mixing two algorithms of one length). A sha256
            // manifest of the Linux tree: 2.0 s with blake3 computed beside, 1.6 s without.
            var learned: [[Algorithm]: Algorithm] = [:]
            func submit(_ lines: [(path: [UInt8], algorithms: [Algorithm])]) throws -> Future<[Outcome?]?> {
                try pool.submitOrRunHere { () -> [Outcome?]? in
                    lines.map { line -> Outcome? in
                        do throws(ListedFileError) {
                            return try digestOfListedFile(line.path, algorithms: line.algorithms, interrupt: interrupt).map { .success($0) }
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            }
            func submitGathered() throws {
                guard !gathering.isEmpty else { return }
                window.append((gathering, try submit(gathering.map { ($0.line.path, $0.algorithms) })))
                gathering.removeAll(keepingCapacity: true)
            }
            /// The algorithm among `algorithms` whose digest the line records, if any.
            func matching(_ line: ManifestLine, _ algorithms: [Algorithm], _ digest: FileDigest) -> Algorithm? {
                if let size = line.size, size != digest.size { return nil }
                return zip(algorithms, digest.digests).first { line.matches($1, algorithm: $0) }?.0
            }
            func report(_ batch: Batch) {
                // After a signal nothing more is reported: a file whose hashing the signal
                // cut short must not read as verified.
                guard let outcomes = waitUntilDone(batch.future, interrupt: interrupt), !interrupt.isCancelled else { return }
                for (item, outcome) in zip(batch.lines, outcomes) {
                    guard let outcome, !interrupt.isCancelled, !output.isBroken else { return }
                    report(item, outcome)
                }
            }
            func report(_ item: Planned, _ first: Outcome) {
                var outcome = first
                var matched: Algorithm?
                if case .success(let digest) = outcome {
                    matched = matching(item.line, item.algorithms, digest)
                    let others = item.candidates.filter { !item.algorithms.contains($0) }
                    if matched == nil && !others.isEmpty {
                        guard let retry = try? submit([(item.line.path, others)]),
                              let second = waitUntilDone(retry, interrupt: interrupt)?.first ?? nil,
                              !interrupt.isCancelled else { return }
                        outcome = second
                        if case .success(let digest) = second { matched = matching(item.line, others, digest) }
                    }
                    if let matched, item.candidates.count > 1 { learned[item.candidates] = matched }
                }
                let name = displayName(item.line.path)
                switch outcome {
                case .success:
                    totals.verified += 1
                    if matched != nil {
                        if !quiet && !status { output.append(name); output.append(": OK\n") }
                    } else {
                        totals.mismatched += 1
                        if !status { output.append(name); output.append(": FAILED\n") }
                    }
                case .failure(let error):
                    if ignoreMissing && error.errno == ENOENT { break }
                    totals.unreadable += 1
                    output.flush()
                    if !status {
                        Diagnostics.error(error.description)
                        output.append(name); output.append(": FAILED open or read\n")
                    }
                }
                output.endRecord()
            }
            // A broken pipe ends the run as Ctrl-C does: nobody reads the rest.
            while !interrupt.isCancelled, !output.isBroken, let raw = reader.next() {
                if raw.isEmpty || raw.first == UInt8(ascii: "#") { continue }
                guard let line = ManifestLine.parse(raw, escapes: reader.separator != 0) else {
                    totals.malformed += 1
                    if warn && !status {
                        output.flush()
                        Diagnostics.error("\(manifest): \(reader.lineNumber): improperly formatted checksum line")
                    }
                    continue
                }
                let candidates = forced.map { [$0] } ?? line.candidates
                guard !candidates.isEmpty else {
                    totals.malformed += 1
                    continue
                }
                gathering.append((line, candidates, learned[candidates].map { [$0] } ?? candidates))
                if gathering.count >= linesPerTask || window.count < pool.maxWorkers { try submitGathered() }
                if window.count >= limit { report(window.removeFirst()) }
            }
            try submitGathered()
            for batch in window where !output.isBroken && !interrupt.isCancelled { report(batch) }
            output.flush()
            if interrupt.isCancelled || output.isBroken {
                // Quietly, as ripgrep does: no summary for a reader that went away, none
                // for a run the user stopped (it did not find the manifest malformed).
                for batch in window { _ = batch.future.cancel() }
                if totals.mismatched > 0 || totals.unreadable > 0 { exit = max(exit, 1) }
                break
            }
            exit = max(exit, summarize(totals, manifest: manifest, status: status, strict: strict, ignoreMissing: ignoreMissing))
        }
        if interrupt.isCancelled { return 130 }
        return exit
    }

    /// Opens a file a manifest names without ever blocking in open(2) (O_NONBLOCK: a FIFO
    /// without a writer would hold the worker past any signal), refuses what is not a file
    /// (a FIFO, a socket, a directory: reported as unreadable, as sha256sum reports a
    /// directory), and hashes it with every candidate algorithm in one read.
    static func digestOfListedFile(_ path: [UInt8], algorithms: [Algorithm],
                                   interrupt: CancellationToken) throws(ListedFileError) -> FileDigest? {
        let fd = path.withCPath { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) }
        guard fd >= 0 else { throw ListedFileError(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ListedFileError(path: path, errno: errno) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw ListedFileError(path: path, errno: EISDIR)
        case S_IFIFO: throw ListedFileError(path: path, errno: 0, reason: "is a FIFO (named pipe), not read")
        case S_IFSOCK: throw ListedFileError(path: path, errno: 0, reason: "is a socket, not read")
        default: break
        }
        // Reads of a device block as usual from here on (O_NONBLOCK means nothing to a
        // regular file: two system calls a file saved).
        if info.st_mode & S_IFMT != S_IFREG { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        do throws(ReadError) {
            return try FileDigest.compute(fd: fd, path: path, algorithms: algorithms, cancellation: interrupt,
                                          isRegularFile: info.st_mode & S_IFMT == S_IFREG)
        } catch {
            throw ListedFileError(path: path, errno: error.errno)
        }
    }

    /// sha256sum -c's closing warnings and exit status for one manifest.
    static func summarize(_ totals: Totals, manifest: String, status: Bool, strict: Bool, ignoreMissing: Bool) -> Int32 {
        if totals.verified == 0 && totals.unreadable == 0 && totals.mismatched == 0 {
            if !status {
                Diagnostics.error(totals.malformed > 0 || !ignoreMissing
                    ? "\(manifest): no properly formatted checksum lines found"
                    : "\(manifest): no file was verified")
            }
            return 1
        }
        if !status {
            if totals.malformed > 0 {
                Diagnostics.error("WARNING: \(totals.malformed) line\(totals.malformed == 1 ? " is" : "s are") improperly formatted")
            }
            if totals.unreadable > 0 {
                Diagnostics.error("WARNING: \(totals.unreadable) listed file\(totals.unreadable == 1 ? "" : "s") could not be read")
            }
            if totals.mismatched > 0 {
                Diagnostics.error("WARNING: \(totals.mismatched) computed checksum\(totals.mismatched == 1 ? "" : "s") did NOT match")
            }
        }
        if totals.mismatched > 0 || totals.unreadable > 0 || (strict && totals.malformed > 0) { return 1 }
        return 0
    }

    /// A name as sha256sum -c (coreutils 9.1) prints it: the manifest's bytes as they are
    /// (not UTF-8-decoded); when they hold a newline, behind a leading `\` with backslash,
    /// LF and CR spelled `\\`, `\n`, `\r`. A backslash or CR alone is printed as it is.
    static func displayName(_ path: [UInt8]) -> [UInt8] {
        guard path.contains(10) else { return path }
        var text: [UInt8] = [UInt8(ascii: "\\")]
        text.reserveCapacity(path.count + 8)
        for byte in path {
            switch byte {
            case UInt8(ascii: "\\"): text += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 10: text += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 13: text += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: text.append(byte)
            }
        }
        return text
    }
}

/// The future's value, waiting in short steps so a signal is noticed even while a worker
/// is stuck in a read that never returns (a device, a pipe, a hung network file system).
/// Nil when the signal came first or the work was dropped.
func waitUntilDone<Value>(_ future: Future<Value?>, interrupt: CancellationToken) -> Value? {
    while true {
        do {
            return try future.result(timeout: .milliseconds(50))
        } catch ExecutorError.timeout {
            if interrupt.isCancelled { return nil }
        } catch {
            return nil
        }
    }
}

/// Why a file a manifest names was not verified: an errno, or a `reason` of trawl's own
/// (a FIFO is refused, not read). `description` is the message after `trawl: `.
struct ListedFileError: Error, Sendable, CustomStringConvertible {
    let path: [UInt8]
    let errno: Int32
    var reason: String?

    var description: String {
        String(decoding: path, as: UTF8.self) + ": " + (reason ?? String(cString: strerror(errno)))
    }
}
