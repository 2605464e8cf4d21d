#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import Scan
import Walk
import WorkerPool

/// `trawl check --audit DIR`: a manifest against a tree, in plain words (hashdeep's audit).
enum Audit {
    static func run(manifests: [String], directory: String, forced: Algorithm?, pool: ThreadPoolExecutor, readAhead: Int,
                    output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
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
        options.threads = WalkFlags.directoryThreads(workers: pool.maxWorkers)
        let walker = try Walker(options: options)
        let scan = FileScan(pool: pool, order: .path, cancellation: interrupt, readAhead: readAhead)
        var actual: [([UInt8], FileDigest)] = []
        var failed = false
        scan.run(source: .walk(walker, roots: [Array(directory.utf8)]), job: .pooled { entry -> Result<FileDigest, ReadError>? in
            do throws(ReadError) {
                return try FileDigest.compute(path: entry.path, algorithms: algorithms, cancellation: interrupt).map { .success($0) }
            } catch {
                return .failure(error)
            }
        }) { event in
            switch event {
            case .record(let entry, .success(let digest)): actual.append((relative(entry.path), digest))
            case .record(_, .failure(let error)): Diagnostics.error(error.description); failed = true
            case .walkError(let error): Diagnostics.error(error.description); failed = true
            }
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
        if failed { return 2 }
        return counts.changed + counts.moved + counts.new + counts.missing == 0 ? 0 : 1
    }

    private static func line(_ category: String, _ path: [UInt8], _ output: OutputBuffer) {
        output.append(category + ": ")
        output.append(path)
        output.append(10)
    }
}

/// Where the paths of an audited manifest point: DIR as given, and DIR resolved (realpath),
/// so that `hash DIR`, `hash /abs/DIR` and `cd DIR && hash` manifests all audit against
/// `--audit DIR` whichever way DIR is spelled.
struct ManifestPlace {
    /// DIR as given, with a trailing `/`.
    let given: [UInt8]
    /// DIR resolved to an absolute path without symlinks, with a trailing `/`; nil if it
    /// cannot be resolved (a missing DIR is reported by the walk).
    let resolved: [UInt8]?
    /// The working directory, resolved, with a trailing `/`.
    let workingDirectory: [UInt8]?

    init(directory: String) {
        given = Self.withSlash(Array(directory.utf8))
        resolved = realpath(directory, nil).map { pointer in
            defer { free(pointer) }
            return Self.withSlash(Array(String(cString: pointer).utf8))
        }
        workingDirectory = getcwd(nil, 0).map { pointer in
            defer { free(pointer) }
            return Self.withSlash(Array(String(cString: pointer).utf8))
        }
    }

    private static func withSlash(_ path: [UInt8]) -> [UInt8] {
        path.last == UInt8(ascii: "/") ? path : path + [UInt8(ascii: "/")]
    }

    /// A manifest path relative to DIR: an absolute one inside DIR (either spelling) loses
    /// DIR; a relative one loses DIR as given in front of it, or, when it names a file
    /// inside DIR from the working directory (and that directory is outside DIR), is taken
    /// from there; otherwise it is already relative to DIR (a manifest made inside DIR).
    func relative(_ path: [UInt8]) -> [UInt8] {
        let trimmed = Self.droppingDotSlash(path[...])
        if path.first == UInt8(ascii: "/") {
            if path.starts(with: given) { return Array(Self.droppingDotSlash(path.dropFirst(given.count)[...])) }
            let normal = Self.normalized(path)
            if let resolved, normal.starts(with: resolved) { return Array(normal.dropFirst(resolved.count)) }
            return path
        }
        if trimmed.starts(with: Self.droppingDotSlash(given[...])) {
            return Array(Self.droppingDotSlash(trimmed.dropFirst(Self.droppingDotSlash(given[...]).count)))
        }
        if let resolved, let workingDirectory, !workingDirectory.starts(with: resolved) {
            let absolute = Self.normalized(workingDirectory + trimmed)
            if absolute.starts(with: resolved) { return Array(absolute.dropFirst(resolved.count)) }
        }
        return Array(trimmed)
    }

    /// A walked path (DIR as given in front) relative to DIR.
    var relativeToWalk: ([UInt8]) -> [UInt8] {
        let prefix = given
        return { path in
            var rest = path[...]
            if rest.starts(with: prefix) { rest = rest.dropFirst(prefix.count) }
            return Array(Self.droppingDotSlash(rest))
        }
    }

    /// An absolute path without empty, `.` and `..` components (lexically: a manifest's
    /// `/tmp//d/./x` is `/tmp/d/x`).
    static func normalized(_ path: [UInt8]) -> [UInt8] {
        var parts: [ArraySlice<UInt8>] = []
        for part in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { _ = parts.popLast(); continue }
            parts.append(part)
        }
        var result: [UInt8] = []
        for part in parts {
            result.append(UInt8(ascii: "/"))
            result.append(contentsOf: part)
        }
        return result.isEmpty ? [UInt8(ascii: "/")] : result
    }

    private static func droppingDotSlash(_ path: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var path = path
        while path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path = path.dropFirst(2) }
        return path
    }
}
