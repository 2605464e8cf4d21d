#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// Where `hash -o FILE` writes: a regular file (or a new one) is written under a temporary
/// name beside it and renamed over it only when complete, so an interrupted or failed run
/// leaves FILE as it was; anything else is written in place.
///
/// - A symlink is followed (chains too): the rename happens in the final target's
///   directory, over the target, and the link stays a link.
/// - A device, FIFO or socket (`/dev/null`, a named pipe) is opened and written directly:
///   renaming over it would replace the device with a regular file. `/dev/stdout`,
///   `/dev/stderr` and `/dev/fd/N` write to the descriptor trawl already has.
/// - A replaced file keeps its mode and, where allowed, its owner and group (a 0600
///   manifest stays 0600); a new file gets 0666 less the umask, as a shell redirect does.
/// - The temporary file is created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) under an
///   unpredictable name, so a symlink or file planted in a shared directory is never
///   followed or overwritten, and is removed on every exit path: `commit`, `discard`,
///   deinit (a thrown error), and `TemporaryFiles.removeAll` from the signal paths.
///
/// Not thread-safe: one thread writes, commits or discards.
final class AtomicOutputFile {
    /// The path as given, for messages.
    let path: String
    let fd: Int32
    /// The file the rename replaces (symlinks resolved); nil when written in place.
    private let destination: String?
    private let temporaryPath: String?
    private var isClosed = false

    /// - Throws: `CommandError` naming `path` when the target cannot be opened or the
    ///   temporary file cannot be created (a directory, no write permission, ...).
    init(path: String) throws {
        self.path = path
        let resolved = try Self.resolve(path)
        switch resolved {
        case .descriptor(let existing):
            fd = fcntl(existing, F_DUPFD_CLOEXEC, 3)
            guard fd >= 0 else { throw Self.error(path, errno) }
            destination = nil
            temporaryPath = nil
        case .path(let target):
            var info = stat()
            let exists = stat(target, &info) == 0
            if exists && (info.st_mode & S_IFMT) == S_IFDIR { throw Self.error(path, EISDIR) }
            if exists && (info.st_mode & S_IFMT) != S_IFREG {
                // A FIFO's open waits for a reader: let an interrupt end the wait.
                var opened: Int32 = -1
                repeat {
                    opened = InterruptibleWrite.interruptible { open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY) }
                } while opened < 0 && errno == EINTR && !InterruptibleWrite.isAbandoning
                guard opened >= 0 else { throw Self.error(path, errno) }
                fd = opened
                destination = nil
                temporaryPath = nil
                return
            }
            // The rename needs only the directory's permission: refuse what a shell
            // redirect would refuse (a read-only FILE), rather than replace it.
            if exists && faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0 { throw Self.error(path, errno) }
            let (opened, temporary) = try Self.createTemporary(beside: target, for: path,
                                                               mode: exists ? 0o600 : 0o666)
            fd = opened
            destination = target
            temporaryPath = temporary
            if exists {
                // Owner first: chown clears set-user-ID bits that the chmod then restores.
                if fchown(fd, info.st_uid, info.st_gid) != 0 { _ = fchown(fd, UInt32.max, info.st_gid) }
                _ = fchmod(fd, info.st_mode & 0o7777)
            }
        }
    }

    deinit {
        if !isClosed { discard() }
    }

    /// True when the output goes to the file through a rename (false: written in place).
    var isAtomic: Bool { temporaryPath != nil }

    /// Makes the written file FILE: fsync, close, rename over the target.
    /// - Throws: `CommandError` when any of them fails; the temporary file is removed then.
    func commit() throws {
        guard !isClosed else { return }
        isClosed = true
        guard let temporaryPath, let destination else {
            guard close(fd) == 0 || errno == EINTR else { throw Self.error(path, errno) }
            return
        }
        // fsync: a crash after the rename must not leave an empty FILE (ext4, XFS).
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
            let code = errno
            TemporaryFiles.remove(temporaryPath)
            throw Self.error(path, code)
        }
        let code = TemporaryFiles.rename(temporaryPath, to: destination)
        if code != 0 { throw Self.error(path, code) }
    }

    /// Closes and removes the temporary file: FILE stays as it was.
    func discard() {
        guard !isClosed else { return }
        isClosed = true
        close(fd)
        if let temporaryPath { TemporaryFiles.remove(temporaryPath) }
    }

    /// The device and inode of the file being written and of the file it will replace.
    func identities() -> [FileIdentity] {
        var result: [FileIdentity] = []
        var info = stat()
        if fstat(fd, &info) == 0 { result.append(FileIdentity(info)) }
        if let destination, stat(destination, &info) == 0 { result.append(FileIdentity(info)) }
        return result
    }

    // MARK: Resolving the target

    enum Target: Equatable {
        /// Written through a descriptor trawl already has (`/dev/stdout`, `/dev/fd/1`).
        case descriptor(Int32)
        /// The file to write or replace, symlinks resolved (it may not exist yet).
        case path(String)
    }

    /// `path` with its symlinks followed to the file they name (up to 40, the kernel's
    /// limit), or the descriptor a `/dev/fd/N`-style name stands for.
    static func resolve(_ path: String) throws -> Target {
        var current = path
        for _ in 0...40 {
            if let descriptor = standardDescriptor(current) { return .descriptor(descriptor) }
            var info = stat()
            // Missing (a new file, or a dangling link's target) or unreachable: open reports it.
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return .path(current) }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { throw error(path, errno) }
            let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : directory(of: current) + "/" + target
        }
        throw error(path, ELOOP)
    }

    /// The descriptor that `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` or `/proc/self/fd/N`
    /// names: opening those anew would reopen the file at offset 0 (or fail for a socket).
    static func standardDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"]
        where path.hasPrefix(prefix) {
            return Int32(path.dropFirst(prefix.count))
        }
        return nil
    }

    /// The directory part of `path`: `.` for a bare name, `/` for a file in the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: The temporary file

    private static let nameAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Creates `.NAME.trawl-XXXXXXXXXXXX` beside `target` (12 random letters and digits:
    /// 71 bits, from the system's random source), retrying on a name already taken.
    private static func createTemporary(beside target: String, for path: String,
                                        mode: mode_t) throws -> (Int32, String) {
        let directory = directory(of: target)
        let name = target.lastIndex(of: "/").map { String(target[target.index(after: $0)...]) } ?? target
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(decoding: (0..<12).map { _ in nameAlphabet.randomElement(using: &generator)! }, as: UTF8.self)
            let candidate = (directory == "/" ? "" : directory) + "/." + name + ".trawl-" + suffix
            let fd = TemporaryFiles.create(candidate, mode: mode)
            if fd >= 0 { return (fd, candidate) }
            if errno == EACCES || errno == EPERM || errno == EROFS {
                // FILE itself may be writable: say why trawl needs its directory.
                throw CommandError.message("\(path): cannot create a temporary file in \(directory) "
                                           + "(the new FILE is renamed over the old one): " + String(cString: strerror(errno)))
            }
            if errno != EEXIST { throw error(path, errno) }
        }
        throw CommandError.message("\(path): cannot create a temporary file in \(directory): every name tried was taken")
    }

    private static func error(_ path: String, _ code: Int32) -> CommandError {
        CommandError.message("\(path): \(String(cString: strerror(code)))")
    }
}

