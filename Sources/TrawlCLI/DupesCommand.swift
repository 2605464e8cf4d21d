#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import Scan
import Walk
import WorkerPool

/// `trawl dupes`: groups of files with identical content. Never deletes anything.
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
        /// Its place in the walk: files next in the walk share directories (see `refine`).
        var sequence = 0
    }

    static let edge = 4096

    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        var flags = try WalkFlags(arguments, sortDefault: .path, everything: true)
        flags.options.statFiles = true
        let minimumSize = try arguments.value("min-size").map { try WalkFlags.number($0, flag: "--min-size") } ?? 0
        let includeEmpty = arguments.has("empty")
        let hardlinks = arguments.has("hardlinks")
        let pool = ThreadPoolExecutor(maxWorkers: flags.threads, name: "trawl-io")
        // Interrupted: do not wait for a worker blocked on a silent FIFO; exit ends it.
        defer { pool.shutdown(wait: !interrupt.isCancelled, cancelPending: true) }
        var failed = false

        // Stage 1: sizes, from the walker's fstatat (statFiles) on the walking threads: a
        // future per file would cost more than the call.
        var bySize: [Int: [Candidate]] = [:]
        var scanned = 0
        let scan = Scan(pool: pool, order: .completion, cancellation: interrupt)
        scan.run(source: try flags.source(paths: arguments.positionals), job: .inline { entry -> Result<Candidate, ReadError>? in
            if let size = entry.size, let device = entry.device {
                return .success(Candidate(path: entry.path, size: Int(size), device: device, inode: entry.inode))
            }
            // Listed paths (--files-from) and roots come without a stat.
            var info = stat()
            let status = entry.path.withUnsafeBufferPointer { bytes in
                withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { cPath in
                    for i in 0..<bytes.count { cPath[i] = CChar(bitPattern: bytes[i]) }
                    cPath[bytes.count] = 0
                    return stat(cPath.baseAddress!, &info)
                }
            }
            guard status == 0 else { return .failure(ReadError(path: entry.path, errno: errno)) }
            guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return .success(Candidate(path: entry.path, size: Int(info.st_size), device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        }) { event in
            switch event {
            case .record(_, .success(var candidate)):
                candidate.sequence = scanned
                scanned += 1
                if candidate.size >= minimumSize, candidate.size > 0 || includeEmpty {
                    bySize[candidate.size, default: []].append(candidate)
                }
            case .record(_, .failure(let error)):
                Diagnostics.error(error.description)
                failed = true
            case .walkError(let error):
                Diagnostics.error(error.description)
                failed = true
            }
            return true
        }
        if interrupt.isCancelled { return 130 }

        // Stage 2: hard links count once.
        var groups: [[Candidate]] = []
        for (_, members) in bySize where members.count > 1 {
            var seen = Set<[UInt64]>()
            var unique: [Candidate] = []
            for member in members.sorted(by: { pathPrecedes($0.path, $1.path) }) {
                if hardlinks || seen.insert([member.device, member.inode]).inserted { unique.append(member) }
            }
            if unique.count > 1 { groups.append(unique) }
        }

        // Stage 3 and 4: edges, then whole files.
        groups = try refine(groups, pool: pool, interrupt: interrupt, failed: &failed) { candidate in
            try edgeDigest(candidate)
        }
        groups = try refine(groups, pool: pool, interrupt: interrupt, failed: &failed) { candidate in
            try FileDigest.compute(path: candidate.path, algorithms: [.blake3], cancellation: interrupt,
                                   isRegularFile: true)?.digests[0] ?? []
        }
        if arguments.has("verify") {
            groups = try verify(groups, pool: pool, interrupt: interrupt, failed: &failed)
        }
        if interrupt.isCancelled { return 130 }

        groups.sort { a, b in a[0].size != b[0].size ? a[0].size < b[0].size : pathPrecedes(a[0].path, b[0].path) }
        let json = arguments.has("json")
        let terminator: UInt8 = flags.nullSeparated ? 0 : 10
        var reclaimable = 0
        for group in groups {
            reclaimable += group[0].size * (group.count - 1)
            if json {
                output.append("{\"size\":")
                output.append(decimal: group[0].size)
                output.append(",\"paths\":[")
                for (index, member) in group.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    output.appendJSONString(member.path)
                }
                output.append("]}\n")
            } else {
                for member in group {
                    output.append(member.path)
                    output.append(terminator)
                }
                output.append(terminator)
            }
            output.endRecord()
            if output.isBroken { break }
        }
        output.flush()
        if arguments.has("stats") {
            Diagnostics.error("\(scanned) files scanned, \(groups.count) duplicate groups, \(groups.reduce(0) { $0 + $1.count }) files in groups, \(reclaimable) bytes reclaimable")
        }
        if failed { return 2 }
        return groups.isEmpty ? 1 : 0
    }

    /// Splits each group by a key computed on the pool; keeps the parts with two or more.
    /// Files go to the pool 32 to a task: a key costs a few syscalls, and a future per file
    /// made the pool's wake-ups (futex calls) cost more than the keys.
    static func refine(_ groups: [[Candidate]], pool: ThreadPoolExecutor, interrupt: CancellationToken,
                       failed: inout Bool,
                       key: @escaping @Sendable (Candidate) throws -> [UInt8]) throws -> [[Candidate]] {
        let all = groups.flatMap { $0 }
        // In walk order, files of a task mostly share a directory and open relative to it:
        // full paths put path lookups at about a tenth of a dupes profile.
        let walkOrder = all.indices.sorted { all[$0].sequence < all[$1].sequence }
        let batch = 32
        let futures = try stride(from: 0, to: walkOrder.count, by: batch).map { start in
            let slice = walkOrder[start..<min(start + batch, walkOrder.count)].map { all[$0] }
            return try pool.submit {
                FileReader.withDirectoryCache { slice.map { candidate in Result { try key(candidate) } } }
            }
        }
        var keys = [Result<[UInt8], any Error>](repeating: .success([]), count: all.count)
        for (number, future) in futures.enumerated() {
            do {
                for (offset, key) in try future.result().enumerated() { keys[walkOrder[number * batch + offset]] = key }
            } catch {
                return []
            }
        }
        var refined: [[Candidate]] = []
        var index = 0
        for group in groups {
            var parts: [[UInt8]: [Candidate]] = [:]
            var order: [[UInt8]] = []
            for candidate in group {
                defer { index += 1 }
                switch keys[index] {
                case .success(let digest):
                    if parts[digest] == nil { order.append(digest) }
                    parts[digest, default: []].append(candidate)
                case .failure(let error):
                    if !interrupt.isCancelled {
                        Diagnostics.error("\(error)")
                        failed = true
                    }
                }
            }
            for digest in order where parts[digest]!.count > 1 { refined.append(parts[digest]!) }
        }
        return refined
    }

    /// `--verify`: each group split by byte-for-byte comparison with a representative of
    /// each part, two files read side by side in 64 KiB pieces, so memory stays flat
    /// whatever the file size. One task per group on the pool.
    static func verify(_ groups: [[Candidate]], pool: ThreadPoolExecutor, interrupt: CancellationToken,
                       failed: inout Bool) throws -> [[Candidate]] {
        let futures = try groups.map { group in
            try pool.submit { () -> [[Candidate]] in
                var parts: [[Candidate]] = []
                for candidate in group {
                    if let index = try parts.firstIndex(where: { try sameBytes($0[0].path, candidate.path) }) {
                        parts[index].append(candidate)
                    } else {
                        parts.append([candidate])
                    }
                }
                return parts.filter { $0.count > 1 }
            }
        }
        var verified: [[Candidate]] = []
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

    /// True when the two files hold the same bytes.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) throws -> Bool {
        let first = try FileReader.open(a)
        defer { close(first) }
        let second = try FileReader.open(b)
        defer { close(second) }
        let size = 64 * 1024
        let left = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        let right = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { left.deallocate(); right.deallocate() }
        var offset = 0
        while true {
            let got = pread(first, left, size, off_t(offset))
            let other = pread(second, right, size, off_t(offset))
            if got < 0 { throw ReadError(path: a, errno: errno) }
            if other < 0 { throw ReadError(path: b, errno: errno) }
            if got != other || memcmp(left, right, got) != 0 { return false }
            if got == 0 { return true }
            offset += got
        }
    }

    /// XXH128 of the first and last 4 KiB (the whole file when it is that small).
    static func edgeDigest(_ candidate: Candidate) throws -> [UInt8] {
        let fd = try FileReader.open(candidate.path)
        defer { close(fd) }
        var hasher = XXH128()
        let buffer = FileReader.threadBuffer()
        func readAt(_ offset: Int, _ count: Int) throws {
            var done = 0
            while done < count {
                let got = pread(fd, buffer + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ReadError(path: candidate.path, errno: errno)
                }
                if got == 0 { break }
                done += got
            }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: done))
        }
        if candidate.size <= 2 * edge {
            try readAt(0, candidate.size)
        } else {
            try readAt(0, edge)
            try readAt(candidate.size - edge, edge)
        }
        return hasher.finalize()
    }
}
