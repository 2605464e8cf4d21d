import Glibc
import CShims
import Platform

/// One worker loop's state: reads a directory, filters its entries, yields files and
/// returns subdirectories. Its buffers are reused from directory to directory, so reading
/// a directory allocates only the paths it yields or pushes.
struct WalkWorker {
    let walker: Walker
    let onFiles: @Sendable ([WalkEntry]) -> Void
    let onError: @Sendable (WalkError) -> Void
    /// Files found in the directory being read, handed over together when it is done (or
    /// every `WalkWorker.filesPerHandOver`).
    private var found: [WalkEntry] = []
    /// A huge directory still streams: its files go out in runs of this many.
    static let filesPerHandOver = 256
    /// Names of the directory being read, back to back; `listed` indexes them.
    private var names: [UInt8] = []
    private var listed: [ListedName] = []
    /// getdents64's records, reused from directory to directory.
    private var records = [UInt8](repeating: 0, count: 32 * 1024)

    struct ListedName {
        var start: Int
        var count: Int
        var type: UInt8
        var inode: UInt64
    }

    init(walker: Walker, onFiles: @escaping @Sendable ([WalkEntry]) -> Void, onError: @escaping @Sendable (WalkError) -> Void) {
        self.walker = walker
        self.onFiles = onFiles
        self.onError = onError
        found.reserveCapacity(Self.filesPerHandOver)
        names.reserveCapacity(1 << 16)
        listed.reserveCapacity(1024)
    }

    /// The directory's path for messages: its prefix without the trailing `/`.
    private func displayPath(_ work: DirectoryWork) -> [UInt8] {
        if work.prefix.isEmpty { return Array(".".utf8) }
        if work.prefix.count > 1 && work.prefix.last == UInt8(ascii: "/") { return Array(work.prefix.dropLast()) }
        return work.prefix
    }

    /// Reads one directory: its files go to `onFiles` (in runs, before this returns), its
    /// subdirectories into `children`.
    mutating func read(_ work: DirectoryWork, into children: inout [DirectoryWork]) {
        readEntries(work, into: &children)
        handOverFound()
    }

    private mutating func handOverFound() {
        guard !found.isEmpty else { return }
        onFiles(found)
        found.removeAll(keepingCapacity: true)
    }

