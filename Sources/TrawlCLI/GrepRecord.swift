/// The outcome of searching one file, handed whole to the consumer thread.
struct GrepRecord: Sendable {
    /// What to print for the file, complete (heading, lines, warnings): never interleaved.
    var output: [UInt8]
    var matchedLines: Int
    var matches: Int
    var bytesSearched: Int
    var error: String?
    /// `--json`: the bytes of this file's records, and the time its search took.
    var bytesPrinted: Int
    var elapsed: Duration
    /// `--sort accessed` and the other time orders: the time read before the search.
    var sortTime: Int? = nil
    /// `--stats` and `--json`: the lines of the matches (a `-U` block counts each line).
    var statsMatchedLines = 0
}
