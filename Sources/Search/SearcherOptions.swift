/// What the line searcher does with a file that holds a NUL byte (ripgrep's binary detection).
public enum BinaryMode: Sendable, Equatable {
    /// Files found by walking: the first read chunk that holds a NUL ends the search, and
    /// that chunk is not searched (lines reported from earlier chunks stay reported).
    /// The sink hears `binaryDetected(offset:)`; if `matchedLines > 0` the printer writes rg's
    /// `WARNING: stopped searching binary file after match (found "\0" byte around offset N)`
    /// (rg's count printer instead reports no count for such a file). In multiline mode the
    /// whole input is one chunk: a NUL anywhere means nothing is searched.
    case quit
    /// Files named explicitly: NUL bytes are replaced by `\n` and the search goes on. The
    /// sink hears `binaryDetected(offset:)` before any line from the chunk holding the NUL;
    /// a printing sink then returns false from its next `matched` and writes
    /// `binary file matches (found "\0" byte around offset N)` (a counting sink keeps
    /// counting, as `rg -c` does). Line numbers count the replaced NULs as line ends, as rg's.
    case convert
    /// `-a/--text`: no detection, every byte is searched as is.
    case text
}

/// When the searcher maps a regular file rather than reading it. A mapped file is checked
/// for NUL in its first 64 KiB and in every line reported (rg's rule for memory maps), a
/// read one in every read: the choice can change what a file with a late NUL prints.
public enum MappingChoice: Sendable, Equatable {
    /// Files of `Searcher.mappingThreshold` bytes or more: mapping a small file costs more
    /// than copying it.
    case whenBig
    /// Every regular file bigger than one read (`--mmap`; rg's default for up to 10 files
    /// named on the command line).
    case always
    /// Never (`--no-mmap`): a big file is read and not split between threads.
    case never
}

/// Options of one line search; ripgrep's flag for each is named at the property.
public struct SearchOptions: Sendable, Equatable {
    /// `-v`: report the lines that do not match.
    public var invert = false
    /// `-n`: count lines so each reported line carries its number (costs a newline count
    /// between reported lines, nothing when off).
    public var lineNumbers = false
    /// `-B`: lines of context before each reported line.
    public var beforeContext = 0
    /// `-A`: lines of context after each reported line.
    public var afterContext = 0
    /// `-m`: stop after this many reported lines (per file). As rg 13 does, up to
    /// `afterContext` lines after the last one are still reported (a matching one among
    /// them through `matched`, not counted and not resetting the context).
    public var maxCount: Int? = nil
    public var binaryMode: BinaryMode = .quit
    /// `-U`: the matcher may match across lines; the whole input is read into memory and
    /// every line a match touches is reported, a block of lines per `matched` call
    /// (overlapping blocks merge, as in rg).
    public var multiline = false
    /// Look for a BOM at the start of the input (drop UTF-8's, transcode UTF-16). False:
    /// the bytes are searched as they are (`-E none`, or input already decoded).
    public var sniffEncoding = true
    /// `-E`: input is decoded from this encoding to UTF-8 as it is read. As in rg a UTF-16
    /// BOM still wins and a UTF-8 BOM is dropped (what follows is decoded from this
    /// encoding). Needs `sniffEncoding`; such input is never mapped, so a big file is
    /// searched on one thread.
    public var decoding: InputDecoding? = nil
    /// Initial size of the read buffer in bytes. A buffer grows (doubling) only when one
    /// line does not fit, and shrinks back when the next search starts.
    public var bufferCapacity = SearchOptions.defaultBufferCapacity
    /// How far a mapped file's view widens per fill (`bufferCapacity` is for reads).
    public var mappedWindow = SearchOptions.defaultMappedWindow
    /// When a regular file is mapped instead of read (`--mmap`, `--no-mmap`).
    public var mapping = MappingChoice.whenBig

    /// 64 KiB, rg's read size: binary detection looks at what each read brought, so the
    /// same reads decide the same way (a NUL at 77 KiB after a match on line 1 stops a
    /// walked file after printing that line, as in rg, where 256 KiB reads printed
    /// nothing). Files of 16 MiB or more are mapped, not read: the 1 GiB file's speed
    /// (64 KiB 4.3 GB/s against 256 KiB 5.0 when it was read) is `defaultMappedWindow`'s.
    /// posix_fadvise(SEQUENTIAL) made no measurable difference on a warm cache: not used.
    public static let defaultBufferCapacity = 64 * 1024
    /// 256 KiB: warm 1 GiB file, LiteralMatcher, best of 3 on a loaded 2-core EPYC:
    /// 64 KiB 4.3 GB/s, 128 KiB 4.7, 256 KiB 5.0, 512 KiB 4.3, 1 MiB 4.8.
    public static let defaultMappedWindow = 256 * 1024

    /// A line longer than this is not held whole: it is fed piece by piece to the matcher's
    /// `LineScanner` and forgotten (mapped files keep it addressable in the mapping but out
    /// of the resident set; pipes do so only when the sink needs no line bytes). 8 MiB:
    /// lines that long are data, not text; a matching one printed still costs its size.
    public var longLineThreshold = 8 << 20

    public init() {}

    @usableFromInline
    var hasContext: Bool { beforeContext > 0 || afterContext > 0 }
}
