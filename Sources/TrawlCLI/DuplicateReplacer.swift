#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Scan
import WorkerPool

/// Carries out a `DupesAction` on the duplicates of one kept file without ever losing data:
/// - each duplicate is compared with the kept file byte for byte at that moment (not by the
///   scan's digest), and left alone (`.changed`) when it differs, is no longer a regular
///   file, or its identity (inode, size, times) moved between the comparison and the act;
/// - a replacement is made under an unpredictable temporary name in the duplicate's
///   directory, created exclusively (link(2) and symlink(2) fail on an existing name, the
///   reflink target is opened O_EXCL|O_NOFOLLOW), then renamed over the duplicate: an
///   interruption at any point (SIGKILL, a full disk) leaves the old file or the
///   replacement, never neither. A SIGKILL between the two steps can leave the temporary
///   name (`.trawl-*`) behind as one more name of identical content.
/// - the kept file is only read, with O_NOATIME where the kernel allows it: its owner, mode
///   and times stay as they were.
/// Thread-safe: a call works on its own descriptors; run groups in parallel.
struct DuplicateReplacer: Sendable {
    let action: DupesAction
    let dryRun: Bool
    let cancellation: CancellationToken

    /// FICLONE from <linux/fs.h>: _IOW(0x94, 9, int).
    static let ficlone: UInt = 0x4004_9409
    /// O_NOATIME from <fcntl.h>, hidden behind _GNU_SOURCE from Swift (the same value on
    /// every Linux architecture but alpha, parisc and sparc).
    static let noAccessTime: Int32 = 0o1000000

    /// Acts on each of `duplicates` in order; those after an interruption are `.notReached`.
    func apply(kept: [UInt8], duplicates: [[UInt8]]) -> [DupesOutcome] {
        var outcomes = [DupesOutcome](repeating: .notReached, count: duplicates.count)
        let keptFD: Int32
        do {
            keptFD = try Self.open(kept, flags: O_RDONLY)
        } catch {
            return [DupesOutcome](repeating: .failed("cannot read the file kept, \(error)"), count: duplicates.count)
        }
        defer { close(keptFD) }
        var keptInfo = stat()
        guard fstat(keptFD, &keptInfo) == 0 else {
            return [DupesOutcome](repeating: .failed("cannot read the file kept, \(ReadError(path: kept, errno: errno))"), count: duplicates.count)
        }
        for (index, duplicate) in duplicates.enumerated() {
            if cancellation.isCancelled { break }
            outcomes[index] = replace(duplicate, kept: kept, keptFD: keptFD, keptInfo: keptInfo)
        }
        return outcomes
    }

