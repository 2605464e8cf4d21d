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

    func testEmbeddedCaseFoldingOrbitsAreTheToolchains() {
        let computed = CaseFolding.computedOrbits()
        if CaseFolding.decode(CaseFoldingTable.encoded) != computed {
            let path = NSTemporaryDirectory() + "CaseFoldingTable.txt"
            try? CaseFolding.encode(computed).write(toFile: path, atomically: true, encoding: .utf8)
            XCTFail("CaseFoldingTable differs from the toolchain's case mappings: the new table is in \(path)")
        }
        XCTAssertEqual(CaseFolding.orbit(0x6B), [0x4B, 0x6B, 0x212A])
    }

    func testEncodingRoundTrips() {
        let runs = [UnicodeTables.Run(start: 0, key: 0x19), .init(start: 0x20, key: 0x56), .init(start: 0x10FFFE, key: 0x1C)]
        XCTAssertEqual(UnicodeTables.encode(runs), "00000019" + "00002056" + "10fffe1c")
        let orbits: [[UInt32]] = [[0x4B, 0x6B, 0x212A], [0x53, 0x73, 0x17F]]
        XCTAssertEqual(CaseFolding.encode(orbits), "4b,6b,212a;53,73,17f;")
        XCTAssertEqual(CaseFolding.decode("4b,6b,212a;53,73,17f;"), orbits)
    }
}
