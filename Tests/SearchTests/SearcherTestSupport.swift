import Glibc
import XCTest
@testable import Search

/// Records what a search reports in rg's `-n` notation: `N:text` for matches, `N-text`
/// for context, `--` for breaks (one trailing `\n` dropped from each line).
struct RecordingSink: SearchSink {
    var events: [String] = []
    var rawLines: [[UInt8]] = []
    var offsets: [Int] = []
    var stats: SearchStats? = nil
    var binaryOffsets: [Int] = []
    /// Return false from `matched` after this many matches.
    var stopAfter: Int? = nil
    var matches = 0

    mutating func matched(_ line: SearchLine) -> Bool {
        events.append(render(line, separator: ":"))
        rawLines.append(Array(line.bytes))
        offsets.append(line.byteOffset)
        matches += 1
        if let stopAfter, matches >= stopAfter { return false }
        return true
    }

    mutating func context(_ line: SearchLine, kind: SearchContextKind) {
        events.append(render(line, separator: kind == .before ? "-" : "+"))
    }

    mutating func contextBreak() { events.append("--") }
    mutating func binaryDetected(offset: Int) { binaryOffsets.append(offset) }
    mutating func finished(_ stats: SearchStats) { self.stats = stats }

    private func render(_ line: SearchLine, separator: String) -> String {
        var bytes = Array(line.bytes)
        if bytes.last == 0x0A { bytes.removeLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        if let number = line.lineNumber { return "\(number)\(separator)\(text)" }
        return text
    }
}

func makeOptions(
    bufferCapacity: Int = 16, lineNumbers: Bool = true, invert: Bool = false,
    before: Int = 0, after: Int = 0, maxCount: Int? = nil, binary: BinaryMode = .quit,
    multiline: Bool = false
) -> SearchOptions {
    var options = SearchOptions()
    options.bufferCapacity = bufferCapacity
    options.lineNumbers = lineNumbers
    options.invert = invert
    options.beforeContext = before
    options.afterContext = after
    options.maxCount = maxCount
    options.binaryMode = binary
    options.multiline = multiline
    return options
}

/// Searches `input` in memory and returns the sink and result.
func searchMemory(
    _ input: [UInt8], matcher: any Matcher, options: SearchOptions, stopAfter: Int? = nil
) -> (RecordingSink, SearchResult) {
    var sink = RecordingSink()
    sink.stopAfter = stopAfter
    let searcher = Searcher(matcher: matcher, options: options)
    let result = input.withUnsafeBytes { searcher.search(bytes: $0, path: "mem", into: &sink) }
    return (sink, result)
}

func searchMemory(
    _ text: String, _ literal: String, options: SearchOptions = makeOptions(), stopAfter: Int? = nil
) -> (RecordingSink, SearchResult) {
    searchMemory(Array(text.utf8), matcher: LiteralMatcher(literal), options: options, stopAfter: stopAfter)
}

/// A temporary file holding `bytes`, removed when the returned closure runs.
func withTemporaryFile<T>(_ bytes: [UInt8], _ body: (Int32, String) throws -> T) rethrows -> T {
    var template = Array("/tmp/trawl-searcher-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    precondition(fd >= 0, "mkstemp failed")
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer {
        close(fd)
        unlink(path)
    }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    lseek(fd, 0, SEEK_SET)
    return try body(fd, path)
}
