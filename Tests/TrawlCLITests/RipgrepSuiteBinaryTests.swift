import XCTest

/// ripgrep 15's binary cases (tests/binary.rs) on its own haystack, a NUL at offset 77041,
/// that the generated table (RipgrepSuiteCases) cannot hold, and rg's choice of when to map:
/// a mapped file is checked for NUL in its first 64 KiB and in the lines printed, a read one
/// in every 64 KiB read, so the choice decides what a file with a late NUL prints.
final class RipgrepSuiteBinaryTests: TrawlTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try copyFixture("text/ripgrep/sherlock-nul.txt", to: "hay")
    }

    func testMmapMatchNearNul() throws {
        try assertRipgrepCase(["--mmap", "-n", "abcdef", "hay"], "binary file matches (found \"\\0\" byte around offset 77041)\n")
    }

    func testMmapMatchCount() throws {
        try assertRipgrepCase(["--mmap", "-c", "Project Gutenberg EBook|Heaven", "hay"], "2\n")
    }

    func testMmapTextFlag() throws {
        try assertRipgrepCase(["--mmap", "-n", "--text", "Heaven", "-g", "hay"],
                              "hay:1871:\"No. Heaven knows what the objects of his studies are. But here we\n")
    }

    func testBeforeMatch1ImplicitBinary() throws {
        try assertRipgrepCase(["--no-mmap", "-n", "--binary", "Heaven", "-g", "hay"],
                              "hay: binary file matches (found \"\\0\" byte around offset 77041)\n")
    }

    func testAfterMatch1StdinPrintsTheMatchThenSaysBinary() throws {
        let hay = try fixtureBytes("text/ripgrep/sherlock-nul.txt")
        try assertRipgrepCase(["--no-mmap", "-n", "Project Gutenberg EBook"],
                              "1:The Project Gutenberg EBook of A Study In Scarlet, by Arthur Conan Doyle\n"
                              + "binary file matches (found \"\\0\" byte around offset 77041)\n", stdin: .bytes(hay))
    }

    func testUpToTenNamedFilesAreMappedAsRipgrepDoes() throws {
        let others = (1...10).map { "f\($0)" }
        for name in others { try write(name, "x\n") }
        let line = "hay:1871:\"No. Heaven knows what the objects of his studies are. But here we\n"
        // Ten files named: mapped, so a match past the NUL on a NUL-free line prints.
        try assertRipgrepCase(["-n", "Heaven", "hay"] + others.prefix(9), line)
        // Eleven: read, so the NUL read first makes the match a binary one.
        try assertRipgrepCase(["-n", "Heaven", "hay"] + others,
                              "hay: binary file matches (found \"\\0\" byte around offset 77041)\n")
        // A directory among them: read, as rg.
        try assertRipgrepCase(["-n", "Heaven", "hay", "."],
                              "hay: binary file matches (found \"\\0\" byte around offset 77041)\n")
        try assertRipgrepCase(["--mmap", "-n", "Heaven", "hay", "f1"], line)
        try assertRipgrepCase(["--no-mmap", "-n", "Heaven", "hay", "f1"],
                              "hay: binary file matches (found \"\\0\" byte around offset 77041)\n")
    }
}
