import Foundation
import Search

/// The line searcher: buffer sizes on a big file, the per-line cost with a match on every
/// other line, one 1 GiB line held whole, and the newline counter's two loops.
struct SearcherBench {
    private struct CountingSink: SearchSink {
        var count = 0
        mutating func matched(_ line: SearchLine) -> Bool {
            count += 1
            return true
        }
    }

    let path: String
    let only: Set<String>?

    init(_ options: BenchOptions) {
        path = options["file"] ?? "\(corpus)/big.txt"
        only = options.list("only").map(Set.init)
    }

    func run() {
        if only?.contains("buffers") ?? true { bufferSizes() }
        if only?.contains("matches") ?? true { manyMatches() }
        if only?.contains("single-line") ?? true { oneGibibyteLine() }
        if only?.contains("newlines") ?? true { newlineCount() }
    }

    /// Best of three searches of `path`: (matching lines, bytes searched, seconds).
    private func bestOfThree(_ searcher: Searcher, advise: Bool = false) -> (lines: Int, bytes: Int, seconds: Double) {
        var best = Double.infinity, lines = 0, bytes = 0
        for _ in 0..<3 {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
            if advise { _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) }
            var sink = CountingSink()
            var result: SearchResult?
            best = min(best, Elapsed.of { result = searcher.search(fileDescriptor: fd, path: path, into: &sink) }.wall)
            close(fd)
            lines = sink.count
            bytes = result!.stats.bytesSearched
        }
        return (lines, bytes, best)
    }

    private func bufferSizes() {
        let configurations: [(String, Int, Bool, Bool)] = [
            ("64 KiB", 64 << 10, false, false), ("64 KiB + fadvise", 64 << 10, false, true),
            ("128 KiB", 128 << 10, false, false), ("256 KiB", 256 << 10, false, false),
            ("512 KiB", 512 << 10, false, false), ("1 MiB", 1 << 20, false, false),
            ("256 KiB -n", 256 << 10, true, false), ("64 KiB -n", 64 << 10, true, false),
        ]
        var counts = Set<Int>()
        for (name, capacity, lineNumbers, advise) in configurations {
            var options = SearchOptions()
            options.bufferCapacity = capacity
            options.lineNumbers = lineNumbers
            let run = bestOfThree(Searcher(matcher: LiteralMatcher("PM_RESUME"), options: options), advise: advise)
            print(String(format: "searcher %@: %d matching lines, %.3f s, %.2f GB/s",
                         name, run.lines, run.seconds, Double(run.bytes) / run.seconds / 1e9))
            counts.insert(run.lines)
        }
        if counts.count > 1 { fail("buffer sizes disagree on the matching lines: \(counts.sorted())") }
    }

    /// Every other line matches: the per-line cost (matcher call, memrchr/memchr, sink).
    private func manyMatches() {
        for lineNumbers in [false, true] {
            var options = SearchOptions()
            options.lineNumbers = lineNumbers
            let run = bestOfThree(Searcher(matcher: LiteralMatcher("e"), options: options))
            print(String(format: "searcher 'e'%@: %d matching lines, %.3f s, %.2f GB/s",
                         lineNumbers ? " -n" : "", run.lines, run.seconds, Double(run.bytes) / run.seconds / 1e9))
        }
    }

    /// A 1 GiB input without a newline: the line is held whole, then found.
    private func oneGibibyteLine() {
        let size = 1 << 30
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { memory.deallocate() }
        memset(memory.baseAddress!, 0x61, size)
        memcpy(memory.baseAddress! + size - 9, "PM_RESUME", 9)
        let searcher = Searcher(matcher: LiteralMatcher("PM_RESUME"))
        var sink = CountingSink()
        var result: SearchResult?
        let time = Elapsed.of { result = searcher.search(bytes: UnsafeRawBufferPointer(memory), into: &sink) }
        print(String(format: "1 GiB single line: %d match, %.3f s", sink.count, time.wall))
        if sink.count != 1 || result!.stats.bytesSearched != size {
            fail("1 GiB single line: \(sink.count) matches, \(result!.stats.bytesSearched) bytes searched")
        }
    }

    private func newlineCount() {
        let size = 256 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        for i in 0..<size { buffer[i] = i % 41 == 0 ? 0x0A : 0x61 }
        var count = 0, wordCount = 0
        let vector = Elapsed.of { count = NewlineScan.count(in: buffer.baseAddress!, count: size) }
        print(String(format: "newline count: %d in %.3f s, %.2f GB/s", count, vector.wall, Double(size) / vector.wall / 1e9))
        let words = Elapsed.of { wordCount = NewlineScan.countByWords(in: buffer.baseAddress!, count: size) }
        print(String(format: "newline count by words: %.3f s, %.2f GB/s", words.wall, Double(size) / words.wall / 1e9))
        if wordCount != count { fail("newline count: \(count) by vectors, \(wordCount) by words") }
    }
}
