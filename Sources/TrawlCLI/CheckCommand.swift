#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
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

    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        let forced = try parseAlgorithms(arguments.values("algo"), default: nil).first
        let threads = try arguments.value("threads").map { try WalkFlags.number($0, flag: "--threads", minimum: 1) }
            ?? Commands.defaultThreads
        let readAhead = try WalkFlags.readAhead(arguments, threads: threads)
        let manifests = arguments.positionals.isEmpty ? ["-"] : arguments.positionals
        let pool = ThreadPoolExecutor(maxWorkers: threads, name: "trawl-io")
        // Interrupted: do not wait for a worker blocked on a silent FIFO; exit ends it.
        defer { pool.shutdown(wait: !interrupt.isCancelled, cancelPending: true) }
        if let directory = arguments.value("audit") {
            return try Audit.run(manifests: manifests, directory: directory, forced: forced, pool: pool,
                                 readAhead: readAhead, output: output, interrupt: interrupt)
        }
        let quiet = arguments.has("quiet"), status = arguments.has("status")
        let strict = arguments.has("strict"), warn = arguments.has("warn")
        let ignoreMissing = arguments.has("ignore-missing")
        var exit: Int32 = 0
        for manifest in manifests {
            var totals = Totals()
            var reader: LineReader
            do { reader = try LineReader(path: manifest) } catch {
                Diagnostics.error("\(error)")
                exit = max(exit, 1)
                continue
            }
            defer { reader.close() }
            // A window of futures in manifest order: hashing runs ahead in parallel while
            // lines are reported in order, and a huge manifest never makes a future per line.
            var window: [(line: ManifestLine, future: Future<Result<FileDigest, ReadError>?>)] = []
            let limit = 4 * pool.maxWorkers
            func report(_ item: (line: ManifestLine, future: Future<Result<FileDigest, ReadError>?>)) {
                let name = displayName(item.line.path)
                switch (try? item.future.result()) ?? nil {
                case .success(let digest):
                    let algorithm = item.line.algorithm ?? forced ?? .sha256
                    totals.verified += 1
                    if algorithm.format(digest.digests[0]) == item.line.digest {
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
                case nil:
                    break
                }
                output.endRecord()
            }
            // A broken pipe ends the run as Ctrl-C does: nobody reads the rest.
            while !interrupt.isCancelled, !output.isBroken, let raw = reader.next() {
                if raw.isEmpty || raw.first == UInt8(ascii: "#") { continue }
                guard var line = ManifestLine.parse(raw) else {
                    totals.malformed += 1
                    if warn && !status {
                        output.flush()
                        Diagnostics.error("\(manifest): \(reader.lineNumber): improperly formatted checksum line")
                    }
                    continue
                }
                if line.algorithm == nil { line.algorithm = forced ?? Algorithm.guess(fromHexLength: line.digest.utf8.count) }
                guard let algorithm = line.algorithm else {
                    totals.malformed += 1
                    continue
                }
                let path = line.path
                let future = try pool.submit { () -> Result<FileDigest, ReadError>? in
                    do throws(ReadError) {
                        return try FileDigest.compute(path: path, algorithms: [algorithm], cancellation: interrupt).map { .success($0) }
                    } catch {
                        return .failure(error)
                    }
                }
                window.append((line, future))
                if window.count >= limit { report(window.removeFirst()) }
            }
            for item in window where !output.isBroken && (!interrupt.isCancelled || item.future.isDone) { report(item) }
            output.flush()
            if output.isBroken {
                // Quietly, as ripgrep does: no summary for a reader that went away.
                for item in window { _ = item.future.cancel() }
                // A file that failed stays failed, whatever happened to the output.
                if totals.mismatched > 0 || totals.unreadable > 0 { exit = max(exit, 1) }
                break
            }
            exit = max(exit, summarize(totals, manifest: manifest, status: status, strict: strict, ignoreMissing: ignoreMissing))
        }
        if interrupt.isCancelled { return 130 }
        return exit
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

    /// A name as sha256sum -c (coreutils 9) prints it: escaped with a leading `\` only when
    /// it holds LF or CR (a backslash alone is printed as it is).
    static func displayName(_ path: [UInt8]) -> String {
        let needs = path.contains { $0 == 10 || $0 == 13 }
        guard needs else { return String(decoding: path, as: UTF8.self) }
        var text = "\\"
        for scalar in String(decoding: path, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
