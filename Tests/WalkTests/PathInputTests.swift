import Glibc
import XCTest
@testable import Walk

final class PathInputTests: XCTestCase {
    private func paths(from bytes: [UInt8], separator: UInt8) -> [[UInt8]] {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let wrote = write(writeEnd, buffer.baseAddress! + offset, min(4096, buffer.count - offset))
                    if wrote <= 0 { break }
                    offset += wrote
                }
            }
            close(writeEnd)
        }
        writer.start()
        var result: [[UInt8]] = []
        XCTAssertNil(PathInput.read(fd: fds[0], separator: separator) { result.append($0.path) })
        close(fds[0])
        return result
    }

    func testNewlineSeparatedPathsAreByteExact() {
        let input = Array("a.c\nsub/b c\n\n".utf8) + [0xFF, 0x41] + Array("\nlast".utf8)
        XCTAssertEqual(paths(from: input, separator: UInt8(ascii: "\n")),
                       [Array("a.c".utf8), Array("sub/b c".utf8), [0xFF, 0x41], Array("last".utf8)])
    }

    func testNulSeparatedPathsKeepNewlines() {
        let input = Array("new\nline\0b\0".utf8)
        XCTAssertEqual(paths(from: input, separator: 0), [Array("new\nline".utf8), Array("b".utf8)])
    }

    func testPathsSpanningReadChunksAreJoined() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        var input: [UInt8] = []
        for _ in 0..<3 { input += long + [0] }
        XCTAssertEqual(paths(from: input, separator: 0), [long, long, long])
    }

    func testMissingListFileIsAnError() {
        XCTAssertThrowsError(try PathInput.read(path: Array("/nonexistent/list".utf8)) { _ in }) { error in
            XCTAssertEqual((error as? WalkError)?.description, "/nonexistent/list: No such file or directory")
        }
    }
}
