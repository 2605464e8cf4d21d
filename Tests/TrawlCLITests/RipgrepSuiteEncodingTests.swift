import XCTest

/// ripgrep 15's `-E/--encoding` and `--null-data` cases (tests/feature.rs f1_*, f1207_*,
/// f993_null_data), and the single-byte encodings beside them.
final class RipgrepSuiteEncodingTests: TrawlTestCase {
    static let sherlockHolmesUTF16LE: [UInt8] = [0xFF, 0xFE] + Array("Шерлок Холмс".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }

    func testF1UTF16Auto() throws {
        try write("foo", bytes: Self.sherlockHolmesUTF16LE)
        try assertRipgrepCase(["Шерлок Холмс"], "foo:Шерлок Холмс\n")
    }

    func testF1UTF16Explicit() throws {
        try write("foo", bytes: Self.sherlockHolmesUTF16LE)
        try assertRipgrepCase(["-Eutf-16le", "Шерлок Холмс"], "foo:Шерлок Холмс\n")
    }

    func testF1UnknownEncoding() throws {
        let result = try rgCase(["-Efoobar", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl:") && result.err.contains("unknown encoding: foobar"), result.err)
    }

    func testF1ReplacementEncodingIsAnError() throws {
        let result = try rgCase(["-Ecsiso2022kr", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertFalse(result.err.isEmpty)
    }

    func testMultiByteLegacyEncodingIsAnErrorNamingIt() throws {
        let result = try rgCase(["-Esjis", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("'sjis'") && result.err.contains("not supported"), result.err)
    }

    func testF1207AutoEncodingTranscodesUTF16() throws {
        try write("foo", bytes: [0xFF, 0xFE, 0x00, 0x62])
        XCTAssertEqual(try rgCase(["-a", "\\x00", "foo"]).status, 1)
    }

    func testF1207EncodingNoneSearchesTheRawBytes() throws {
        try write("foo", bytes: [0xFF, 0xFE, 0x00, 0x62])
        let result = try rgCase(["--encoding", "none", "-a", "\\x00", "foo"])
        XCTAssertEqual(result.stdout, [0xFF, 0xFE, 0x00, 0x62, 0x0A], result.err)
    }

    func testLatin1IsWindows1252() throws {
        try write("l1", bytes: Array("caf".utf8) + [0xE9, 0x20, 0x80, 0x0A])
        try assertRipgrepCase(["-E", "latin1", "café €", "l1"], "café €\n")
    }

    func testKOI8R() throws {
        try write("koi", bytes: [0xF7, 0xC1, 0xD3, 0xD1, 0x0A])  // "Вася"
        try assertRipgrepCase(["-E", "koi8-r", "Вася", "koi"], "Вася\n")
    }

    func testExplicitUTF8ReplacesInvalidBytes() throws {
        try write("inv", bytes: [0x61, 0xFF, 0x62, 0x0A])
        XCTAssertEqual(try rgCase(["a.b", "inv"]).status, 1)
        try assertRipgrepCase(["-E", "utf-8", "a.b", "inv"], "a\u{FFFD}b\n")
    }

    func testBOMWinsOverTheLabel() throws {
        try write("bom", bytes: [0xEF, 0xBB, 0xBF] + Array("hello\n".utf8))
        try assertRipgrepCase(["-E", "latin1", "^hello", "bom"], "hello\n")
    }

    func testF993NullData() throws {
        try write("test", "foo\u{0}bar\u{0}\u{0}\u{0}baz\u{0}")
        try assertRipgrepCase(["--null-data", ".+", "test"], "foo\u{0}bar\u{0}baz\u{0}")
    }

    func testNullDataKeepsNewlinesInsideRecords() throws {
        try write("test", "one\ntwo\u{0}three\u{0}")
        try assertRipgrepCase(["--null-data", "-n", "two", "test"], "1:one\ntwo\u{0}")
    }
}
