#if canImport(Glibc)
@preconcurrency import Glibc
#endif
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

    /// Opens `path` read-only; the caller closes the descriptor.
    public static func open(_ path: [UInt8]) throws(ReadError) -> Int32 {
        let fd = path.withUnsafeBufferPointer { bytes -> Int32 in
            // Paths are not NUL-terminated arrays: copy into a C string on the stack.
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { cPath in
                for i in 0..<bytes.count { cPath[i] = CChar(bitPattern: bytes[i]) }
                cPath[bytes.count] = 0
                return Glibc.open(cPath.baseAddress!, O_RDONLY | O_CLOEXEC | O_NOCTTY)
            }
        }
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        return fd
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

    /// This thread's read buffer, made on first use and freed when the thread ends.
    public static func threadBuffer() -> UnsafeMutableRawPointer {
        if let existing = pthread_getspecific(bufferKey) { return existing }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64)
        pthread_setspecific(bufferKey, buffer)
        return buffer
    }
}

private let bufferKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { $0?.deallocate() }
    return key
}()
