#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Walk

/// `-t/--type`: which kinds of entry `find` lists (fd's rules: `x` means executable files,
/// `e` empty files and directories unless f or d narrows it).
struct FindTypes: Sendable {
    var kinds: Set<FileKind> = []
    var executablesOnly = false
    var emptyOnly = false

    init(_ names: [String]) throws(ArgumentError) {
        for name in names {
            switch name {
            case "f", "file": kinds.insert(.regular)
            case "d", "dir", "directory": kinds.insert(.directory)
            case "l", "symlink": kinds.insert(.symlink)
            case "x", "executable": executablesOnly = true; kinds.insert(.regular)
            case "e", "empty": emptyOnly = true
            case "s", "socket": kinds.insert(.socket)
            case "p", "pipe": kinds.insert(.fifo)
            case "b", "block-device": kinds.insert(.blockDevice)
            case "c", "char-device": kinds.insert(.characterDevice)
            default:
                throw .invalidValue(flag: "--type", value: name,
                                    reason: "expected f, d, l, x, e, s, p, b or c (file, directory, symlink, executable, empty, socket, pipe, block-device, char-device)")
            }
        }
        if emptyOnly && !kinds.contains(.regular) && !kinds.contains(.directory) {
            kinds.formUnion([.regular, .directory])
        }
    }

    /// Whether the entry's kind alone already rules it out (no system call).
    @inline(__always)
    func admits(kind: FileKind) -> Bool { kinds.contains(kind) }

    /// The checks that need the file system: `x` (access X_OK for this user, as fd) and `e`.
    func admitsContent(path: [UInt8], kind: FileKind, size: Int64) -> Bool {
        if executablesOnly && path.withCPath({ access($0, X_OK) }) != 0 { return false }
        if emptyOnly {
            switch kind {
            case .regular: return size == 0
            case .directory: return Self.isEmptyDirectory(path)
            default: return false
            }
        }
        return true
    }

    static func isEmptyDirectory(_ path: [UInt8]) -> Bool {
        guard let directory = path.withCPath({ opendir($0) }) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { return false }
        }
        return true
    }
}
