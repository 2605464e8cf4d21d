import Digest
import Manifest
import XCTest

/// `ManifestLine`: each format coreutils, b3sum, xxhsum, cksum and `trawl hash --json` write,
/// read and written back without the binary.
final class ManifestLineTests: XCTestCase {
    static let sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private func parse(_ text: String, escapes: Bool = true) -> ManifestLine? {
        ManifestLine.parse(Array(text.utf8), escapes: escapes)
    }

    private func written(_ digest: String, _ path: String, size: Int = 0, algorithm: Algorithm = .sha256,
                         tag: Bool = false, escape: Bool = true) -> String {
        var output: [UInt8] = []
        ManifestLine.write(digest: digest, path: Array(path.utf8), size: size, algorithm: algorithm, tag: tag,
                           escape: escape, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    func testGNULineLeavesTheAlgorithmToTheDigestLength() {
        let line = parse("\(Self.sha256Empty)  dir/a b.txt")
        XCTAssertEqual(line, ManifestLine(algorithm: nil, digest: Self.sha256Empty, path: Array("dir/a b.txt".utf8)))
        XCTAssertEqual(line?.candidates, [.sha256, .blake3])
    }

    func testGNUBinaryMarkerIsNotPartOfTheName() {
        XCTAssertEqual(parse("\(Self.sha256Empty) *a.bin")?.path, Array("a.bin".utf8))
    }

    func testBSDTagNamesTheAlgorithmWhateverItsCase() {
        let line = parse("sha256 (a (1).txt) = \(Self.sha256Empty.uppercased())")
        XCTAssertEqual(line?.algorithm, .sha256)
        XCTAssertEqual(line?.digest, Self.sha256Empty, "digests are kept lowercase")
        XCTAssertEqual(line?.path, Array("a (1).txt".utf8), "the name runs to the last `) = `")
    }

    func testBSDLineWithADigestOfTheWrongLengthIsRejected() {
        XCTAssertNil(parse("MD5 (a) = \(Self.sha256Empty)"))
    }

    func testXXH3PrefixNamesTheAlgorithm() {
        let line = parse("XXH3_2d06800538d394c2  empty")
        XCTAssertEqual(line?.algorithm, .xxh3)
        XCTAssertEqual(line?.digest, "2d06800538d394c2")
    }

    func testCksumLineCarriesTheSize() {
        let line = parse("4294967295 0 empty")
        XCTAssertEqual(line, ManifestLine(algorithm: .crc32, digest: "4294967295", path: Array("empty".utf8), size: 0))
        XCTAssertTrue(line?.matches([0xFF, 0xFF, 0xFF, 0xFF], algorithm: .crc32) == true)
    }

    func testDecimalDigestIsAlsoACksumCandidate() {
        XCTAssertEqual(parse("12345678  name")?.candidates, [.crc32b, .xxh32, .crc32])
    }

    func testCRLFIsDroppedUnlessNamesAreRaw() {
        XCTAssertEqual(parse("\(Self.sha256Empty)  a\r")?.path, Array("a".utf8))
        XCTAssertEqual(parse("\(Self.sha256Empty)  a\r", escapes: false)?.path, Array("a\r".utf8))
    }

    func testEscapedNameIsUnescaped() {
        XCTAssertEqual(parse("\\\(Self.sha256Empty)  back\\\\slash\\nnew\\rcr")?.path, Array("back\\slash\nnew\rcr".utf8))
        XCTAssertNil(parse("\\\(Self.sha256Empty)  bad\\x"), "an unknown escape is not a checksum line")
    }

    func testJSONRecordWithBase64Name() {
        let line = parse(#"{"path":{"bytes":"/w=="},"size":3,"algorithm":"md5","digest":"ABC","extra":[1,{"k":"v"}]}"#)
        XCTAssertEqual(line, ManifestLine(algorithm: .md5, digest: "abc", path: [0xFF], size: 3))
        XCTAssertNil(parse(#"{"path":"a","digest":"abc"}"#), "a record without algorithm is not a checksum line")
    }

    func testNonChecksumLinesAreNil() {
        for text in ["", "hello world", "\(Self.sha256Empty)", "zz  name", "SHA256 (a) = "] {
            XCTAssertNil(parse(text), text)
        }
    }

    func testWriteUsesGNUFormBSDFormAndCksumForm() {
        XCTAssertEqual(written(Self.sha256Empty, "a b"), "\(Self.sha256Empty)  a b")
        XCTAssertEqual(written(Self.sha256Empty, "a b", tag: true), "SHA256 (a b) = \(Self.sha256Empty)")
        XCTAssertEqual(written("4294967295", "empty", size: 0, algorithm: .crc32), "4294967295 0 empty")
        XCTAssertEqual(written("4294967295", "empty", algorithm: .crc32, tag: true), "CRC (empty) = 4294967295")
    }

    func testWriteEscapesAwkwardNamesAsCoreutilsDoesUnlessRaw() {
        XCTAssertEqual(written("00", "a\\b\nc\rd"), "\\00  a\\\\b\\nc\\rd")
        XCTAssertEqual(written("00", "a\\b\nc", escape: false), "00  a\\b\nc")
    }

    func testWrittenLinesParseBackToTheSameNameAndDigest() {
        let names = ["plain", "with space", "back\\slash", "new\nline", "(paren) = x", "cr\r"]
        for algorithm in Algorithm.allCases {
            let digest = algorithm.format([UInt8](repeating: 0xAB, count: algorithm.digestLength))
            for name in names {
                for tag in [false, true] {
                    let text = written(digest, name, size: 7, algorithm: algorithm, tag: tag)
                    let line = parse(text)
                    XCTAssertEqual(line?.path, Array(name.utf8), "\(algorithm) tag=\(tag): \(text)")
                    XCTAssertEqual(line?.digest, digest, "\(algorithm) tag=\(tag): \(text)")
                    XCTAssertTrue(line?.candidates.contains(algorithm) == true, "\(algorithm) tag=\(tag): \(text)")
                }
            }
        }
    }

    /// Every committed manifest of `Fixtures/manifests`, written by the peer tool itself.
    func testEveryPeerToolManifestParsesWithItsAlgorithmAmongTheCandidates() throws {
        for algorithm in Algorithm.allCases {
            let lines = try fixtureLines("manifests/\(algorithm.name).txt")
            let parsed = lines.compactMap { ManifestLine.parse($0) }
            XCTAssertEqual(parsed.map { String(decoding: $0.path, as: UTF8.self) },
                           ["tree/a.txt", "tree/b.txt", "tree/empty", "tree/sub/c d.txt"], algorithm.name)
            for line in parsed {
                XCTAssertTrue(line.candidates.contains(algorithm), "\(algorithm): \(line.candidates)")
            }
        }
    }
}
