import Digest
import Scan
import Walk
import WorkerPool

/// `trawl check --audit DIR`: a manifest against a tree, in plain words (hashdeep's audit).
enum Audit {
    static func run(manifests: [String], directory: String, forced: Algorithm?, pool: ThreadPoolExecutor, readAhead: Int,
                    output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        // Manifest paths may be relative to DIR or carry DIR/ in front: compare both ways.
        var prefix = Array(directory.utf8)
        if prefix.last != UInt8(ascii: "/") { prefix.append(UInt8(ascii: "/")) }
        func relative(_ path: [UInt8]) -> [UInt8] {
            var path = path[...]
            if path.starts(with: prefix) { path = path.dropFirst(prefix.count) }
            while path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path = path.dropFirst(2) }
            return Array(path)
        }
        var expected: [[UInt8]: String] = [:]
        var algorithm = forced
        for manifest in manifests {
            var reader = try LineReader(path: manifest)
            defer { reader.close() }
            while let raw = reader.next() {
                guard !raw.isEmpty, raw.first != UInt8(ascii: "#"), let line = ManifestLine.parse(raw) else { continue }
                if algorithm == nil { algorithm = line.algorithm ?? Algorithm.guess(fromHexLength: line.digest.utf8.count) }
                expected[relative(line.path)] = line.digest
            }
        }
        guard let algorithm else { throw CommandError.message("\(manifests.joined(separator: ", ")): no checksum lines found") }

        var options = WalkOptions()
        options.noIgnore = true
        options.hidden = true
        options.threads = WalkFlags.directoryThreads(workers: pool.maxWorkers)
        let walker = try Walker(options: options)
        let scan = Scan(pool: pool, order: .path, cancellation: interrupt, readAhead: readAhead)
        var actual: [([UInt8], String)] = []
        var failed = false
        scan.run(source: .walk(walker, roots: [Array(directory.utf8)]), job: .pooled { entry -> Result<FileDigest, ReadError>? in
            do throws(ReadError) {
                return try FileDigest.compute(path: entry.path, algorithms: [algorithm], cancellation: interrupt).map { .success($0) }
            } catch {
                return .failure(error)
            }
        }) { event in
            switch event {
            case .record(let entry, .success(let digest)): actual.append((relative(entry.path), algorithm.format(digest.digests[0])))
            case .record(_, .failure(let error)): Diagnostics.error(error.description); failed = true
            case .walkError(let error): Diagnostics.error(error.description); failed = true
            }
            return true
        }
        if interrupt.isCancelled { return 130 }

        var counts = (unchanged: 0, changed: 0, moved: 0, new: 0, missing: 0)
        var seen = Set<[UInt8]>()
        var newFiles: [([UInt8], String)] = []
        for (path, digest) in actual {
            seen.insert(path)
            if let old = expected[path] {
                if old == digest { counts.unchanged += 1 } else {
                    counts.changed += 1
                    line("changed", path, output)
                }
            } else {
                newFiles.append((path, digest))
            }
        }
        // A vanished path whose digest shows up under a new path was moved.
        var vanishedByDigest: [String: [[UInt8]]] = [:]
        for (path, digest) in expected where !seen.contains(path) { vanishedByDigest[digest, default: []].append(path) }
        for key in vanishedByDigest.keys { vanishedByDigest[key]!.sort { pathPrecedes($1, $0) } }
        for (path, digest) in newFiles {
            if let old = vanishedByDigest[digest]?.popLast() {
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
        if failed { return 2 }
        return counts.changed + counts.moved + counts.new + counts.missing == 0 ? 0 : 1
    }

    private static func line(_ category: String, _ path: [UInt8], _ output: OutputBuffer) {
        output.append(category + ": ")
        output.append(path)
        output.append(10)
    }
}
