import Glibc
import XCTest
@testable import Search

final class SearcherTests: XCTestCase {
    func testReportsMatchingLinesWithNumbers() {
        let (sink, result) = searchMemory("alpha\nbeta\ngamma\nalphabet\n", "alpha")
        XCTAssertEqual(sink.events, ["1:alpha", "4:alphabet"])
        XCTAssertEqual(result.stats.matchedLines, 2)
        XCTAssertEqual(result.stats.bytesSearched, 26)
        XCTAssertNil(result.error)
    }

    func testLinesWithoutNumbersWhenNotAsked() {
        let (sink, _) = searchMemory("a\nb\na\n", "a", options: makeOptions(lineNumbers: false))
        XCTAssertEqual(sink.events, ["a", "a"])
    }

    func testByteOffsetsAreAbsolute() {
        let (sink, _) = searchMemory("xx\nyy\nxx\nzzzzzzzzzzzzzzzzzzzz\nxx\n", "xx")
        XCTAssertEqual(sink.offsets, [0, 6, 30])
    }

    func testMatchesStraddlingEveryBufferBoundary() {
        // 16-byte buffer: the needle sits at every position relative to the read boundaries.
        for shift in 0..<20 {
            let text = String(repeating: "-", count: shift) + "NEEDLE\n" + "pad\n" + "xNEEDLEx\n"
            let (sink, _) = searchMemory(text, "NEEDLE")
            XCTAssertEqual(sink.events, ["1:" + String(repeating: "-", count: shift) + "NEEDLE", "3:xNEEDLEx"],
                           "shift \(shift)")
        }
    }

    func testLineLongerThanTheBufferIsHeldWhole() {
        let long = String(repeating: "abcdefgh", count: 100) + "TARGET" + String(repeating: "z", count: 300)
        let (sink, _) = searchMemory("short\n" + long + "\nafter TARGET\n", "TARGET")
        XCTAssertEqual(sink.events, ["2:" + long, "3:after TARGET"])
    }

    func testMebibyteLineThroughASixteenByteBuffer() {
        var input = [UInt8](repeating: 0x61, count: 1 << 20)
        input.replaceSubrange(500_000..<500_006, with: Array("TARGET".utf8))
        input += Array("\nnext TARGET".utf8)
        let (sink, result) = searchMemory(input, matcher: LiteralMatcher("TARGET"),
                                          options: makeOptions(bufferCapacity: 16))
        XCTAssertEqual(sink.rawLines.map(\.count), [(1 << 20) + 1, 11])
        XCTAssertEqual(sink.events.last, "2:next TARGET")
        XCTAssertEqual(result.stats.bytesSearched, input.count)
    }

    func testInvertReportsNonMatchingLines() {
        let (sink, result) = searchMemory("a1\nb\nc\na2\nd\n", "a", options: makeOptions(invert: true))
        XCTAssertEqual(sink.events, ["2:b", "3:c", "5:d"])
        XCTAssertEqual(result.stats.matchedLines, 3)
    }

    func testInvertWithNoMatchReportsEveryLineIncludingUnterminatedLast() {
        let (sink, _) = searchMemory("x\ny\nz", "q", options: makeOptions(invert: true))
        XCTAssertEqual(sink.events, ["1:x", "2:y", "3:z"])
    }

    func testContextMergesAndBreaksLikeRg() {
        // rg -n -B1 -A1 a  on x a y z w a q  prints 1-x 2:a 3-y -- 5-w 6:a 7-q
        let (sink, _) = searchMemory("x\na\ny\nz\nw\na\nq\n", "a", options: makeOptions(before: 1, after: 1))
        XCTAssertEqual(sink.events, ["1-x", "2:a", "3+y", "--", "5-w", "6:a", "7+q"])
    }

