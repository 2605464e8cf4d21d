#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Digest
import Platform
import Scan
import Walk
import WorkerPool

/// MD5 of a pool task's run of files with the small ones side by side in SIMD lanes
/// (`MD5Lanes`): each small file is read whole into one buffer of the thread's, then all
/// are hashed together; a file too big for its share of the buffer streams as usual.
///
/// Why: MD5 is a chain of dependent steps, about 4.5 cycles a byte on one lane, and was
/// two thirds of the CPU of `hash -a md5` over the Linux tree; 97% of its files are under
/// 64 KiB, half its bytes.
public enum LaneHashing {
    /// The most a file may hold to go into a lane: the rest stream.
    public static let largestInLane = 64 * 1024
    /// Buffer per worker thread for one run's small files.
    public static let bufferSize = 1 << 20

    /// One record per file of `run`, in order: `compute` gives files that do not go into a
    /// lane (not regular, too big) and `skip` files to leave out (nil record). Progress:
    /// `started` before each file is opened; for a file hashed in a lane, `finished` with its
    /// size (`compute` reports the others itself).
    public static func md5(of run: [WalkEntry], cancellation: CancellationToken, skip: (WalkEntry) -> Bool,
                           started: () -> Void = {}, finished: (_ bytes: Int) -> Void = { _ in },
                           compute: (WalkEntry, Int32?) throws(ReadError) -> FileDigest?) -> [Result<FileDigest, ReadError>?] {
        var records = [Result<FileDigest, ReadError>?](repeating: nil, count: run.count)
        let buffer = Self.buffer.pointer
        var used = 0
        var laned: [(index: Int, start: Int, count: Int)] = []
        for (index, entry) in run.enumerated() {
            if cancellation.isCancelled { return records }
            if skip(entry) { continue }
            started()
            do throws(ReadError) {
                guard entry.kind == .regular else {
                    records[index] = try compute(entry, nil).map { .success($0) }
                    continue
                }
                let fd = try FileReader.open(entry)
                defer { close(fd) }
                // One read: a regular file that comes up short is whole (FileReader's rule).
                let room = min(largestInLane, bufferSize - used)
                if room > 0 {
                    let got = try readOnce(fd, into: buffer + used, count: room, path: entry.path)
                    if got < room {
                        laned.append((index, used, got))
                        used += got
                        continue
                    }
                }
                // Bigger than its room: stream it from the start.
                guard lseek(fd, 0, SEEK_SET) == 0 else { throw ReadError(path: entry.path, errno: errno) }
                records[index] = try compute(entry, fd).map { .success($0) }
            } catch {
                records[index] = .failure(error)
            }
        }
        let digests = MD5Lanes.digests(of: laned.map { UnsafeRawBufferPointer(start: buffer + $0.start, count: $0.count) })
        for (file, digest) in zip(laned, digests) {
            records[file.index] = .success(FileDigest(size: file.count, digests: [digest]))
            finished(file.count)
        }
        return records
    }

    private static func readOnce(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, path: [UInt8]) throws(ReadError) -> Int {
        while true {
            let got = read(fd, buffer, count)
            if got >= 0 { return got }
            if errno != EINTR { throw ReadError(path: path, errno: errno) }
        }
    }

    /// Each worker thread's buffer for a run's small files.
    private static let buffer = ThreadBuffer(byteCount: bufferSize)
}
