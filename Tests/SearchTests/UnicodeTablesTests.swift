import XCTest
@testable import Search

final class UnicodeTablesTests: XCTestCase {
    /// The embedded runs are the toolchain's: regenerate them when a new Swift brings a new
    /// Unicode version (the failure prints the table to paste into UnicodeRunsTable.swift).
    func testEmbeddedRunsAreTheToolchains() {
        let computed = UnicodeTables.computedRuns()
        let embedded = UnicodeTables.decode(UnicodeRunsTable.encoded)
        if embedded != computed {
            let path = NSTemporaryDirectory() + "UnicodeRunsTable.txt"
            try? UnicodeTables.encode(computed).write(toFile: path, atomically: true, encoding: .utf8)
            XCTFail("UnicodeRunsTable differs from the toolchain's Unicode data: the new table is in \(path)")
        }
    }

    func testEncodingRoundTrips() {
        let runs = [UnicodeTables.Run(start: 0, key: 0x19), .init(start: 0x20, key: 0x56), .init(start: 0x10FFFE, key: 0x1C)]
        XCTAssertEqual(UnicodeTables.encode(runs), "00000019" + "00002056" + "10fffe1c")
    }
}
