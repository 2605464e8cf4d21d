import XCTest
@testable import Search

final class LineBufferTests: XCTestCase {
    func testNewlineCountMatchesANaiveCountAtEveryLengthAndAlignment() {
        var generator = SplitMix(seed: 7)
        let bytes = (0..<300).map { _ in generator.next() % 4 == 0 ? UInt8(0x0A) : UInt8(truncatingIfNeeded: generator.next()) }
        bytes.withUnsafeBytes { buffer in
            for start in 0..<9 {
                for count in 0..<(300 - start) {
                    let naive = bytes[start..<(start + count)].filter { $0 == 0x0A }.count
                    XCTAssertEqual(NewlineScan.count(in: buffer.baseAddress! + start, count: count), naive)
                    XCTAssertEqual(NewlineScan.countByWords(in: buffer.baseAddress! + start, count: count), naive)
                }
            }
        }
    }

    func testNewlineCountHasNoFalsePositivesNextToHighBytes() {
        // 0x0B/0x8A/0x0A neighbours trip the inexact zero-byte trick.
        let bytes: [UInt8] = [0x0B, 0x0A, 0x8A, 0x0A, 0x0A, 0x0B, 0x8B, 0x0A, 0x00, 0xFF, 0x0A, 0x0B]
        let count = bytes.withUnsafeBytes { NewlineScan.countByWords(in: $0.baseAddress!, count: $0.count) }
        XCTAssertEqual(count, 5)
    }

    func testNewlineCountOverManyVectorBlocks() {
        // More than 255 vector steps, so the byte lanes must be widened before they wrap.
        let bytes = [UInt8](repeating: 0x0A, count: 32 * 600 + 5)
        let count = bytes.withUnsafeBytes { NewlineScan.count(in: $0.baseAddress!, count: $0.count) }
        XCTAssertEqual(count, bytes.count)
    }

    func testFillGrowsOnlyWhenTheBufferIsFull() {
        let input = [UInt8](repeating: 0x61, count: 100)
        input.withUnsafeBytes { memory in
            let buffer = LineBuffer(capacity: 16)
            buffer.reset(source: .memory(memory), capacity: 16, binaryMode: .quit)
            XCTAssertEqual(buffer.fill(), .filled)
            XCTAssertEqual(buffer.end, 16)
            XCTAssertEqual(buffer.capacity, 16)
            buffer.discardPrefix(10)
            XCTAssertEqual(buffer.fill(), .filled)
            XCTAssertEqual(buffer.capacity, 16, "room was made by discarding")
            XCTAssertEqual(buffer.baseOffset, 10)
            XCTAssertEqual(buffer.fill(), .filled)
            XCTAssertEqual(buffer.capacity, 32, "a full buffer doubles")
            buffer.reset(source: .memory(memory), capacity: 16, binaryMode: .quit)
            XCTAssertEqual(buffer.capacity, 16, "reset shrinks back")
        }
    }

    func testShortReadEndsARegularFileWithoutAnotherRead() {
        let input = [UInt8](repeating: 0x61, count: 10)
        input.withUnsafeBytes { memory in
            let buffer = LineBuffer(capacity: 16)
            buffer.reset(source: .memory(memory), capacity: 16, binaryMode: .quit, shortReadMeansEOF: true)
            XCTAssertEqual(buffer.fill(), .filled)
            XCTAssertTrue(buffer.atEOF)
            buffer.reset(source: .memory(memory), capacity: 16, binaryMode: .quit, shortReadMeansEOF: false)
            XCTAssertEqual(buffer.fill(), .filled)
            XCTAssertFalse(buffer.atEOF, "a pipe may come up short before its end")
            XCTAssertEqual(buffer.fill(), .endOfInput)
        }
    }

    func testFillReportsEndOfInput() {
        let buffer = LineBuffer(capacity: 16)
        [UInt8]().withUnsafeBytes { memory in
            buffer.reset(source: .memory(memory), capacity: 16, binaryMode: .quit)
            XCTAssertEqual(buffer.fill(), .endOfInput)
            XCTAssertTrue(buffer.atEOF)
        }
    }
}
