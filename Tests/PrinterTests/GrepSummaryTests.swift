import Printer
import XCTest

/// A run's totals printed as rg 15 prints them: `--stats`' block and `--json`'s summary.
final class GrepSummaryTests: XCTestCase {
    private var summary: GrepSummary {
        var summary = GrepSummary()
        summary.matches = 5
        summary.matchedLines = 4
        summary.filesWithMatch = 2
        summary.searched = 3
        summary.bytesPrinted = 120
        summary.bytesSearched = 4096
        summary.elapsed = .nanoseconds(14_281)
        return summary
    }

    func testStatsBlockReadsLikeRipgreps() {
        XCTAssertEqual(summary.statsBlock(elapsedTotal: .milliseconds(1500)), """

            5 matches
            4 matched lines
            2 files contained matches
            3 files searched
            120 bytes printed
            4096 bytes searched
            0.000014 seconds spent searching
            1.500000 seconds total

            """)
    }

    func testJSONSummaryHasRipgrepsSortedKeys() {
        XCTAssertEqual(summary.jsonRecord(elapsedTotal: .nanoseconds(2_999_999_600)),
                       #"{"data":{"elapsed_total":{"human":"3.000000s","nanos":999999600,"secs":2},"stats":{"bytes_printed":120,"bytes_searched":4096,"elapsed":{"human":"0.000014s","nanos":14281,"secs":0},"matched_lines":4,"matches":5,"searches":3,"searches_with_match":2}},"type":"summary"}"# + "\n")
    }
}
