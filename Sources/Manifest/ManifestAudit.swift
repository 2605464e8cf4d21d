import Digest

/// hashdeep's audit (`check --audit DIR`): a manifest's lines against the files a tree holds
/// now, each file unchanged, changed, moved, new or missing. Pure: the caller walks and
/// hashes the tree.
public struct ManifestAudit: Sendable {
    /// What became of a path; paths are relative to the audited directory.
    public enum Finding: Equatable, Sendable {
        /// The manifest's path holds other bytes (or, where the line records one, another size).
        case changed([UInt8])
        /// A path the manifest lists is gone and its digest shows up under a path it does not.
        case moved(from: [UInt8], to: [UInt8])
        /// A path the manifest does not list, with a digest no vanished path had.
        case new([UInt8])
        /// A path the manifest lists that is gone, its digest nowhere new.
        case missing([UInt8])
    }

    /// In report order: changed and then moved or new files in the order `files` gave them,
    /// then the missing ones in path order.
    public private(set) var findings: [Finding] = []
    public private(set) var unchanged = 0

    /// Compares the manifest's lines (`expected`, by path) with the tree's `files`, whose
    /// `digests` are one per `algorithms`. A line matches in any of its candidate algorithms
    /// (every one of `algorithms` when `forced`, as `check -a` does). `pathPrecedes` orders
    /// paths (the walk's order): of two vanished files with one digest, the first is the one
    /// moved. O(lines + files) hashing-free work, plus the sort of the vanished paths.
    public init(expected: [[UInt8]: ManifestLine], files: [(path: [UInt8], size: Int, digests: [[UInt8]])],
                algorithms: [Algorithm], forced: Bool, pathPrecedes: ([UInt8], [UInt8]) -> Bool) {
        func recorded(_ line: ManifestLine, size: Int, digests: [[UInt8]]) -> Bool {
            if let recordedSize = line.size, recordedSize != size { return false }
            return zip(algorithms, digests).contains { algorithm, bytes in
                (forced || line.candidates.contains(algorithm)) && line.matches(bytes, algorithm: algorithm)
            }
        }
        var seen = Set<[UInt8]>()
        var newFiles: [(path: [UInt8], digests: [[UInt8]])] = []
        for file in files {
            seen.insert(file.path)
            if let line = expected[file.path] {
                if recorded(line, size: file.size, digests: file.digests) { unchanged += 1 } else { findings.append(.changed(file.path)) }
            } else {
                newFiles.append((file.path, file.digests))
            }
        }
        // Each digest's vanished paths, last in path order first: `popLast` takes the first.
        var vanishedByDigest: [String: [[UInt8]]] = [:]
        for (path, line) in expected where !seen.contains(path) { vanishedByDigest[line.digest, default: []].append(path) }
        for key in vanishedByDigest.keys { vanishedByDigest[key]!.sort { pathPrecedes($1, $0) } }
        for file in newFiles {
            let formats = zip(algorithms, file.digests).map { $0.format($1) }
            if let key = formats.first(where: { vanishedByDigest[$0]?.isEmpty == false }),
               let old = vanishedByDigest[key]?.popLast() {
                findings.append(.moved(from: old, to: file.path))
            } else {
                findings.append(.new(file.path))
            }
        }
        findings += vanishedByDigest.values.flatMap { $0 }.sorted(by: pathPrecedes).map { Finding.missing($0) }
    }

    /// The summary line's counts: unchanged, changed, moved, new, missing.
    public var counts: (unchanged: Int, changed: Int, moved: Int, new: Int, missing: Int) {
        var counts = (unchanged: unchanged, changed: 0, moved: 0, new: 0, missing: 0)
        for finding in findings {
            switch finding {
            case .changed: counts.changed += 1
            case .moved: counts.moved += 1
            case .new: counts.new += 1
            case .missing: counts.missing += 1
            }
        }
        return counts
    }
}
