#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import FileHashing
import Manifest
import Platform
import Printer
import Scan
import Walk
import WorkerPool

/// `trawl hash`: a checksum manifest of a tree, in coreutils' formats, in path order.
enum HashCommand {
    static func run(_ arguments: ParsedArguments, output stdout: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        // Every regular file, hidden and ignored too: a checksum that skips files loses data.
        // -g, -t, -T and -d still narrow the walk.
        let flags = try WalkFlags(arguments, sortDefault: .path, everything: true)
        let algorithms = try parseAlgorithms(arguments.values(.algo), default: .sha256)
        let tag = arguments.has(.tag)
        let zero = arguments.has(.zero) || flags.nullSeparated
        let json = arguments.has(.json)
        var target: AtomicOutputFile?
        var output = stdout
        if let path = arguments.value(.output) {
            let file = try AtomicOutputFile(path: path)
            target = file
            output = OutputBuffer(fd: file.fd, name: path)
        }
        let scanRun = ScanRun(threads: flags.threads, interrupt: interrupt, output: output)
        defer { scanRun.shutdown() }
        let terminator: UInt8 = zero ? 0 : 10
        var line: [UInt8] = []  // reused: a line is built here, then copied into `output`
        /// One file's lines (one per algorithm), or its JSON records.
        func appendRecord(path: [UInt8], digest: FileDigest) {
            for (algorithm, bytes) in zip(algorithms, digest.digests) {
                if json {
                    output.append("{\"path\":")
                    appendJSONName(path, to: output)
                    output.append(",\"size\":")
                    output.append(decimal: digest.size)
                    output.append(",\"algorithm\":\"\(algorithm.name)\",\"digest\":\"")
                    output.append(algorithm.format(bytes))
                    output.append("\"}\n")
                } else {
                    line.removeAll(keepingCapacity: true)
                    ManifestLine.write(digest: algorithm.format(bytes), path: path, size: digest.size, algorithm: algorithm,
                                       tag: tag, escape: !zero, to: &line)
                    line.append(terminator)
                    output.append(line)
                }
            }
            output.endRecord()
        }
        // Standard input as sha256sum reads it: `-`, or no path while stdin is a file or
        // a pipe (grep's rule); printed as `-`. It comes first, then the walk of the rest.
        var paths = arguments.positionals
        let readsStdin = paths.contains("-")
            || (paths.isEmpty && flags.filesFrom == nil && GrepCommand.stdinIsReadable())
        paths.removeAll { $0 == "-" }
        if readsStdin {
            let future = try scanRun.pool.submitOrRunHere { () -> Result<FileDigest, ReadError>? in
                do throws(ReadError) {
                    return try FileDigest.compute(fd: 0, path: Array("-".utf8), algorithms: algorithms,
                                                  cancellation: interrupt).map { .success($0) }
                } catch {
                    return .failure(error)
                }
            }
            switch waitUntilDone(future, interrupt: interrupt) {
            case .success(let digest)?: appendRecord(path: Array("-".utf8), digest: digest)
            case .failure(let error)?: scanRun.report(error.description)
            case nil: break
            }
        }
        // Only stdin: nothing to walk (an empty walk, so the ending below stays one).
        let onlyStdin = readsStdin && paths.isEmpty && flags.filesFrom == nil
        // The manifest being written (and the one it replaces) may lie inside the hashed
        // tree: listing them would put a digest of an unfinished file in the manifest.
        let ownFiles = target.map { $0.identities() } ?? []
        let progress = ProgressLine(quiet: arguments.has(.quiet))
        let isOwnFile = { @Sendable (entry: WalkEntry) in !ownFiles.isEmpty && ownFiles.contains { $0.identifies(entry) } }
        /// The digests of one file, read from `fd` if it is open (at offset 0).
        let digest = { @Sendable (entry: WalkEntry, open: Int32?) throws(ReadError) -> FileDigest? in
            let fd = if let open { open } else { try FileReader.open(entry) }
            defer { if open == nil { close(fd) } }
            let digest = try FileDigest.compute(fd: fd, path: entry.path, algorithms: algorithms, cancellation: interrupt,
                                                isRegularFile: entry.kind == .regular,
                                                progress: progress.enabled ? { progress.bytesRead($0) } : nil)
            if digest != nil { progress.fileDone() }
            return digest
        }
        let job: ScanJob<Result<FileDigest, ReadError>>
        if algorithms == [.md5] && MD5Lanes.isAccelerated {
            job = .pooledRuns { run in
                LaneHashing.md5(of: run, cancellation: interrupt, skip: isOwnFile, started: progress.fileStarted,
                                finished: { bytes in
                                    if progress.enabled { progress.bytesRead(bytes) }
                                    progress.fileDone()
                                }, compute: digest)
            }
        } else {
            job = .pooled { entry in
                if isOwnFile(entry) { return nil }
                progress.fileStarted()
                do throws(ReadError) {
                    return try digest(entry, nil).map { .success($0) }
                } catch {
                    return .failure(error)
                }
            }
        }
        let sourceDone: (@Sendable (Int) -> Void)? = progress.enabled ? { @Sendable files in progress.sourceDone(files: files) } : nil
        let source: ScanSource = onlyStdin ? .entries([]) : try flags.source(paths: paths)
        scanRun.scanFiles(source, job: flags.sharded(job), order: flags.order, readAhead: flags.readAhead,
                          whenSourceDone: sourceDone, whenIdle: {
            output.flush()
            progress.redraw()
        }, whenStalled: { stall in
            progress.finish()  // the note starts on a clean line; the next redraw comes back
            Diagnostics.error(stallNote(stall))
        }) { entry, digest in
            appendRecord(path: entry.path, digest: digest)
            return !output.isBroken
        }
        progress.finish()
        output.flush()
        if let target {
            // A manifest cut short (interrupted, a write error, a FIFO's reader gone) or
            // missing files (read errors) never replaces the old one. Write errors on
            // stdout are reported by `Trawl.main`.
            if interrupt.isCancelled || output.isBroken || (scanRun.failed && target.isAtomic) {
                target.discard()
                if scanRun.failed && !interrupt.isCancelled && output.writeError == nil {
                    Diagnostics.error("\(target.path): left as it was, after the errors above")
                }
            } else {
                try target.commit()
            }
            if let message = output.writeErrorMessage {
                Diagnostics.error(message)
                return 2
            }
        }
        return scanRun.failed ? 2 : 0
    }
}

/// A path as a JSON value: a string when it is UTF-8, else `{"bytes":"BASE64"}` as
/// `grep --json` writes it, so a name that is not UTF-8 survives (`check` reads both).
func appendJSONName(_ path: [UInt8], to output: OutputBuffer) {
    if path.withUnsafeBytes({ JSONWriter.isValidUTF8($0) }) {
        output.appendJSONString(path)
    } else {
        output.append("{\"bytes\":\"")
        output.append(path.withUnsafeBytes { JSONWriter.base64($0) })
        output.append("\"}")
    }
}

/// A file's device and inode: what makes two paths the same file.
struct FileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// Whether `entry` is this file; the walk's inode answers when it has one, a stat otherwise.
    func identifies(_ entry: WalkEntry) -> Bool {
        if entry.inode != 0 && entry.inode != inode { return false }
        if entry.inode != 0, let device = entry.device { return device == self.device }
        guard let info = entry.path.fileStatus() else { return false }
        return FileIdentity(info) == self
    }
}