    func testAdjacentContextGroupsMergeWithoutBreak() {
        // Lines 1 and 4 match; with -C1 lines 2 and 3 are context of each, no `--`.
        let (sink, _) = searchMemory("a\nb\nc\na\n", "a", options: makeOptions(before: 1, after: 1))
        XCTAssertEqual(sink.events, ["1:a", "2+b", "3-c", "4:a"])
    }

    func testInvertWithAfterContextLikeRg() {
        // rg -n -v -A1 a  on a b a a a c  prints 2:b 3-a -- 6:c
        let (sink, _) = searchMemory("a\nb\na\na\na\nc\n", "a", options: makeOptions(invert: true, after: 1))
        XCTAssertEqual(sink.events, ["2:b", "3+a", "--", "6:c"])
    }

    func testBeforeContextSurvivesBufferRefills() {
        let lines = (1...12).map { "line\($0)" }
        let (sink, _) = searchMemory(lines.joined(separator: "\n") + "\nhit\n", "hit",
                                     options: makeOptions(bufferCapacity: 16, before: 3))
        XCTAssertEqual(sink.events, ["10-line10", "11-line11", "12-line12", "13:hit"])
    }

    func testMaxCountStops() {
        let (sink, result) = searchMemory("a\na\nb\na\n", "a", options: makeOptions(maxCount: 2))
        XCTAssertEqual(sink.events, ["1:a", "2:a"])
        XCTAssertEqual(result.stats.matchedLines, 2)
    }

    func testMaxCountKeepsTrailingContextLikeRg13() {
        // rg 13 -n -m1 -A5 a  on a1 b c a2 d e f a3  prints 1:a1 2-b 3-c 4:a2 5-d 6-e
        let (sink, result) = searchMemory("a1\nb\nc\na2\nd\ne\nf\na3\n", "a", options: makeOptions(after: 5, maxCount: 1))
        XCTAssertEqual(sink.events, ["1:a1", "2+b", "3+c", "4:a2", "5+d", "6+e"])
        XCTAssertEqual(result.stats.matchedLines, 1)
    }

    func testMaxCountZeroReportsNothing() {
        let (sink, result) = searchMemory("a\n", "a", options: makeOptions(maxCount: 0))
        XCTAssertEqual(sink.events, [])
        XCTAssertEqual(result.stats.matchedLines, 0)
    }

    func testSinkReturningFalseStopsTheSearch() {
        let (sink, result) = searchMemory("a\na\na\n", "a", stopAfter: 1)
        XCTAssertEqual(sink.events, ["1:a"])
        XCTAssertEqual(result.stats.matchedLines, 1)
        XCTAssertEqual(sink.stats?.matchedLines, 1)
    }

    func testEmptyInputReportsNothing() {
        let (sink, result) = searchMemory("", "")
        XCTAssertEqual(sink.events, [])
        XCTAssertEqual(result.stats.matchedLines, 0)
        XCTAssertNotNil(sink.stats, "finished is still called")
    }

    func testLastLineWithoutNewlineIsReported() {
        let (sink, _) = searchMemory("a\nlast a", "a")
        XCTAssertEqual(sink.events, ["1:a", "2:last a"])
        XCTAssertEqual(sink.rawLines.last, Array("last a".utf8))
    }

    func testEmptyPatternMatchesEachLineButNoPhantomLineAfterFinalNewline() {
        // rg -c '' gives 3 for "a\n\nb" and 2 for "a\nb\n".
        XCTAssertEqual(searchMemory("a\n\nb", "").1.stats.matchedLines, 3)
        XCTAssertEqual(searchMemory("a\nb\n", "").1.stats.matchedLines, 2)
    }

    func testCRLFLinesAreReportedByteExact() {
        let (sink, _) = searchMemory("one\r\ntwo\r\nthree", "t")
        XCTAssertEqual(sink.rawLines, [Array("two\r\n".utf8), Array("three".utf8)])
    }