/// The temporary files trawl has created and not yet renamed or removed, so the signal
/// paths (a second Ctrl-C, SIGHUP, SIGQUIT) can remove them before the process ends.
///
/// Creation, rename and removal happen under the lock, and after `removeAllForExit` none
/// happens: a file is either registered before the signal path looks, or never created.
enum TemporaryFiles {
    private struct State {
        var paths: [String] = []
        var isClosed = false
    }

    private static let state = Mutex(State())

    /// open(2) with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, registered on success; -1 and
    /// errno otherwise (EINTR once the process is ending).
    static func create(_ path: String, mode: mode_t) -> Int32 {
        state.withLock { state in
            guard !state.isClosed else {
                errno = EINTR
                return -1
            }
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { state.paths.append(path) }
            return fd
        }
    }

    /// Renames a registered file over `destination`: 0, or the errno (the file is removed then).
    static func rename(_ path: String, to destination: String) -> Int32 {
        state.withLock { state in
            guard !state.isClosed else { return EINTR }
            state.paths.removeAll { $0 == path }
            if Glibc.rename(path, destination) == 0 { return 0 }
            let code = errno
            unlink(path)
            return code
        }
    }

    static func remove(_ path: String) {
        state.withLock { state in
            guard !state.isClosed else { return }
            state.paths.removeAll { $0 == path }
            unlink(path)
        }
    }

    /// Removes every registered file, for a process about to end by a signal; no file is
    /// created or renamed after this.
    static func removeAllForExit() {
        state.withLock { state in
            for path in state.paths { unlink(path) }
            state.paths.removeAll()
            state.isClosed = true
        }
    }
}
