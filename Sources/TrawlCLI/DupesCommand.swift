#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import FileHashing
import Platform
import Scan
import Walk
import WorkerPool

/// `trawl dupes`: groups of files with identical content, and with an action flag, links or
/// deletions of every duplicate but the one kept (`DuplicateReplacer`). Changes nothing without one.
///
/// Stages, each cheaper than the next and run only on what survived the last:
/// size (from the walk's stat) -> one device+inode per group (hard links count once) ->
/// XXH128 of the first and last 4 KiB -> BLAKE3 of the whole file -> optionally bytes.
/// The edge stage sees most files of a source tree (small sizes collide often), so it uses
/// the fast non-cryptographic hash; only its survivors pay for BLAKE3 (measured on the
/// Linux tree: BLAKE3's single-block path took a fifth of the run as the edge hash).
enum DupesCommand {
    struct Candidate: Sendable {
        var path: [UInt8]
        var size: Int
        var device: UInt64
        var inode: UInt64
        /// The walk saw a regular file: opened with O_NOFOLLOW (`WalkEntry.noFollow`).
        var noFollow = false
    }

    /// A digest's first 32 bytes as words: groups split by sorting integers. Keyed by
    /// `[UInt8]` digests in dictionaries, the split after the edge stage ran serially for
    /// 0.05 s of the 0.42 s run on the Linux tree (a heap array and byte-wise hashing per file).
    struct ContentKey: Comparable, Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(_ high: UInt64, _ low: UInt64) { words = (high, low, 0, 0) }

        init(digest: [UInt8]) {
            var packed: [UInt64] = [0, 0, 0, 0]
            for (index, byte) in digest.prefix(32).enumerated() {
                packed[index / 8] |= UInt64(byte) << (56 - 8 * UInt64(index % 8))
            }
            words = (packed[0], packed[1], packed[2], packed[3])
        }

