import Digest
import XCTest

/// `trawl check` on manifests of every algorithm, written by `trawl hash` and by the tools
/// users have (b3sum, xxhsum, cksum, md5sum, sha*sum, rhash: committed in
/// `Fixtures/manifests`), without `-a`: a digest's length names its candidates, all are
/// computed in one read, the one that matches wins.
final class CheckAlgorithmTests: TrawlTestCase {
    static let algorithms = Algorithm.allCases.map(\.name)
    /// The files of `Fixtures/manifests/tree` in path order (one empty, one name with a space).
    static let treeFiles = ["tree/a.txt", "tree/b.txt", "tree/empty", "tree/sub/c d.txt"]
    /// Every manifest the peer tools wrote of the tree: one per algorithm and two `--tag` forms.
    static let peerManifests = algorithms.map { "\($0).txt" } + ["sha256-tag.txt", "xxh128-tag.txt"]

    /// check's report on the tree's files, `failed` among them FAILED.
    private func report(failed: String? = nil) -> String {
        Self.treeFiles.map { "\($0): \($0 == failed ? "FAILED" : "OK")\n" }.joined()
    }

    /// A copy of the fixture tree, and of `manifests` beside it.
    private func copyTree(manifests: [String] = []) throws {
        try copyFixture("manifests/tree", to: "tree")
        for manifest in manifests { try copyFixture("manifests/\(manifest)", to: manifest) }
    }

    func testEveryAlgorithmsManifestFromTrawlVerifiesWithoutAlgorithmFlag() throws {
        try copyTree()
        for algorithm in Self.algorithms {
            for format in [[], ["--tag"], ["-z"], ["--json"]] {
                let manifest = try trawl(["hash", "-a", algorithm] + format + ["tree"])
                XCTAssertEqual(manifest.status, 0, manifest.err)
                try write("m", bytes: manifest.stdout)
                let result = try trawl(["check", "m"])
                XCTAssertEqual(result.status, 0, "\(algorithm) \(format): \(result.err)")
                XCTAssertEqual(result.out, report(), "\(algorithm) \(format)")
            }
        }
    }

    /// Each peer tool's committed manifest verifies without -a, and catches a changed file.
    func testEveryPeerToolsManifestVerifiesAndFailsForAChangedFile() throws {
        try copyTree(manifests: Self.peerManifests)
        for manifest in Self.peerManifests {
            let result = try trawl(["check", manifest])
            XCTAssertEqual(result.status, 0, "\(manifest): \(result.err)")
            XCTAssertEqual(result.out, report(), manifest)
        }
        try write("tree/b.txt", "changed\n")
        for manifest in Self.peerManifests {
            let result = try trawl(["check", manifest])
            XCTAssertEqual(result.status, 1, manifest)
            XCTAssertEqual(result.out, report(failed: "tree/b.txt"), manifest)
        }
    }

    func testAManifestMixingLengthsIsReadLineByLine() throws {
        try copyTree()
        // Lines of the b3sum, xxhsum -H3, md5sum and xxhsum -H2 manifests.
        var mixed: [UInt8] = []
        for (manifest, line) in [("blake3", 0), ("xxh3", 1), ("md5", 2), ("xxh128", 0)] {
            let lines = try fixtureBytes("manifests/\(manifest).txt").split(separator: 10)
            mixed += lines[line] + [10]
        }
        try write("m", bytes: mixed)
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "tree/a.txt: OK\ntree/b.txt: OK\ntree/empty: OK\ntree/a.txt: OK\n")
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

    func testB2sumStyleTagOfAnUnknownAlgorithmIsNotMistakenForAnother() throws {
        try write("one", "one\n")
        try write("m", "BLAKE2b (one) = \(String(repeating: "0", count: 128))\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("no properly formatted checksum lines found"), result.err)
    }

    /// The other direction: what trawl writes, the tool's own -c accepts.
    func testToolsAcceptTrawlsManifests() throws {
        try copyTree()
        for (tool, algorithm, arguments) in [("sha256sum", "sha256", ["-c"]), ("md5sum", "md5", ["-c"]), ("b3sum", "blake3", ["-c"]),
                                             ("xxhsum", "xxh64", ["-c"]), ("xxhsum", "xxh128", ["-c"])] {
            guard BinaryRunner.which(tool) != nil else { continue }
            try write("m", bytes: try trawl(["hash", "-a", algorithm, "tree"]).stdout)
            let result = try self.tool(tool, arguments + ["m"])
            XCTAssertEqual(result.status, 0, "\(tool): \(result.out) \(result.err)")
        }
    }
}
