import Printer
import XCTest

/// JSON strings and rg's `{"text"}`/`{"bytes"}` values; decimals written by hand.
final class JSONWriterTests: XCTestCase {
    private func data(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        bytes.withUnsafeBytes { JSONWriter.appendData($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    func testTextIsEscapedPerRFC8259() {
        XCTAssertEqual(data(Array("a\"b\\c\n\t\r\u{1}é".utf8)), #"{"text":"a\"b\\c\n\t\r\u0001é"}"#)
    }

    func testInvalidUTF8BecomesBase64Bytes() {
        XCTAssertEqual(data([0x66, 0x6F, 0x6F, 0xFF]), #"{"bytes":"Zm9v/w=="}"#)
        XCTAssertEqual([UInt8]([1, 2]).withUnsafeBytes(JSONWriter.base64), "AQI=")
        XCTAssertEqual([UInt8]([1, 2, 3]).withUnsafeBytes(JSONWriter.base64), "AQID")
    }

    func testStringsReplaceInvalidUTF8() {
        var out: [UInt8] = []
        [UInt8]([0x61, 0xFF]).withUnsafeBytes { JSONWriter.appendString($0, to: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "\"a\u{FFFD}\"")
    }

    func testDecimalsMatchStringConversion() {
        for value in [0, 7, 10, 99, 1234567, Int.max] {
            var out: [UInt8] = []
            out.appendDecimal(value)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(value))
        }
    }
}
