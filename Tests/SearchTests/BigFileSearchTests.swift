import Dispatch
import Glibc
import XCTest
@testable import Search

/// A big mapped file cut into pieces searched on other threads (`BigFileSearch`): the sink
/// must get what one search from the start gives it.
final class BigFileSearchTests: XCTestCase {
    /// Runs each piece on a Dispatch thread and counts the pieces it started.
    private final class DispatchScheduler: PieceScheduler, @unchecked Sendable {
        let pieceCount: Int
        var isCancelled: Bool { false }
        // Read after the test's search returns; written only by `start`, on the searching thread.
        private(set) var started = 0

        init(pieceCount: Int) { self.pieceCount = pieceCount }

        func start<Result: Sendable>(_ piece: @escaping @Sendable () -> Result) -> (() -> Result?)? {
            started += 1
            let done = ResultBox<Result>()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { done.value = piece() }
            return { group.wait(); return done.value }
        }
    }

    /// Written by the piece's thread before the group is left, read after the wait.
    private final class ResultBox<Value>: @unchecked Sendable { var value: Value? }

    /// No thread to lend: every piece is taken back and searched by the caller.
    private struct NoThreads: PieceScheduler {
        let pieceCount: Int
        var isCancelled: Bool { false }
        let whenStarting: @Sendable () -> Void
        func start<Result: Sendable>(_ piece: @escaping @Sendable () -> Result) -> (() -> Result?)? {
            whenStarting()
            return nil
        }
    }

    /// 72 MiB: every eighth line holds `needle`, `rare` lines at the start, in the middle
    /// and as the last line (without a newline).
    private static let bigFile: [UInt8] = {
        var block: [UInt8] = []
        var line = 0
        while block.count < 1 << 20 {
            block += Array((line % 8 == 0 ? "a needle \(line)\n" : "plain text \(line)\n").utf8)
            line += 1
        }
        var bytes = Array("rare first\n".utf8)
        for index in 0..<72 {
            bytes += block
            if index == 35 { bytes += Array("rare in the middle\n".utf8) }
        }
        return bytes + Array("the last rare line".utf8)
    }()

