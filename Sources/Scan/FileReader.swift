#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Walk
import WorkerPool

/// Why a file could not be read; `description` is the message after `trawl: `.
public struct ReadError: Error, Sendable, CustomStringConvertible {
    public let path: [UInt8]
    public let errno: Int32

    public init(path: [UInt8], errno: Int32) {
        self.path = path
        self.errno = errno
    }

    public var description: String {
        String(decoding: path, as: UTF8.self) + ": " + String(cString: strerror(errno))
    }
}

/// Reads files in fixed-size pieces into a buffer each thread owns, so memory stays
/// bounded whatever the file size (never mapped, never loaded whole) and no buffer is
/// allocated per file (a 256 KiB malloc is an mmap + munmap pair in glibc).
public enum FileReader {
    /// Bytes per read(2): large enough that syscalls cost little against hashing and
    /// searching, small enough to stay in L2 next to the work on it.
    public static let chunkSize = 256 * 1024

    /// Opens the file of a walk entry: with O_NOFOLLOW when the walk decided it is not a
    /// symlink (`WalkEntry.noFollow`), so one swapped in since fails with ELOOP instead of
    /// being followed.
    public static func open(_ entry: WalkEntry) throws(ReadError) -> Int32 {
        try open(entry.path, followSymlinks: !entry.noFollow)
    }

    /// Opens `path` read-only; the caller closes the descriptor. Inside
    /// `withDirectoryCache`, relative to the directory of the previous file when it is the same.
    public static func open(_ path: [UInt8], followSymlinks: Bool = true) throws(ReadError) -> Int32 {
        let flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (followSymlinks ? 0 : O_NOFOLLOW)
        var fd: Int32 = -1
        if let cache = directoryCacheSlot.value,
           let opened = Unmanaged<DirectoryCache>.fromOpaque(cache).takeUnretainedValue().open(path, flags: flags) {
            fd = opened
        } else {
            fd = path.withCPath { Glibc.open($0, flags) }
        }
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        return fd
    }

    /// Keeps `fd`, open read-only on `path`, for this thread's next `open(path)` in the running
    /// `withDirectoryCache` scope (closed at its end if not asked for); false outside one.
    static func keepOpen(_ fd: Int32, for path: [UInt8]) -> Bool {
        guard let cache = directoryCacheSlot.value else { return false }
        Unmanaged<DirectoryCache>.fromOpaque(cache).takeUnretainedValue().keep(fd, for: path)
        return true
    }

    /// Runs `body` with a `DirectoryCache` for this thread's `open` calls, closed at the end:
    /// for a run of files that mostly share directories (FileScan's groups in path order).
    /// Nested calls share the outer cache.
    public static func withDirectoryCache<T>(_ body: () throws -> T) rethrows -> T {
        if directoryCacheSlot.value != nil { return try body() }
        let cache = Unmanaged.passRetained(DirectoryCache())
        directoryCacheSlot.value = cache.toOpaque()
        defer {
            directoryCacheSlot.value = nil
            cache.release()
        }
        return try body()
    }

    /// Calls `body` with each piece of the file, in order, until the end of the file,
    /// an error, `body` returning false, or `cancellation` reading true (checked before
    /// each read, so a cancelled scan stops within one buffer). Returns false when it
    /// stopped early for `body` or cancellation.
    @discardableResult
    public static func forEachChunk(path: [UInt8], cancellation: CancellationToken?,
                                    _ body: (UnsafeRawBufferPointer) -> Bool) throws(ReadError) -> Bool {
        let fd = try open(path)
        defer { close(fd) }
        return try forEachChunk(fd: fd, path: path, cancellation: cancellation, body)
    }

    /// With `isRegularFile` (the walk saw a regular file), a read that comes up short ends
    /// the file: it saves the read(2) that would return 0, one syscall of about four per
    /// small file (DESIGN.md: the floor is open, read, close). A file growing meanwhile is
    /// read as the snapshot the short read saw.
    @discardableResult
    public static func forEachChunk(fd: Int32, path: [UInt8], cancellation: CancellationToken?,
                                    isRegularFile: Bool = false,
                                    _ body: (UnsafeRawBufferPointer) -> Bool) throws(ReadError) -> Bool {
        let buffer = threadBuffer()
        while true {
            if cancellation?.isCancelled == true { return false }
            let got = read(fd, buffer, chunkSize)
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, errno: errno)
            }
            if got == 0 { return true }
            if !body(UnsafeRawBufferPointer(start: buffer, count: got)) { return false }
            if isRegularFile && got < chunkSize { return true }
        }
    }

    /// This thread's read buffer (`chunkSize` bytes).
    public static func threadBuffer() -> UnsafeMutableRawPointer { chunkBuffer.pointer }

    private static let chunkBuffer = ThreadBuffer(byteCount: chunkSize)
}

/// The running `withDirectoryCache` scope's cache (an unretained `DirectoryCache`), if any.
private let directoryCacheSlot = ThreadLocalSlot()
