import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Multithreaded BLAKE3 over one large input. The input is cut into 1 MiB segments; each
/// segment is a complete 1024-chunk subtree, so workers hash segments independently (SIMD
/// inside each) and the caller's thread merges their chaining values in order. The last
/// segment (which may hold the root) always goes through the ordinary streaming path.
///
/// Memory: one 1 MiB buffer and 32 KiB of scratch per worker, plus 32 bytes per segment
/// of input (32 KiB per GiB); a file is never mapped or read whole.
///
/// Workers run on Dispatch's global pool (`concurrentPerform`). When files are already
/// hashed in parallel (one per pool thread), pass `threads: 1` for small files and keep
/// the multithreaded path for the few very large ones.
extension BLAKE3 {
    /// Bytes per parallel work item: 1024 chunks. Big enough that a pread(2) and the tree
    /// merge per segment cost nothing measurable; small enough to keep memory flat.
    static let segmentLength = 1 << 20
    static let chunksPerSegment = segmentLength / chunkLength

    /// The number of online CPUs, the default parallelism.
    public static var defaultThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Whether whole segments can be appended next: the input so far is a multiple of the
    /// segment length and no chunk is pending. Call only when more input is certain to
    /// follow: it completes a full pending chunk (which is then known not to be the root).
    private mutating func prepareForSegments() -> Bool {
        guard length % UInt64(BLAKE3.segmentLength) == 0 else { return false }
        completeFullChunk()
        return true
    }

    /// The plain BLAKE3 digest of `bytes`, hashed on up to `threads` threads (see
    /// `update(parallel:threads:)`).
    public static func hashParallel(_ bytes: UnsafeRawBufferPointer, threads: Int = BLAKE3.defaultThreadCount) -> [UInt8] {
        var hasher = BLAKE3()
        hasher.update(parallel: bytes, threads: threads)
        return hasher.finalize()
    }

