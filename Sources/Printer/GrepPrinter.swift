#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Search

/// ripgrep's standard printer as a `SearchSink`: formats one file's lines into a byte
/// buffer of its own, with no allocation per line beyond the buffer's growth.
///
/// Thread-safety: a value owned by the thread searching the file; the configuration is shared.
public struct GrepPrinter: SearchSink {
    public let configuration: PrinterConfiguration
    public let path: [UInt8]
    /// Named on the command line: a binary match is reported, not silently skipped.
    public let explicit: Bool
    /// What to print for the file so far: heading, lines, warnings.
    public internal(set) var out: [UInt8] = []
    public internal(set) var matchedLines = 0
    public internal(set) var matches = 0
    /// rg's matched lines of `--stats` and `--json`: a `-U` block counts each of its lines.
    public internal(set) var statsMatchedLines = 0
    private var binaryOffset: Int?
    private var wroteBinaryMatches = false
    private var printedHeading = false
    /// `--stop-on-nonmatch`: the number of the last line of the last reported match.
    var lastMatchedLine: Int?
    /// Line-buffered stdin (`tail -f log | trawl grep ERROR`): each line goes to stdout as
    /// it is printed. Only for a lone input, whose output nothing can interleave with.
    public var writesThrough = false
    /// Reused by the general path (`GrepPrinterFormatting`) so a line costs no allocation.
    var spanScratch: [Range<Int>] = []
    var shownSpanScratch: [Range<Int>] = []
    var lineScratch: [UInt8] = []
    /// A multiline block under -r, replaced, and where its replacements lie.
    var blockScratch: [UInt8] = []
    var blockSpanScratch: [Range<Int>] = []

    /// Moves a scratch array out, leaving an empty one: the copy a plain `var x = scratch`
    /// makes shares its storage, so `removeAll(keepingCapacity:)` on it allocated anew on
    /// every line. Callers put it back when done.
    @inline(__always)
    static func takeScratch<Element>(_ scratch: inout [Element]) -> [Element] {
        let taken = scratch
        scratch = []
        return taken
    }

    static let reset = ColorPalette.reset

    /// `path` as the walk gave it (`--path-separator` is applied here).
    public init(configuration: PrinterConfiguration, path: [UInt8], explicit: Bool) {
        self.configuration = configuration
        self.path = configuration.output.displayPath(path)
        self.explicit = explicit
    }

    public mutating func matched(_ line: SearchLine) -> Bool {
        let linesBefore = matchedLines
        let verdict = countedMatch(line)
        if matchedLines > linesBefore {
            statsMatchedLines += matchedLines - linesBefore
            if printsMultilineBlocks, line.bytes.count > 1 {
                for index in 0..<(line.bytes.count - 1) where line.bytes[index] == 10 { statsMatchedLines += 1 }
            }
        }
        return verdict
    }

    private mutating func countedMatch(_ line: SearchLine) -> Bool {
        // --stats counts every match, whatever the mode prints (rg's totals): the writers
        // count what they need (a line each when nothing is highlighted), so recount here.
        guard configuration.stats, !(configuration.mode == .count && configuration.output.countMatches) else {
            return recordMatch(line)
        }
        let (linesBefore, matchesBefore) = (matchedLines, matches)
        let verdict = recordMatch(line)
        if matchedLines > linesBefore && binaryOffset == nil {
            matches = matchesBefore
            countMatches(in: line)
        }
        return verdict || (matchedLines > linesBefore && binaryOffset == nil)
    }

    private mutating func recordMatch(_ line: SearchLine) -> Bool {
        if !configuration.plain, let verdict = formattedMatched(line) { return verdict }
        if binaryOffset != nil, explicit, configuration.mode == .lines {
            // Explicit binary file: rg prints one line instead of the matches.
            writeBinaryMatches()
            matchedLines += 1
            return false
        }
        matchedLines += 1
        switch configuration.mode {
        case .quiet, .filesWithMatches, .filesWithoutMatch:
            return false
        case .count:
            if configuration.output.countMatches || configuration.multilineCountsMatches { countMatches(in: line) }
            return true
        case .json:
            writeJSON(line, type: "match")
            return true
        case .lines:
            writeLine(line, separator: UInt8(ascii: ":"))
            if writesThrough { writeThrough() }
            return true
        }
    }

