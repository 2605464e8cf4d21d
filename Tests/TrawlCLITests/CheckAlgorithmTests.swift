import Digest
import XCTest

/// `trawl check` on manifests of every algorithm, written by `trawl hash` and by the tool
/// users have (b3sum, xxhsum, cksum, md5sum, sha*sum), without `-a`: a digest's length
/// names its candidates, all are computed in one read, the one that matches wins.
final class CheckAlgorithmTests: TrawlTestCase {
    static let algorithms = Algorithm.allCases.map(\.name)

    /// Three files, one with a space and one empty; returns their names.
    private func writeFiles() throws -> [String] {
        try write("one", "one\n")
        try write("sp ace", String(repeating: "spaced out ", count: 3000))
        try write("empty", "")
        return ["empty", "one", "sp ace"]  // in path order, as trawl prints them
    }

    func testEveryAlgorithmsManifestFromTrawlVerifiesWithoutAlgorithmFlag() throws {
        let files = try writeFiles()
        for algorithm in Self.algorithms {
            for format in [[], ["--tag"], ["-z"], ["--json"]] {
                let manifest = try trawl(["hash", "-a", algorithm] + format + files)
                XCTAssertEqual(manifest.status, 0, manifest.err)
                try write("m", bytes: manifest.stdout)
                let result = try trawl(["check", "m"])
                XCTAssertEqual(result.status, 0, "\(algorithm) \(format): \(result.err)")
                XCTAssertEqual(result.out, "empty: OK\none: OK\nsp ace: OK\n", "\(algorithm) \(format)")
            }
        }
    }

    func testEveryAlgorithmsManifestFailsForAChangedFile() throws {
        let files = try writeFiles()
        for algorithm in Self.algorithms {
            try write("one", "one\n")
            let manifest = try trawl(["hash", "-a", algorithm] + files)
            try write("m", bytes: manifest.stdout)
            try write("one", "One\n")
            let result = try trawl(["check", "m"])
            XCTAssertEqual(result.status, 1, algorithm)
            XCTAssertEqual(result.out, "empty: OK\none: FAILED\nsp ace: OK\n", algorithm)
        }
    }

