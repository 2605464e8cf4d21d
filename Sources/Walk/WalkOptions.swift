import Glibc
import WorkerPool

/// What the walk yields. Defaults are ripgrep's: ignore files honoured, hidden names
/// skipped, symlinks not followed, no depth limit.
public struct WalkOptions: Sendable {
    /// -u / --no-ignore: no .gitignore, .ignore, .rgignore, info/exclude or global excludes.
    public var noIgnore = false
    /// --hidden (-uu with noIgnore): yield and descend into dot-names. `.git` is never yielded, unless `includeGit`
    /// (which files, grep and find set with --hidden, as rg 15 and fd do).
    public var hidden = false
    /// `--shard I/N`: yield only the files of this shard (`PathShard`); directories are
    /// all walked, since a directory's files fall in every shard.
    public var shard: PathShard?
    /// `hash --include-git`: yield and descend into `.git` too (otherwise never yielded).
    public var includeGit = false
    /// --no-ignore-vcs: no .gitignore, info/exclude or global excludes; .ignore and .rgignore still apply.
    public var noIgnoreVcs = false
    /// --no-ignore-parent: no ignore files from the directories above a root.
    public var noIgnoreParent = false
    /// --no-require-git: .gitignore applies outside git repositories too.
    public var noRequireGit = false
    /// --no-ignore-dot: no .ignore or .rgignore files.
    public var noIgnoreDot = false
    /// --no-ignore-exclude: no `.git/info/exclude`.
    public var noIgnoreExclude = false
    /// Contents of ignore files that apply everywhere, after every other ignore rule
    /// (fd's global `fd/ignore` and `--ignore-file`), matched relative to the search root;
    /// `noIgnore` leaves them on (the caller leaves out the ones -u should drop).
    public var explicitIgnores: [[UInt8]] = []
    /// --ignore-file-case-insensitive: every ignore file's globs (`explicitIgnores` too)
    /// match case-insensitively.
    public var ignoreFilesCaseInsensitive = false
    /// --no-ignore-global: no global git excludes file (core.excludesFile).
    public var noIgnoreGlobal = false
    /// --max-filesize: files found by walking that are larger are skipped (needs a stat
    /// per file: `statFiles` is turned on with it). Paths named as roots are kept, as rg's.
    public var maxFileSize: Int64?
    /// -g / --iglob: gitignore-syntax globs over the path relative to the search root;
    /// `!glob` excludes. When any glob is not negated, files must match one of those.
    public var globs: [OverrideGlob] = []
    /// -t NAME / -T NAME, resolved in `fileTypes`.
    public var selectTypes: [String] = []
    public var negateTypes: [String] = []
    /// The type table, with any --type-add definitions already added.
    public var fileTypes = FileTypes()
    /// --max-depth: roots are depth 0, their children 1. nil = unlimited.
    public var maxDepth: Int?
    /// -L: follow symlinks (a symlink to a file is yielded, to a directory descended;
    /// loops back to an ancestor are reported and skipped).
    public var followSymlinks = false
    /// --one-file-system: do not descend into directories on another device than their root.
    public var oneFileSystem = false
    /// Stat every yielded file (relative to its open directory) so entries carry size,
    /// device and inode: for jobs that need them (dupes) without a stat by full path.
    public var statFiles = false
    /// Threads reading directories (the sorted walk: its own and `threads - 1` helpers).
    /// Here one per core, at most 12 (ripgrep's cap): the walk is CPU-bound (mostly in the
    /// kernel) on a warm cache. The CLI gives it up to 16, since reading a directory waits on a cold
    /// one (`WalkFlags.directoryThreads`).
    public var threads = min(12, ThreadPoolExecutor.activeProcessorCount)
    /// Yield every kind of entry, not only regular files: directories (still descended),
    /// symlinks (unfollowed without -L; a broken one is yielded as a symlink with -L too),
    /// FIFOs, sockets and devices, and directories at `maxDepth` (yielded, not read). For
    /// `find`; off, the walk lists what ripgrep lists.
    public var yieldEveryKind = false
    /// With `yieldEveryKind`: asked for each directory yielded, false keeps the walk out of
    /// it (`find --prune`). Called on the walking threads.
    public var descendInto: (@Sendable (WalkEntry) -> Bool)?
    /// The ignore file of the tool's own (highest precedence, read unless -u): ripgrep's
    /// `.rgignore`; fd reads `.fdignore` in its place.
    public var customIgnoreName = ".rgignore"
    /// HOME / XDG_CONFIG_HOME / GIT_CONFIG_GLOBAL used to find the global excludes file; default: this process's.
    public var environment: [String: String] = WalkOptions.processEnvironment()

    public init() {}

    static func processEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL"] {
            if let value = getenv(name) { environment[name] = String(decoding: UnsafeRawBufferPointer(start: value, count: strlen(value)), as: UTF8.self) }
        }
        return environment
    }
}

/// One `-g` (case-sensitive) or `--iglob` (case-insensitive) glob.
public struct OverrideGlob: Sendable, Equatable {
    public var pattern: String
    public var caseInsensitive: Bool

    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }
}
