import XCTest
@testable import Search

/// Lines longer than `SearchOptions.longLineThreshold` are streamed through a `LineScanner`
/// instead of held: the same lines must be reported as when they are held.
final class LongLineTests: XCTestCase {
    /// Records what a sink that never reads bytes can know: line numbers and offsets.
    private struct BytelessSink: SearchSink {
        var reported: [String] = []
        var needsLineBytes: Bool { false }

        mutating func matched(_ line: SearchLine) -> Bool {
            reported.append("\(line.lineNumber ?? -1)@\(line.byteOffset)")
            return true
        }
    }

    private func reported(_ input: [UInt8], _ pattern: String, threshold: Int, invert: Bool = false,
                          maxCount: Int? = nil) throws -> ([String], SearchStats) {
        var options = makeOptions(bufferCapacity: 16, invert: invert, maxCount: maxCount)
        options.longLineThreshold = threshold
        let searcher = Searcher(matcher: try CompiledRegex(pattern), options: options)
        var sink = BytelessSink()
        let result = input.withUnsafeBytes { searcher.search(bytes: $0, path: "mem", into: &sink) }
        return (sink.reported, result.stats)
    }

    /// Random lines, many longer than the threshold, under patterns for both scanners
    /// (literal sets and the DFA, anchors at both ends): streamed and held agree.
    func testStreamedLinesAreReportedAsHeldOnes() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab needle\u{3b1}".utf8)
        let patterns = ["needle", "nee|dle|zz", "^a+b", "b$", "a.*n", "^$", "(?i)NEEDLE", "[^a]{3}", "e\\b"]
        for round in 0..<40 {
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let length = Bool.random(using: &generator) ? Int.random(in: 0...8) : Int.random(in: 60...400)
                for _ in 0..<length { input.append(alphabet.randomElement(using: &generator)!) }
                input.append(0x0A)
            }
            if Bool.random(using: &generator) { input.removeLast() }
            for pattern in patterns {
                for invert in [false, true] {
                    let held = try reported(input, pattern, threshold: .max, invert: invert)
                    let streamed = try reported(input, pattern, threshold: 48, invert: invert)
                    XCTAssertEqual(streamed.0, held.0, "round \(round) pattern \(pattern) invert \(invert): \(String(decoding: input, as: UTF8.self))")
                    XCTAssertEqual(streamed.1, held.1, "round \(round) pattern \(pattern)")
                }
            }
        }
    }

    func testMaxCountStopsInsideStreamedLines() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 300) + Array("needle".utf8)
        let input = long + [0x0A] + long + [0x0A] + Array("needle\n".utf8)
        let (lines, stats) = try reported(input, "needle", threshold: 64, maxCount: 2)
        XCTAssertEqual(lines, ["1@0", "2@307"])
        XCTAssertEqual(stats.matchedLines, 2)
    }

    /// A sink that reads bytes over a pipe-like input keeps the line whole (it must print it).
    func testSinkNeedingBytesStillGetsTheWholeLine() throws {
        let line = String(repeating: "y", count: 500) + "needle"
        var options = makeOptions(bufferCapacity: 16)
        options.longLineThreshold = 32
        let (sink, _) = searchMemory(Array("one\n\(line)\nthree needle\n".utf8), matcher: try CompiledRegex("needle"), options: options)
        XCTAssertEqual(sink.events, ["2:\(line)", "3:three needle"])
    }

    // MARK: The scanners

    private func feed(_ scanner: any LineScanner, _ text: String, pieces: [Int], terminated: Bool = true) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        var index = 0
        while offset < bytes.count {
            let size = min(pieces[index % pieces.count], bytes.count - offset)
            _ = bytes[offset..<(offset + size)].withUnsafeBytes { scanner.feed($0) }
            offset += size
            index += 1
        }
        return scanner.finish(terminated: terminated)
    }

    /// A literal split across pieces, including pieces shorter than the literal.
    func testLiteralScannerFindsMatchesAcrossPieces() throws {
        let regex = try CompiledRegex("needle|haystack")
        let text = "xxxxxxxxxxneedlexxxxxxxxxxhaystac"
        for pieces in [[1], [2], [3, 1], [5], [11, 2], [13], [100]] {
            XCTAssertTrue(feed(regex.makeLineScanner()!, text, pieces: pieces), "pieces \(pieces)")
            XCTAssertFalse(feed(regex.makeLineScanner()!, "xneedlxhaystac", pieces: pieces), "pieces \(pieces)")
        }
        XCTAssertTrue(regex.makeLineScanner() is LiteralLineScanner)
    }

    /// The DFA resumes where the previous piece left it; `$` sees how the line ends.
    func testDFAScannerCarriesStateAcrossPieces() throws {
        let anchored = try CompiledRegex("^a+needle$")
        XCTAssertTrue(anchored.makeLineScanner() is DFALineScanner)
        for pieces in [[1], [3], [7, 2], [64]] {
            XCTAssertTrue(feed(anchored.makeLineScanner()!, "aaaaaaaaaaaaaaaaneedle", pieces: pieces))
            XCTAssertTrue(feed(anchored.makeLineScanner()!, "aaaaaaaaaaaaaaaaneedle", pieces: pieces, terminated: false))
            XCTAssertFalse(feed(anchored.makeLineScanner()!, "aaaaaaaabaaaaaaaneedle", pieces: pieces))
            XCTAssertFalse(feed(anchored.makeLineScanner()!, "aaaaaaaaaaaaaaaaneedles", pieces: pieces))
        }
    }

    /// A tiny DFA cache forces clears mid-line: the stream goes on instead of giving up.
    func testDFAScannerSurvivesCacheClears() throws {
        let regex = try CompiledRegex("[a-z]{2}[0-9]{3}x")
        let dfa = LazyDFA(nfa: regex.nfa, maxTableBytes: 1)
        let scanner = DFALineScanner(dfa: dfa)
        var text = ""
        for i in 0..<2000 { text += "q\(i % 97)z" }
        XCTAssertTrue(feed(scanner, text + "ab123x", pieces: [17]))
        XCTAssertFalse(feed(DFALineScanner(dfa: dfa), text, pieces: [17]))
    }

    /// Engines that need the line whole say so; the searcher then holds it.
    func testUnicodeWordBoundaryIsNotStreamed() throws {
        XCTAssertNil(try CompiledRegex("\\bneedle\\b").makeLineScanner())
        XCTAssertNil(LiteralMatcher("needle").makeLineScanner())
        XCTAssertNotNil(try CompiledRegex("(?-u:\\b)needle").makeLineScanner())
    }
}