    /// Counting and listing modes never look at a line's bytes: a line too long to hold
    /// can then be streamed from a pipe too.
    public var needsLineBytes: Bool {
        switch configuration.mode {
        case .quiet, .filesWithMatches, .filesWithoutMatch, .count: return configuration.stats
        case .json, .lines: return true
        }
    }

    public mutating func context(_ line: SearchLine, kind: SearchContextKind) {
        switch configuration.mode {
        case .json: writeJSON(line, type: "context")
        case .lines:
            writeLine(line, separator: UInt8(ascii: "-"), isContext: true)
            if writesThrough { writeThrough() }
        default: break
        }
    }

    public mutating func contextBreak() {
        if configuration.mode == .lines, let separator = configuration.output.contextSeparator {
            out.append(contentsOf: separator)
            out.append(10)
        }
    }

    public mutating func binaryDetected(offset: Int) {
        binaryOffset = offset
    }

    public mutating func finished(_ stats: SearchStats) {
        // A walked file that turned out binary after its matches is left out of -c and -l
        // whole, as rg's summary printer does (the lines printed mode warns instead).
        if stats.quitOnBinary, binaryOffset != nil, !explicit,
           configuration.mode == .count || configuration.mode == .filesWithMatches {
            matchedLines = 0
            statsMatchedLines = 0
            matches = 0
        }
        // A NUL found after the matches printed: rg's printer says so at the end.
        if binaryOffset != nil, explicit, matchedLines > 0, !wroteBinaryMatches, configuration.mode == .lines {
            writeBinaryMatches()
        }
        if let binaryOffset, !explicit, matchedLines > 0, configuration.mode == .lines {
            writePathPrefixForMessage()
            out.append(contentsOf: Array("WARNING: stopped searching binary file after match (found \"\\0\" byte around offset \(binaryOffset))\n".utf8))
        }
    }

    /// rg's `binary file matches (found "\0" byte around offset N)`, once per file.
    private mutating func writeBinaryMatches() {
        guard let binaryOffset, !wroteBinaryMatches else { return }
        wroteBinaryMatches = true
        writePathPrefixForMessage()
        out.append(contentsOf: Array("binary file matches (found \"\\0\" byte around offset \(binaryOffset))\n".utf8))
    }

    // MARK: Formatting

    mutating func writeHeadingIfNeeded() {
        guard configuration.heading, !printedHeading else { return }
        printedHeading = true
        if configuration.color { out.append(contentsOf: configuration.output.palette.path) }
        out.append(contentsOf: path)
        if configuration.color { out.append(contentsOf: Self.reset) }
        out.append(configuration.nullAfterPath ? 0 : 10)
    }

    private mutating func writePathPrefixForMessage() {
        writeHeadingIfNeeded()
        if configuration.withFilename && !configuration.heading {
            out.append(contentsOf: path)
            out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        }
    }

    private mutating func writePrefix(lineNumber: Int?, column: Int?, separator: UInt8) {
        if configuration.withFilename && !configuration.heading {
            if configuration.color { out.append(contentsOf: configuration.output.palette.path) }
            out.append(contentsOf: path)
            if configuration.color { out.append(contentsOf: Self.reset) }
            out.append(configuration.nullAfterPath ? 0 : separator)
        }
        if configuration.lineNumbers, let lineNumber {
            if configuration.color { out.append(contentsOf: configuration.output.palette.line) }
            appendDecimal(lineNumber)
            if configuration.color { out.append(contentsOf: Self.reset) }
            out.append(separator)
        }
        if let column {
            if configuration.color { out.append(contentsOf: configuration.output.palette.column) }
            appendDecimal(column)
            if configuration.color { out.append(contentsOf: Self.reset) }
            out.append(separator)
        }
    }

