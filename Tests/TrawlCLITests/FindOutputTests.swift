import Foundation
import XCTest

/// fd's tests (tests/tests.rs in sharkdp/fd) of how results are printed: -0, -a, symlinked
/// roots, --format, --path-separator, --base-directory, --max-results, -q, -l,
/// --strip-cwd-prefix; and LS_COLORS.
final class FindOutputTests: FindTestCase {
    func testPrint0() throws {
        try makeEnvironment()
        try assertFind(["--print0", "foo"], """
            ./a.fooNULL
            ./one/b.fooNULL
            ./one/two/C.Foo2NULL
            ./one/two/c.fooNULL
            ./one/two/three/d.fooNULL
            ./one/two/three/directory_foo/NULL
            """)
    }

    func testAbsolutePath() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--absolute-path"], """
            \(a)/a.foo
            \(a)/e1 e2
            \(a)/one/
            \(a)/one/b.foo
            \(a)/one/two/
            \(a)/one/two/c.foo
            \(a)/one/two/C.Foo2
            \(a)/one/two/three/
            \(a)/one/two/three/d.foo
            \(a)/one/two/three/directory_foo/
            \(a)/symlink
            """)
        try assertFind(["--absolute-path", "foo"], Self.absoluteFoo(a))
    }

    static func absoluteFoo(_ a: String) -> String {
        """
        \(a)/a.foo
        \(a)/one/b.foo
        \(a)/one/two/c.foo
        \(a)/one/two/C.Foo2
        \(a)/one/two/three/d.foo
        \(a)/one/two/three/directory_foo/
        """
    }

    func testImplicitAbsolutePath() throws {
        try makeEnvironment()
        try assertFind(["foo", absoluteRoot], Self.absoluteFoo(absoluteRoot))
    }

    func testNormalizedAbsolutePath() throws {
        try makeEnvironment()
        try assertFind(["--absolute-path", "foo", ".."], Self.absoluteFoo(absoluteRoot), in: "one")
    }

    func testSymlinkAsRoot() throws {
        try makeEnvironment()
        try makeBrokenSymlink("broken_symlink")
        try assertFind(["", "../.."], """
            ../../a.foo
            ../../broken_symlink
            ../../e1 e2
            ../../one/
            ../../one/b.foo
            ../../one/two/
            ../../one/two/c.foo
            ../../one/two/C.Foo2
            ../../one/two/three/
            ../../one/two/three/d.foo
            ../../one/two/three/directory_foo/
            ../../symlink
            """, in: "symlink")
    }

    func testSymlinkAndAbsolutePath() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--absolute-path"], """
            \(a)/one/two/c.foo
            \(a)/one/two/C.Foo2
            \(a)/one/two/three/
            \(a)/one/two/three/d.foo
            \(a)/one/two/three/directory_foo/
            """, in: "symlink")
    }

    func testSymlinkAsAbsoluteRoot() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["", "\(a)/symlink"], """
            \(a)/symlink/c.foo
            \(a)/symlink/C.Foo2
            \(a)/symlink/three/
            \(a)/symlink/three/d.foo
            \(a)/symlink/three/directory_foo/
            """)
    }

    func testSymlinkAndFullPath() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--absolute-path", "--full-path", "^/.*three"], """
            \(a)/one/two/three/
            \(a)/one/two/three/d.foo
            \(a)/one/two/three/directory_foo/
            """, in: "symlink")
    }

    func testSymlinkAndFullPathAbsPath() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--full-path", "^/.*symlink.*three", "\(a)/symlink"], """
            \(a)/symlink/three/
            \(a)/symlink/three/d.foo
            \(a)/symlink/three/directory_foo/
            """)
    }

    func testFormat() throws {
        try makeEnvironment()
        try assertFind(["--format", "path={}", "--path-separator=/"], """
            path=a.foo
            path=e1 e2
            path=one
            path=one/b.foo
            path=one/two
            path=one/two/C.Foo2
            path=one/two/c.foo
            path=one/two/three
            path=one/two/three/d.foo
            path=one/two/three/directory_foo
            path=symlink
            """)
        try assertFind(["foo", "--format", "noExt={.}", "--path-separator=/"],
                       "noExt=a\nnoExt=one/b\nnoExt=one/two/C\nnoExt=one/two/c\nnoExt=one/two/three/d\nnoExt=one/two/three/directory_foo")
        try assertFind(["foo", "--format", "basename={/}", "--path-separator=/"],
                       "basename=a.foo\nbasename=b.foo\nbasename=C.Foo2\nbasename=c.foo\nbasename=d.foo\nbasename=directory_foo")
        try assertFind(["foo", "--format", "name={/.}", "--path-separator=/"],
                       "name=a\nname=b\nname=C\nname=c\nname=d\nname=directory_foo")
        try assertFind(["foo", "--format", "parent={//}", "--path-separator=/"],
                       "parent=.\nparent=one\nparent=one/two\nparent=one/two\nparent=one/two/three\nparent=one/two/three")
    }

    func testFormatBracesEscape() throws {
        try makeEnvironment()
        try assertFind(["a.foo", "--format", "{{}} {} {}}"], "{} a.foo {}")
    }

    func testQuiet() throws {
        try makeEnvironment([], ["a.foo", "b.foo"])
        try assertFind(["-q"], "")
        try assertFind(["--quiet"], "")
        try assertFindFails(["--quiet", "c.foo"])
    }

    func testCustomPathSeparator() throws {
        try makeEnvironment()
        try assertFind(["foo", "one", "--path-separator", "="],
                       "one=b.foo\none=two=c.foo\none=two=C.Foo2\none=two=three=d.foo\none=two=three=directory_foo=")
    }

    func testBaseDirectory() throws {
        try makeEnvironment()
        try assertFind(["--base-directory", "one"], """
            b.foo
            two/
            two/c.foo
            two/C.Foo2
            two/three/
            two/three/d.foo
            two/three/directory_foo/
            """)
        try assertFind(["--base-directory", "one/two/", "foo"], "c.foo\nC.Foo2\nthree/d.foo\nthree/directory_foo/")
        try assertFind(["--base-directory", "one", "foo", "two"], "two/c.foo\ntwo/C.Foo2\ntwo/three/d.foo\ntwo/three/directory_foo/")
        try assertFind(["--base-directory", absoluteRoot + "/one/two/", "foo", absoluteRoot], Self.absoluteFoo(absoluteRoot))
    }

    func testMaxResults() throws {
        try makeEnvironment()
        try assertFind(["--max-results=0", "c.foo"], "one/two/C.Foo2\none/two/c.foo")
        try assertFind(["--max-results=2", "c.foo"], "one/two/C.Foo2\none/two/c.foo")
        for option in ["--max-results=1", "-1"] {
            let result = try find([option, "c.foo"])
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertTrue(["one/two/C.Foo2", "one/two/c.foo"].contains(result.out.trimmingCharacters(in: .whitespacesAndNewlines)), result.out)
        }
        try assertFindFails(["thing", "--max-results=0", "--exec=cat"])
        try assertFindFails(["thing", "-1", "--exec=cat"])
        try assertFindFails(["thing", "--max-results=1", "-1", "--exec=cat"])
    }

    func testListDetails() throws {
        try makeEnvironment()
        let result = try find(["--list-details"])
        XCTAssertEqual(result.status, 0, result.err)
        // ls -lhd: one line per result, directories marked `d`, names at the end.
        XCTAssertEqual(result.lines.count, 11)
        XCTAssertTrue(result.lines.contains { $0.hasPrefix("d") && $0.hasSuffix("./one") }, result.out)
        XCTAssertTrue(result.lines.contains { $0.hasPrefix("-") && $0.hasSuffix("./a.foo") }, result.out)
    }

    func testStripCwdPrefix() throws {
        try makeEnvironment()
        try assertFind(["--strip-cwd-prefix", "."], Self.everything)
    }

    func testExplicitCurrentDirectoryKeepsItsPrefix() throws {
        try makeEnvironment()
        try assertFind(["a.foo", "."], "./a.foo")
    }

    func testColorsFromLsColors() throws {
        try makeEnvironment()
        let result = try find(["--color=always", "c.foo"], environment: ["LS_COLORS": "di=01;34:*.foo=35:fi=0"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(result.lines), ["\u{1b}[01;34mone/two/\u{1b}[0mC.Foo2", "\u{1b}[01;34mone/two/\u{1b}[0m\u{1b}[35mc.foo\u{1b}[0m"])
        let directory = try find(["--color=always", "--type", "d", "^two$"], environment: ["LS_COLORS": "di=01;34"])
        XCTAssertEqual(directory.lines, ["\u{1b}[01;34mone/\u{1b}[0m\u{1b}[01;34mtwo/\u{1b}[0m"])
        XCTAssertEqual(try find(["c.foo"], environment: ["LS_COLORS": "di=01;34"]).lines.sorted(), ["one/two/C.Foo2", "one/two/c.foo"],
                       "no colour when stdout is not a terminal")
    }

    /// On a terminal colours are on by default (LS_COLORS), and NO_COLOR turns them off.
    func testTerminalGetsColorsUnlessNoColor() throws {
        try ChildProcess.requireBinary()
        try makeEnvironment()
        for (environment, colored) in [(["LS_COLORS": "di=01;34", "TERM": "xterm", "NO_COLOR": ""], true),
                                        (["LS_COLORS": "di=01;34", "TERM": "xterm", "NO_COLOR": "1"], false),
                                        (["LS_COLORS": "di=01;34", "TERM": "dumb", "NO_COLOR": ""], false)] {
            let child = try ChildProcess(["find", "--type", "d", "^two$", root], stdoutTerminal: true, environment: environment)
            child.readToEnd()
            try child.wait()
            XCTAssertEqual(child.exitStatus, 0)
            XCTAssertEqual(child.stdoutText.contains("\u{1b}[01;34m"), colored, child.stdoutText)
            XCTAssertTrue(child.stdoutText.contains("two/"), child.stdoutText)
        }
    }
}
