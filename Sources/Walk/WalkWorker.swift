import Glibc
import CShims
import Platform

/// One worker loop's state: reads a directory, filters its entries, yields files and
/// returns subdirectories. Its buffers are reused from directory to directory, so reading
/// a directory allocates only the paths it yields or pushes.
struct WalkWorker {
    let walker: Walker
    /// The walker's options, copied once per worker: read for every name taken.
    private let options: WalkOptions
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
        options = walker.options
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

    /// Reads `work`'s directory in named steps: open it, list its names, load its ignore
    /// files, then take each name in turn.
    private mutating func readEntries(_ work: DirectoryWork, into children: inout [DirectoryWork]) {
        guard let (directory, ancestors) = openDirectory(work) else { return }
        let ignoreNames = listNames(of: directory, work)
        // With statFiles the directory stays open for fstatat by name: a stat by full path
        // walks every component again (d_lookup and link_path_walk led `dupes` profiles).
        let keepOpen = options.statFiles
        if !keepOpen { close(directory) }
        defer { if keepOpen { close(directory) } }

        let level = ignoreLevel(of: work, names: ignoreNames)
        let childDepth = work.depth + 1
        let listing = OpenListing(
            work: work, directory: keepOpen ? directory : -1, level: level, ancestors: ancestors, childDepth: childDepth,
            descend: options.maxDepth.map { childDepth < $0 } ?? true,
            needsFilter: level != nil || walker.overrides != nil || walker.types != nil || walker.explicitIgnores != nil)
        for item in listed { take(item, of: listing, into: &children) }
    }

    /// What the names of one directory share while they are taken.
    private struct OpenListing {
        let work: DirectoryWork
        /// Open for fstatat by name (statFiles), else -1.
        let directory: Int32
        let level: IgnoreLevel?
        let ancestors: Ancestor?
        let childDepth: Int
        /// Subdirectories are read (not beyond --max-depth).
        let descend: Bool
        /// Something (ignore files, globs, types) may exclude a name.
        let needsFilter: Bool
    }

    /// Opens the directory; nil when it cannot be read (reported), lies on another file
    /// system under --one-file-system, or closes a symlink loop under -L (reported).
    /// Returns the descriptor and the ancestors its subdirectories get.
    private func openDirectory(_ work: DirectoryWork) -> (Int32, Ancestor?)? {
        let openPath = work.prefix.isEmpty ? Array(".".utf8) : work.prefix
        // open + getdents64 rather than opendir/readdir: opendir adds an fstat and a 32 KiB
        // allocation per directory (5k of each on the Linux tree).
        let directory = DescriptorBackoff.retrying { openPath.withCPath { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } }
        guard directory >= 0 else {
            onError(.io(path: displayPath(work), errno: errno))
            return nil
        }
        guard options.followSymlinks || options.oneFileSystem else { return (directory, work.ancestors) }
        var info = stat()
        guard fstat(directory, &info) == 0 else { return (directory, work.ancestors) }
        let device = UInt64(info.st_dev), inode = UInt64(info.st_ino)
        if options.oneFileSystem && device != work.root.device {
            close(directory)
            return nil
        }
        guard options.followSymlinks && work.depth > 0 else { return (directory, work.ancestors) }
        var ancestor = work.ancestors
        while let current = ancestor {
            if current.device == device && current.inode == inode {
                close(directory)
                onError(.symlinkLoop(path: displayPath(work), ancestor: current.path))
                return nil
            }
            ancestor = current.parent
        }
        return (directory, Ancestor(device: device, inode: inode, path: displayPath(work), parent: work.ancestors))
    }

