import XCTest

/// `trawl check`: what `sha256sum -c` prints and returns (verified against coreutils 9.1),
/// with `trawl:` in place of `sha256sum:` on stderr.
final class CheckTests: TrawlTestCase {
    private let sha256A = HashTests.sha256A
    private let sha256B = HashTests.sha256B
    private let sha256C = HashTests.sha256C

    /// a and b as hashed, then b changed and c deleted.
    private func writeChangedTree() throws {
        try write("a", "a\n")
        try write("b", "changed\n")
        try write("m", "\(sha256A)  a\n\(sha256B)  b\n\(sha256C)  c\n")
    }

    func testReportsOKFailedAndFailedOpenOrRead() throws {
        try writeChangedTree()
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "a: OK\nb: FAILED\nc: FAILED open or read\n")
        XCTAssertEqual(result.err, """
            trawl: c: No such file or directory
            trawl: WARNING: 1 listed file could not be read
            trawl: WARNING: 1 computed checksum did NOT match

            """)
    }

    func testAllMatchingExitsZeroWithoutWarnings() throws {
        try write("a", "a\n")
        try write("b", "b\n")
        try write("m", "\(sha256A)  a\n\(sha256B)  b\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "a: OK\nb: OK\n")
        XCTAssertEqual(result.err, "")
    }

    func testWarningsArePluralised() throws {
        try write("a", "x\n")
        try write("b", "y\n")
        try write("m", "\(sha256A)  a\n\(sha256B)  b\n")
        XCTAssertEqual(try trawl(["check", "m"]).err, "trawl: WARNING: 2 computed checksums did NOT match\n")
    }

    func testImproperlyFormattedLineIsCountedButDoesNotFail() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\ngarbage line\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "a: OK\n")
        XCTAssertEqual(result.err, "trawl: WARNING: 1 line is improperly formatted\n")
    }

    func testStrictFailsOnImproperlyFormattedLine() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\ngarbage line\n")
        XCTAssertEqual(try trawl(["check", "--strict", "m"]).status, 1)
    }

    func testWarnNamesTheImproperlyFormattedLine() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\ngarbage line\n")
        let result = try trawl(["check", "--warn", "m"])
        XCTAssertEqual(result.err, "trawl: m: 2: improperly formatted checksum line\ntrawl: WARNING: 1 line is improperly formatted\n")
    }

    func testQuietHidesOKLinesButNotFailures() throws {
        try writeChangedTree()
        let result = try trawl(["check", "--quiet", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "b: FAILED\nc: FAILED open or read\n")
    }

    func testStatusPrintsNothingAndExitsOneOnMismatch() throws {
        try writeChangedTree()
        let result = try trawl(["check", "--status", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
        XCTAssertFalse(result.err.contains("WARNING"), result.err)
    }

    func testStatusExitsZeroWhenAllMatch() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\n")
        let result = try trawl(["check", "--status", "m"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, [])
    }

    func testIgnoreMissingSkipsMissingFiles() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A)  a\n\(sha256C)  c\n")
        let result = try trawl(["check", "--ignore-missing", "m"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "a: OK\n")
        XCTAssertEqual(result.err, "")
    }

    func testIgnoreMissingWithEveryFileMissingVerifiesNothingAndFails() throws {
        try write("m", "\(sha256C)  c\n")
        let result = try trawl(["check", "--ignore-missing", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "trawl: m: no file was verified\n")
    }

    func testManifestWithoutChecksumLinesFails() throws {
        try write("m", "junk\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "trawl: m: no properly formatted checksum lines found\n")
    }

    func testMissingManifestIsReported() throws {
        let result = try trawl(["check", "nomanifest"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "trawl: nomanifest: No such file or directory\n")
    }

    func testManifestIsReadFromStdinWithoutArguments() throws {
        try write("a", "a\n")
        let result = try trawl(["check"], stdin: .bytes(Array("\(sha256A)  a\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a: OK\n")
    }

    func testBSDTagLinesAreVerified() throws {
        try write("a", "a\n")
        try write("b", "b\n")
        try write("m", "SHA256 (a) = \(sha256A)\nSHA256 (b) = \(sha256B)\n")
        XCTAssertEqual(try trawl(["check", "m"]).out, "a: OK\nb: OK\n")
    }

    func testBinaryMarkerIsAccepted() throws {
        try write("a", "a\n")
        try write("m", "\(sha256A) *a\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out, "a: OK\n")
    }

    func testCRLFManifestIsAccepted() throws {
        try write("a", "a\n")
        try write("b", "b\n")
        try write("m", "\(sha256A)  a\r\n\(sha256B) *b\r\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a: OK\nb: OK\n")
    }

    func testB3sumLinesVerifyWithBlake3Algorithm() throws {
        try write("sp ace", "a\n")
        try write("m", "\(HashTests.blake3A)  sp ace\n")
        let result = try trawl(["check", "-a", "blake3", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "sp ace: OK\n")
    }

    func testB3sumLinesVerifyWithoutAlgorithmFlag() throws {
        // 64 hex digits: sha256 or blake3; both are computed in one read, the match wins.
        try write("sp ace", "a\n")
        try write("m", "\(HashTests.blake3A)  sp ace\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "sp ace: OK\n")
    }

    func testForcedAlgorithmRejectsADigestOfAnother() throws {
        try write("sp ace", "a\n")
        try write("m", "\(HashTests.blake3A)  sp ace\n")
        let result = try trawl(["check", "-a", "sha256", "m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "sp ace: FAILED\n")
    }

    func testEscapedNamesAreUnescapedAndPrintedAsSha256sumDoes() throws {
        try write("n\nl", "c\n")
        try write("b\\s", "b\n")
        try write("m", "\\\(sha256C)  n\\nl\n\\\(sha256B)  b\\\\s\n")
        let result = try trawl(["check", "m"])
        XCTAssertEqual(result.status, 0, result.err)
        // coreutils 9: a name with a newline is printed escaped, a backslash alone as it is.
        XCTAssertEqual(result.out, "\\n\\nl: OK\nb\\s: OK\n")
    }

    func testManifestFromTrawlHashRoundTrips() throws {
        try write("sp ace", "a\n")
        try write("back\\slash", "b\n")
        try write("new\nline", "c\n")
        XCTAssertEqual(try trawl(["hash", "-o", "../manifest"]).status, 0)
        let result = try trawl(["check", "../manifest"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines.count, 3)
        XCTAssertTrue(result.lines.allSatisfy { $0.hasSuffix(": OK") }, result.out)
    }

    // MARK: --audit

    /// sha256sum's manifest of `Fixtures/manifests/tree`, against a changed copy of the tree.
    func testAuditReportsChangedMovedNewMissingAndCountsUnchanged() throws {
        try copyFixture("manifests/tree", to: "tree")
        try copyFixture("manifests/sha256.txt", to: "manifest")
        try write("tree/b.txt", "changed\n")
        try FileManager.default.moveItem(atPath: root + "/tree/a.txt", toPath: root + "/tree/moved.txt")
        try FileManager.default.removeItem(atPath: root + "/tree/sub/c d.txt")
        try write("tree/new", "fresh\n")
        let result = try trawl(["check", "--audit", "tree", "manifest"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, """
            changed: b.txt
            moved: a.txt -> moved.txt
            new: new
            missing: sub/c d.txt
            unchanged: 1, changed: 1, moved: 1, new: 1, missing: 1

            """)
    }

    /// Every peer tool's committed manifest of the tree, audited in place (only read).
    func testAuditOfUnchangedTreeExitsZeroForEveryPeerToolsManifest() throws {
        for manifest in CheckAlgorithmTests.peerManifests {
            let result = try trawl(["check", "--audit", "tree", manifest], in: Self.fixtures + "/manifests")
            XCTAssertEqual(result.status, 0, "\(manifest): \(result.err)")
            XCTAssertEqual(result.out, "unchanged: 4, changed: 0, moved: 0, new: 0, missing: 0\n", manifest)
        }
    }

    func testAuditResolvesAbsoluteManifestPathsAgainstDirHoweverItIsSpelled() throws {
        try write("d/x", "x\n")
        try write("d/s/y", "y\n")
        try write("abs.m", bytes: try trawl(["hash", root + "/d"]).stdout)
        try write("rel.m", bytes: try trawl(["hash", "d"]).stdout)
        try write("inside.m", bytes: try trawl(["hash"], in: root + "/d").stdout)
        let unchanged = "unchanged: 2, changed: 0, moved: 0, new: 0, missing: 0\n"
        for (directory, manifest) in [("d", "abs.m"), ("./d", "abs.m"), ("d/", "abs.m"), (root + "/d", "abs.m"),
                                      (root + "/d", "rel.m"), ("d", "rel.m"), ("d", "inside.m"), (root + "/d", "inside.m")] {
            let result = try trawl(["check", "--audit", directory, manifest])
            XCTAssertEqual(result.out, unchanged, "--audit \(directory) \(manifest)")
            XCTAssertEqual(result.status, 0, "--audit \(directory) \(manifest): \(result.err)")
        }
        try write("d/s/y", "changed\n")
        let changed = try trawl(["check", "--audit", "d", "abs.m"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertEqual(changed.out, "changed: s/y\nunchanged: 1, changed: 1, moved: 0, new: 0, missing: 0\n")
    }

    func testAuditOfABlake3ManifestNeedsNoAlgorithmFlag() throws {
        try copyFixture("manifests/tree", to: "tree")
        try copyFixture("manifests/blake3.txt", to: "manifest")  // b3sum's
        try FileManager.default.moveItem(atPath: root + "/tree/b.txt", toPath: root + "/tree/z.txt")
        let result = try trawl(["check", "--audit", "tree", "manifest"])
        XCTAssertEqual(result.out, "moved: b.txt -> z.txt\nunchanged: 3, changed: 0, moved: 1, new: 0, missing: 0\n")
        XCTAssertEqual(result.status, 1)
    }
}
