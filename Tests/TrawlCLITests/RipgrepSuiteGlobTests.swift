import XCTest

/// ripgrep 15's glob cases (tests/misc.rs glob*), brace alternatives and malformed globs:
/// inputs and expected outputs are rg 15's (checked against `rg` itself).
final class RipgrepSuiteGlobTests: TrawlTestCase {
    func testGlob() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.py", "Sherlock")
        try write("file.rs", "Sherlock")
        try assertRipgrepCase(["-g", "*.rs", "Sherlock"], "file.rs:Sherlock\n")
    }

    func testGlobNegate() throws {
        try write("file.py", "Sherlock")
        try write("file.rs", "Sherlock")
        try assertRipgrepCase(["-g", "!*.rs", "Sherlock"], "file.py:Sherlock\n")
    }

    func testGlobCaseInsensitive() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.HTML", "Sherlock")
        try assertRipgrepCase(["--iglob", "*.html", "Sherlock"], "file.HTML:Sherlock\n")
        try assertRipgrepCase(["--glob-case-insensitive", "--glob", "*.html", "Sherlock"], "file.HTML:Sherlock\n")
    }

    func testGlobCaseSensitive() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file1.HTML", "Sherlock")
        try write("file2.html", "Sherlock")
        try assertRipgrepCase(["--glob", "*.html", "Sherlock"], "file2.html:Sherlock\n")
    }

    // MARK: brace alternatives

    func testBraceAlternativesSelectEitherExtension() throws {
        for name in ["a.c", "a.h", "b.rs"] { try write(name, "x\n") }
        try assertRipgrepCase(["--sort", "path", "-g", "*.{c,h}", "x"], "a.c:x\na.h:x\n")
        try assertRipgrepCase(["--sort", "path", "-g", "!*.{c,h}", "x"], "b.rs:x\n")
    }

    func testBraceAlternativesOfDirectoriesWithDoubleStar() throws {
        for name in ["src/x/m.rs", "lib/n.rs", "tests/t.rs", "src/main.c"] { try write(name, "x\n") }
        try assertRipgrepCase(["--sort", "path", "-g", "{src,lib}/**/*.rs", "x"], "lib/n.rs:x\nsrc/x/m.rs:x\n")
    }

    func testNestedBraceAlternatives() throws {
        for name in ["a.c", "a.h", "b.rs", "c.txt"] { try write(name, "x\n") }
        let result = try trawl(["files", "--sort", "path", "-g", "{a,{b,c}}.{c,h,rs}"])
        XCTAssertEqual(result.lines, ["a.c", "a.h", "b.rs"], result.err)
    }

    func testBraceAlternativesInAGitignore() throws {
        try mkdir(".git")
        try write(".gitignore", "*.{c,h}\n")
        for name in ["a.c", "a.h", "b.rs"] { try write(name, "x\n") }
        try assertRipgrepCase(["x"], "b.rs:x\n")
    }

    // MARK: malformed globs

    func testMalformedGlobsAreRipgrepsErrors() throws {
        try write("a", "x\n")
        let cases = [
            ("[abc", "unclosed character class; missing ']'"),
            ("{a,b", "unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)"),
            ("a}", "unopened alternate group; missing '{' (maybe escape '}' with '[}]'?)"),
            ("!{a,b", "unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)"),
            ("[z-a]", "invalid range; 'z' > 'a'"),
            ("a\\", "dangling '\\'"),
        ]
        for (glob, reason) in cases {
            let result = try rgCase(["-g", glob, "x"])
            XCTAssertEqual(result.status, 2, glob)
            XCTAssertEqual(result.out, "", glob)
            XCTAssertEqual(result.err, "trawl: error parsing glob '\(glob)': \(reason)\n", glob)
        }
        let typed = try rgCase(["--type-add", "foo:*.[abc", "-tfoo", "x"])
        XCTAssertEqual(typed.status, 2)
        XCTAssertEqual(typed.err, "trawl: error parsing glob '*.[abc': unclosed character class; missing ']'\n")
        let preGlob = try rgCase(["--pre", "cat", "--pre-glob", "[b", "x"])
        XCTAssertEqual(preGlob.status, 2)
        XCTAssertEqual(preGlob.err, "trawl: error parsing glob '[b': unclosed character class; missing ']'\n")
    }

    /// An ignore-file line whose glob does not parse is reported with its line and left out;
    /// the search goes on and its exit status is the search's (rg: 0). An unclosed `[` there
    /// is a literal, as git and rg read it.
    func testMalformedGitignoreLineIsReportedAndSkipped() throws {
        try mkdir(".git")
        try write(".gitignore", "*.o\n*.{c,h\n[abc\n")
        for name in ["a.c", "b.o", "[abc"] { try write(name, "x\n") }
        let result = try rgCase(["x"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "a.c:x\n")
        XCTAssertEqual(result.err,
                       "trawl: .gitignore: line 2: error parsing glob '*.{c,h': unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)\n")
    }
}
