/// The totals of a grep run, added up a file at a time on the consumer thread, and printed
/// as ripgrep prints them: `--stats`' block and `--json`'s summary record.
public struct GrepSummary: Sendable, Equatable {
    public var matches = 0
    public var matchedLines = 0
    public var filesWithMatch = 0
    public var searched = 0
    /// rg's bytes printed: each search's own lines (a count or a path is not one).
    public var bytesPrinted = 0
    public var bytesSearched = 0
    /// Time spent searching, summed over files (on several threads: it may exceed the run's).
    public var elapsed = Duration.zero

    public init() {}

    /// rg's `--json` summary record, its keys sorted (a serde map), with a newline.
    public func jsonRecord(elapsedTotal: Duration) -> String {
        "{\"data\":{\"elapsed_total\":\(GrepPrinter.jsonDuration(elapsedTotal, sortedKeys: true)),\"stats\":{"
            + "\"bytes_printed\":\(bytesPrinted),\"bytes_searched\":\(bytesSearched),"
            + "\"elapsed\":\(GrepPrinter.jsonDuration(elapsed, sortedKeys: true)),\"matched_lines\":\(matchedLines),"
            + "\"matches\":\(matches),\"searches\":\(searched),\"searches_with_match\":\(filesWithMatch)}},"
            + "\"type\":\"summary\"}\n"
    }

    /// rg 15's `--stats` block, after a blank line.
    public func statsBlock(elapsedTotal: Duration) -> String {
        "\n\(matches) matches\n\(matchedLines) matched lines\n\(filesWithMatch) files contained matches\n"
            + "\(searched) files searched\n\(bytesPrinted) bytes printed\n\(bytesSearched) bytes searched\n"
            + "\(GrepPrinter.secondsText(elapsed)) seconds spent searching\n\(GrepPrinter.secondsText(elapsedTotal)) seconds total\n"
    }
}