    func testInvalidUTF8IsSearchedAsBytes() {
        let input: [UInt8] = [0xFF, 0x41, 0x41, 0x0A, 0xC3, 0x28, 0x42, 0x0A]
        let (sink, _) = searchMemory(input, matcher: LiteralMatcher(bytes: [0x28, 0x42]), options: makeOptions())
        XCTAssertEqual(sink.rawLines, [[0xC3, 0x28, 0x42, 0x0A]])
    }

    func testCaseInsensitiveLiteral() {
        let (sink, _) = searchMemory(Array("Hello\nHELLO\nhelp\n".utf8),
                                     matcher: LiteralMatcher("hello", caseInsensitive: true), options: makeOptions())
        XCTAssertEqual(sink.events, ["1:Hello", "2:HELLO"])
    }

    func testFileDescriptorSearch() {
        let text = (1...1000).map { $0 % 97 == 0 ? "match \($0)" : "line \($0)" }.joined(separator: "\n")
        withTemporaryFile(Array(text.utf8)) { fd, path in
            var sink = RecordingSink()
            let result = Searcher(matcher: LiteralMatcher("match"), options: makeOptions(bufferCapacity: 64))
                .search(fileDescriptor: fd, path: path, isRegularFile: true, into: &sink)
            XCTAssertNil(result.error)
            XCTAssertEqual(sink.events, (1...10).map { "\($0 * 97):match \($0 * 97)" })
            XCTAssertEqual(result.stats.bytesSearched, text.utf8.count)
        }
    }

    /// `begin` reads the first buffer and asks for the size only of a file that filled it;
    /// the search that follows still starts from the first byte.
    func testBeginGivesTheSizeOnlyOfFilesFillingTheFirstBuffer() {
        let long = Array(((1...200).map { "line \($0)" }.joined(separator: "\n") + "\nneedle\n").utf8)
        withTemporaryFile(long) { fd, path in
            let searcher = Searcher(matcher: try! CompiledRegex("^line 1$"), options: makeOptions(bufferCapacity: 64))
            XCTAssertEqual(searcher.begin(fileDescriptor: fd, isRegularFile: true), long.count)
            var sink = RecordingSink()
            let result = searcher.searchBegun(path: path, into: &sink)
            XCTAssertEqual(sink.events, ["1:line 1"])
            XCTAssertEqual(result.stats.bytesSearched, long.count)
        }
        withTemporaryFile(Array("short needle\n".utf8)) { fd, path in
            let searcher = Searcher(matcher: LiteralMatcher("needle"), options: makeOptions(bufferCapacity: 64))
            XCTAssertNil(searcher.begin(fileDescriptor: fd, isRegularFile: true))
            var sink = RecordingSink()
            _ = searcher.searchBegun(path: path, into: &sink)
            XCTAssertEqual(sink.events, ["1:short needle"])
        }
    }

