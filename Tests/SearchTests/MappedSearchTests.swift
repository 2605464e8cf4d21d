import Foundation
import XCTest
@testable import Search

/// Files of `Searcher.mappingThreshold` bytes or more are searched through a mapping; every
/// answer must equal the read(2) path's.
final class MappedSearchTests: XCTestCase {
    private func makeFile(_ build: (inout [UInt8]) -> Void) throws -> URL {
        var bytes: [UInt8] = []
        build(&bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    private func search(_ url: URL, mapped: Bool, options: SearchOptions, needle: String = "NEEDLE") -> RecordingSink {
        let searcher = Searcher(matcher: LiteralMatcher(needle), options: options)
        let fd = open(url.path, O_RDONLY)
        defer { close(fd) }
        var sink = RecordingSink()
        _ = searcher.search(fileDescriptor: fd, path: url.path, isRegularFile: mapped, into: &sink)
        return sink
    }

    func testMappedSearchEqualsReadSearchWithContextAndNumbers() throws {
        let url = try makeFile { bytes in
            var line = 0
            while bytes.count < Searcher.mappingThreshold + 3 * 256 * 1024 {
                line += 1
                // Long and short lines so matches fall on window edges somewhere.
                let text = line % 997 == 0 ? "x NEEDLE y \(line)" : String(repeating: "a", count: line % 300)
                bytes.append(contentsOf: Array(text.utf8) + [10])
            }
            bytes.append(contentsOf: Array("last NEEDLE without newline".utf8))
        }
        defer { try? FileManager.default.removeItem(at: url) }
        var options = SearchOptions()
        options.lineNumbers = true
        options.beforeContext = 1
        options.afterContext = 1
        let mapped = search(url, mapped: true, options: options)
        let read = search(url, mapped: false, options: options)
        XCTAssertGreaterThan(mapped.matches, 20)
        XCTAssertEqual(mapped.events, read.events)
        XCTAssertEqual(mapped.offsets, read.offsets)
        XCTAssertEqual(mapped.stats?.bytesSearched, read.stats?.bytesSearched)
    }

    func testMappedConvertModeNeverWritesTheFile() throws {
        let url = try makeFile { bytes in
            bytes = [UInt8](repeating: UInt8(ascii: "b"), count: Searcher.mappingThreshold + 100)
            bytes.replaceSubrange(10..<16, with: Array("NEEDLE".utf8))
            bytes[1_000] = 0  // in the prefix a mapped search scans: rewritten to a line end
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let before = try Data(contentsOf: url)
        var options = SearchOptions()
        options.binaryMode = .convert
        let mapped = search(url, mapped: true, options: options)
        let read = search(url, mapped: false, options: options)
        XCTAssertEqual(mapped.binaryOffsets, [1_000])
        XCTAssertEqual(mapped.binaryOffsets, read.binaryOffsets)
        XCTAssertEqual(mapped.events, read.events)
        XCTAssertEqual(try Data(contentsOf: url), before, "NUL conversion happens in a private mapping")
    }

    /// rg's rule for memory maps: past the first 64 KiB, a NUL counts only in a line that
    /// is reported; one in lines nobody reports is never looked for.
    func testMappedFileChecksForNULOnlyInItsPrefixAndInReportedLines() throws {
        func lines(_ nulLine: Int) throws -> URL {
            try makeFile { bytes in
                var text = ""
                for i in 0..<(Searcher.mappingThreshold / 30 + 10) {
                    text += i % 1000 == 999 ? "NEEDLE line \(i)\n" : "padding line number \(i) xxxxxxxxxx\n"
                }
                bytes = Array(text.utf8)
                // A NUL as the last byte before line `nulLine`'s newline.
                var start = 0
                for _ in 0..<nulLine { start = bytes[start...].firstIndex(of: 10)! + 1 }
                bytes[bytes[start...].firstIndex(of: 10)! - 1] = 0
            }
        }
        for mode in [BinaryMode.quit, .convert] {
            var options = SearchOptions()
            options.binaryMode = mode
            let quiet = try lines(300_000)  // a padding line, far past 64 KiB
            defer { try? FileManager.default.removeItem(at: quiet) }
            XCTAssertEqual(search(quiet, mapped: true, options: options).binaryOffsets, [], "\(mode)")
            XCTAssertEqual(search(quiet, mapped: false, options: options).binaryOffsets.count, 1, "a read file is scanned whole")
            let reported = try lines(300_999)  // a NEEDLE line
            defer { try? FileManager.default.removeItem(at: reported) }
            let found = search(reported, mapped: true, options: options)
            XCTAssertEqual(found.binaryOffsets.count, 1, "\(mode)")
            XCTAssertEqual(found.binaryOffsets, search(reported, mapped: false, options: options).binaryOffsets)
        }
    }

    func testUTF16FileIsTranscodedNotMapped() throws {
        let url = try makeFile { bytes in
            bytes = [0xFF, 0xFE]
            let text = String(repeating: "padding line\n", count: Searcher.mappingThreshold / 26 + 10) + "NEEDLE\n"
            for unit in text.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        XCTAssertNil(Searcher.map(fd, size: Int(info.st_size)))
        close(fd)
        let mapped = search(url, mapped: true, options: SearchOptions())
        XCTAssertEqual(mapped.events, ["NEEDLE"])
    }

    /// A mapped file truncated during its search raised SIGBUS and killed the process
    /// (issue 20): the pages past the new end now read as zeros and the result reports
    /// the file as truncated. The truncation comes between `begin` (which maps) and the search.
    func testTruncatedMappedFileIsReportedNotFatal() throws {
        let url = try makeFile { bytes in
            var line = 0
            while bytes.count < Searcher.mappingThreshold + 8 * 4096 {
                line += 1
                bytes.append(contentsOf: Array((line % 50 == 0 ? "x NEEDLE \(line)" : "plain text line \(line)").utf8) + [10])
            }
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let searcher = Searcher(matcher: LiteralMatcher("NEEDLE"), options: SearchOptions())
        let fd = open(url.path, O_RDWR)
        defer { close(fd) }
        let size = searcher.begin(fileDescriptor: fd, isRegularFile: true)
        XCTAssertNotNil(searcher.begunMapping, "the file was not mapped (size \(String(describing: size)))")
        XCTAssertEqual(ftruncate(fd, 1 << 20), 0)
        var sink = RecordingSink()
        let result = searcher.searchBegun(path: url.path, into: &sink)
        XCTAssertEqual(result.error, .truncated(path: url.path))
        XCTAssertGreaterThan(sink.matches, 100, "the lines before the new end were searched")
        XCTAssertTrue(result.error!.description.contains("shrank while it was searched"))

        // The guard is released with the mapping: the next mapped search of an intact file is clean.
        let intact = try makeFile { bytes in bytes = [UInt8](repeating: UInt8(ascii: "a"), count: Searcher.mappingThreshold + 10) }
        defer { try? FileManager.default.removeItem(at: intact) }
        let again = open(intact.path, O_RDONLY)
        defer { close(again) }
        var other = RecordingSink()
        XCTAssertNil(searcher.search(fileDescriptor: again, path: intact.path, isRegularFile: true, into: &other).error)
    }
}
