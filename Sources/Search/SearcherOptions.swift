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
    /// `-E` with a multi-byte legacy encoding: input without a BOM is decoded from it to
    /// UTF-8 as it is read (a BOM still wins, as in rg). Needs `sniffEncoding`; such input
    /// is never mapped, so a big file is searched on one thread.
    public var decoding: MultiByteEncoding? = nil
    /// Initial size of the read buffer in bytes. A buffer grows (doubling) only when one
    /// line does not fit, and shrinks back when the next search starts.
    public var bufferCapacity = SearchOptions.defaultBufferCapacity

    /// 256 KiB. Warm 1 GiB file, LiteralMatcher (glibc memmem), best of 3 on a loaded 2-core
    /// EPYC: 64 KiB 4.3 GB/s, 128 KiB 4.7, 256 KiB 5.0, 512 KiB 4.3, 1 MiB 4.8 (runs vary
    /// ±20%, 256 KiB was at or near the top in each). rg reads 64 KiB, so a NUL between
    /// 64 KiB and 256 KiB can silence a walked file here that rg partly prints.
    /// posix_fadvise(SEQUENTIAL) made no measurable difference on a warm cache: not used.
    public static let defaultBufferCapacity = 256 * 1024

    /// A line longer than this is not held whole: it is fed piece by piece to the matcher's
    /// `LineScanner` and forgotten (mapped files keep it addressable in the mapping but out
    /// of the resident set; pipes do so only when the sink needs no line bytes). 8 MiB:
    /// lines that long are data, not text; a matching one printed still costs its size.
    public var longLineThreshold = 8 << 20

    public init() {}

    @usableFromInline
    var hasContext: Bool { beforeContext > 0 || afterContext > 0 }
}
