import XCTest

/// ripgrep 15's `-z/--search-zip` and `--pre` cases (tests/misc.rs compressed_*,
/// preprocessing*), on ripgrep's own compressed files (Fixtures/compressed/ripgrep, from
/// its tests/data). Each case needs its decompressor on PATH and is skipped, saying so,
/// without it.
final class RipgrepSuitePreprocessTests: TrawlTestCase {
    static let twoLines = """
        For the Doctor Watsons of this world, as opposed to the Sherlock
        be, to a very large extent, the result of luck. Sherlock Holmes

        """

    func assertDecompressed(_ name: String, needs tool: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard BinaryRunner.which(tool) != nil else { throw XCTSkip("\(tool) is not installed: -z on \(name) not checked") }
        try copyFixture("compressed/ripgrep/" + name, to: name)
        try assertRipgrepCase(["-z", "Sherlock", name], Self.twoLines, file: file, line: line)
    }

    func testCompressedGzip() throws { try assertDecompressed("sherlock.gz", needs: "gzip") }
    func testCompressedBzip2() throws { try assertDecompressed("sherlock.bz2", needs: "bzip2") }
    func testCompressedXz() throws { try assertDecompressed("sherlock.xz", needs: "xz") }
    func testCompressedLz4() throws { try assertDecompressed("sherlock.lz4", needs: "lz4") }
    func testCompressedLzma() throws { try assertDecompressed("sherlock.lzma", needs: "xz") }
    func testCompressedBrotli() throws { try assertDecompressed("sherlock.br", needs: "brotli") }
    func testCompressedZstd() throws { try assertDecompressed("sherlock.zst", needs: "zstd") }
    func testCompressedUncompress() throws { try assertDecompressed("sherlock.Z", needs: "uncompress") }

    func testCompressedFailingGzipIsReported() throws {
        guard BinaryRunner.which("gzip") != nil else { throw XCTSkip("gzip is not installed") }
        try write("sherlock.gz", RipgrepHay.sherlock)
        let result = try rgCase(["-z", "Sherlock", "sherlock.gz"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("trawl: sherlock.gz: preprocessor command failed"), result.err)
    }

    func testWithoutSearchZipTheCompressedBytesAreSearched() throws {
        try copyFixture("compressed/ripgrep/sherlock.gz", to: "sherlock.gz")
        XCTAssertEqual(try rgCase(["Sherlock", "sherlock.gz"]).status, 1)
    }

    func testPreprocessing() throws {
        guard BinaryRunner.which("xzcat") != nil else { throw XCTSkip("xzcat is not installed") }
        try copyFixture("compressed/ripgrep/sherlock.xz", to: "sherlock.xz")
        try assertRipgrepCase(["--pre", "xzcat", "Sherlock", "sherlock.xz"], Self.twoLines)
    }

    func testPreprocessingGlob() throws {
        guard BinaryRunner.which("xzcat") != nil else { throw XCTSkip("xzcat is not installed") }
        try write("sherlock", RipgrepHay.sherlock)
        try copyFixture("compressed/ripgrep/sherlock.xz", to: "sherlock.xz")
        let result = try rgCase(["--pre", "xzcat", "--pre-glob", "*.xz", "--sort", "path", "Sherlock"])
        XCTAssertEqual(result.out, """
            sherlock:For the Doctor Watsons of this world, as opposed to the Sherlock
            sherlock:be, to a very large extent, the result of luck. Sherlock Holmes
            sherlock.xz:For the Doctor Watsons of this world, as opposed to the Sherlock
            sherlock.xz:be, to a very large extent, the result of luck. Sherlock Holmes

            """, result.err)
    }

    func testPreCommandThatCannotStartIsReported() throws {
        try write("file", "Sherlock\n")
        let result = try rgCase(["--pre", "no-such-preprocessor-anywhere", "Sherlock", "file"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: file: preprocessor command could not start"), result.err)
    }

    func testPreIsNotRunOnStdin() throws {
        try assertRipgrepCase(["--pre", "no-such-preprocessor-anywhere", "Sherlock"], "Sherlock\n",
                              stdin: .bytes(Array("Sherlock\n".utf8)))
    }
}
