import Printer
import Search
import XCTest

/// The printer alone: lines from a real `Searcher` over bytes in memory, no walk, no files.
final class GrepPrinterTests: XCTestCase {
    private func configuration(_ pattern: String, mode: PrinterConfiguration.Mode = .lines, output: GrepOutputOptions = GrepOutputOptions(),
                               onlyMatching: Bool = false, column: Bool = false, color: Bool = false,
                               heading: Bool = false) -> PrinterConfiguration {
        PrinterConfiguration(matcher: LiteralMatcher(pattern), output: output, mode: mode, multiline: false, invert: false,
                             onlyMatching: onlyMatching, column: column, lineNumbers: true, heading: heading,
                             withFilename: true, color: color, nullAfterPath: false)
    }

    private func printed(_ text: String, _ configuration: PrinterConfiguration, path: String = "dir/a.txt") -> (String, GrepPrinter) {
        var options = SearchOptions()
        options.lineNumbers = true
        let searcher = Searcher(matcher: configuration.matcher, options: options)
        var printer = GrepPrinter(configuration: configuration, path: Array(path.utf8), explicit: true)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { searcher.search(bytes: $0, path: path, into: &printer) }
        return (String(decoding: printer.out, as: UTF8.self), printer)
    }

    func testPlainLinesCarryPathAndLineNumber() {
        let (text, printer) = printed("one\ntwo needle\nthree\nneedle again", configuration("needle"))
        XCTAssertEqual(text, "dir/a.txt:2:two needle\ndir/a.txt:4:needle again\n", "a last line without newline gets one")
        XCTAssertEqual(printer.matchedLines, 2)
    }

    func testOnlyMatchingPrintsEachMatchWithItsColumn() {
        let (text, printer) = printed("a x a\nb\n", configuration("a", onlyMatching: true, column: true))
        XCTAssertEqual(text, "dir/a.txt:1:1:a\ndir/a.txt:1:5:a\n")
        XCTAssertEqual(printer.matches, 2)
    }

    func testColourWrapsPathNumberAndMatchInTheirEscapes() {
        let (text, _) = printed("a needle\n", configuration("needle", color: true))
        let palette = ColorPalette.ripgrepDefault
        let expected = palette.path + Array("dir/a.txt".utf8) + ColorPalette.reset + [58] + palette.line + [49]
            + ColorPalette.reset + [58] + Array("a ".utf8) + palette.match + Array("needle".utf8) + ColorPalette.reset + [10]
        XCTAssertEqual(text, String(decoding: expected, as: UTF8.self))
    }

    func testHeadingPrintsThePathOnceAboveTheLines() {
        let (text, _) = printed("x\nx\n", configuration("x", heading: true))
        XCTAssertEqual(text, "dir/a.txt\n1:x\n2:x\n")
    }

    func testPathSeparatorReplacesSlashesInThePrintedPath() {
        var output = GrepOutputOptions()
        output.pathSeparator = UInt8(ascii: "\\")
        let (text, _) = printed("x\n", configuration("x", output: output))
        XCTAssertEqual(text, "dir\\a.txt:1:x\n")
    }

    func testReplacementWithTrimGoesThroughTheGeneralPath() {
        var output = GrepOutputOptions()
        output.replacement = Replacement("[$0]") { nil }
        output.trim = true
        XCTAssertFalse(output.isPlain)
        let (text, _) = printed("   a needle b\n", configuration("needle", output: output))
        XCTAssertEqual(text, "dir/a.txt:1:a [needle] b\n")
    }

    func testCountModeWritesNothingButCounts() {
        let (text, printer) = printed("n\nn\nx\n", configuration("n", mode: .count))
        XCTAssertEqual(text, "")
        XCTAssertEqual(printer.matchedLines, 2)
        XCTAssertFalse(printer.needsLineBytes)
    }

    func testJSONRecordsFollowRipgrepsSchema() {
        var (_, printer) = printed("a needle\n", configuration("needle", mode: .json))
        printer.writeJSONEnd(bytesSearched: 9, binaryOffset: nil, elapsed: .zero)
        let lines = String(decoding: printer.out, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], #"{"type":"begin","data":{"path":{"text":"dir/a.txt"}}}"#)
        XCTAssertEqual(lines[1], #"{"type":"match","data":{"path":{"text":"dir/a.txt"},"lines":{"text":"a needle\n"},"line_number":1,"absolute_offset":0,"submatches":[{"match":{"text":"needle"},"start":2,"end":8}]}}"#)
        XCTAssertTrue(lines[2].hasPrefix(#"{"type":"end","data":{"path":{"text":"dir/a.txt"},"binary_offset":null,"stats":{"#))
        XCTAssertEqual(printer.bytesPrinted, lines[0].utf8.count + lines[1].utf8.count + 2)
    }

    func testJSONDurationsReadLikeRipgreps() {
        XCTAssertEqual(GrepPrinter.jsonDuration(.nanoseconds(14_281)), #"{"secs":0,"nanos":14281,"human":"0.000014s"}"#)
        XCTAssertEqual(GrepPrinter.jsonDuration(.nanoseconds(2_999_999_600), sortedKeys: true),
                       #"{"human":"3.000000s","nanos":999999600,"secs":2}"#)
    }
}