    private mutating func writeLine(_ line: SearchLine, separator: UInt8, isContext: Bool = false) {
        if !configuration.plain { return writeFormattedLine(line, isContext: isContext) }
        if !isContext && printsMultilineBlocks { return writeMultilineMatch(line) }
        writeHeadingIfNeeded()
        let bytes = line.bytes
        let needsSpans = !isContext && !configuration.invert
            && (configuration.onlyMatching || configuration.color || configuration.column)
        if !needsSpans {
            writePrefix(lineNumber: line.lineNumber, column: nil, separator: separator)
            // A huge line (a 1 GiB one) gets room for its newline too: appending that one
            // byte to an array grown exactly to the line would double it (2.1 GB peak).
            if bytes.count > 1 << 20 {
                out.reserveCapacity(out.count + bytes.count + 1)
                Self.appendReleasingSource(bytes, to: &out)
            } else {
                out.append(contentsOf: bytes)
            }
            if bytes.last != 10 { appendLineEnd() }
            if !isContext { matches += 1 }
            return
        }
        let matcher = configuration.matcher
        let content = trimmedTerminator(bytes)
        if configuration.onlyMatching {
            // An empty match is an empty line, as rg 15 prints it.
            var printed = false
            Self.forEachMatch(matcher, of: line, upTo: content.count, crlf: configuration.crlf) { span in
                writeOnlyMatching(span, line, content, separator: separator)
                printed = true
                return true
            }
            if !printed { writeWholeLine(line, separator: separator) }
            return
        }
        writeLineWithMatches(line, bytes, content, separator: separator)
    }

