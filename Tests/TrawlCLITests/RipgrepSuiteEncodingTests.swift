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

    static let sherlockHolmesShiftJIS: [UInt8] = [0x84, 0x59, 0x84, 0x75, 0x84, 0x82, 0x84, 0x7C, 0x84, 0x80, 0x84, 0x7B, 0x20,
                                                  0x84, 0x56, 0x84, 0x80, 0x84, 0x7C, 0x84, 0x7D, 0x84, 0x83]
    static let sherlockHolmesEUCJP: [UInt8] = [0xA7, 0xBA, 0xA7, 0xD6, 0xA7, 0xE2, 0xA7, 0xDD, 0xA7, 0xE0, 0xA7, 0xDC, 0x20,
                                               0xA7, 0xB7, 0xA7, 0xE0, 0xA7, 0xDD, 0xA7, 0xDE, 0xA7, 0xE3]

    func testF1ShiftJIS() throws {
        try write("foo", bytes: Self.sherlockHolmesShiftJIS)
        try assertRipgrepCase(["-Esjis", "Шерлок Холмс"], "foo:Шерлок Холмс\n")
    }

    func testF1EUCJP() throws {
        try write("foo", bytes: Self.sherlockHolmesEUCJP)
        try assertRipgrepCase(["-Eeuc-jp", "Шерлок Холмс"], "foo:Шерлок Холмс\n")
    }

    func testMultiByteEncodingAliasesAndCaseOfLabels() throws {
        try write("sj", bytes: Self.sherlockHolmesShiftJIS + [0x0A])
        try write("ej", bytes: Self.sherlockHolmesEUCJP + [0x0A])
        try assertRipgrepCase(["--encoding", " Windows-31J", "-c", "Холмс", "sj"], "1\n")
        try assertRipgrepCase(["-E", "ms932", "-o", "Шерлок", "sj"], "Шерлок\n")
        try assertRipgrepCase(["-E", "x-euc-jp", "-o", "Холмс", "ej"], "Холмс\n")
    }

    func testEveryWHATWGMultiByteEncodingByALabel() throws {
        // "Шерлок Холмс" in each (as Python's codecs write it), then a line of ASCII.
        let encoded: [(label: String, bytes: [UInt8])] = [
            ("ks_c_5601-1987", [0xAC, 0xBA, 0xAC, 0xD6, 0xAC, 0xE2, 0xAC, 0xDD, 0xAC, 0xE0, 0xAC, 0xDC, 0x20,
                                0xAC, 0xB7, 0xAC, 0xE0, 0xAC, 0xDD, 0xAC, 0xDE, 0xAC, 0xE3]),
            ("gbk", [0xA7, 0xBA, 0xA7, 0xD6, 0xA7, 0xE2, 0xA7, 0xDD, 0xA7, 0xE0, 0xA7, 0xDC, 0x20,
                     0xA7, 0xB7, 0xA7, 0xE0, 0xA7, 0xDD, 0xA7, 0xDE, 0xA7, 0xE3]),
            ("gb18030", [0xA7, 0xBA, 0xA7, 0xD6, 0xA7, 0xE2, 0xA7, 0xDD, 0xA7, 0xE0, 0xA7, 0xDC, 0x20,
                         0xA7, 0xB7, 0xA7, 0xE0, 0xA7, 0xDD, 0xA7, 0xDE, 0xA7, 0xE3, 0x20, 0x90, 0x30, 0x81, 0x30]),
            ("big5-hkscs", [0xC8, 0x4D, 0xC8, 0x5A, 0xC8, 0x66, 0xC8, 0x61, 0xC8, 0x64, 0xC8, 0x60, 0x20,
                            0xC8, 0x4A, 0xC8, 0x64, 0xC8, 0x61, 0xC8, 0x62, 0xC8, 0x67]),
            ("csiso2022jp", [0x1B, 0x24, 0x42, 0x27, 0x3A, 0x27, 0x56, 0x27, 0x62, 0x27, 0x5D, 0x27, 0x60, 0x27, 0x5C,
                             0x1B, 0x28, 0x42, 0x20, 0x1B, 0x24, 0x42, 0x27, 0x37, 0x27, 0x60, 0x27, 0x5D, 0x27, 0x5E,
                             0x27, 0x63, 0x1B, 0x28, 0x42]),
        ]
        for (label, bytes) in encoded {
            try write(label, bytes: Array("ascii line\n".utf8) + bytes + [0x0A])
            let expected = label == "gb18030" ? "2:Шерлок Холмс \u{10000}\n" : "2:Шерлок Холмс\n"
            try assertRipgrepCase(["-n", "-E", label, "Холмс", label], expected)
        }
    }

    func testMultiByteInvalidSequencesAreReplacedAndTheSearchGoesOn() throws {
        // A Shift_JIS lead before a space (no trail byte), a byte that is never valid, then
        // a second line.
        try write("bad", bytes: [0x61, 0x81, 0x20, 0x62, 0xA0, 0x0A] + Self.sherlockHolmesShiftJIS + [0x0A])
        try assertRipgrepCase(["-E", "shift_jis", "-n", "a. b|Холмс", "bad"], "1:a\u{FFFD} b\u{FFFD}\n2:Шерлок Холмс\n")
    }

    func testMultiByteDecodingUnderNullData() throws {
        try write("nd", bytes: Self.sherlockHolmesEUCJP + [0x00, 0x61, 0x00])
        try assertRipgrepCase(["--null-data", "-E", "euc-jp", "Холмс", "nd"], "Шерлок Холмс\u{0}")
    }

    func testInvalidEncodingLabelNamesIt() throws {
        let result = try rgCase(["-E", "shift_jis2004", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl:") && result.err.contains("unknown encoding: shift_jis2004"), result.err)
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

    func testSingleByteEncodingsFollowTheWHATWGIndexes() throws {
        // Where the standard's index and other tables disagree: no entry is U+FFFD, and
        // koi8-u's and windows-1255's own code points.
        try write("sb", bytes: [0x61, 0xDB, 0x0A, 0x62, 0xCA, 0x0A, 0x63, 0xAE, 0x0A])
        try assertRipgrepCase(["-E", "windows-874", "^a", "sb"], "a\u{FFFD}\n")
        try assertRipgrepCase(["-E", "cp1255", "^b", "sb"], "b\u{05BA}\n")
        try assertRipgrepCase(["-E", "koi8-ru", "^c", "sb"], "cў\n")
        // Every label of the standard, and only those.
        try assertRipgrepCase(["-E", "iso_8859-1:1987", "^b", "sb"], "bÊ\n")
        XCTAssertEqual(try rgCase(["-E", "latin9", "x", "sb"]).status, 2)
    }

    func testXUserDefinedMapsHighBytesToThePrivateUseArea() throws {
        try write("ud", bytes: [0x61, 0x80, 0xFF, 0x0A])
        try assertRipgrepCase(["-E", "x-user-defined", "a", "ud"], "a\u{F780}\u{F7FF}\n")
    }

    func testExplicitUTF8ReplacesInvalidBytes() throws {
        try write("inv", bytes: [0x61, 0xFF, 0x62, 0x0A])
        XCTAssertEqual(try rgCase(["a.b", "inv"]).status, 1)
        try assertRipgrepCase(["-E", "utf-8", "a.b", "inv"], "a\u{FFFD}b\n")
    }

    func testUTF8BOMIsDroppedAndTheLabelDecodesTheRest() throws {
        try write("bom", bytes: [0xEF, 0xBB, 0xBF] + Array("hello café\n".utf8))
        try assertRipgrepCase(["-E", "latin1", "^hello", "bom"], "hello cafÃ©\n")
        try assertRipgrepCase(["-E", "utf-16le", "-c", "hello", "bom"], "")
        try assertRipgrepCase(["--null-data", "-E", "latin1", "^hello", "bom"], "hello cafÃ©\n\u{0}")
    }

    func testUTF16BOMWinsOverTheLabel() throws {
        try write("bom16", bytes: Self.sherlockHolmesUTF16LE + [0x0A, 0x00])
        try assertRipgrepCase(["-E", "sjis", "Холмс", "bom16"], "Шерлок Холмс\n")
        try assertRipgrepCase(["-E", "utf-16be", "Холмс", "bom16"], "Шерлок Холмс\n")
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
