import Foundation
import XCTest
@testable import Digest

/// Deterministic pseudo-random bytes (xorshift64*), so failures reproduce.
func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed | 1
    var out = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        out[i] = UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
    }
    return out
}

/// The BLAKE3 test-vector input: byte i is i % 251.
func patternBytes(count: Int) -> [UInt8] { (0..<count).map { UInt8($0 % 251) } }

func hexDigest<H: DigestHasher>(_ hasher: H, _ bytes: [UInt8]) -> String {
    var h = hasher
    h.update(contentsOf: bytes)
    return Hex.encode(h.finalize())
}

func hexDigest<H: DigestHasher>(_ type: H.Type, _ text: String) -> String {
    Hex.encode(H.hash(Array(text.utf8)))
}

/// Feeds `bytes` in pieces whose sizes cycle through `pieceSizes` (0-byte pieces included).
func hexDigestStreamed(_ hasher: any DigestHasher, _ bytes: [UInt8], pieceSizes: [Int]) -> String {
    var h = hasher
    var offset = 0
    var i = 0
    bytes.withUnsafeBytes { all in
        while offset < bytes.count {
            let size = min(pieceSizes[i % pieceSizes.count], bytes.count - offset)
            h.update(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)]))
            offset += size
            i += 1
        }
    }
    return Hex.encode(h.finalize())
}

/// Path of an installed command-line tool, or nil.
func toolPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Runs a tool and returns its standard output.
func runTool(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// A temporary directory removed when the test ends.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("digest-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Lengths around every boundary the algorithms have (blocks, stripes, chunks, buffers).
let boundaryLengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 96, 97, 111, 112,
                       119, 120, 127, 128, 129, 191, 192, 193, 239, 240, 241, 255, 256, 257, 319, 320, 321,
                       511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 16383, 16384,
                       16385, 65535, 65536, 65537, 100_003]
