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
        var actual: [([UInt8], FileDigest)] = []
        // The audit prints nothing until the walk is done: no stall note to give.
        scanRun.scanFiles(.walk(walker, roots: [Array(directory.utf8)]), job: .pooled { entry -> Result<FileDigest, ReadError>? in
            do throws(ReadError) {
                return try FileDigest.compute(path: entry.path, algorithms: algorithms, cancellation: interrupt).map { .success($0) }
            } catch {
                return .failure(error)
            }
        }, order: .path, readAhead: readAhead, whenStalled: { _ in }) { entry, digest in
            actual.append((relative(entry.path), digest))
            return true
        }
        if interrupt.isCancelled { return 130 }

        var counts = (unchanged: 0, changed: 0, moved: 0, new: 0, missing: 0)
        var seen = Set<[UInt8]>()
        var newFiles: [([UInt8], FileDigest)] = []
        /// Whether `line` records `digest` in any of the algorithms it may use.
        func recorded(_ line: ManifestLine, _ digest: FileDigest) -> Bool {
            if let size = line.size, size != digest.size { return false }
            return zip(algorithms, digest.digests).contains { algorithm, bytes in
                (forced != nil || line.candidates.contains(algorithm)) && line.matches(bytes, algorithm: algorithm)
            }
        }
        for (path, digest) in actual {
            seen.insert(path)
            if let old = expected[path] {
                if recorded(old, digest) { counts.unchanged += 1 } else {
                    counts.changed += 1
                    line("changed", path, output)
                }
            } else {
                newFiles.append((path, digest))
            }
        }
        // A vanished path whose digest shows up under a new path was moved.
        var vanishedByDigest: [String: [[UInt8]]] = [:]
        for (path, line) in expected where !seen.contains(path) { vanishedByDigest[line.digest, default: []].append(path) }
        for key in vanishedByDigest.keys { vanishedByDigest[key]!.sort { pathPrecedes($1, $0) } }
        for (path, digest) in newFiles {
            let formats = zip(algorithms, digest.digests).map { $0.format($1) }
            if let key = formats.first(where: { vanishedByDigest[$0]?.isEmpty == false }),
               let old = vanishedByDigest[key]?.popLast() {
                counts.moved += 1
                output.append("moved: ")
                output.append(old)
                output.append(" -> ")
                output.append(path)
                output.append(10)
            } else {
                counts.new += 1
                line("new", path, output)
            }
        }
        let missing = vanishedByDigest.values.flatMap { $0 }.sorted(by: pathPrecedes)
        for path in missing {
            counts.missing += 1
            line("missing", path, output)
        }
        output.append("unchanged: \(counts.unchanged), changed: \(counts.changed), moved: \(counts.moved), new: \(counts.new), missing: \(counts.missing)\n")
        output.flush()
        if scanRun.failed { return 2 }
        return counts.changed + counts.moved + counts.new + counts.missing == 0 ? 0 : 1
    }

    private static func line(_ category: String, _ path: [UInt8], _ output: OutputBuffer) {
        output.append(category + ": ")
        output.append(path)
        output.append(10)
    }
}
