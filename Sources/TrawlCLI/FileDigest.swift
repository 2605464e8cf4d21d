#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import Scan
import WorkerPool

/// The digests of one file, read once in fixed-size pieces however many algorithms.
struct FileDigest: Sendable {
    var size: Int
    var digests: [[UInt8]]

    /// Below this, a file is hashed on the calling worker alone; above it, BLAKE3 alone
    /// spreads the file's 1 MiB subtrees over the cores (b3sum does the same), and other
    /// algorithms read on a second thread while they hash (`PipelinedReader`).
    static let parallelThreshold = 16 << 20

    /// Reads `path` and hashes it. Nil when `cancellation` stopped it part-way.
    /// `progress`, if given, hears the byte count of each piece as it is hashed.
    static func compute(path: [UInt8], algorithms: [Algorithm], cancellation: CancellationToken?,
                        isRegularFile: Bool = false, progress: ((Int) -> Void)? = nil) throws(ReadError) -> FileDigest? {
        let fd = try FileReader.open(path)
        defer { close(fd) }
        return try compute(fd: fd, path: path, algorithms: algorithms, cancellation: cancellation,
                           isRegularFile: isRegularFile, progress: progress)
    }

    /// `compute(path:...)` for a file already open at offset 0; the caller closes `fd`.
    static func compute(fd: Int32, path: [UInt8], algorithms: [Algorithm], cancellation: CancellationToken?,
                        isRegularFile: Bool = false, progress: ((Int) -> Void)? = nil) throws(ReadError) -> FileDigest? {
        var hasher = MultiHasher(algorithms)
        var size = 0
        var first = true
        var parallelDigest: [UInt8]?
        var pipelined = false
        let stop = stopRequest(cancellation)
        var finished = try FileReader.forEachChunk(fd: fd, path: path, cancellation: cancellation,
                                                   isRegularFile: isRegularFile) { chunk in
            if first, chunk.count == FileReader.chunkSize {
                first = false
                var info = stat()
                if fstat(fd, &info) == 0, Int(info.st_size) >= parallelThreshold {
                    if algorithms == [.blake3] {
                        var blake = BLAKE3()
                        if let completed = try? blake.update(fileDescriptor: fd, shouldStop: stop) {
                            if completed { parallelDigest = blake.finalize() }
                            size = Int(info.st_size)
                            return false
                        }
                    }
                    // The rest is read on a thread of its own while this one hashes.
                    pipelined = true
                }
            }
            first = false
            hasher.update(chunk)
            size += chunk.count
            progress?(chunk.count)
            return !pipelined
        }
        if let parallelDigest { return FileDigest(size: size, digests: [parallelDigest]) }
        if pipelined {
            finished = try PipelinedReader.forEachPiece(fd: fd, path: path, cancellation: cancellation) { piece in
                hasher.update(piece)
                size += piece.count
                progress?(piece.count)
                return true
            }
        }
        guard finished else { return nil }
        return FileDigest(size: size, digests: hasher.finalize())
    }
}

/// BLAKE3's parallel reader asks this between segments.
private func stopRequest(_ cancellation: CancellationToken?) -> (@Sendable () -> Bool)? {
    guard let cancellation else { return nil }
    return { cancellation.isCancelled }
}

/// `-a` values: repeatable and comma lists, in the order given, duplicates dropped.
func parseAlgorithms(_ values: [String], default fallback: Algorithm?) throws -> [Algorithm] {
    var algorithms: [Algorithm] = []
    for value in values {
        for name in value.split(separator: ",") {
            guard let algorithm = Algorithm.from(name: String(name)) else {
                throw ArgumentError.invalidValue(flag: "--algo", value: String(name),
                                                 reason: "known algorithms: " + Algorithm.allCases.map(\.name).joined(separator: ", "))
            }
            if !algorithms.contains(algorithm) { algorithms.append(algorithm) }
        }
    }
    if algorithms.isEmpty, let fallback { algorithms = [fallback] }
    return algorithms
}