    func testReadingADirectoryIsAnErrorValue() {
        let fd = open("/tmp", O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var sink = RecordingSink()
        let result = Searcher(matcher: LiteralMatcher("x")).search(fileDescriptor: fd, path: "/tmp", into: &sink)
        XCTAssertEqual(result.error, .read(path: "/tmp", errno: EISDIR))
        XCTAssertEqual(result.error?.description, "/tmp: Is a directory (os error 21)")
    }

    func testCancellationStopsBeforeTheNextRead() {
        let searcher = Searcher(matcher: LiteralMatcher("a"), options: makeOptions(bufferCapacity: 16))
        var reads = 0
        searcher.isCancelled = {
            reads += 1
            return reads > 2
        }
        let input = Array(String(repeating: "a\n", count: 100).utf8)
        let (result, sink) = input.withUnsafeBytes { bytes -> (SearchResult, RecordingSink) in
            var sink = RecordingSink()
            return (searcher.search(bytes: bytes, into: &sink), sink)
        }
        XCTAssertTrue(result.cancelled)
        XCTAssertEqual(result.stats.bytesSearched, 32, "two 16-byte reads were searched")
        XCTAssertEqual(sink.events.count, 16)
        XCTAssertNotNil(sink.stats, "finished is still called")
    }

    func testSinkIsMovedNotCopied() {
        // A copied sink would share its array and copy it on the first append.
        struct BufferingSink: SearchSink {
            var output: [UInt8] = []
            mutating func matched(_ line: SearchLine) -> Bool {
                output.append(contentsOf: line.bytes)
                return true
            }
        }
        var sink = BufferingSink()
        sink.output.reserveCapacity(1 << 16)
        sink.output.append(1)
        let before = sink.output.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        _ = Array("a\nb\na\n".utf8).withUnsafeBytes {
            Searcher(matcher: LiteralMatcher("a")).search(bytes: $0, into: &sink)
        }
        XCTAssertEqual(sink.output, [1] + Array("a\na\n".utf8))
        XCTAssertEqual(sink.output.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, before)
    }

    func testSearcherIsReusableAcrossInputs() {
        let searcher = Searcher(matcher: LiteralMatcher("x"), options: makeOptions(bufferCapacity: 16))
        var first = RecordingSink()
        _ = Array(String(repeating: "y", count: 100).utf8 + Array("x\n".utf8)).withUnsafeBytes {
            searcher.search(bytes: $0, into: &first)
        }
        var second = RecordingSink()
        _ = Array("x\n".utf8).withUnsafeBytes { searcher.search(bytes: $0, into: &second) }
        XCTAssertEqual(first.events.count, 1)
        XCTAssertEqual(second.events, ["1:x"])
        XCTAssertEqual(second.offsets, [0])
    }

    // MARK: Multiline

    func testMultilineReportsEveryLineTheMatchTouches() {
        let (sink, result) = searchMemory("a\nb\nc\n", "a\nb", options: makeOptions(multiline: true))
        XCTAssertEqual(sink.rawLines, [Array("a\nb\n".utf8)])
        XCTAssertEqual(sink.events, ["1:a\nb"])
        XCTAssertEqual(result.stats.matchedLines, 1)
    }

    func testMultilineKeepsSeparateBlocksForAdjacentLines() {
        // rg -U -c a on a a b gives 2; 'a\nb|b\nc' style non-overlapping blocks stay apart.
        XCTAssertEqual(searchMemory("a\na\nb\n", "a", options: makeOptions(multiline: true)).1.stats.matchedLines, 2)
    }

    func testMultilineMergesBlocksSharingALine() {
        // "b\nb" matches lines 1-2, then from the match end lines 2-3: one block of three lines.
        let (sink, _) = searchMemory("xb\nbb\nb\n", "b\nb", options: makeOptions(multiline: true))
        XCTAssertEqual(sink.events, ["1:xb\nbb\nb"])
    }

    func testMultilineInvertReportsUntouchedLines() {
        let (sink, _) = searchMemory("x\na\nb\ny", "a\nb", options: makeOptions(invert: true, multiline: true))
        XCTAssertEqual(sink.events, ["1:x", "4:y"])
    }

    // MARK: Against a line-by-line reference

    func testRandomInputsAgreeWithLineByLineReference() {
        var generator = SplitMix(seed: 42)
        for round in 0..<400 {
            let lineCount = Int(generator.next() % 30)
            var lines: [String] = []
            for _ in 0..<lineCount {
                let length = Int(generator.next() % 40)
                lines.append(String((0..<length).map { _ in ["a", "b", "-"][Int(generator.next() % 3)] as Character }))
            }
            var text = lines.joined(separator: "\n")
            if generator.next() % 2 == 0 && !lines.isEmpty { text += "\n" }
            let options = makeOptions(
                bufferCapacity: [8, 16, 64, 65536][Int(generator.next() % 4)],
                invert: generator.next() % 3 == 0,
                before: Int(generator.next() % 3), after: Int(generator.next() % 3),
                maxCount: generator.next() % 3 == 0 ? Int(generator.next() % 4) + 1 : nil)
            let needle = ["ab", "ba", "aa", "b-a", "-"][Int(generator.next() % 5)]
            let (sink, _) = searchMemory(text, needle, options: options)
            XCTAssertEqual(sink.events, referenceSearch(text, needle, options), "round \(round) \(text.debugDescription)")
        }
    }

    /// Line by line: selected lines, context within -B/-A of one, `--` between gaps; after
    /// the -m'th selected line, rg 13 prints the next -A lines (selected ones with `:`).
    private func referenceSearch(_ text: String, _ needle: String, _ options: SearchOptions) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") || text.isEmpty { lines.removeLast() }
        var selected = lines.map { $0.contains(needle) != options.invert }
        if let maxCount = options.maxCount {
            var seen = 0
            for i in lines.indices where selected[i] {
                seen += 1
                if seen == maxCount {
                    let tail = lines.indices.filter { $0 > i && $0 <= i + options.afterContext }
                    let head = referenceSearch(lines[...i].map { $0 + "\n" }.joined(), needle, {
                        var unlimited = options
                        unlimited.maxCount = nil
                        return unlimited
                    }())
                    return head + tail.map { "\($0 + 1)\(selected[$0] ? ":" : "+")\(lines[$0])" }
                }
            }
        }
        selected = lines.map { $0.contains(needle) != options.invert }
        var events: [String] = []
        var lastPrinted: Int? = nil
        var lastSelected: Int? = nil
        for (i, line) in lines.enumerated() {
            let nextSelected = (i..<lines.count).first { selected[$0] }
            let isAfter = lastSelected.map { i - $0 <= options.afterContext } ?? false
            let isBefore = nextSelected.map { $0 - i <= options.beforeContext } ?? false
            if selected[i] || isAfter || isBefore {
                if options.hasContext, let last = lastPrinted, i > last + 1 { events.append("--") }
                events.append("\(i + 1)\(selected[i] ? ":" : isAfter ? "+" : "-")\(line)")
                lastPrinted = i
            }
            if selected[i] { lastSelected = i }
        }
        return events
    }
}

