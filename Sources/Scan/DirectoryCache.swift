#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform

/// O_PATH: Glibc declares it only with _GNU_SOURCE; the value is Linux's on every architecture.
private let openPathOnly: Int32 = 0o10000000

/// Opens a run of files from one directory relative to that directory (openat), so the
/// kernel resolves the directory's path once rather than once per file.
///
/// FileScan gives each pool task of consecutive files in path order one cache for the length of
/// the task (`FileReader.withDirectoryCache`): most files in such a run share a directory
/// (the Linux tree: 78k files in 5k directories), and path resolution (`link_path_walk`)
/// was about 9% of `hash`'s profile there; the O_PATH opens, one per directory a task
/// enters, cost less than they save (DESIGN.md, "Reading files").
///
/// The directory descriptor is O_PATH (it needs no read permission and reads nothing) and
/// lives only while the task runs. Not thread-safe: one thread owns a cache.
final class DirectoryCache {
    /// The directory of the last file, without its trailing `/`.
    private var directory: [UInt8] = []
    private var descriptor: Int32 = -1

    /// Files opened ahead of their turn (by `ReadAhead`), handed out by `open` to the first
    /// call for the same path; closed at the end of the scope if never asked for.
    private var opened: [(path: [UInt8], fd: Int32)] = []

    init() {
        directory.reserveCapacity(256)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        for file in opened { close(file.fd) }
    }

    /// Keeps `fd`, open on `path`, for the next `open` of that path.
    func keep(_ fd: Int32, for path: [UInt8]) {
        opened.append((path, fd))
    }

    /// A descriptor kept for `path`, taken out of the cache. Files are read in the order
    /// they were opened ahead, so the first entry is nearly always the one.
    private func takeKept(_ path: [UInt8]) -> Int32? {
        guard let index = opened.firstIndex(where: { $0.path == path }) else { return nil }
        return opened.remove(at: index).fd
    }

    /// Opens `path` read-only through the cached directory: the descriptor, or -1 with
    /// errno set. Nil when the cache cannot help (no directory part, the directory will not
    /// open): the caller opens the full path and reports its error.
    func open(_ path: [UInt8], flags: Int32) -> Int32? {
        if !opened.isEmpty, let kept = takeKept(path) { return kept }
        return path.withUnsafeBufferPointer { bytes -> Int32? in
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), slash > 0, slash + 1 < bytes.count else { return nil }
            if !hasDirectory(UnsafeBufferPointer(rebasing: bytes[..<slash])) {
                if descriptor >= 0 { close(descriptor) }
                directory.removeAll(keepingCapacity: true)
                descriptor = withCPath(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<slash]))) {
                    Glibc.open($0, openPathOnly | O_DIRECTORY | O_CLOEXEC)
                }
                guard descriptor >= 0 else { return nil }
                directory.append(contentsOf: bytes[..<slash])
            }
            return withCPath(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(slash + 1)...]))) { openat(descriptor, $0, flags) }
        }
    }

    private func hasDirectory(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        guard descriptor >= 0, candidate.count == directory.count else { return false }
        return directory.withUnsafeBufferPointer { memcmp($0.baseAddress!, candidate.baseAddress!, candidate.count) == 0 }
    }
}
