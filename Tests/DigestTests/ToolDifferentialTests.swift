import Foundation
import XCTest
@testable import Digest

/// Our digests against the installed reference tools on generated files; each test is
/// skipped when its tool is missing.
final class ToolDifferentialTests: XCTestCase {
    private static let lengths = [0, 1, 3, 4, 8, 9, 16, 17, 64, 128, 129, 240, 241, 256, 257, 1023, 1024, 1025,
                                  2048, 4109, 65_537, 1_048_583]

    /// Writes one file per length; returns (path, contents).
    private func makeFiles() throws -> [(String, [UInt8])] {
        let dir = try makeTemporaryDirectory(self)
        let data = pseudoRandomBytes(count: Self.lengths.max()!, seed: 42)
        return try Self.lengths.map { length in
            let path = dir.appendingPathComponent("f\(length).bin").path
            let bytes = Array(data[0..<length])
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return (path, bytes)
        }
    }

    /// Runs `tool arguments... files` and checks that line i starts with (or, for BSD
    /// lines, ends with) our digest of file i.
    private func compare(tool: String, arguments: [String], algorithm: Algorithm,
                         extract: (Substring) -> String = { String($0.split(separator: " ")[0]) }) throws {
        guard let path = toolPath(tool) else { throw XCTSkip("\(tool) not installed") }
        let files = try makeFiles()
        let output = try runTool(path, arguments + files.map(\.0))
        let lines = output.split(separator: "\n").filter { !$0.hasPrefix(";") }
        XCTAssertEqual(lines.count, files.count, output)
        for (line, (filePath, bytes)) in zip(lines, files) {
            var hasher = algorithm.makeHasher()
            hasher.update(contentsOf: bytes)
            XCTAssertEqual(extract(line).lowercased(), algorithm.format(hasher.finalize()), "\(tool) on \(filePath)")
        }
    }

    func testSHA256MatchesSha256sum() throws { try compare(tool: "sha256sum", arguments: [], algorithm: .sha256) }
    func testSHA512MatchesSha512sum() throws { try compare(tool: "sha512sum", arguments: [], algorithm: .sha512) }
    func testSHA1MatchesSha1sum() throws { try compare(tool: "sha1sum", arguments: [], algorithm: .sha1) }
    func testMD5MatchesMd5sum() throws { try compare(tool: "md5sum", arguments: [], algorithm: .md5) }
    func testBLAKE3MatchesB3sum() throws { try compare(tool: "b3sum", arguments: [], algorithm: .blake3) }
    func testXXH32MatchesXxhsum() throws { try compare(tool: "xxhsum", arguments: ["-H0"], algorithm: .xxh32) }
    func testXXH64MatchesXxhsum() throws { try compare(tool: "xxhsum", arguments: ["-H1"], algorithm: .xxh64) }
    func testXXH128MatchesXxhsum() throws { try compare(tool: "xxhsum", arguments: ["-H2"], algorithm: .xxh128) }
    func testXXH3MatchesXxhsum() throws {
        // xxhsum 0.8 prints XXH3 as BSD lines: "XXH3 (path) = hex".
        try compare(tool: "xxhsum", arguments: ["-H3"], algorithm: .xxh3,
                    extract: { String($0.split(separator: " ").last!.replacingOccurrences(of: "XXH3_", with: "")) })
    }
    func testCksumCRCMatchesCksum() throws { try compare(tool: "cksum", arguments: [], algorithm: .crc32) }
    func testZlibCRCMatchesRhash() throws {
        try compare(tool: "rhash", arguments: ["--crc32", "--simple"], algorithm: .crc32b)
    }
}
