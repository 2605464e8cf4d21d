/// What kind of file an entry is, from the directory listing's d_type (getdents64) or a stat when one was needed.
public enum FileKind: UInt8, Sendable {
    case regular, directory, symlink, fifo, socket, characterDevice, blockDevice
    /// Not known without a stat (paths read by `PathInput`).
    case unknown

    init(direntType: UInt8) {
        switch direntType {
        case 8: self = .regular  // DT_REG
        case 4: self = .directory  // DT_DIR
        case 10: self = .symlink  // DT_LNK
        case 1: self = .fifo  // DT_FIFO
        case 12: self = .socket  // DT_SOCK
        case 2: self = .characterDevice  // DT_CHR
        case 6: self = .blockDevice  // DT_BLK
        default: self = .unknown
        }
    }

    init(mode: UInt32) {
        switch mode & 0o170000 {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        default: self = .unknown
        }
    }
}

/// One file found by the walk (or read from a path list).
public struct WalkEntry: Sendable, Equatable {
    /// The path as it should be printed, byte-exact: `src/a.c` under root `src`, `a.c`
    /// under the implicit root, `./a.c` under an explicit `./`. Names may be invalid UTF-8.
    public var path: [UInt8]
    /// 0 for a root given by the caller, 1 for its children, and so on.
    public var depth: Int
    /// `.regular` from the walk (a followed symlink's target kind with -L; any kind with
    /// `yieldEveryKind`, a broken symlink under -L staying `.symlink`); whatever the
    /// path is for a root given as a file; `.unknown` from `PathInput`.
    public var kind: FileKind
    /// True when the entry was reached through a symlink (only with -L, or a symlink root).
    public var isSymlink: Bool
    /// d_ino from the directory listing (0 when not known). For a followed symlink: the target's inode.
    public var inode: UInt64
    /// st_dev and st_size when a stat was made anyway (DT_UNKNOWN, -L, roots); nil otherwise.
    public var device: UInt64?
    public var size: Int64?
    /// Open with O_NOFOLLOW: the walk saw a regular file here, not a symlink, and was not
    /// asked to follow symlinks, so a symlink found at this name now was swapped in since
    /// and must not be followed. False for roots, listed paths and with -L.
    public var noFollow: Bool

    public init(path: [UInt8], depth: Int, kind: FileKind, isSymlink: Bool = false, inode: UInt64 = 0,
                device: UInt64? = nil, size: Int64? = nil, noFollow: Bool = false) {
        self.path = path
        self.depth = depth
        self.kind = kind
        self.isSymlink = isSymlink
        self.inode = inode
        self.device = device
        self.size = size
        self.noFollow = noFollow
    }

    /// The path for display in tests and logs; invalid UTF-8 becomes U+FFFD.
    public var pathString: String { String(decoding: path, as: UTF8.self) }
}