    func testAManifestMixingLengthsIsReadLineByLine() throws {
        let files = try writeFiles()
        var mixed: [UInt8] = []
        for (file, algorithm) in zip(files, ["blake3", "xxh3", "md5"]) {
            mixed += try trawl(["hash", "-a", algorithm, file]).stdout
        }
        mixed += try trawl(["hash", "-a", "xxh128", "one"]).stdout
        try write("m", bytes: mixed)
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "empty: OK\none: OK\nsp ace: OK\none: OK\n")
    }

    func testLinesOfAnotherAlgorithmAfterManyMatchesStillVerify() throws {
        // With -j 1 at most 4 tasks (1 line, then 16-line runs) are in flight: the first is
        // reported (sha256 learned) before line 66 is planned, so the blake3 lines are hashed
        // with sha256 first, fail to match, and still verify in their second read.
        for i in 0..<82 { try write("f\(i)", "file \(i)\n") }
        var manifest = try trawl(["hash", "-a", "sha256"] + (0..<80).map { "f\($0)" }).stdout
        manifest += try trawl(["hash", "-a", "blake3", "f80", "f81"]).stdout
        manifest += try trawl(["hash", "-a", "sha256", "f0"]).stdout
        try write("m", bytes: manifest)
        try write("f81", "changed\n")
        let result = try trawl(["check", "-j", "1", "m"])
        XCTAssertEqual(result.status, 1, result.err)
        let expected = (0..<80).map { "f\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { "\($0): OK" }
        XCTAssertEqual(result.lines, expected + ["f80: OK", "f81: FAILED", "f0: OK"])
    }

    func testForcedAlgorithmAppliesToEveryLine() throws {
        try write("one", "one\n")
        let xxh3 = try trawl(["hash", "-a", "xxh3", "one"]).out
        try write("m", xxh3)
        XCTAssertEqual(try trawl(["check", "-a", "xxh3", "m"]).status, 0)
        let forcedOther = try trawl(["check", "-a", "xxh64", "m"])
        XCTAssertEqual(forcedOther.status, 1)
        XCTAssertEqual(forcedOther.out, "one: FAILED\n")
    }

    func testCrc32LinesCarryCksumsSizeColumnAndASizeMismatchFails() throws {
        try write("one", "one\n")
        let line = try trawl(["hash", "-a", "crc32", "one"]).out
        let fields = line.split(separator: " ")
        XCTAssertEqual(fields.count, 3, line)
        XCTAssertEqual(fields[1], "4")
        XCTAssertEqual(fields[2], "one\n")
        try write("m", "\(fields[0]) 5 one\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "one: FAILED\n")
    }

    func testHelpStatesTheRuleAndListsEveryAlgorithm() throws {
        // Wrapped lines joined again.
        let help = try trawl(["check", "--help"]).out.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for algorithm in Self.algorithms { XCTAssertTrue(help.contains(algorithm), algorithm) }
        XCTAssertTrue(help.contains("64 sha256 or blake3"), help)
        XCTAssertTrue(help.contains("32 md5 or xxh128"), help)
        XCTAssertTrue(help.contains("16 xxh64 or xxh3"), help)
    }

    // MARK: Manifests written by the peer tools

    /// Writes the files, runs `tool arguments files` for the manifest, and checks it.
    private func assertToolManifestVerifies(_ tool: String, _ arguments: [String]) throws {
        let files = try writeFiles()
        let manifest = try self.tool(tool, arguments + files)
        XCTAssertEqual(manifest.status, 0, manifest.err)
        try write("m", bytes: manifest.stdout)
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, "\(tool) \(arguments): \(manifest.out)\n\(result.err)")
        XCTAssertEqual(result.out, "empty: OK\none: OK\nsp ace: OK\n", "\(tool) \(arguments)")
        // And a changed file is caught.
        try write("one", "changed\n")
        let changed = try trawl(["check", "m"])
        XCTAssertEqual(changed.status, 1, "\(tool) \(arguments)")
        XCTAssertEqual(changed.out, "empty: OK\none: FAILED\nsp ace: OK\n", "\(tool) \(arguments)")
    }

    func testB3sumManifestVerifies() throws { try assertToolManifestVerifies("b3sum", []) }
    func testXxhsumH0ManifestVerifies() throws { try assertToolManifestVerifies("xxhsum", ["-H0"]) }
    func testXxhsumH1ManifestVerifies() throws { try assertToolManifestVerifies("xxhsum", ["-H1"]) }
    func testXxhsumH2ManifestVerifies() throws { try assertToolManifestVerifies("xxhsum", ["-H2"]) }
    func testXxhsumH3ManifestVerifies() throws { try assertToolManifestVerifies("xxhsum", ["-H3"]) }
    func testXxhsumTagManifestVerifies() throws { try assertToolManifestVerifies("xxhsum", ["-H2", "--tag"]) }
    func testCksumManifestVerifies() throws { try assertToolManifestVerifies("cksum", []) }
    func testMd5sumManifestVerifies() throws { try assertToolManifestVerifies("md5sum", []) }
    func testSha1sumManifestVerifies() throws { try assertToolManifestVerifies("sha1sum", []) }
    func testSha256sumManifestVerifies() throws { try assertToolManifestVerifies("sha256sum", []) }
    func testSha512sumManifestVerifies() throws { try assertToolManifestVerifies("sha512sum", []) }
    func testSha256sumTagManifestVerifies() throws { try assertToolManifestVerifies("sha256sum", ["--tag"]) }
    func testB2sumStyleTagOfAnUnknownAlgorithmIsNotMistakenForAnother() throws {
        try write("one", "one\n")
        try write("m", "BLAKE2b (one) = \(String(repeating: "0", count: 128))\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("no properly formatted checksum lines found"), result.err)
    }

    /// The other direction: what trawl writes, the tool's own -c accepts.
    func testToolsAcceptTrawlsManifests() throws {
        let files = try writeFiles()
        for (tool, algorithm, arguments) in [("sha256sum", "sha256", ["-c"]), ("md5sum", "md5", ["-c"]), ("b3sum", "blake3", ["-c"]),
                                             ("xxhsum", "xxh64", ["-c"]), ("xxhsum", "xxh128", ["-c"])] {
            guard BinaryRunner.which(tool) != nil else { continue }
            try write("m", bytes: try trawl(["hash", "-a", algorithm] + files).stdout)
            let result = try self.tool(tool, arguments + ["m"])
            XCTAssertEqual(result.status, 0, "\(tool): \(result.out) \(result.err)")
        }
    }
}
