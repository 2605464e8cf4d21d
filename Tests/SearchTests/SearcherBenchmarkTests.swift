import Glibc
import XCTest
@testable import Search

/// Throughput of the line searcher on a 1 GiB file; skipped unless SEARCHER_BENCH=1.
/// Run: SEARCHER_BENCH=1 swift test -c release --filter SearcherBenchmarkTests
final class SearcherBenchmarkTests: XCTestCase {
    private struct CountingSink: SearchSink {
        var count = 0
        var lastLineNumber = 0
        mutating func matched(_ line: SearchLine) -> Bool {
            count += 1
            lastLineNumber = line.lineNumber ?? 0
            return true
        }
    }

    private let path = ProcessInfo.processInfo.environment["SEARCHER_BENCH_FILE"] ?? "/var/tmp/trawl-corpus/big.txt"

    func testThroughputOnBigFile() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SEARCHER_BENCH"] == "1", "set SEARCHER_BENCH=1")
        try XCTSkipUnless(access(path, R_OK) == 0, "no \(path)")
        let configurations: [(String, Int, Bool, Bool)] = [
            ("64 KiB", 64 << 10, false, false),
            ("64 KiB + fadvise", 64 << 10, false, true),
            ("128 KiB", 128 << 10, false, false),
            ("256 KiB", 256 << 10, false, false),
            ("512 KiB", 512 << 10, false, false),
            ("1 MiB", 1 << 20, false, false),
            ("256 KiB -n", 256 << 10, true, false),
            ("64 KiB -n", 64 << 10, true, false),
        ]
        for (name, capacity, lineNumbers, advise) in configurations {
            var options = SearchOptions()
            options.bufferCapacity = capacity
            options.lineNumbers = lineNumbers
            let searcher = Searcher(matcher: LiteralMatcher("PM_RESUME"), options: options)
            var best = Double.infinity
            var found = 0
            var bytes = 0
            for _ in 0..<3 {
                let fd = open(path, O_RDONLY)
                XCTAssertGreaterThanOrEqual(fd, 0)
                if advise { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) }
                var sink = CountingSink()
                let start = now()
                let result = searcher.search(fileDescriptor: fd, path: path, into: &sink)
                best = min(best, now() - start)
                close(fd)
                found = sink.count
                bytes = result.stats.bytesSearched
            }
            print(String(format: "searcher %@: %d matching lines, %.3f s, %.2f GB/s",
                         name, found, best, Double(bytes) / best / 1e9))
        }
    }

    /// Every other line matches: the per-line cost (matcher call, memrchr/memchr, sink).
    func testThroughputWithManyMatches() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SEARCHER_BENCH"] == "1", "set SEARCHER_BENCH=1")
        try XCTSkipUnless(access(path, R_OK) == 0, "no \(path)")
        for lineNumbers in [false, true] {
            var options = SearchOptions()
            options.lineNumbers = lineNumbers
            let searcher = Searcher(matcher: LiteralMatcher("e"), options: options)
            var best = Double.infinity
            var found = 0
            for _ in 0..<3 {
                let fd = open(path, O_RDONLY)
                var sink = CountingSink()
                let start = now()
                _ = searcher.search(fileDescriptor: fd, path: path, into: &sink)
                best = min(best, now() - start)
                close(fd)
                found = sink.count
            }
            print(String(format: "searcher 'e'%@: %d matching lines, %.3f s, %.2f GB/s",
                         lineNumbers ? " -n" : "", found, best, 1073741824 / best / 1e9))
        }
    }

    /// A 1 GiB input without a newline: the line is held whole, then found.
    func testOneGibibyteSingleLine() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SEARCHER_BENCH"] == "1", "set SEARCHER_BENCH=1")
        let size = 1 << 30
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { memory.deallocate() }
        memset(memory.baseAddress!, 0x61, size)
        memcpy(memory.baseAddress! + size - 9, "PM_RESUME", 9)
        let searcher = Searcher(matcher: LiteralMatcher("PM_RESUME"))
        var sink = CountingSink()
        let start = now()
        let result = searcher.search(bytes: UnsafeRawBufferPointer(memory), into: &sink)
        print(String(format: "1 GiB single line: %d match, %.3f s", sink.count, now() - start))
        XCTAssertEqual(sink.count, 1)
        XCTAssertEqual(result.stats.bytesSearched, size)
    }

    func testNewlineCountThroughput() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["SEARCHER_BENCH"] == "1", "set SEARCHER_BENCH=1")
        let size = 256 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        for i in 0..<size { buffer[i] = i % 41 == 0 ? 0x0A : 0x61 }
        let start = now()
        let count = NewlineScan.count(in: buffer.baseAddress!, count: size)
        let seconds = now() - start
        print(String(format: "newline count: %d in %.3f s, %.2f GB/s", count, seconds, Double(size) / seconds / 1e9))
        let wordStart = now()
        let wordCount = NewlineScan.countByWords(in: buffer.baseAddress!, count: size)
        let wordSeconds = now() - wordStart
        XCTAssertEqual(wordCount, count)
        print(String(format: "newline count by words: %.3f s, %.2f GB/s", wordSeconds, Double(size) / wordSeconds / 1e9))
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
