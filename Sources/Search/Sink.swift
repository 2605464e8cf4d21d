/// One reported line (or, in multiline mode, a block of whole lines).
///
/// `bytes` point into the searcher's buffer and are valid only during the sink call that
/// receives them: copy them (into the printer's own output buffer) before returning.
/// The bytes are exact, terminator included (`\n`, or `\r\n` in CRLF files); the last line
/// of an input without a trailing newline has none.
public struct SearchLine {
    public let bytes: UnsafeRawBufferPointer
    /// 1-based number of the (first) line, or nil when `SearchOptions.lineNumbers` is off.
    public let lineNumber: Int?
    /// Offset of `bytes[0]` in the searched stream (after UTF-16 transcoding or BOM removal).
    public let byteOffset: Int
    /// Multiline search only: the whole text searched, `bytes` lying at `offsetInText` in
    /// it. A block's matches are found there, not in the block as a text of its own:
    /// `(?-m)^` matches only at the input's start, a match may take the block's last `\n`.
    public let text: UnsafeRawBufferPointer?
    public let offsetInText: Int

    public init(bytes: UnsafeRawBufferPointer, lineNumber: Int?, byteOffset: Int,
                text: UnsafeRawBufferPointer? = nil, offsetInText: Int = 0) {
        self.bytes = bytes
        self.lineNumber = lineNumber
        self.byteOffset = byteOffset
        self.text = text
        self.offsetInText = offsetInText
    }
}

/// Which side of a reported line a context line lies on (`-B` or `-A`; JSON output tells).
public enum SearchContextKind: Sendable, Equatable {
    case before
    case after
}

/// Where the line searcher reports: ripgrep's `Sink`, narrowed to what printers use.
/// Calls arrive in file order. Only `matched` is required.
public protocol SearchSink {
    /// A reported line (a matching line, or a non-matching one under `-v`).
    /// Return false to stop the search of this file (`-q`, `-l`, binary match).
    mutating func matched(_ line: SearchLine) -> Bool
    /// A context line (`-A/-B/-C`).
    mutating func context(_ line: SearchLine, kind: SearchContextKind)
    /// The next line is not adjacent to the previous reported one: rg prints `--`.
    /// Only sent when context is on, never before the first line.
    mutating func contextBreak()
    /// A NUL byte was found at this offset (at most once per search; see `BinaryMode`).
    mutating func binaryDetected(offset: Int)
    /// The search of this input is over (also after a read error: lines already reported
    /// stay valid, the error is in `SearchResult`).
    mutating func finished(_ stats: SearchStats)
    /// False when the sink never reads `SearchLine.bytes` (counts, `-l`, `-q`): a line too
    /// long to hold can then be searched from a pipe too, and reported with no bytes.
    var needsLineBytes: Bool { get }
}

extension SearchSink {
    public mutating func context(_ line: SearchLine, kind: SearchContextKind) {}
    public mutating func contextBreak() {}
    public mutating func binaryDetected(offset: Int) {}
    public mutating func finished(_ stats: SearchStats) {}
    public var needsLineBytes: Bool { true }
}