    private func replace(_ duplicate: [UInt8], kept: [UInt8], keptFD: Int32, keptInfo: stat) -> DupesOutcome {
        let fd: Int32
        do {
            fd = try Self.open(duplicate, flags: O_RDONLY | O_NOFOLLOW)
        } catch {
            // Gone, or a symbolic link now: not the file that was compared.
            if error.errno == ENOENT || error.errno == ELOOP { return .changed }
            return .failed(error.description)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failed(ReadError(path: duplicate, errno: errno).description) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .changed }
        if info.st_dev == keptInfo.st_dev && info.st_ino == keptInfo.st_ino { return .sameFile }
        if action == .link || action == .reflink, info.st_dev != keptInfo.st_dev { return .otherFileSystem }
        guard info.st_size == keptInfo.st_size else { return .changed }
        do {
            guard let same = try DupesCommand.sameBytes(keptFD, kept, fd, duplicate, cancellation: cancellation) else {
                return .notReached
            }
            if !same { return .changed }
        } catch {
            return .failed("\(error)")
        }
        if dryRun { return action == .reflink ? probeReflink(keptFD, beside: duplicate, kept: kept) : .done }

        // Both files as they were when compared: nothing wrote to either meanwhile, and the
        // duplicate's name still leads to the inode compared. The kept file's change time is
        // left out: linking the group's earlier duplicates to it moved it.
        let unchanged = {
            var now = stat()
            guard fstat(keptFD, &now) == 0, Self.sameState(now, keptInfo, changeTime: false) else { return false }
            let status = duplicate.withCPath { lstat($0, &now) }
            return status == 0 && Self.sameState(now, info, changeTime: true)
        }
        switch action {
        case .delete:
            guard unchanged() else { return .changed }
            let status = duplicate.withCPath { unlink($0) }
            return status == 0 ? .done : .failed(ReadError(path: duplicate, errno: errno).description + " (not deleted)")
        case .link:
            return replaceAtomically(duplicate, kept: kept, unchanged: unchanged) { temporary in
                // Link the inode just compared, not whatever the kept path names by now.
                if linkat(AT_FDCWD, "/proc/self/fd/\(keptFD)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 { return 0 }
                if errno != ENOENT { return errno }
                return kept.withCPath { link($0, temporary) } == 0 ? 0 : errno
            }
        case .symlink:
            guard let target = Self.relativeTarget(of: kept, from: duplicate) else {
                return .failed(ReadError(path: duplicate, errno: errno).description + " (cannot resolve its directory for the link)")
            }
            return replaceAtomically(duplicate, kept: kept, unchanged: unchanged) { temporary in
                target.withCPath { symlink($0, temporary) } == 0 ? 0 : errno
            }
        case .reflink:
            // Cloned and given its metadata unnamed (O_TMPFILE), then named and renamed at
            // once: a kill while cloning (an ioctl, then an fsync of milliseconds) leaves
            // nothing behind. File systems without O_TMPFILE clone under the temporary name.
            switch Self.unnamedClone(of: keptFD, beside: duplicate, as: info) {
            case .made(let clone):
                defer { close(clone) }
                return replaceAtomically(duplicate, kept: kept, unchanged: unchanged) { temporary in
                    linkat(AT_FDCWD, "/proc/self/fd/\(clone)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno
                }
            case .failed(let code):
                return failure(duplicate, kept: kept, code)
            case .unsupported:
                return replaceAtomically(duplicate, kept: kept, unchanged: unchanged) { temporary in
                    Self.cloneFile(keptFD, to: temporary, as: info)
                }
            }
        }
    }

    /// Makes the replacement under a fresh temporary name beside `duplicate` (`make`
    /// returns 0 or an errno; EEXIST draws another name), then renames it over the duplicate.
    private func replaceAtomically(_ duplicate: [UInt8], kept: [UInt8], unchanged: () -> Bool,
                                   make: (UnsafePointer<CChar>) -> Int32) -> DupesOutcome {
        // Checked before the temporary name exists, both names made C strings before too:
        // the name lives only from one call to the next. A SIGKILL there still leaves it
        // (about one per kill in DupesInterruptTests, 30 threads on 2 cores: a thread is
        // often preempted on return from link(2)).
        guard unchanged() else { return .changed }
        let directory = Self.directoryPrefix(of: duplicate)
        let target = Self.cString(duplicate)
        for _ in 0..<100 {
            let temporary = Self.cString(directory + Self.temporaryName())
            var renamed: Int32 = 0
            let made = temporary.withUnsafeBufferPointer { from in
                target.withUnsafeBufferPointer { to in
                    let made = make(from.baseAddress!)
                    if made == 0 && rename(from.baseAddress!, to.baseAddress!) != 0 { renamed = errno }
                    return made
                }
            }
            if made == EEXIST { continue }
            if made != 0 { return failure(duplicate, kept: kept, made) }
            // On a failed rename, and when rename(2) did nothing (both names links of one
            // inode: the duplicate became a link of the kept file meanwhile), the temporary
            // name must not stay.
            var left = stat()
            if lstat(temporary, &left) == 0 { unlink(temporary) }
            if renamed != 0 {
                return .failed(Self.describe(duplicate, "cannot replace it: " + String(cString: strerror(renamed))))
            }
            return .done
        }
        return .failed(Self.describe(duplicate, "no free temporary name in its directory"))
    }

    /// The outcome of a replacement that could not be made (`code`, an errno).
    private func failure(_ duplicate: [UInt8], kept: [UInt8], _ code: Int32) -> DupesOutcome {
        // One file system seen through two mounts (a bind mount): same device number,
        // yet link(2) and FICLONE refuse, as across file systems.
        if code == EXDEV { return .otherFileSystem }
        let unsupported = action == .reflink && (code == EOPNOTSUPP || code == EINVAL)
        return .failed(Self.describe(duplicate, "cannot \(verb) it to \(String(decoding: kept, as: UTF8.self)): "
            + String(cString: strerror(code)) + (unsupported ? " (the file system cannot share data between files)" : "")))
    }

    private var verb: String {
        switch action {
        case .link: return "hard-link"
        case .symlink: return "symlink"
        case .reflink: return "reflink"
        case .delete: return "delete"
        }
    }

    enum Clone {
        case made(Int32)
        case failed(Int32)
        /// No O_TMPFILE in this file system.
        case unsupported
    }

    /// A reflink of `source` as an unnamed file in `duplicate`'s directory, with the
    /// duplicate's owner, mode and times; the caller names it and closes it.
    static func unnamedClone(of source: Int32, beside duplicate: [UInt8], as info: stat) -> Clone {
        let clone = openUnnamed(beside: duplicate)
        if clone < 0 {
            return errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ? .unsupported : .failed(errno)
        }
        let code = cloneInto(clone, from: source, as: info)
        if code != 0 {
            close(clone)
            return .failed(code)
        }
        return .made(clone)
    }

    /// What a dry run of --reflink answers: a clone into an unnamed file, dropped at once
    /// (nothing in the directory changes), tells whether the file system can.
    private func probeReflink(_ source: Int32, beside duplicate: [UInt8], kept: [UInt8]) -> DupesOutcome {
        let probe = Self.openUnnamed(beside: duplicate)
        guard probe >= 0 else { return .done }
        defer { close(probe) }
        return ioctl(probe, Self.ficlone, source) == 0 ? .done : failure(duplicate, kept: kept, errno)
    }

    /// O_TMPFILE from <fcntl.h> (__O_TMPFILE | O_DIRECTORY), hidden behind _GNU_SOURCE.
    static let temporaryFile: Int32 = 0o20200000

    /// A new unnamed file (O_TMPFILE) in `path`'s directory, write-only; -1 with errno.
    static func openUnnamed(beside path: [UInt8]) -> Int32 {
        let directory = directoryPrefix(of: path)
        return (directory.isEmpty ? Array(".".utf8) : directory).withCPath { Glibc.open($0, temporaryFile | O_WRONLY | O_CLOEXEC, 0o600) }
    }

    /// `path` up to and with its last slash; empty for a name in the current directory.
    static func directoryPrefix(of path: [UInt8]) -> [UInt8] {
        path.lastIndex(of: UInt8(ascii: "/")).map { Array(path[...$0]) } ?? []
    }

    /// A reflink of `source` at `temporary` with the duplicate's owner, mode and times.
    /// Returns 0 or the errno (EOPNOTSUPP, EXDEV, EINVAL: the file system cannot reflink).
    private static func cloneFile(_ source: Int32, to temporary: UnsafePointer<CChar>, as info: stat) -> Int32 {
        let clone = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if clone < 0 { return errno }
        let failure = cloneInto(clone, from: source, as: info)
        close(clone)
        if failure != 0 {
            unlink(temporary)
            // EEXIST is reserved for "draw another name".
            return failure == EEXIST ? EIO : failure
        }
        return 0
    }

    /// Clones `source`'s data into the empty file `clone` and gives it the duplicate's
    /// owner, mode and times, flushed; 0 or the errno.
    private static func cloneInto(_ clone: Int32, from source: Int32, as info: stat) -> Int32 {
        var times = [info.st_atim, info.st_mtim]
        // chown before chmod: chown clears the set-user-ID bits.
        if ioctl(clone, ficlone, source) != 0
            || fchown(clone, info.st_uid, info.st_gid) != 0
            || fchmod(clone, info.st_mode & 0o7777) != 0
            || futimens(clone, &times) != 0
            || fsync(clone) != 0 {
            return errno
        }
        return 0
    }

    /// Inode, size, modification time (and change time): equal means nothing wrote to or
    /// replaced the file.
    static func sameState(_ a: stat, _ b: stat, changeTime: Bool) -> Bool {
        a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
            && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
            && (!changeTime || (a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec))
    }

    /// `.trawl-` and 12 random letters and digits (getrandom(2) through the system generator).
    static func temporaryName() -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return Array(".trawl-".utf8) + (0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
    }

    /// The path from `duplicate`'s directory to `kept`, both directories resolved
    /// (realpath), as jdupes -l links: relative, so the tree can move as a whole.
    static func relativeTarget(of kept: [UInt8], from duplicate: [UInt8]) -> [UInt8]? {
        func split(_ path: [UInt8]) -> (directory: [UInt8], name: [UInt8]) {
            guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return (Array(".".utf8), path) }
            return (slash == 0 ? Array("/".utf8) : Array(path[..<slash]), Array(path[(slash + 1)...]))
        }
        func resolved(_ directory: [UInt8]) -> [[UInt8]]? {
            guard let real = directory.withCPath({ realpath($0, nil) }) else { return nil }
            defer { free(real) }
            return Array(UnsafeBufferPointer(start: real, count: strlen(real)).map { UInt8(bitPattern: $0) })
                .split(separator: UInt8(ascii: "/")).map(Array.init)
        }
        let (keptDirectory, keptName) = split(kept)
        guard let from = resolved(split(duplicate).directory), let to = resolved(keptDirectory) else { return nil }
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        var parts = [[UInt8]](repeating: Array("..".utf8), count: from.count - common)
        parts += to[common...]
        parts.append(keptName)
        return Array(parts.joined(separator: [UInt8(ascii: "/")]))
    }

    /// Opens read-only (plus `flags`) without updating the access time where allowed
    /// (O_NOATIME needs the file's owner or CAP_FOWNER; EPERM otherwise, then retried without).
    static func open(_ path: [UInt8], flags: Int32) throws(ReadError) -> Int32 {
        let base = flags | O_CLOEXEC | O_NOCTTY
        var fd = path.withCPath { Glibc.open($0, base | noAccessTime) }
        if fd < 0 && errno == EPERM { fd = path.withCPath { Glibc.open($0, base) } }
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        return fd
    }


    /// `path` NUL-terminated, for the calls that take a C string.
    static func cString(_ path: [UInt8]) -> [CChar] {
        path.map { CChar(bitPattern: $0) } + [0]
    }

    /// `path: message`, the path as bytes allow.
    static func describe(_ path: [UInt8], _ message: String) -> String {
        String(decoding: path, as: UTF8.self) + ": " + message
    }
}