        static func == (a: ContentKey, b: ContentKey) -> Bool { a.words == b.words }
        static func < (a: ContentKey, b: ContentKey) -> Bool { a.words < b.words }
    }

    static let edge = 4096

    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        let settings = try DupesSettings(arguments)
        var flags = try WalkFlags(arguments, sortDefault: .path, everything: true)
        flags.options.statFiles = true
        let minimumSize = try arguments.value(.minSize).map { try WalkFlags.number($0, flag: "--min-size") } ?? 0
        let includeEmpty = arguments.has(.empty)
        let scanRun = ScanRun(threads: flags.threads, interrupt: interrupt, output: output)
        defer { scanRun.shutdown() }
        let pool = scanRun.pool

        // Stage 1: sizes, from the walker's fstatat (statFiles) on the walking threads: a
        // future per file would cost more than the call. Later stages name files by their
        // index here, which is walk order: neighbours share directories (see `refine`).
        var files: [Candidate] = []
        var scanned = 0
        scanRun.scanFiles(try flags.source(paths: arguments.positionals), job: .inline { entry -> Result<Candidate, ReadError>? in
            if let size = entry.size, let device = entry.device {
                return .success(Candidate(path: entry.path, size: Int(size), device: device, inode: entry.inode, noFollow: entry.noFollow))
            }
            // Listed paths (--files-from) and roots come without a stat.
            guard let info = entry.path.fileStatus() else { return .failure(ReadError(path: entry.path, errno: errno)) }
            guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return .success(Candidate(path: entry.path, size: Int(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        }, order: .completion) { _, candidate in
            scanned += 1
            if candidate.size >= minimumSize, candidate.size > 0 || includeEmpty { files.append(candidate) }
            return true
        }
        if interrupt.isCancelled { return 130 }
        var failed = scanRun.failed

        // Stage 2: same size, hard links counted once.
        var groups = sizeGroups(files, keepingHardLinks: arguments.has(.hardlinks))

        // Stage 3 and 4: edges, then whole files.
        groups = try refine(groups, files: files, pool: pool, interrupt: interrupt, failed: &failed) { candidate in
            try edgeKey(candidate)
        }
        groups = try refine(groups, files: files, pool: pool, interrupt: interrupt, failed: &failed) { candidate in
            ContentKey(digest: try FileDigest.compute(path: candidate.path, algorithms: [.blake3], cancellation: interrupt,
                                                      isRegularFile: true, followSymlinks: !candidate.noFollow)?.digests[0] ?? [])
        }
        if arguments.has(.verify) {
            groups = try verify(groups, files: files, pool: pool, interrupt: interrupt, failed: &failed)
        }
        if interrupt.isCancelled { return 130 }

        var found = groups.map { group in group.map { files[$0] }.sorted { pathPrecedes($0.path, $1.path) } }
        found.sort { a, b in a[0].size != b[0].size ? a[0].size < b[0].size : pathPrecedes(a[0].path, b[0].path) }
        let listing = DupesListing(groups: found, order: settings.order, keep: settings.keep)
        let printer = DupesPrinter(output: output, json: arguments.has(.json), terminator: flags.nullSeparated ? 0 : 10)
        if let action = settings.action {
            let replacer = DuplicateReplacer(action: action, dryRun: settings.dryRun, cancellation: interrupt)
            if !act(listing, replacer: replacer, pool: pool, printer: printer) { failed = true }
        } else if !settings.summarize {
            printer.printGroups(listing, withSizes: settings.showSizes)
        }
        if settings.summarize { printer.printSummary(listing) }
        output.flush()
        if arguments.has(.stats) {
            Diagnostics.error("\(scanned) files scanned, \(found.count) duplicate groups, \(listing.fileCount) files in groups, \(listing.reclaimableBytes) bytes reclaimable")
        }
        if interrupt.isCancelled { return 130 }
        if failed { return 2 }
        return found.isEmpty ? 1 : 0
    }

    /// Runs the action on every group, a task per group on the pool (each compares its
    /// duplicates with the file kept, then replaces them), and prints each group's outcome
    /// in listing order. Waits for every task, interrupted or not, so no replacement is
    /// left half-made when the command returns. False when an action failed.
    static func act(_ listing: DupesListing, replacer: DuplicateReplacer, pool: ThreadPoolExecutor,
                    printer: DupesPrinter) -> Bool {
        var succeeded = true
        let futures = listing.groups.indices.map { index in
            let group = listing.groups[index]
            let kept = listing.kept[index]
            let duplicates = group.indices.filter { $0 != kept }.map { group[$0].path }
            return try? pool.submitOrRunHere { replacer.apply(kept: group[kept].path, duplicates: duplicates) }
        }
        for (index, future) in futures.enumerated() {
            guard let outcomes = try? future?.result() else { continue }
            if !printer.printOutcomes(of: index, in: listing, outcomes, action: replacer.action, dryRun: replacer.dryRun) { succeeded = false }
        }
        return succeeded
    }

    /// Indices of `files` with a size in common, each group in walk order; files that are
    /// hard links of one another count once (the first in path order stays) unless kept.
    static func sizeGroups(_ files: [Candidate], keepingHardLinks: Bool) -> [[Int]] {
        let bySize = files.indices.sorted { (files[$0].size, $0) < (files[$1].size, $1) }
        var groups: [[Int]] = []
        for run in runs(of: bySize, where: { files[$0].size == files[$1].size }) where run.count > 1 {
            let group = keepingHardLinks ? Array(run) : oneLinkEach(run, files: files)
            if group.count > 1 { groups.append(group) }
        }
        return groups
    }

    /// One member per device+inode, the first in path order; the result in walk order.
    static func oneLinkEach(_ members: ArraySlice<Int>, files: [Candidate]) -> [Int] {
        let byInode = members.sorted { (files[$0].device, files[$0].inode, $0) < (files[$1].device, files[$1].inode, $1) }
        let sameFile = { (a: Int, b: Int) in files[a].device == files[b].device && files[a].inode == files[b].inode }
        return runs(of: byInode, where: sameFile).map { links in
            links.min { pathPrecedes(files[$0].path, files[$1].path) }!
        }.sorted()
    }

    /// The runs of neighbours in `sorted` for which `same` holds, in order.
    static func runs(of sorted: [Int], where same: (Int, Int) -> Bool) -> [ArraySlice<Int>] {
        var runs: [ArraySlice<Int>] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && same(sorted[start], sorted[end]) { end += 1 }
            runs.append(sorted[start..<end])
            start = end
        }
        return runs
    }

    /// Splits each group by a key computed on the pool; keeps the parts with two or more.
    /// Files go to the pool 32 to a task: a key costs a few syscalls, and a future per file
    /// made the pool's wake-ups (futex calls) cost more than the keys.
    static func refine(_ groups: [[Int]], files: [Candidate], pool: ThreadPoolExecutor, interrupt: CancellationToken,
                       failed: inout Bool,
                       key: @escaping @Sendable (Candidate) throws -> ContentKey) throws -> [[Int]] {
        // In walk order, files of a task mostly share a directory and open relative to it:
        // full paths put path lookups at about a tenth of a dupes profile.
        let members = groups.flatMap { $0 }.sorted()
        let batch = 32
        let futures = try stride(from: 0, to: members.count, by: batch).map { start in
            let slice = members[start..<min(start + batch, members.count)]
            return try pool.submitOrRunHere {
                FileReader.withDirectoryCache { slice.map { index in Result { try key(files[index]) } } }
            }
        }
        var keys = [ContentKey?](repeating: nil, count: files.count)
        for (number, future) in futures.enumerated() {
            guard let results = try? future.result() else { return [] }
            for (offset, result) in results.enumerated() {
                switch result {
                case .success(let key):
                    keys[members[number * batch + offset]] = key
                case .failure(let error):
                    if !interrupt.isCancelled {
                        Diagnostics.error("\(error)")
                        failed = true
                    }
                }
            }
        }
        var refined: [[Int]] = []
        for group in groups {
            let keyed = group.filter { keys[$0] != nil }.sorted { (keys[$0]!, $0) < (keys[$1]!, $1) }
            for part in runs(of: keyed, where: { keys[$0] == keys[$1] }) where part.count > 1 {
                refined.append(Array(part))
            }
        }
        return refined
    }

    /// `--verify`: each group split by byte-for-byte comparison with a representative of
    /// each part, two files read side by side in 64 KiB pieces, so memory stays flat
    /// whatever the file size. One task per group on the pool.
    static func verify(_ groups: [[Int]], files: [Candidate], pool: ThreadPoolExecutor, interrupt: CancellationToken,
                       failed: inout Bool) throws -> [[Int]] {
        let futures = try groups.map { group in
            try pool.submitOrRunHere { () -> [[Int]] in
                var parts: [[Int]] = []
                for member in group {
                    if let index = try parts.firstIndex(where: { try sameBytes(files[$0[0]].path, files[member].path, noFollow: (files[$0[0]].noFollow, files[member].noFollow), cancellation: interrupt) }) {
                        parts[index].append(member)
                    } else {
                        parts.append([member])
                    }
                }
                return parts.filter { $0.count > 1 }
            }
        }
        var verified: [[Int]] = []
        for future in futures {
            do { verified.append(contentsOf: try future.result()) } catch {
                if !interrupt.isCancelled {
                    Diagnostics.error("\(error)")
                    failed = true
                }
            }
        }
        return verified
    }

    /// True when the two files hold the same bytes (false when `cancellation` stopped it).
    /// `noFollow`: open each with O_NOFOLLOW (`Candidate.noFollow`).
    static func sameBytes(_ a: [UInt8], _ b: [UInt8], noFollow: (Bool, Bool) = (false, false),
                          cancellation: CancellationToken? = nil) throws -> Bool {
        let first = try FileReader.open(a, followSymlinks: !noFollow.0)
        defer { close(first) }
        let second = try FileReader.open(b, followSymlinks: !noFollow.1)
        defer { close(second) }
        return try sameBytes(first, a, second, b, cancellation: cancellation) ?? false
    }

    /// True when the files open at `first` and `second` (named `a` and `b` in errors) hold
    /// the same bytes; nil when `cancellation` stopped the comparison. Read side by side in
    /// 64 KiB pieces, cancellation checked before each: memory stays flat and an interrupt
    /// is heard within a piece, whatever the file size.
    static func sameBytes(_ first: Int32, _ a: [UInt8], _ second: Int32, _ b: [UInt8],
                          cancellation: CancellationToken?) throws -> Bool? {
        let size = 64 * 1024
        let left = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        let right = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { left.deallocate(); right.deallocate() }
        var offset = 0
        while true {
            if cancellation?.isCancelled == true { return nil }
            let got = BLAKE3.readFully(first, into: left, count: size, at: offset)
            let other = BLAKE3.readFully(second, into: right, count: size, at: offset)
            if got.errno != 0 { throw ReadError(path: a, errno: got.errno) }
            if other.errno != 0 { throw ReadError(path: b, errno: other.errno) }
            if got.count != other.count || memcmp(left, right, got.count) != 0 { return false }
            if got.count < size { return true }
            offset += got.count
        }
    }

    /// XXH128 of the first and last 4 KiB (the whole file when it is that small).
    static func edgeKey(_ candidate: Candidate) throws -> ContentKey {
        let fd = try FileReader.open(candidate.path, followSymlinks: !candidate.noFollow)
        defer { close(fd) }
        var hasher = XXH128()
        let buffer = FileReader.threadBuffer()
        func readAt(_ offset: Int, _ count: Int) throws {
            let got = BLAKE3.readFully(fd, into: buffer, count: count, at: offset)
            if got.errno != 0 { throw ReadError(path: candidate.path, errno: got.errno) }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: got.count))
        }
        if candidate.size <= 2 * edge {
            try readAt(0, candidate.size)
        } else {
            try readAt(0, edge)
            try readAt(candidate.size - edge, edge)
        }
        let digest = hasher.value
        return ContentKey(digest.high, digest.low)
    }
}