    private mutating func readEntries(_ work: DirectoryWork, into children: inout [DirectoryWork]) {
        let options = walker.options
        let openPath = work.prefix.isEmpty ? Array(".".utf8) : work.prefix
        // open + getdents64 rather than opendir/readdir: opendir adds an fstat and a 32 KiB
        // allocation per directory (5k of each on the Linux tree).
        let directory = DescriptorBackoff.retrying { openPath.withCPath { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } }
        guard directory >= 0 else {
            onError(.io(path: displayPath(work), errno: errno))
            return
        }
        var ancestors = work.ancestors
        if options.followSymlinks || options.oneFileSystem {
            var info = stat()
            if fstat(directory, &info) == 0 {
                let device = UInt64(info.st_dev), inode = UInt64(info.st_ino)
                if options.oneFileSystem && device != work.root.device {
                    close(directory)
                    return
                }
                if options.followSymlinks && work.depth > 0 {
                    var ancestor = work.ancestors
                    while let current = ancestor {
                        if current.device == device && current.inode == inode {
                            close(directory)
                            onError(.symlinkLoop(path: displayPath(work), ancestor: current.path))
                            return
                        }
                        ancestor = current.parent
                    }
                    ancestors = Ancestor(device: device, inode: inode, path: displayPath(work), parent: work.ancestors)
                }
            }
        }

        names.removeAll(keepingCapacity: true)
        listed.removeAll(keepingCapacity: true)
        var ignoreNames = IgnoreNames()
        readNames: while true {
            let filled = records.withUnsafeMutableBytes { trawl_getdents64(directory, $0.baseAddress!, $0.count) }
            if filled == 0 { break }
            if filled < 0 {
                if errno == EINTR { continue }
                onError(.io(path: displayPath(work), errno: errno))
                break
            }
            records.withUnsafeBytes { buffer in
                // linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen (2), d_type (1), then
                // d_name, NUL-terminated; records lie back to back, d_reclen bytes each, and
                // the kernel never fills past `filled`.
                var offset = 0
                while offset < filled {
                    let record = buffer.baseAddress! + offset
                    let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                    offset += length
                    let name = record + 19
                    let count = strlen(name.assumingMemoryBound(to: CChar.self))
                    let bytes = UnsafeRawBufferPointer(start: name, count: count)
                    if bytes[0] == UInt8(ascii: ".") {
                        if count == 1 || (count == 2 && bytes[1] == UInt8(ascii: ".")) { continue }
                        if count == 4 && bytes.elementsEqual(".git".utf8) { ignoreNames.git = true }
                        else if count == 7 && bytes.elementsEqual(".ignore".utf8) { ignoreNames.dotIgnore = true }
                        else if count == 10 && bytes.elementsEqual(".gitignore".utf8) { ignoreNames.gitignore = true }
                        else if count == walker.customIgnoreName.count && bytes.elementsEqual(walker.customIgnoreName) { ignoreNames.rgIgnore = true }
                    }
                    listed.append(ListedName(start: names.count, count: count, type: record.load(fromByteOffset: 18, as: UInt8.self),
                                             inode: record.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
                    names.append(contentsOf: bytes)
                }
            }
        }
        // With statFiles the directory stays open for fstatat by name: a stat by full path
        // walks every component again (d_lookup and link_path_walk led `dupes` profiles).
        let keepOpen = options.statFiles
        if !keepOpen { close(directory) }
        defer { if keepOpen { close(directory) } }

        var level = work.level
        if walker.usesIgnoreFiles && (ignoreNames.git || ignoreNames.dotIgnore || ignoreNames.gitignore || ignoreNames.rgIgnore) {
            level = walker.loadLevel(directory: work.prefix,
                                     parent: work.level, names: ignoreNames, baseLength: work.prefix.count,
                                     onError: onError) ?? work.level
        }

        let childDepth = work.depth + 1
        let descend = options.maxDepth.map { childDepth < $0 } ?? true
        let needsFilter = level != nil || walker.overrides != nil || walker.types != nil || walker.explicitIgnores != nil
        let everyKind = options.yieldEveryKind
        for item in listed {
            // The name `.git` is never yielded nor descended, unless asked for.
            if !options.includeGit && item.count == 4 && names[item.start] == UInt8(ascii: ".") && names[item.start + 1] == UInt8(ascii: "g")
                && names[item.start + 2] == UInt8(ascii: "i") && names[item.start + 3] == UInt8(ascii: "t") {
                continue
            }
            let isDotName = names[item.start] == UInt8(ascii: ".")
            // Hidden names go before any path is built when nothing could re-include them.
            if isDotName && !options.hidden && !needsFilter { continue }
            var kind = FileKind(direntType: item.type)
            if kind == .directory && !descend && !everyKind { continue }
            var path = [UInt8]()
            path.reserveCapacity(work.prefix.count + item.count + 1)
            path.append(contentsOf: work.prefix)
            path.append(contentsOf: names[item.start..<(item.start + item.count)])
            var isSymlink = false
            var device: UInt64?
            var size: Int64?
            var inode = item.inode
            if kind == .unknown || (kind == .symlink && options.followSymlinks) {
                let follow = kind == .symlink
                var info = path.fileStatus(followingSymlinks: follow)
                if info == nil && follow && everyKind && errno == ENOENT {
                    // A broken symlink under -L: listed as the symlink it is (fd does).
                    isSymlink = true
                } else if info == nil {
                    onError(.io(path: path, errno: errno))
                    continue
                }
                if let linkInfo = info, !follow && FileKind(mode: linkInfo.st_mode) == .symlink && options.followSymlinks {
                    // DT_UNKNOWN that turned out to be a symlink: follow it too.
                    info = path.fileStatus()
                    guard info != nil else {
                        onError(.io(path: path, errno: errno))
                        continue
                    }
                    isSymlink = true
                }
                isSymlink = isSymlink || follow
                if let info {
                    kind = FileKind(mode: info.st_mode)
                    device = UInt64(info.st_dev)
                    size = Int64(info.st_size)
                    inode = UInt64(info.st_ino)
                }
                if kind == .directory && !descend && !everyKind { continue }
            }
            // Only regular files are yielded and only directories descended: FIFOs, sockets,
            // devices and (without -L) symlinks are skipped, as ripgrep does, unless asked for.
            guard kind == .regular || kind == .directory || everyKind else { continue }
            let isDirectory = kind == .directory
            if needsFilter || (isDotName && !options.hidden) {
                let skip = path.withUnsafeBytes { bytes in
                    walker.isExcluded(path: bytes, nameStart: work.prefix.count, isDirectory: isDirectory,
                                      isDotName: isDotName, level: level, rootPrefixLength: work.root.prefixLength)
                }
                if skip { continue }
            }
            if keepOpen && !isDirectory && size == nil {
                var info = stat()
                let status = withUnsafeTemporaryAllocation(of: CChar.self, capacity: item.count + 1) { name in
                    for i in 0..<item.count { name[i] = CChar(bitPattern: names[item.start + i]) }
                    name[item.count] = 0
                    return fstatat(directory, name.baseAddress!, &info, AT_SYMLINK_NOFOLLOW)
                }
                guard status == 0 else {
                    onError(.io(path: path, errno: errno))
                    continue
                }
                device = UInt64(info.st_dev)
                size = Int64(info.st_size)
                inode = UInt64(info.st_ino)
            }
            if let maxFileSize = options.maxFileSize, !isDirectory, let size, size > maxFileSize { continue }
            if isDirectory && everyKind {
                let entry = WalkEntry(path: path, depth: childDepth, kind: kind, isSymlink: isSymlink,
                                      inode: inode, device: device, size: size)
                let enters = descend && (options.descendInto?(entry) ?? true)
                // Another shard's directory is not listed, yet walked: its entries fall in every shard.
                if inShard(path, root: work.root) { found.append(entry) }
                if found.count == Self.filesPerHandOver { handOverFound() }
                guard enters else { continue }
            }
            if isDirectory {
                path.append(UInt8(ascii: "/"))
                children.append(DirectoryWork(prefix: path, depth: childDepth, level: level, root: work.root,
                                              ancestors: ancestors))
            } else {
                guard inShard(path, root: work.root) else { continue }
                found.append(WalkEntry(path: path, depth: childDepth, kind: kind, isSymlink: isSymlink,
                                       inode: inode, device: device, size: size, noFollow: !options.followSymlinks))
                if found.count == Self.filesPerHandOver { handOverFound() }
            }
        }
    }
}

extension WalkWorker {
    /// True when `path` (a walk path under `root`) falls in `--shard`'s part, or no shard is set.
    @inline(__always)
    func inShard(_ path: [UInt8], root: RootContext) -> Bool {
        guard let shard = walker.options.shard else { return true }
        return path.withUnsafeBytes { shard.includes(relativePath: UnsafeRawBufferPointer(rebasing: $0[root.prefixLength...])) }
    }
}

extension Walker {
    /// ripgrep's order: `-g` globs decide first; then ignore files; then types (files only);
    /// hidden names are skipped unless something above whitelisted them.
    @inline(__always)
    func isExcluded(path: UnsafeRawBufferPointer, nameStart: Int, isDirectory: Bool, isDotName: Bool,
                    level: IgnoreLevel?, rootPrefixLength: Int) -> Bool {
        if let overrides {
            let relative = UnsafeRawBufferPointer(rebasing: path[rootPrefixLength...])
            switch overrides.matched(path: relative, nameStart: nameStart - rootPrefixLength, isDirectory: isDirectory) {
            case .ignore: return false  // a `-g` glob matched: included whatever else says
            case .whitelist: return true  // a `-g !glob` matched
            case .none: if overridesHaveWhitelist && !isDirectory { return true }
            }
        }
        var whitelisted = false
        if level != nil {
            switch IgnoreLevel.matched(level, path: path, nameStart: nameStart, isDirectory: isDirectory,
                                       requireGit: !options.noRequireGit) {
            case .ignore: return true
            case .whitelist: whitelisted = true
            case .none: break
            }
        }
        if let types, !isDirectory {
            switch types.matched(name: UnsafeRawBufferPointer(rebasing: path[nameStart...])) {
            case .ignore: return true
            case .whitelist: whitelisted = true
            case .none: break
            }
        }
        if !whitelisted, let explicitIgnores {
            let relative = UnsafeRawBufferPointer(rebasing: path[rootPrefixLength...])
            switch explicitIgnores.matched(path: relative, nameStart: nameStart - rootPrefixLength, isDirectory: isDirectory) {
            case .ignore: return true
            case .whitelist: whitelisted = true
            case .none: break
            }
        }
        return isDotName && !options.hidden && !whitelisted
    }
}
