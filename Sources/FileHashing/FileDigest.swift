#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import Scan
import WorkerPool

/// The digests of one file, read once in fixed-size pieces however many algorithms.
public struct FileDigest: Sendable {
    /// The bytes read.
    public var size: Int
    /// One digest per algorithm, in the order the algorithms were given.
    public var digests: [[UInt8]]

    public init(size: Int, digests: [[UInt8]]) {
        self.size = size
        self.digests = digests
    }

    /// Below this, a file is hashed on the calling worker alone; above it, BLAKE3 alone
    /// spreads the file's 1 MiB subtrees over the cores (b3sum does the same), and other
    /// algorithms read on a second thread while they hash (`PipelinedReader`).
    public static let parallelThreshold = 16 << 20

    /// Reads `path` and hashes it. Nil when `cancellation` stopped it part-way.
    /// `progress`, if given, hears the byte count of each piece as it is hashed.
    public static func compute(path: [UInt8], algorithms: [Algorithm], cancellation: CancellationToken?,
                        isRegularFile: Bool = false, followSymlinks: Bool = true,
                        progress: ((Int) -> Void)? = nil) throws(ReadError) -> FileDigest? {
        let fd = try FileReader.open(path, followSymlinks: followSymlinks)
        defer { close(fd) }
        return try compute(fd: fd, path: path, algorithms: algorithms, cancellation: cancellation,
                           isRegularFile: isRegularFile, progress: progress)
    }

    /// `compute(path:...)` for a file already open at offset 0; the caller closes `fd`.
    public static func compute(fd: Int32, path: [UInt8], algorithms: [Algorithm], cancellation: CancellationToken?,
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
                            // The whole file, this first chunk included, was hashed above.
                            progress?(size)
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