/// A small deterministic generator so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class SearcherPipeTests: XCTestCase {
    func testSearchReadsAPipeToItsEnd() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let text = Array((1...500).map { $0 == 321 ? "the one\n" : "other \($0)\n" }.joined().utf8)
        XCTAssertLessThan(text.count, 65536, "fits the pipe buffer, so one thread can write it all")
        _ = text.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        defer { close(fds[0]) }
        var sink = RecordingSink()
        let result = Searcher(matcher: LiteralMatcher("one"), options: makeOptions(bufferCapacity: 100))
            .search(fileDescriptor: fds[0], path: "<stdin>", into: &sink)
        XCTAssertEqual(sink.events, ["321:the one"])
        XCTAssertEqual(result.stats.bytesSearched, text.count)
    }
}

final class SearcherPathTests: XCTestCase {
    func testSearchByPathOpensAndSearches() {
        withTemporaryFile(Array("a\nneedle\n".utf8)) { _, path in
            var sink = RecordingSink()
            let result = Searcher(matcher: LiteralMatcher("needle")).search(path: path, into: &sink)
            XCTAssertNil(result.error)
            XCTAssertEqual(sink.events, ["needle"])
        }
    }

    func testMissingPathIsAnOpenErrorWithoutSinkCalls() {
        var sink = RecordingSink()
        let result = Searcher(matcher: LiteralMatcher("x")).search(path: "/nonexistent/trawl", into: &sink)
        XCTAssertEqual(result.error, .open(path: "/nonexistent/trawl", errno: ENOENT))
        XCTAssertEqual(result.error?.description, "/nonexistent/trawl: No such file or directory (os error 2)")
        XCTAssertNil(sink.stats)
    }
}

// MARK: - Support shared by the Search test files

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
