#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Search
import Walk

/// Everything `find` asks of an entry beyond what the walk filters (ignore rules, hidden
/// names, --exclude, depth): name patterns, extensions, types, size, time and owner.
/// Cheap tests first; a stat only when a size, time, owner or `x`/`e` type needs one.
///
/// Thread-safety: immutable; called from every walking thread at once.
struct FindFilter: Sendable {
    var pattern: FindPattern
    /// `-e`: lowercased, without the leading dot; ASCII ones compared by bytes.
    var extensions: [[UInt8]] = []
    /// `-e` values with non-ASCII letters: matched by a case-insensitive regex.
    var unicodeExtensions: CompiledRegex?
    var types: FindTypes?
    var sizes: [FindSizeLimit] = []
    var times: [FindTimeLimit] = []
    var owner: FindOwner?
    var minDepth = 0
    var follow = false
    /// The working directory, for `-p` (the absolute path is matched).
    var workingDirectory: [UInt8] = []

    init(pattern: FindPattern) { self.pattern = pattern }

    mutating func setExtensions(_ values: [String]) throws(FindError) {
        var unicode: [String] = []
        for value in values {
            let bare = value.hasPrefix(".") ? String(value.dropFirst()) : value
            if bare.utf8.allSatisfy({ $0 < 0x80 }) {
                extensions.append(bare.utf8.map(FindColors.lower))
            } else {
                unicode.append(bare)
            }
        }
        if !unicode.isEmpty {
            let source = ".\\.(?:" + unicode.map(CompiledRegex.escape).joined(separator: "|") + ")$"
            do { unicodeExtensions = try CompiledRegex(source, options: RegexOptions(caseInsensitive: true, dotMatchesNewline: true)) } catch {
                throw FindError.message("invalid extension: \(error)")
            }
        }
    }

    func matches(_ entry: WalkEntry) -> Bool {
        if entry.depth < minDepth { return false }
        let path = entry.path
        let nameStart = (path.lastIndex(of: FindPaths.slash) ?? -1) + 1
        let matched = path.withUnsafeBytes { bytes -> Bool in
            let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart...])
            if !extensions.isEmpty || unicodeExtensions != nil {
                guard matchesExtension(name) else { return false }
            }
            if pattern.matchesEverything { return true }
            if !pattern.fullPath { return pattern.matches(name) }
            return matchesFullPath(bytes)
        }
        guard matched else { return false }
        if let types {
            // A broken symlink followed with -L stays a symlink (fd's rule).
            guard types.admits(kind: entry.kind) else { return false }
            if types.executablesOnly || types.emptyOnly {
                let size = entry.kind == .regular ? (entry.size ?? statInfo(path)?.size ?? -1) : 0
                guard types.admitsContent(path: path, kind: entry.kind, size: size) else { return false }
            }
        }
        guard !sizes.isEmpty || !times.isEmpty || owner?.constrains == true else { return true }
        guard let info = statInfo(path) else { return false }
        if !sizes.isEmpty {
            // Sizes are for files (fd): directories, links and devices never pass.
            guard entry.kind == .regular else { return false }
            for size in sizes where !size.admits(info.size) { return false }
        }
        for time in times where !time.admits(modified: info.modified) { return false }
        if let owner, !owner.admits(uid: info.uid, gid: info.gid) { return false }
        return true
    }

    @inline(__always)
    private func matchesExtension(_ name: UnsafeRawBufferPointer) -> Bool {
        for ext in extensions where name.count > ext.count + 1 && name[name.count - ext.count - 1] == FindPaths.dot {
            var equal = true
            var i = name.count - ext.count
            for byte in ext {
                if FindColors.lower(name[i]) != byte { equal = false; break }
                i += 1
            }
            if equal { return true }
        }
        if let unicodeExtensions, unicodeExtensions.find(in: name, from: 0) != nil { return true }
        return false
    }

    /// fd's absolute form: the working directory joined with the path (its `./` dropped).
    private func matchesFullPath(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.first == FindPaths.slash { return pattern.matches(bytes) }
        var relative = UnsafeRawBufferPointer(rebasing: bytes[...])
        while relative.count > 2 && relative[0] == FindPaths.dot && relative[1] == FindPaths.slash {
            relative = UnsafeRawBufferPointer(rebasing: relative[2...])
        }
        let length = workingDirectory.count + 1 + relative.count
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { joined in
            workingDirectory.withUnsafeBytes { joined.copyMemory(from: $0) }
            joined[workingDirectory.count] = FindPaths.slash
            UnsafeMutableRawBufferPointer(rebasing: joined[(workingDirectory.count + 1)...]).copyMemory(from: relative)
            return pattern.matches(UnsafeRawBufferPointer(joined))
        }
    }

    struct StatInfo {
        var size: Int64
        var modified: Double
        var uid: UInt32
        var gid: UInt32
    }

    /// lstat, or stat with -L (a broken link then falls back to its own lstat).
    private func statInfo(_ path: [UInt8]) -> StatInfo? {
        guard let info = path.fileStatus(followingSymlinks: follow) ?? (follow ? path.fileStatus(followingSymlinks: false) : nil)
        else { return nil }
        return StatInfo(size: Int64(info.st_size),
                        modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
                        uid: info.st_uid, gid: info.st_gid)
    }
}