    /// The big file, written once for the class (72 MiB in a debug build is slow to write).
    private static let bigFilePath: String = {
        var template = Array("/tmp/trawl-bigfile-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp failed")
        defer { close(fd) }
        let written = bigFile.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        precondition(written == bigFile.count, "short write")
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    override class func tearDown() {
        unlink(bigFilePath)
        super.tearDown()
    }

    private func search(_ needle: String, options: SearchOptions, scheduler: (any PieceScheduler)?) -> (RecordingSink, SearchResult) {
        let fd = open(Self.bigFilePath, O_RDONLY)
        defer { close(fd) }
        var sink = RecordingSink()
        let result = Searcher(matcher: LiteralMatcher(needle), options: options)
            .search(fileDescriptor: fd, path: Self.bigFilePath, isRegularFile: true, splittingOn: scheduler, into: &sink)
        return (sink, result)
    }

    func testSplitSearchReportsWhatOneSearchFromTheStartReports() {
        for (needle, maxCount) in [("rare", nil), ("needle", nil), ("needle", 150_000), ("rare", 2)] as [(String, Int?)] {
            let options = makeOptions(bufferCapacity: SearchOptions.defaultBufferCapacity, maxCount: maxCount)
            let (whole, wholeResult) = search(needle, options: options, scheduler: nil)
            let scheduler = DispatchScheduler(pieceCount: 4)
            let (split, splitResult) = search(needle, options: options, scheduler: scheduler)
            XCTAssertEqual(scheduler.started, 3, "three pieces went to other threads")
            XCTAssertEqual(split.events, whole.events, needle)
            XCTAssertEqual(split.offsets, whole.offsets, needle)
            XCTAssertEqual(split.stats?.matchedLines, whole.stats?.matchedLines, needle)
            XCTAssertEqual(splitResult.stats.matchedLines, wholeResult.stats.matchedLines, needle)
            XCTAssertEqual(splitResult.reachedEnd, wholeResult.reachedEnd, needle)
            XCTAssertNil(splitResult.error)
        }
        let (rare, _) = search("rare", options: makeOptions(bufferCapacity: SearchOptions.defaultBufferCapacity),
                               scheduler: DispatchScheduler(pieceCount: 4))
        XCTAssertEqual(rare.events.count, 3)
        XCTAssertEqual(rare.events.first, "1:rare first")
    }

    func testPiecesNoThreadStartedAreSearchedByTheCaller() {
        let options = makeOptions(bufferCapacity: SearchOptions.defaultBufferCapacity)
        let (whole, _) = search("rare", options: options, scheduler: nil)
        let (split, result) = search("rare", options: options, scheduler: NoThreads(pieceCount: 3, whenStarting: {}))
        XCTAssertEqual(split.events, whole.events)
        XCTAssertTrue(result.reachedEnd)
    }

    /// Context lines do not join across pieces: the file is searched from the start.
    func testContextIsNeverSplit() {
        let scheduler = DispatchScheduler(pieceCount: 4)
        let (sink, _) = search("rare", options: makeOptions(bufferCapacity: SearchOptions.defaultBufferCapacity, after: 1),
                               scheduler: scheduler)
        XCTAssertEqual(scheduler.started, 0)
        XCTAssertEqual(sink.events.prefix(2), ["1:rare first", "2+a needle 0"])
    }

    /// The file shrinks after it is mapped (when the first piece is handed out): the pages
    /// past the end read as zeros and the result says the file was truncated.
    func testFileTruncatedDuringTheSplitIsReported() {
        withTemporaryFile(Self.bigFile) { fd, path in
            let options = makeOptions(bufferCapacity: SearchOptions.defaultBufferCapacity, binary: .text)
            var sink = RecordingSink()
            let truncate = NoThreads(pieceCount: 2, whenStarting: { _ = ftruncate(fd, 1 << 20) })
            let result = Searcher(matcher: LiteralMatcher("needle"), options: options)
                .search(fileDescriptor: fd, path: path, isRegularFile: true, splittingOn: truncate, into: &sink)
            XCTAssertEqual(result.error, .truncated(path: path))
            XCTAssertGreaterThan(sink.matches, 1000, "the lines before the new end were reported")
        }
    }

    func testPiecesEndAfterNewlinesAndCoverTheFile() {
        var bytes = Array("aa\nbbbb\ncccccc\nd\neeeeeeee\nf".utf8)
        bytes.withUnsafeMutableBytes { buffer in
            for count in 1...6 {
                let ranges = BigFileSearch.cut(buffer, into: count)
                XCTAssertEqual(ranges.first?.lowerBound, 0)
                XCTAssertEqual(ranges.last?.upperBound, buffer.count)
                for (a, b) in zip(ranges, ranges.dropFirst()) {
                    XCTAssertEqual(a.upperBound, b.lowerBound)
                    XCTAssertEqual(buffer[a.upperBound - 1], 0x0A, "piece \(a) of \(count)")
                }
                XCTAssertLessThanOrEqual(ranges.count, count)
            }
        }
        var noNewline = [UInt8](repeating: 0x61, count: 100)
        noNewline.withUnsafeMutableBytes { XCTAssertEqual(BigFileSearch.cut($0, into: 2), [0..<100]) }
        noNewline[99] = 0x0A
        noNewline.withUnsafeMutableBytes { XCTAssertEqual(BigFileSearch.cut($0, into: 2), [0..<100]) }
        noNewline[70] = 0x0A
        noNewline.withUnsafeMutableBytes { buffer in
            XCTAssertEqual(BigFileSearch.cut(buffer, into: 2), [0..<71, 71..<100])
            XCTAssertEqual(BigFileSearch.cut(buffer, into: 2, reach: 10), [0..<100], "no newline near the middle")
        }
    }
}
