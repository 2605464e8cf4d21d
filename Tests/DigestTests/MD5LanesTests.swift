import XCTest
@testable import Digest

/// `MD5Lanes`: many messages hashed side by side give each message's own MD5.
final class MD5LanesTests: XCTestCase {
    private func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ (seed &* 131) ^ ($0 >> 7)) }
    }

    private func check(_ messages: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) {
        var buffers: [UnsafeMutableRawBufferPointer] = []
        defer { buffers.forEach { $0.deallocate() } }
        for message in messages {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: message.count, alignment: 1)
            buffer.copyBytes(from: message)
            buffers.append(buffer)
        }
        let views = buffers.map { UnsafeRawBufferPointer($0) }
        XCTAssertEqual(MD5Lanes.digests(of: views), MD5Lanes.portableDigests(of: views), file: file, line: line)
    }

    func testKnownVectorsInLanes() {
        // RFC 1321's suite twice: more messages than lanes, so lanes refill.
        let vectors = MD5Tests.suite
        let messages = (vectors + vectors).map { Array($0.0.utf8) }
        let storage = messages.map { UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, $0.count), alignment: 1) }
        defer { storage.forEach { $0.deallocate() } }
        for (index, message) in messages.enumerated() { storage[index].copyBytes(from: message) }
        let views = zip(storage, messages).map { UnsafeRawBufferPointer(rebasing: $0.0[0..<$0.1.count]) }
        let hex = MD5Lanes.digests(of: views).map { $0.map { String(format: "%02x", $0) }.joined() }
        XCTAssertEqual(hex, (vectors + vectors).map(\.1))
    }

    func testEveryLengthAroundTheBlockAndPaddingBoundaries() {
        // 0...200 covers one and two tail blocks (55/56 bytes over a block) and several blocks.
        check((0...200).map { bytes($0, seed: $0) })
    }

    func testUnevenLengthsKeepLanesRefilling() {
        let lengths = [5000, 3, 64, 0, 70_000, 119, 120, 4096, 1, 65_536, 777, 8191, 55, 56, 63, 128, 9, 30_000, 2, 1000]
        check(lengths.enumerated().map { bytes($0.element, seed: $0.offset) })
    }

    func testFewerMessagesThanLanesAndOne() {
        check([bytes(100, seed: 1), bytes(10, seed: 2), bytes(1000, seed: 3)])
        check([bytes(300, seed: 4)])
        check([])
    }
}
