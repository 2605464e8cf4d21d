import Glibc

/// The path ripgrep matches the ignore files that belong to no directory against: the
/// files named by `--ignore-file` and git's global excludes (`core.excludesFile`). Its
/// ignore crate builds them with the current directory as their root, and its
/// `Gitignore::strip` drops from each walk path a leading `./`, then, unless the path is
/// a bare name, the current directory's bytes when they begin it, and a `/` after them.
/// So under an absolute root the globs see the path from the current directory
/// (`/haystack` ignores `$PWD/haystack`, rg's r3179), and under a relative root the path
/// as walked (`sub/x`, `../r/x`: `/x` ignores neither).
struct CurrentDirectoryRelative: Sendable {
    /// The current directory as getcwd gives it (physical, as Rust's current_dir), or
    /// empty when it cannot be read (then nothing is stripped but `./`).
    let directory: [UInt8]

    init() {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if getcwd(&buffer, buffer.count) != nil {
            directory = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        } else {
            directory = []
        }
    }

    init(directory: [UInt8]) {
        self.directory = directory
    }

    /// The offset in `path` where the path the rules see starts. Costs a comparison of
    /// the current directory's bytes at most.
    func start(of path: UnsafeRawBufferPointer) -> Int {
        var start = 0
        if path.count >= 2 && path[0] == UInt8(ascii: ".") && path[1] == UInt8(ascii: "/") { start = 2 }
        let rest = UnsafeRawBufferPointer(rebasing: path[start...])
        guard !directory.isEmpty, rest.count >= directory.count, rest.contains(UInt8(ascii: "/")) else { return start }
        let begins = directory.withUnsafeBytes { memcmp($0.baseAddress!, rest.baseAddress!, directory.count) == 0 }
        guard begins else { return start }
        start += directory.count
        if start < path.count && path[start] == UInt8(ascii: "/") { start += 1 }
        return start
    }
}
