/// The ignore files of one directory, linked to its parent's: a persistent list shared by
/// every directory below (a directory without ignore files and without `.git` reuses its
/// parent's level, so the chain is only as long as the number of ignore files above).
///
/// Paths handed to `matched` are walk paths (`src/a/b.c`); each level strips its own
/// directory's prefix (`baseLength` bytes). Levels above a root see the root's walk paths
/// without its prefix and put `virtualPrefix` (the root relative to that directory) in front.
/// Thread-safety: immutable after init, shared by all workers.
final class IgnoreLevel: Sendable {
    let parent: IgnoreLevel?
    /// `.rgignore` (ripgrep's own): beats `.ignore` at any depth.
    let rgIgnore: Gitignore?
    /// `.ignore`: honoured everywhere, beats every git rule.
    let dotIgnore: Gitignore?
    /// `.gitignore`: only inside a repository (unless noRequireGit).
    let gitignore: Gitignore?
    /// `info/exclude` and the global excludes: only on the level of a repository root.
    let exclude: Gitignore?
    let global: Gitignore?
    /// This directory holds `.git`: git rules of levels above do not reach below it.
    let isRepositoryRoot: Bool
    /// This directory or one above holds `.git`.
    let isInRepository: Bool
    let baseLength: Int
    let virtualPrefix: [UInt8]

    init(parent: IgnoreLevel?, rgIgnore: Gitignore? = nil, dotIgnore: Gitignore?, gitignore: Gitignore?, exclude: Gitignore?, global: Gitignore?,
         isRepositoryRoot: Bool, baseLength: Int, virtualPrefix: [UInt8] = []) {
        self.parent = parent
        self.rgIgnore = rgIgnore
        self.dotIgnore = dotIgnore
        self.gitignore = gitignore
        self.exclude = exclude
        self.global = global
        self.isRepositoryRoot = isRepositoryRoot
        self.isInRepository = isRepositoryRoot || (parent?.isInRepository ?? false)
        self.baseLength = baseLength
        self.virtualPrefix = virtualPrefix
    }

    /// ripgrep's precedence: the deepest `.rgignore` match, else the deepest `.ignore` match, else the deepest `.gitignore` match
    /// within the repository, else info/exclude, else global excludes.
    /// `path` is the walk path; `nameStart` the offset of its last component. The global
    /// excludes see `path` from `globalStart` on (`CurrentDirectoryRelative`), as rg's.
    static func matched(_ innermost: IgnoreLevel?, path: UnsafeRawBufferPointer, nameStart: Int,
                        isDirectory: Bool, requireGit: Bool, globalStart: Int = 0) -> IgnoreMatch {
        var level = innermost
        var dot: IgnoreMatch = .none
        var git: IgnoreMatch = .none
        var exclude: IgnoreMatch = .none
        var global: IgnoreMatch = .none
        var pastRepositoryRoot = false
        let gitApplies = !requireGit || (innermost?.isInRepository ?? false)
        while let current = level {
            if let rules = current.rgIgnore {
                let verdict = current.match(rules, path, nameStart, isDirectory)
                if verdict != .none { return verdict }
            }
            if dot == .none, let rules = current.dotIgnore {
                dot = current.match(rules, path, nameStart, isDirectory)
            }
            if gitApplies && !pastRepositoryRoot {
                if git == .none, let rules = current.gitignore {
                    git = current.match(rules, path, nameStart, isDirectory)
                }
                if exclude == .none, let rules = current.exclude {
                    exclude = current.match(rules, path, nameStart, isDirectory)
                }
                if global == .none, let rules = current.global {
                    global = rules.matched(path: UnsafeRawBufferPointer(rebasing: path[globalStart...]),
                                           nameStart: max(0, nameStart - globalStart), isDirectory: isDirectory)
                }
            }
            if current.isRepositoryRoot { pastRepositoryRoot = true }
            level = current.parent
        }
        if dot != .none { return dot }
        if git != .none { return git }
        if exclude != .none { return exclude }
        return global
    }

    @inline(__always)
    private func match(_ rules: Gitignore, _ path: UnsafeRawBufferPointer, _ nameStart: Int, _ isDirectory: Bool) -> IgnoreMatch {
        // Bounds: every path matched here lies inside this level's directory, so it is
        // longer than baseLength and its name starts at or after it.
        let relative = UnsafeRawBufferPointer(rebasing: path[baseLength...])
        if virtualPrefix.isEmpty || !rules.needsPath {
            return rules.matched(path: relative, nameStart: nameStart - baseLength, isDirectory: isDirectory)
        }
        // A level above the root with anchored rules: they see the root's path from here.
        let length = virtualPrefix.count + relative.count
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { joined in
            virtualPrefix.withUnsafeBytes { joined.copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: joined[virtualPrefix.count...]).copyMemory(from: relative)
            return rules.matched(path: UnsafeRawBufferPointer(joined), nameStart: virtualPrefix.count + nameStart - baseLength,
                                 isDirectory: isDirectory)
        }
    }
}
