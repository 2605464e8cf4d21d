import XCTest
@testable import Manifest

/// Inputs the manifest fuzz target (Fuzz/ManifestFuzz.swift) turned up, pinned.
final class FuzzRegressionManifestTests: XCTestCase {
    /// Fuzz finding crash-74b975dd: `cksum () = 1` parses with an empty name. Not a parser
    /// bug: sha256sum -c accepts `SHA256 () = HEX` too and reports `: FAILED open or read`;
    /// the target's invariant was wrong. The GNU form still rejects an empty name.
    func testEmptyNameInBSDFormParsesAsCoreutilsDoes() {
        let line = ManifestLine.parse(Array("cksum () = 1\r".utf8))
        XCTAssertEqual(line?.path, [])
        XCTAssertEqual(line?.digest, "1")
        XCTAssertNil(ManifestLine.parse(Array("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  ".utf8)))
    }

    func testFuzzFindingInputParsesWithoutTrapping() {
        let input: [UInt8] = [0x1f, 0x41, 0x58, 0x58, 0xae, 0xae, 0xae, 0xae, 0xae, 0xae, 0x0a, 0x63, 0x6b, 0x73, 0x75, 0x6d,
                              0x20, 0x28, 0xd1, 0x56, 0x25, 0x29, 0x20, 0x25, 0x0d, 0x29, 0x20, 0x3d, 0x20, 0x31, 0x0d, 0x0a,
                              0x0d, 0xbf, 0xbd, 0x6b, 0x73, 0xae, 0xae, 0xae, 0x25, 0x29, 0x6c, 0x5c, 0x0a, 0x0a, 0x63, 0x6b,
                              0x73, 0x75, 0x6d, 0x20, 0x28, 0x29, 0x20, 0x3d, 0x20, 0x31, 0x0d, 0x0a, 0x0d, 0xbf, 0xbd, 0x6b,
                              0x73, 0x48]
        var parsed = 0
        for line in input.split(separator: 10, omittingEmptySubsequences: false) where ManifestLine.parse(Array(line)) != nil {
            parsed += 1
        }
        // `cksum (\xd1V%) %\r) = 1` (name up to the last `) = `) and `cksum () = 1`.
        XCTAssertEqual(parsed, 2)
    }
}