    /// Lists the directory's names into `names` and `listed` (`.` and `..` left out); returns
    /// which ignore files it holds. A read error is reported and ends the listing.
    private mutating func listNames(of directory: Int32, _ work: DirectoryWork) -> IgnoreNames {
        names.removeAll(keepingCapacity: true)
        listed.removeAll(keepingCapacity: true)
        var ignoreNames = IgnoreNames()
        while true {
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
        return ignoreNames
    }

    /// The ignore rules in force below `work`: its parent's, plus its own ignore files if any.
    private func ignoreLevel(of work: DirectoryWork, names ignoreNames: IgnoreNames) -> IgnoreLevel? {
        guard walker.usesIgnoreFiles
                && (ignoreNames.git || ignoreNames.dotIgnore || ignoreNames.gitignore || ignoreNames.rgIgnore) else {
            return work.level
        }
        return walker.loadLevel(directory: work.prefix, parent: work.level, names: ignoreNames,
                                baseLength: work.prefix.count, onError: onError) ?? work.level
    }

    /// What is known of a listed name: from the listing (d_type, d_ino) or from a stat.
    private struct EntryFacts {
        var kind: FileKind
        var isSymlink = false
        var device: UInt64?
        var size: Int64?
        var inode: UInt64
    }

    /// One listed name: skipped, yielded as a file, or pushed to `children` as a directory.
    private mutating func take(_ item: ListedName, of listing: OpenListing, into children: inout [DirectoryWork]) {
        let everyKind = options.yieldEveryKind
        // The name `.git` is never yielded nor descended, unless asked for.
        if !options.includeGit && item.count == 4 && names[item.start] == UInt8(ascii: ".") && names[item.start + 1] == UInt8(ascii: "g")
            && names[item.start + 2] == UInt8(ascii: "i") && names[item.start + 3] == UInt8(ascii: "t") {
            return
        }
        let isDotName = names[item.start] == UInt8(ascii: ".")
        // Hidden names go before any path is built when nothing could re-include them.
        if isDotName && !options.hidden && !listing.needsFilter { return }
        var facts = EntryFacts(kind: FileKind(direntType: item.type), inode: item.inode)
        if facts.kind == .directory && !listing.descend && !everyKind { return }
        let prefix = listing.work.prefix
        var path = [UInt8]()
        path.reserveCapacity(prefix.count + item.count + 1)
        path.append(contentsOf: prefix)
        path.append(contentsOf: names[item.start..<(item.start + item.count)])
        if facts.kind == .unknown || (facts.kind == .symlink && options.followSymlinks) {
            guard let resolved = resolve(path, listed: facts) else { return }
            facts = resolved
            if facts.kind == .directory && !listing.descend && !everyKind { return }
        }
        // Only regular files are yielded and only directories descended: FIFOs, sockets,
        // devices and (without -L) symlinks are skipped, as ripgrep does, unless asked for.
        guard facts.kind == .regular || facts.kind == .directory || everyKind else { return }
        let isDirectory = facts.kind == .directory
        if listing.needsFilter || (isDotName && !options.hidden) {
            let skip = path.withUnsafeBytes { bytes in
                walker.isExcluded(path: bytes, nameStart: prefix.count, isDirectory: isDirectory,
                                  isDotName: isDotName, level: listing.level, rootPrefixLength: listing.work.root.prefixLength)
            }
            if skip { return }
        }
        if listing.directory >= 0 && !isDirectory && facts.size == nil {
            guard statByName(item, in: listing.directory, path: path, into: &facts) else { return }
        }
        if let maxFileSize = options.maxFileSize, !isDirectory, let size = facts.size, size > maxFileSize { return }
        let root = listing.work.root
        if isDirectory && everyKind {
            let entry = WalkEntry(path: path, depth: listing.childDepth, kind: facts.kind, isSymlink: facts.isSymlink,
                                  inode: facts.inode, device: facts.device, size: facts.size)
            let enters = listing.descend && (options.descendInto?(entry) ?? true)
            // Another shard's directory is not listed, yet walked: its entries fall in every shard.
            if inShard(path, root: root) { found.append(entry) }
            if found.count == Self.filesPerHandOver { handOverFound() }
            guard enters else { return }
        }
        if isDirectory {
            path.append(UInt8(ascii: "/"))
            children.append(DirectoryWork(prefix: path, depth: listing.childDepth, level: listing.level, root: root,
                                          ancestors: listing.ancestors))
        } else {
            guard inShard(path, root: root) else { return }
            found.append(WalkEntry(path: path, depth: listing.childDepth, kind: facts.kind, isSymlink: facts.isSymlink,
                                   inode: facts.inode, device: facts.device, size: facts.size, noFollow: !options.followSymlinks))
            if found.count == Self.filesPerHandOver { handOverFound() }
        }
    }

    /// The facts behind a DT_UNKNOWN name or, under -L, a symlink, by stat(2)/lstat(2); nil
    /// when the name is skipped (the error reported).
    private func resolve(_ path: [UInt8], listed: EntryFacts) -> EntryFacts? {
        var facts = listed
        let follow = listed.kind == .symlink
        var info = path.fileStatus(followingSymlinks: follow)
        if info == nil && follow && options.yieldEveryKind && errno == ENOENT {
            // A broken symlink under -L: listed as the symlink it is (fd does).
            facts.isSymlink = true
        } else if info == nil {
            onError(.io(path: path, errno: errno))
            return nil
        }
        if let linkInfo = info, !follow && FileKind(mode: linkInfo.st_mode) == .symlink && options.followSymlinks {
            // DT_UNKNOWN that turned out to be a symlink: follow it too.
            info = path.fileStatus()
            guard info != nil else {
                onError(.io(path: path, errno: errno))
                return nil
            }
            facts.isSymlink = true
        }
        facts.isSymlink = facts.isSymlink || follow
        if let info {
            facts.kind = FileKind(mode: info.st_mode)
            facts.device = UInt64(info.st_dev)
            facts.size = Int64(info.st_size)
            facts.inode = UInt64(info.st_ino)
        }
        return facts
    }

    /// fstatat(2) by name in the open directory (statFiles): size, device and inode of a
    /// file without walking its path again. False when it fails (reported).
    private func statByName(_ item: ListedName, in directory: Int32, path: [UInt8], into facts: inout EntryFacts) -> Bool {
        var info = stat()
        let status = names[item.start..<(item.start + item.count)].withCPath {
            fstatat(directory, $0, &info, AT_SYMLINK_NOFOLLOW)
        }
        guard status == 0 else {
            onError(.io(path: path, errno: errno))
            return false
        }
        facts.device = UInt64(info.st_dev)
        facts.size = Int64(info.st_size)
        facts.inode = UInt64(info.st_ino)
        return true
    }
}

extension WalkWorker {
    /// True when `path` (a walk path under `root`) falls in `--shard`'s part, or no shard is set.
    @inline(__always)
    func inShard(_ path: [UInt8], root: RootContext) -> Bool {
        guard let shard = options.shard else { return true }
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
        // The global excludes and --ignore-file see the path from the current directory.
        let unrootedStart = explicitIgnores != nil || globalExcludes != nil ? currentDirectoryRelative.start(of: path) : 0
        if level != nil {
            switch IgnoreLevel.matched(level, path: path, nameStart: nameStart, isDirectory: isDirectory,
                                       requireGit: !options.noRequireGit, globalStart: unrootedStart) {
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
            let unrooted = UnsafeRawBufferPointer(rebasing: path[unrootedStart...])
            switch explicitIgnores.matched(path: unrooted, nameStart: max(0, nameStart - unrootedStart), isDirectory: isDirectory) {
            case .ignore: return true
            case .whitelist: whitelisted = true
            case .none: break
            }
        }
        return isDotName && !options.hidden && !whitelisted
    }
}
