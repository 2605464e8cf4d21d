import Foundation
import XCTest

/// `trawl hash`: coreutils' manifest formats byte for byte (expected lines verified once
/// against sha256sum/md5sum 9.1 and hard-coded).
final class HashTests: TrawlTestCase {
    // Contents "a\n", "b\n", "c\n", "d\n" and their digests.
    static let sha256A = "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7"
    static let sha256B = "0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f"
    static let sha256C = "a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478"
    static let sha256D = "8d74beec1be996322ad76813bafb92d40839895d6dd7ee808b17ca201eac98be"
    static let md5A = "60b725f10c9c85c70d97880dfe8191b3"
    static let md5B = "3b5d5c3712955042212316173ccf37be"
    static let blake3A = "81c4b7f7e0549f1514e9cae97cf40cf133920418d3dc71bedbf60ec9bd6148cb"

    /// Names with a space, a backslash, a newline and a carriage return.
    private func writeAwkwardNames() throws {
        try write("sp ace", "a\n")
        try write("back\\slash", "b\n")
        try write("new\nline", "c\n")
        try write("cr\rx", "d\n")
    }

    func testDefaultOutputMatchesSha256sumForAwkwardNames() throws {
        try writeAwkwardNames()
        let result = try trawl(["hash"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, """
            \\\(Self.sha256B)  back\\\\slash
            \\\(Self.sha256D)  cr\\rx
            \\\(Self.sha256C)  new\\nline
            \(Self.sha256A)  sp ace

            """)
    }

    func testMD5OutputMatchesMd5sum() throws {
        try writeAwkwardNames()
        XCTAssertEqual(try trawl(["hash", "-a", "md5", "sp ace", "back\\slash"]).out,
                       "\\\(Self.md5B)  back\\\\slash\n\(Self.md5A)  sp ace\n")
    }

    func testTagWritesBSDLinesWithEscaping() throws {
        try writeAwkwardNames()
        XCTAssertEqual(try trawl(["hash", "--tag", "back\\slash", "new\nline"]).out,
                       "\\SHA256 (back\\\\slash) = \(Self.sha256B)\n\\SHA256 (new\\nline) = \(Self.sha256C)\n")
    }

    func testZeroEndsLinesWithNulAndLeavesNamesRaw() throws {
        try writeAwkwardNames()
        XCTAssertEqual(try trawl(["hash", "-z", "back\\slash", "new\nline"]).stdout,
                       Array("\(Self.sha256B)  back\\slash\0\(Self.sha256C)  new\nline\0".utf8))
    }

    func testJSONRecordsCarryPathSizeAlgorithmDigest() throws {
        try write("sp ace", "a\n")
        let result = try trawl(["hash", "--json"])
        XCTAssertEqual(result.lines.count, 1)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(record["path"] as? String, "sp ace")
        XCTAssertEqual(record["size"] as? Int, 2)
        XCTAssertEqual(record["algorithm"] as? String, "sha256")
        XCTAssertEqual(record["digest"] as? String, Self.sha256A)
    }

    func testSeveralAlgorithmsPrintOneLineEachInTheOrderGiven() throws {
        try write("sp ace", "a\n")
        let expected = "\(Self.sha256A)  sp ace\n\(Self.md5A)  sp ace\n"
        XCTAssertEqual(try trawl(["hash", "-a", "sha256,md5"]).out, expected)
        XCTAssertEqual(try trawl(["hash", "-a", "sha256", "-a", "md5"]).out, expected)
    }

    /// `Fixtures/manifests` holds the tree's manifest as each peer tool wrote it (sha*sum,
    /// md5sum, b3sum, xxhsum, cksum, rhash): trawl writes the same bytes, in the tool's
    /// default form (xxhsum -H3 writes BSD lines) and its --tag form where one is committed.
    func testEveryAlgorithmWritesThePeerToolsManifestByteForByte() throws {
        let directory = Self.fixtures + "/manifests"  // only read
        for algorithm in CheckAlgorithmTests.algorithms {
            let tag = algorithm == "xxh3" ? ["--tag"] : []
            let result = try trawl(["hash", "-a", algorithm] + tag + ["tree"], in: directory)
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(result.stdout, try fixtureBytes("manifests/\(algorithm).txt"), algorithm)
        }
        for (algorithm, manifest) in [("sha256", "sha256-tag.txt"), ("xxh128", "xxh128-tag.txt")] {
            XCTAssertEqual(try trawl(["hash", "-a", algorithm, "--tag", "tree"], in: directory).stdout,
                           try fixtureBytes("manifests/\(manifest)"), manifest)
        }
    }

    func testUnknownAlgorithmIsAnError() throws {
        let result = try trawl(["hash", "-a", "sha3"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: "), result.err)
    }

    func testOutputFileHoldsTheManifestAndNoTemporaryFileRemains() throws {
        try write("a", "a\n")
        try write("b", "b\n")
        try mkdir("out")
        let result = try trawl(["hash", "-o", "out/manifest", "a", "b"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(String(decoding: try read("out/manifest"), as: UTF8.self),
                       "\(Self.sha256A)  a\n\(Self.sha256B)  b\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/out"), ["manifest"])
    }

    func testOutputFileInsideTheHashedTreeLeavesItselfOut() throws {
        try write("a", "a\n")
        try write("b", "b\n")
        let expected = "\(Self.sha256A)  a\n\(Self.sha256B)  b\n"
        XCTAssertEqual(try trawl(["hash", "-o", "manifest"]).status, 0)
        XCTAssertEqual(String(decoding: try read("manifest"), as: UTF8.self), expected)
        // A second run replaces the first manifest without hashing it.
        XCTAssertEqual(try trawl(["hash", "-o", "manifest"]).status, 0)
        XCTAssertEqual(String(decoding: try read("manifest"), as: UTF8.self), expected)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["a", "b", "manifest"])
    }

    func testOutputFileInMissingDirectoryFailsWithExitTwo() throws {
        try write("a", "a\n")
        let result = try trawl(["hash", "-o", "nowhere/manifest", "a"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.err, "trawl: nowhere/manifest: No such file or directory\n")
    }

    func testLinesAreInPathOrder() throws {
        for name in ["b", "a/z", "a/b", "a-b", "c"] { try write(name, "a\n") }
        let result = try trawl(["hash", "-j", "8"])
        XCTAssertEqual(result.lines.map { String($0.dropFirst(66)) }, ["a/b", "a/z", "a-b", "b", "c"])
    }

    /// A `--files-from` list in any order comes out in the walk's path order, byte for byte:
    /// the list is sorted before it streams through the bounded window.
    func testShuffledListHashesInTheWalksOrder() throws {
        let names = (0..<300).map { "d\($0 % 7)/f\($0)" } + ["a/b", "a-b", "a.b", "B"]
        for name in names { try write(name, name + "\n") }
        let walked = try trawl(["hash", "-a", "md5"])
        XCTAssertEqual(walked.status, 0, walked.err)
        XCTAssertEqual(walked.lines.count, names.count)
        let listed = try trawl(["hash", "-a", "md5", "--files-from", "-"],
                               stdin: .bytes(Array(names.shuffled().joined(separator: "\n").utf8)))
        XCTAssertEqual(listed.status, 0, listed.err)
        XCTAssertEqual(listed.out, walked.out)
    }

    func testHiddenAndIgnoredFilesAreIncludedByDefault() throws {
        try gitInit()
        try write(".gitignore", "ignored\n")
        try write("ignored", "a\n")
        try write(".hidden", "a\n")
        try write("plain", "a\n")
        let result = try trawl(["hash"])
        XCTAssertEqual(result.lines.map { String($0.dropFirst(66)) }, [".gitignore", ".hidden", "ignored", "plain"])
    }

    func testGlobStillNarrowsTheFiles() throws {
        try write("a.txt", "a\n")
        try write("b.md", "b\n")
        XCTAssertEqual(try trawl(["hash", "-g", "*.txt"]).out, "\(Self.sha256A)  a.txt\n")
    }

    func testMissingPathIsReportedAndTheRestHashed() throws {
        try write("a", "a\n")
        let result = try trawl(["hash", "a", "missing"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out, "\(Self.sha256A)  a\n")
        XCTAssertEqual(result.err, "trawl: missing: No such file or directory\n")
    }

    /// Differential: the same tree through sha256sum (skipped when it is not installed).
    func testSameBytesAsSha256sumWhenAvailable() throws {
        try writeAwkwardNames()
        let names = ["back\\slash", "cr\rx", "new\nline", "sp ace"]
        let oracle = try tool("sha256sum", names)
        XCTAssertEqual(try trawl(["hash"]).stdout, oracle.stdout)
    }
}

/// `hash -a md5` over runs of files: small files go side by side in SIMD lanes, big ones
/// stream; the manifest must not tell the two apart.
final class HashLaneTests: TrawlTestCase {
    /// Sizes around MD5's block and padding edges, the 64 KiB lane limit and the 1 MiB run
    /// buffer (twenty 60 KiB files overflow it).
    private func writeMixedTree() throws -> [String] {
        var names: [String] = []
        let sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4096, 65_535, 65_536, 65_537, 300_000, 7]
            + Array(repeating: 60 * 1024, count: 20)
        for (index, size) in sizes.enumerated() {
            let name = "d\(index % 3)/f\(String(format: "%03d", index))"
            try write(name, bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) })
            names.append(name)
        }
        return names.sorted()
    }

    func testMD5OfManySmallAndBigFilesMatchesMd5sum() throws {
        let names = try writeMixedTree()
        let expected = try tool("md5sum", names)
        XCTAssertEqual(expected.status, 0)
        let result = try trawl(["hash", "-a", "md5"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, expected.out)
        let unordered = try trawl(["hash", "-a", "md5", "--sort", "none"])
        XCTAssertEqual(unordered.lines.sorted(), expected.lines.sorted())
    }

    func testMD5ManifestWrittenInsideTheTreeLeavesItselfOut() throws {
        let names = try writeMixedTree()
        XCTAssertEqual(try trawl(["hash", "-a", "md5", "-o", "d0/manifest.md5"]).status, 0)
        let manifest = try String(decoding: read("d0/manifest.md5"), as: UTF8.self)
        XCTAssertEqual(manifest, try tool("md5sum", names).out)
    }
}

/// Files past `FileDigest.parallelThreshold` (16 MiB): BLAKE3 spreads over the cores, the
/// other algorithms read on a second thread; the digests must not tell.
final class HashBigFileTests: TrawlTestCase {
    func testDigestsOfABigFileMatchTheCoreutilsTools() throws {
        let size = 20 * 1024 * 1024 + 4321
        try write("big", bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        for (algorithm, name) in [("sha256", "sha256sum"), ("md5", "md5sum"), ("sha1", "sha1sum")] {
            let expected = try tool(name, ["big"])
            XCTAssertEqual(try trawl(["hash", "-a", algorithm, "big"]).out, expected.out, algorithm)
        }
    }
}
