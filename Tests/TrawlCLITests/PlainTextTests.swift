import XCTest
@testable import TrawlCLI

/// The text and environment helpers that stand in for Foundation's.
final class PlainTextTests: XCTestCase {
    func testFixedPointMatchesPrintf() {
        XCTAssertEqual(0.0.fixed(6), "0.000000")
        XCTAssertEqual(1.5.fixed(1), "1.5")
        XCTAssertEqual(0.04.fixed(1), "0.0")
        XCTAssertEqual(12.3456789.fixed(6), "12.345679")
        XCTAssertEqual(2.5e-7.fixed(6), "0.000000")
        XCTAssertEqual(1234.56.fixed(0), "1235")
        XCTAssertEqual((-3.26).fixed(1), "-3.3")
        XCTAssertEqual((-0.01).fixed(1), "0.0")
        XCTAssertEqual(99.96.fixed(1), "100.0")
    }

    func testTrimmingWhitespaceDropsSpacesTabsAndCarriageReturnsAtTheEnds() {
        XCTAssertEqual(" \t--hidden \r".trimmingWhitespace(), "--hidden")
        XCTAssertEqual("a b".trimmingWhitespace(), "a b")
        XCTAssertEqual(" \t\r ".trimmingWhitespace(), "")
        XCTAssertEqual("x"[...].trimmingWhitespace(), "x")
    }

    func testPaddedCutsOrFillsToTheWidth() {
        XCTAssertEqual("grep".padded(to: 8), "grep    ")
        XCTAssertEqual("abcdefghij".padded(to: 8), "abcdefgh")
    }

    func testProcessEnvironmentReadsTheRealEnvironment() {
        setenv("TRAWL_PLAIN_TEXT_TEST", "a=b", 1)
        defer { unsetenv("TRAWL_PLAIN_TEXT_TEST") }
        XCTAssertEqual(ProcessEnvironment.current["TRAWL_PLAIN_TEXT_TEST"], "a=b")
    }
}
