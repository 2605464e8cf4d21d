#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import FileHashing
import Manifest
import Scan
import Walk
import WorkerPool

/// `trawl check --audit DIR`: a manifest against a tree, in plain words (hashdeep's audit).
enum Audit {
    static func run(manifests: [String], directory: String, forced: Algorithm?, scanRun: ScanRun, readAhead: Int,
                    output: OutputBuffer) throws -> Int32 {
        let interrupt = scanRun.interrupt
        let place = ManifestPlace(directory: directory)
        var expected: [[UInt8]: ManifestLine] = [:]
        var candidates: [Algorithm] = forced.map { [$0] } ?? []
        for manifest in manifests {
            var reader = try LineReader(detectingSeparatorOf: manifest, cancellation: interrupt)
            defer { reader.close() }
            while let raw = reader.next() {
                guard !raw.isEmpty, raw.first != UInt8(ascii: "#"),
                      let line = ManifestLine.parse(raw, escapes: reader.separator != 0) else { continue }
                // Every algorithm a line may use: the tree is hashed with all of them in one read.
                if forced == nil {
                    for algorithm in line.candidates where !candidates.contains(algorithm) { candidates.append(algorithm) }
                }
                expected[place.relative(line.path)] = line
            }
        }
        let algorithms = candidates
        guard !algorithms.isEmpty else { throw CommandError.message("\(manifests.joined(separator: ", ")): no checksum lines found") }
        let relative = place.relativeToWalk

        var options = WalkOptions()
        options.noIgnore = true
        options.hidden = true
        options.threads = WalkFlags.directoryThreads(workers: scanRun.pool.maxWorkers)
        let walker = try Walker(options: options)
        var files: [(path: [UInt8], size: Int, digests: [[UInt8]])] = []
        // The audit prints nothing until the walk is done: no stall note to give.
        scanRun.scanFiles(.walk(walker, roots: [Array(directory.utf8)]), job: .pooled { entry -> Result<FileDigest, ReadError>? in
            do throws(ReadError) {
                // Opened as the walk saw it (O_NOFOLLOW where it was no link), as hash does.
                let fd = try FileReader.open(entry)
                defer { close(fd) }
                return try FileDigest.compute(fd: fd, path: entry.path, algorithms: algorithms, cancellation: interrupt,
                                              isRegularFile: entry.kind == .regular).map { .success($0) }
            } catch {
                return .failure(error)
            }
        }, order: .path, readAhead: readAhead, whenStalled: { _ in }) { entry, digest in
            files.append((relative(entry.path), digest.size, digest.digests))
            return true
        }
        if interrupt.isCancelled { return 130 }

        let audit = ManifestAudit(expected: expected, files: files, algorithms: algorithms, forced: forced != nil,
                                  pathPrecedes: pathPrecedes)
        for finding in audit.findings {
            switch finding {
            case .changed(let path): line("changed", path, output)
            case .moved(let from, let to):
                output.append("moved: ")
                output.append(from)
                output.append(" -> ")
                output.append(to)
                output.append(10)
            case .new(let path): line("new", path, output)
            case .missing(let path): line("missing", path, output)
            }
        }
        let counts = audit.counts
        output.append("unchanged: \(counts.unchanged), changed: \(counts.changed), moved: \(counts.moved), new: \(counts.new), missing: \(counts.missing)\n")
        output.flush()
        if scanRun.failed { return 2 }
        return audit.findings.isEmpty ? 0 : 1
    }

    private static func line(_ category: String, _ path: [UInt8], _ output: OutputBuffer) {
        output.append(category + ": ")
        output.append(path)
        output.append(10)
    }
}
