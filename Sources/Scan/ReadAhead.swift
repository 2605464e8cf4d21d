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
/// is missing or refused, `isAvailable` turns false and Scan goes back to one file per task.
@usableFromInline
enum ReadAhead {
    /// The most files one call reads ahead.
    @usableFromInline static let maxFiles = Int(TRAWL_READ_AHEAD_MAX_FILES)

    private static let unavailable = Atomic<Bool>(false)
    /// Calls of `files` that went to io_uring (for tests).
    static let submissions = Atomic<Int>(0)

    /// False once io_uring failed on this system.
    @usableFromInline static var isAvailable: Bool { !unavailable.load(ordering: .relaxed) }

    /// Reads ahead the regular files among `entries` (the first `maxFiles`), opened through
    /// the running `FileReader.withDirectoryCache` scope. Files that will not open are left
    /// for the real read to report.
    @usableFromInline
    static func files(_ entries: some Sequence<WalkEntry>) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: maxFiles) { descriptors in
            var count = 0
            for entry in entries.prefix(maxFiles) where entry.kind == .regular {
                guard let fd = try? FileReader.open(entry.path) else { continue }
                descriptors[count] = fd
                count += 1
            }
            if trawl_read_ahead(descriptors.baseAddress!, Int32(count)) < 0 {
                unavailable.store(true, ordering: .relaxed)
            } else {
                submissions.add(1, ordering: .relaxed)
            }
            for index in 0..<count { close(descriptors[index]) }
        }
    }
}