    /// One `-o` match of the plain path.
    private mutating func writeOnlyMatching(_ span: Range<Int>, _ line: SearchLine, _ content: UnsafeRawBufferPointer,
                                            separator: UInt8) {
        matches += 1
        writePrefix(lineNumber: line.lineNumber, column: configuration.column ? span.lowerBound + 1 : nil,
                    separator: separator)
        let color = configuration.color && !span.isEmpty
        if color { out.append(contentsOf: configuration.output.palette.match) }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[span]))
        if color { out.append(contentsOf: Self.reset) }
        appendLineEnd()
    }

    /// A reported line left without a match to show (its only one dropped, see
    /// `forEachMatch`): printed whole, without a column, as rg's fast path prints it.
    private mutating func writeWholeLine(_ line: SearchLine, separator: UInt8) {
        writePrefix(lineNumber: line.lineNumber, column: nil, separator: separator)
        out.append(contentsOf: line.bytes)
        if line.bytes.last != 10 { appendLineEnd() }
    }

    /// A matching line of the plain path, its matches coloured when colour is on.
    private mutating func writeLineWithMatches(_ line: SearchLine, _ bytes: UnsafeRawBufferPointer,
                                               _ content: UnsafeRawBufferPointer, separator: UInt8) {
        let matcher = configuration.matcher
        var first = matcher.find(in: content, from: 0)
        // The empty match at the end of a last line without its newline is dropped (rg's).
        if let match = first, match.isEmpty, match.lowerBound == bytes.count { first = nil }
        writePrefix(lineNumber: line.lineNumber, column: configuration.column ? first.map { $0.lowerBound + 1 } : nil,
                    separator: separator)
        guard configuration.color else {
            if first != nil { matches += 1 }
            out.append(contentsOf: bytes)
            if bytes.last != 10 { appendLineEnd() }
            return
        }
        var written = 0
        var colouring = false
        Self.forEachMatch(matcher, of: line, upTo: content.count, crlf: configuration.crlf) { span in
            matches += 1
            if !span.isEmpty {
                // Adjacent matches share one coloured run, as rg writes them.
                if !colouring || span.lowerBound > written {
                    if colouring { out.append(contentsOf: Self.reset) }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[written..<span.lowerBound]))
                    out.append(contentsOf: configuration.output.palette.match)
                    colouring = true
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[span]))
                written = span.upperBound
            }
            return true
        }
        if colouring { out.append(contentsOf: Self.reset) }
        // rg ends a coloured line with its own terminator (`\r\n` under --crlf).
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[written...]))
        appendLineEnd()
    }

    /// Copies a huge line in 32 MiB steps, asking the kernel to reclaim each step's source
    /// pages once copied: from a file mapping they would otherwise stay resident beside the
    /// copy (a printed 1 GB line: 2.1 GB). MADV_PAGEOUT only reclaims, it never loses
    /// data: clean file pages leave the resident set, heap pages stay (or go to swap).
    private static func appendReleasingSource(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let step = 32 << 20
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + step, bytes.count)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            // Whole pages inside the copied step only: neighbours may hold other data.
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let first = (Int(bitPattern: bytes.baseAddress! + offset) + page - 1) & ~(page - 1)
            let last = Int(bitPattern: bytes.baseAddress! + end) & ~(page - 1)
            if last > first { madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, 21) }  // MADV_PAGEOUT
            offset = end
        }
    }

    /// Ends a line the printer made (a match of -o): `\r\n` under `--crlf` unless the
    /// line already ends with its `\r`, as rg writes its own terminator.
    mutating func appendLineEnd() {
        if configuration.crlf && out.last != 13 { out.append(13) }
        out.append(10)
    }

    /// Every match of a reported line or block, as offsets into `line.bytes` cut at `limit`
    /// (the line without its terminator, or the whole block). In multiline search the
    /// matches come from the searched text itself (`SearchLine.text`), limited to the block,
    /// so they are the spans the search found, not a search of the block as a text alone.
    /// rg's standard and JSON printers drop an empty match at the very end of a line's
    /// bytes (a last line without its newline: `$` after `c`); its `--count-matches` keeps
    /// it (`keepingEmptyAtEnd`).
    /// Under `--crlf` (`crlf`) a line's `\r\n` is its terminator, as rg trims it: no
    /// match reaches past the `\r` (`$` matches once on `b\r\n`, not again after `\r`).
    static func forEachMatch(_ matcher: any Matcher, of line: SearchLine, upTo limit: Int,
                             keepingEmptyAtEnd: Bool = false, crlf: Bool = false, _ body: (Range<Int>) -> Bool) {
        guard let text = line.text else {
            let end = keepingEmptyAtEnd ? -1 : line.bytes.count
            var searchEnd = limit
            if crlf, limit > 0, limit < line.bytes.count, line.bytes[limit] == 10, line.bytes[limit - 1] == 13 { searchEnd -= 1 }
            matcher.forEachMatch(in: UnsafeRawBufferPointer(rebasing: line.bytes[0..<searchEnd])) { span in
                span.isEmpty && span.lowerBound == end ? false : body(span)
            }
            return
        }
        let base = line.offsetInText
        let blockEnd = base + line.bytes.count
        matcher.forEachMatch(in: text, from: base) { m in
            // An empty match at the block's end is at the next line's start.
            guard m.lowerBound < blockEnd else { return false }
            return body(min(m.lowerBound - base, limit)..<min(m.upperBound - base, limit))
        }
    }

    /// The line without its `\n` (and the `\r` before it): spans never include them.
    func trimmedTerminator(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 10 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[0..<end])
    }

    private mutating func appendDecimal(_ value: Int) {
        out.appendDecimal(value)
    }

    // MARK: JSON (ripgrep's --json schema)

    private mutating func writeJSON(_ line: SearchLine, type: String) {
        if !printedHeading {
            printedHeading = true
            appendText("{\"type\":\"begin\",\"data\":{\"path\":")
            appendJSONData(path)
            appendText("}}\n")
        }
        appendText("{\"type\":\"\(type)\",\"data\":{\"path\":")
        appendJSONData(path)
        appendText(",\"lines\":")
        appendJSONData(line.bytes)
        appendText(",\"line_number\":")
        if let number = line.lineNumber { appendDecimal(number) } else { appendText("null") }
        appendText(",\"absolute_offset\":")
        appendDecimal(line.byteOffset)
        appendText(",\"submatches\":[")
        if type == "match" && !configuration.invert {
            // A multiline match keeps the block's last newline, as rg's submatches do.
            let content = configuration.multiline ? line.bytes : trimmedTerminator(line.bytes)
            var first = true
            Self.forEachMatch(configuration.matcher, of: line, upTo: content.count, crlf: configuration.crlf) { span in
                appendSubmatch(span, content, first: first)
                first = false
                return true
            }
        }
        appendText("]}}\n")
    }

    /// One `--json` submatch; empty matches are listed too, as rg's --json does.
    private mutating func appendSubmatch(_ span: Range<Int>, _ content: UnsafeRawBufferPointer, first: Bool) {
        if !first { appendText(",") }
        matches += 1
        appendText("{\"match\":")
        appendJSONData(UnsafeRawBufferPointer(rebasing: content[span]))
        if let replacement = configuration.output.replacement {
            // rg's submatch carries what -r makes of it.
            var replaced = Self.takeScratch(&lineScratch)
            replaced.removeAll(keepingCapacity: true)
            replacement.append(line: content, span: span, to: &replaced)
            appendText(",\"replacement\":")
            appendJSONData(replaced)
            lineScratch = replaced
        }
        appendText(",\"start\":")
        appendDecimal(span.lowerBound)
        appendText(",\"end\":")
        appendDecimal(span.upperBound)
        appendText("}")
    }

    /// `--json`: the bytes of this file's begin, match and context records (rg's
    /// `bytes_printed`), set by `writeJSONEnd`.
    public private(set) var bytesPrinted = 0

    public mutating func writeJSONEnd(bytesSearched: Int, binaryOffset: Int?, elapsed: Duration) {
        guard printedHeading else { return }
        bytesPrinted = out.count
        appendText("{\"type\":\"end\",\"data\":{\"path\":")
        appendJSONData(path)
        appendText(",\"binary_offset\":")
        if let binaryOffset { appendDecimal(binaryOffset) } else { appendText("null") }
        appendText(",\"stats\":{\"elapsed\":\(Self.jsonDuration(elapsed)),\"searches\":1,\"searches_with_match\":\(matchedLines > 0 ? 1 : 0),\"bytes_searched\":\(bytesSearched),\"bytes_printed\":\(bytesPrinted),\"matched_lines\":\(statsMatchedLines),\"matches\":\(matches)}}}\n")
    }

    /// rg's JSON duration: `{"secs":S,"nanos":N,"human":"0.000014s"}`; `sortedKeys` for the
    /// summary record, whose keys rg sorts.
    public static func jsonDuration(_ duration: Duration, sortedKeys: Bool = false) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = attoseconds / 1_000_000_000
        let human = secondsText(duration) + "s"
        return sortedKeys ? "{\"human\":\"\(human)\",\"nanos\":\(nanos),\"secs\":\(seconds)}"
                          : "{\"secs\":\(seconds),\"nanos\":\(nanos),\"human\":\"\(human)\"}"
    }

    /// Seconds with six decimals, rounded to the microsecond (`0.000014`), as rg prints them.
    static func secondsText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = Int(seconds) * 1_000_000 + (Int(attoseconds / 1_000_000_000) + 500) / 1000
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    private mutating func appendText(_ text: String) {
        out.append(contentsOf: text.utf8)
    }

    private mutating func appendJSONData(_ bytes: UnsafeRawBufferPointer) {
        JSONWriter.appendData(bytes, to: &out)
    }

    private mutating func appendJSONData(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { JSONWriter.appendData($0, to: &out) }
    }
}
