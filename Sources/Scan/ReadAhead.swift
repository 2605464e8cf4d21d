#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Synchronization
import Walk

/// Brings a run of files into the page cache with one io_uring submission before they are
/// read one by one (`trawl_read_ahead`): the block layer merges the reads of files that lie
/// side by side on disk, as a directory's files usually do, into few requests.
///
/// Used while reads block (`BlockingReads`), for the files of one pool task. Where io_uring
/// is missing or refused, `isAvailable` turns false and FileScan goes back to one file per task.
@usableFromInline
enum ReadAhead {
    /// The most files one call reads ahead.
    @usableFromInline static let maxFiles = Int(TRAWL_READ_AHEAD_MAX_FILES)

    private static let unavailable = Atomic<Bool>(false)
    /// Calls of `files` that went to io_uring (for tests).
    static let submissions = Atomic<Int>(0)

    /// False once io_uring failed on this system.
    @usableFromInline static var isAvailable: Bool { !unavailable.load(ordering: .relaxed) }

    /// Reads ahead the regular files among `entries` (the first `limit`, at most `maxFiles`)
    /// that the page cache does not hold yet, opened through the running `FileReader.withDirectoryCache`
    /// scope, which keeps the descriptors for the task's own reads (outside a scope nothing
    /// is read ahead). Returns how many needed the disk, or nil where the kernel cannot tell
    /// (`trawl_is_cached`; then all were read ahead). Files that will not open are left for
    /// the real read to report.
    ///
    /// Why ask the cache first (cachestat(2), one cheap call per file): a run that only
    /// looks blocked for a while, or a tree partly in the cache, would otherwise read
    /// cached files twice, and a count of files the disk really fetched tells BlockingReads
    /// more than whether the submission waited (on a warm cache io_uring hands some reads to
    /// worker threads of its own and waits for them).
    @usableFromInline @discardableResult
    static func files(_ entries: some Sequence<WalkEntry>, limit: Int = maxFiles) -> Int? {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: maxFiles) { descriptors in
            var count = 0
            var known = true
            for entry in entries.prefix(min(limit, maxFiles)) where entry.kind == .regular {
                guard let fd = try? FileReader.open(entry) else { continue }
                // The task's own read takes this descriptor: one open per file, not two.
                if !FileReader.keepOpen(fd, for: entry.path) {
                    close(fd)
                    continue
                }
                switch trawl_is_cached(fd, UInt(readLength)) {
                case 1:
                    continue
                case 0:
                    break
                default:
                    known = false
                }
                descriptors[count] = fd
                count += 1
            }
            if count > 0 {
                if trawl_read_ahead(descriptors.baseAddress!, Int32(count)) < 0 {
                    unavailable.store(true, ordering: .relaxed)
                } else {
                    submissions.add(1, ordering: .relaxed)
                }
            }
            return known ? count : nil
        }
    }

    /// Bytes read ahead from the start of each file.
    static let readLength = Int(TRAWL_READ_AHEAD_BYTES)
}