    /// Absorbs `bytes` using up to `threads` threads; the digest equals a plain
    /// `update(bytes)`. Parallel only when the hasher is at a multiple of 1 MiB of input
    /// (e.g. fresh) and `bytes` spans more than two segments; otherwise single-threaded.
    /// Blocks until done. `bytes` must stay valid and unmodified for the call.
    public mutating func update(parallel bytes: UnsafeRawBufferPointer, threads: Int = BLAKE3.defaultThreadCount) {
        let segments = bytes.count > 0 ? (bytes.count - 1) / BLAKE3.segmentLength : 0
        guard threads > 1, segments >= 2, prepareForSegments() else {
            update(bytes)
            return
        }
        let firstChunk = chunkCounterForAppend
        let cvs = UnsafeMutableBufferPointer<ChainingValue>.allocate(capacity: segments)
        defer { cvs.deallocate() }
        let config = (key: key, flags: flags, kernel: kernel)
        let shared = SegmentPointers(input: bytes.baseAddress!, cvs: cvs.baseAddress!)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, segments)) { _ in
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: 32 * BLAKE3.chunksPerSegment, alignment: 64)
            defer { scratch.deallocate() }
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if index >= segments { break }
                // Each worker writes only cvs[index] for the indices it claimed;
                // concurrentPerform's return publishes them to this thread.
                shared.cvs[index] = BLAKE3.subtreeChainingValue(
                    shared.input! + index * BLAKE3.segmentLength, chunks: BLAKE3.chunksPerSegment,
                    counter: firstChunk + UInt64(index * BLAKE3.chunksPerSegment),
                    key: config.key, flags: config.flags, kernel: config.kernel, scratch: scratch)
            }
        }
        appendSubtrees(UnsafeBufferPointer(cvs), chunksPerSubtree: BLAKE3.chunksPerSegment)
        update(UnsafeRawBufferPointer(rebasing: bytes[(segments * BLAKE3.segmentLength)...]))
    }

    /// Absorbs the whole file open at `descriptor` (from offset 0 to end of file, with
    /// pread(2), leaving the descriptor's offset alone) using up to `threads` threads.
    /// Parallel under the same conditions as `update(parallel:threads:)`, sized by one
    /// fstat(2) at the start; bytes appended while hashing are included, a file that
    /// shrinks throws `DigestError.fileShrank`. Read errors throw `.readFailed`.
    /// `shouldStop` is asked before each 1 MiB segment (on every thread): once it answers
    /// true the hashing stops and the call returns false, the hasher left unusable, so a
    /// signal stops a 100 GB file within a segment per thread, not at its end.
    @discardableResult
    public mutating func update(fileDescriptor descriptor: Int32, threads: Int = BLAKE3.defaultThreadCount,
                                shouldStop: (@Sendable () -> Bool)? = nil) throws -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw DigestError.readFailed(errno: errno) }
        let size = Int(info.st_size)
        let segments = size > 0 ? (size - 1) / BLAKE3.segmentLength : 0
        var offset = 0
        if threads > 1, segments >= 2, prepareForSegments() {
            let firstChunk = chunkCounterForAppend
            let cvs = UnsafeMutableBufferPointer<ChainingValue>.allocate(capacity: segments)
            defer { cvs.deallocate() }
            let config = (key: key, flags: flags, kernel: kernel)
            let shared = SegmentPointers(input: nil, cvs: cvs.baseAddress!)
            let next = Atomic<Int>(0)
            // 0: no failure; > 0: an errno; -1 - n: the file ended after n bytes; Int.min: stopped.
            let failure = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: min(threads, segments)) { _ in
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: BLAKE3.segmentLength, alignment: 64)
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: 32 * BLAKE3.chunksPerSegment, alignment: 64)
                defer { buffer.deallocate(); scratch.deallocate() }
                while failure.load(ordering: .relaxed) == 0 {
                    if shouldStop?() == true {
                        _ = failure.compareExchange(expected: 0, desired: Int.min, ordering: .relaxed)
                        break
                    }
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if index >= segments { break }
                    let start = index * BLAKE3.segmentLength
                    let got = BLAKE3.readFully(descriptor, into: buffer, count: BLAKE3.segmentLength, at: start)
                    if got.errno != 0 {
                        _ = failure.compareExchange(expected: 0, desired: Int(got.errno), ordering: .relaxed)
                        break
                    }
                    if got.count < BLAKE3.segmentLength {
                        _ = failure.compareExchange(expected: 0, desired: -1 - (start + got.count), ordering: .relaxed)
                        break
                    }
                    shared.cvs[index] = BLAKE3.subtreeChainingValue(
                        UnsafeRawPointer(buffer), chunks: BLAKE3.chunksPerSegment,
                        counter: firstChunk + UInt64(index * BLAKE3.chunksPerSegment),
                        key: config.key, flags: config.flags, kernel: config.kernel, scratch: scratch)
                }
            }
            let code = failure.load(ordering: .relaxed)
            if code == Int.min { return false }
            if code > 0 { throw DigestError.readFailed(errno: Int32(code)) }
            if code < 0 { throw DigestError.fileShrank(expectedLength: size, readLength: -1 - code) }
            appendSubtrees(UnsafeBufferPointer(cvs), chunksPerSubtree: BLAKE3.chunksPerSegment)
            offset = segments * BLAKE3.segmentLength
        }
        // The tail (and small or unaligned inputs): sequential reads to end of file.
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: BLAKE3.segmentLength, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            if shouldStop?() == true { return false }
            let got = BLAKE3.readFully(descriptor, into: buffer, count: BLAKE3.segmentLength, at: offset)
            if got.errno != 0 { throw DigestError.readFailed(errno: got.errno) }
            update(UnsafeRawBufferPointer(start: buffer, count: got.count))
            offset += got.count
            if got.count < BLAKE3.segmentLength { break }
        }
        if offset < size { throw DigestError.fileShrank(expectedLength: size, readLength: offset) }
        return true
    }

    /// The memory workers share. Unchecked Sendable: `input` is only read; each worker
    /// writes only the `cvs` slots whose indices it claimed from the atomic counter, and
    /// concurrentPerform's return orders those writes before the caller reads them.
    private struct SegmentPointers: @unchecked Sendable {
        let input: UnsafeRawPointer?
        let cvs: UnsafeMutablePointer<ChainingValue>
    }

    /// The counter of the next chunk, for appending whole segments (requires an empty chunk).
    private var chunkCounterForAppend: UInt64 { length / UInt64(BLAKE3.chunkLength) }

    /// pread(2) until `count` bytes, end of file, or an error (EINTR retried).
    static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int,
                          at offset: Int) -> (count: Int, errno: Int32) {
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if n == 0 { break }
            done += n
        }
        return (done, 0)
    }
}
