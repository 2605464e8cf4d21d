import Glibc

/// What one search found, in numbers.
public struct SearchStats: Sendable, Equatable {
    /// Calls to `matched` counted as matches (blocks in multiline mode; `-m` caps it).
    public var matchedLines = 0
    /// Bytes read into the searcher (after transcoding), up to where it stopped.
    public var bytesSearched = 0
    /// Offset of the first NUL byte, if one was seen (not checked under `BinaryMode.text`).
    public var binaryByteOffset: Int? = nil
    /// The search ended because of `BinaryMode.quit`.
    public var quitOnBinary = false
    /// A piece of a mapped file searched with line numbers to its end
    /// (`Searcher.search(mapping:range:)`): its `\n` bytes, where the next piece's numbers
    /// start. Nil for other searches, which count lines only up to their last report.
    public var newlines: Int? = nil

    public init() {}

    public var isBinary: Bool { binaryByteOffset != nil }
}

/// The line searcher's error: a failed open or read, as a value.
public enum SearcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// open(2) failed with this errno (only from `Searcher.search(path:into:)`).
    case open(path: String, errno: Int32)
    /// read(2) failed with this errno (e.g. EISDIR for a directory).
    case read(path: String, errno: Int32)
    /// The mapped file shrank while it was searched: the bytes past its new end read as
    /// zeros instead of killing the process with SIGBUS, and its search is incomplete.
    case truncated(path: String)

    /// `path: Is a directory (os error 21)`: the caller prefixes `trawl: `.
    public var description: String {
        switch self {
        case let .open(path, code), let .read(path, code):
            return "\(path): \(String(cString: strerror(code))) (os error \(code))"
        case let .truncated(path):
            return "\(path): the file shrank while it was searched; its results are incomplete"
        }
    }
}

/// The outcome of searching one input.
public struct SearchResult: Sendable, Equatable {
    public var stats: SearchStats
    /// Set when a read failed; lines reported before it stay valid.
    public var error: SearcherError?
    /// `Searcher.isCancelled` ended the search early.
    public var cancelled = false
    /// The input was searched to its end: nothing (a sink, `-m`, a NUL, an error, a
    /// cancel) stopped it.
    public var reachedEnd = false

    public init(stats: SearchStats, error: SearcherError?) {
        self.stats = stats
        self.error = error
    }
}
