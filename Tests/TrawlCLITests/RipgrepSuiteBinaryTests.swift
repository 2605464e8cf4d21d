import XCTest

/// ripgrep 15's binary cases that involve the flags `--mmap`, `--no-mmap`, `--binary` and
/// `--text` (tests/binary.rs), on its own haystack. trawl accepts `--mmap`/`--no-mmap` and
/// decides mapping itself, so only the cases whose output does not depend on rg's mapping
/// or its 64 KiB first read are here (RIPGREP-CASES.md lists the others and why).
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
}
