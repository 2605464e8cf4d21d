import Foundation
import XCTest

/// `trawl dupes`: groups of identical files, jdupes-style output.
final class DupesTests: TrawlTestCase {
    /// `trawl dupes` in a copy of `Fixtures/dupes`: three copies of a 20-byte text file in
    /// three directories, two of a 20,000-byte file; beside them a file of the text's size
    /// with other bytes (same-size.txt), one of the big file's size with its first and last
    /// 4 KiB (same-edges.bin), two empty files and a unique one.
    private func dupes(_ arguments: [String]) throws -> RunResult {
        if !exists("d") { try copyFixture("dupes", to: "d") }
        return try trawl(["dupes"] + arguments, in: root + "/d")
    }

    static let smallGroup = "copies/one.txt\nnested/deeper/one-again.txt\none.txt\n\n"
    static let bigGroup = "big.bin\ncopies/big.bin\n\n"

    func testGroupsAreSeparatedByBlankLinesAndSortedBySizeThenPath() throws {
        let result = try dupes([])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, Self.smallGroup + Self.bigGroup)
    }

    func testSameSizeDifferentContentIsNotGrouped() throws {
        let result = try dupes(["one.txt", "same-size.txt"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
    }

    func testFilesDifferingOnlyBetweenTheirEdgesAreNotGrouped() throws {
        // Same first and last 4 KiB: only the full hash tells them apart.
        let result = try dupes(["big.bin", "same-edges.bin"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
    }

    func testHardLinksCountOnce() throws {
        try write("a", "hello\n")
        try hardLink("a", "hl")
        let result = try trawl(["dupes"])
        XCTAssertEqual(result.status, 1, "two names of one file are not duplicates")
        XCTAssertEqual(result.out, "")
    }

    func testHardLinksCountOnceBesideARealCopy() throws {
        try write("a", "hello\n")
        try hardLink("a", "hl")
        try write("c", "hello\n")
        XCTAssertEqual(try trawl(["dupes"]).out, "a\nc\n\n")
    }

    func testOfHardLinksTheFirstInPathOrderStays() throws {
        try write("z/original", "hello\n")
        try hardLink("z/original", "b")
        try write("m/copy", "hello\n")
        try hardLink("m/copy", "y")
        XCTAssertEqual(try trawl(["dupes"]).out, "b\nm/copy\n\n")
    }

    func testHardlinksFlagShowsEveryLink() throws {
        try write("a", "hello\n")
        try hardLink("a", "hl")
        try write("c", "hello\n")
        XCTAssertEqual(try trawl(["dupes", "--hardlinks"]).out, "a\nc\nhl\n\n")
    }

    func testEmptyFilesAreExcludedByDefault() throws {
        XCTAssertEqual(try dupes(["empty-a", "empty-b"]).status, 1)
    }

    func testEmptyFlagGroupsEmptyFiles() throws {
        XCTAssertEqual(try dupes(["--empty"]).out, "empty-a\nempty-b\n\n" + Self.smallGroup + Self.bigGroup)
    }

    func testMinSizeSkipsSmallerFiles() throws {
        XCTAssertEqual(try dupes(["--min-size", "21"]).out, Self.bigGroup)
    }

    func testHiddenFilesAreIncludedByDefault() throws {
        try write(".a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes"]).out, ".a\nb\n\n")
    }

    func testJSONRecordsOnePerGroup() throws {
        let result = try dupes(["--json"])
        XCTAssertEqual(result.lines.count, 2)
        let records = try result.lines.map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(records[0]["size"] as? Int, 20)
        XCTAssertEqual(records[0]["paths"] as? [String], ["copies/one.txt", "nested/deeper/one-again.txt", "one.txt"])
        XCTAssertEqual(records[1]["size"] as? Int, 20_000)
        XCTAssertEqual(records[1]["paths"] as? [String], ["big.bin", "copies/big.bin"])
    }

    func testNullSeparatesPathsAndGroups() throws {
        let expected = Self.smallGroup + Self.bigGroup
        XCTAssertEqual(try dupes(["-0"]).stdout, Array(expected.replacingOccurrences(of: "\n", with: "\0").utf8))
    }

    func testVerifyKeepsTrueDuplicates() throws {
        XCTAssertEqual(try dupes(["--verify"]).out, Self.smallGroup + Self.bigGroup)
    }
}
