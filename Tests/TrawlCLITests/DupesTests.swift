import Foundation
import XCTest

/// `trawl dupes`: groups of identical files, jdupes-style output.
final class DupesTests: TrawlTestCase {
    func testGroupsAreSeparatedByBlankLinesAndSortedBySizeThenPath() throws {
        try write("w2", "world123\n")
        try write("w1", "world123\n")
        try write("c", "hello\n")
        try write("s/b", "hello\n")
        try write("a", "hello\n")
        try write("unique", "unique content\n")
        let result = try trawl(["dupes"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a\nc\ns/b\n\nw1\nw2\n\n")
    }

    func testSameSizeDifferentContentIsNotGrouped() throws {
        try write("a", "hello\n")
        try write("b", "hellp\n")
        let result = try trawl(["dupes"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
    }

    func testLargeFilesDifferingOnlyInTheMiddleAreNotGrouped() throws {
        // Same first and last 4 KiB: only the full hash tells them apart.
        var one = [UInt8](repeating: 7, count: 64 * 1024)
        var two = one
        two[32 * 1024] = 8
        try write("one", bytes: one)
        try write("two", bytes: two)
        one[0] = 7
        try write("three", bytes: one)
        XCTAssertEqual(try trawl(["dupes"]).out, "one\nthree\n\n")
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
        try write("e1")
        try write("e2")
        XCTAssertEqual(try trawl(["dupes"]).status, 1)
    }

    func testEmptyFlagGroupsEmptyFiles() throws {
        try write("e1")
        try write("e2")
        try write("a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes", "--empty"]).out, "e1\ne2\n\na\nb\n\n")
    }

    func testMinSizeSkipsSmallerFiles() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        try write("w1", "world123\n")
        try write("w2", "world123\n")
        XCTAssertEqual(try trawl(["dupes", "--min-size", "7"]).out, "w1\nw2\n\n")
    }

    func testHiddenFilesAreIncludedByDefault() throws {
        try write(".a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes"]).out, ".a\nb\n\n")
    }

    func testJSONRecordsOnePerGroup() throws {
        try write("a", "hello\n")
        try write("s/b", "hello\n")
        try write("w1", "world123\n")
        try write("w2", "world123\n")
        let result = try trawl(["dupes", "--json"])
        XCTAssertEqual(result.lines.count, 2)
        let records = try result.lines.map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(records[0]["size"] as? Int, 6)
        XCTAssertEqual(records[0]["paths"] as? [String], ["a", "s/b"])
        XCTAssertEqual(records[1]["size"] as? Int, 9)
        XCTAssertEqual(records[1]["paths"] as? [String], ["w1", "w2"])
    }

    func testNullSeparatesPathsAndGroups() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes", "-0"]).stdout, Array("a\0b\0\0".utf8))
    }

    func testVerifyKeepsTrueDuplicates() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes", "--verify"]).out, "a\nb\n\n")
    }
}
