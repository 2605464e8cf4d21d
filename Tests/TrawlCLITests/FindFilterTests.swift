#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// fd's tests (tests/tests.rs in sharkdp/fd) of what is searched: ignore files, hidden
/// names, symlinks, depth, prune, types, extensions, excludes, sizes, times and owners.
final class FindFilterTests: FindTestCase {
    func testHidden() throws {
        try makeEnvironment()
        try assertFind(["--hidden", "foo"], ".hidden.foo\n" + Self.allFoo)
    }

    func testNoIgnore() throws {
        try makeEnvironment()
        try assertFind(["--no-ignore", "foo"], "fdignored.foo\ngitignored.foo\n" + Self.allFoo)
        try assertFind(["--hidden", "--no-ignore", "foo"], ".hidden.foo\nfdignored.foo\ngitignored.foo\n" + Self.allFoo)
    }

    func testGitignoreAndFdignore() throws {
        try makeEnvironment([], ["ignored-by-nothing", "ignored-by-fdignore", "ignored-by-gitignore", "ignored-by-both"])
        try write(".fdignore", "ignored-by-fdignore\nignored-by-both")
        try write(".gitignore", "ignored-by-gitignore\nignored-by-both")
        try assertFind(["ignored"], "ignored-by-nothing")
        try assertFind(["--no-ignore-vcs", "ignored"], "ignored-by-nothing\nignored-by-gitignore")
        try assertFind(["--no-ignore", "ignored"], "ignored-by-nothing\nignored-by-fdignore\nignored-by-gitignore\nignored-by-both")
    }

    func testNoIgnoreParent() throws {
        try makeEnvironment(["inner"], ["inner/parent-ignored", "inner/child-ignored", "inner/not-ignored"])
        try write(".gitignore", "parent-ignored")
        try write("inner/.gitignore", "child-ignored")
        try assertFind([], "not-ignored", in: "inner")
        try assertFind(["--no-ignore-parent"], "parent-ignored\nnot-ignored", in: "inner")
    }

    func testNoIgnoreParentInnerGit() throws {
        try makeEnvironment(["inner"], ["inner/parent-ignored", "inner/child-ignored", "inner/not-ignored"])
        try mkdir("inner/.git")
        try write(".gitignore", "parent-ignored")
        try write("inner/.gitignore", "child-ignored")
        try assertFind([], "not-ignored\nparent-ignored", in: "inner")
        try assertFind(["--no-ignore-parent"], "not-ignored\nparent-ignored", in: "inner")
    }

    func testCustomIgnorePrecedence() throws {
        try makeEnvironment(["inner"], ["inner/foo"])
        try write("inner/.gitignore", "foo")
        try write(".fdignore", "!foo")
        try assertFind(["foo"], "inner/foo")
        try assertFind(["--no-ignore-vcs", "foo"], "inner/foo")
        try assertFind(["--no-ignore", "foo"], "inner/foo")
    }

    func testRespectIgnoreFiles() throws {
        try makeEnvironment()
        try FileManager.default.removeItem(atPath: root + "/.git")
        try assertFind(["foo"], "gitignored.foo\n" + Self.allFoo)
        try assertFind(["--no-require-git", "foo"], Self.allFoo)
        try assertFind(["--no-require-git", "--require-git", "foo"], "gitignored.foo\n" + Self.allFoo)
        try assertFind(["--no-require-git", "--no-ignore", "foo"], "gitignored.foo\nfdignored.foo\n" + Self.allFoo)
    }

    func testNoIgnoreVcs() throws {
        try makeEnvironment()
        try assertFind(["--no-ignore-vcs", "foo"], "gitignored.foo\n" + Self.allFoo)
    }

    func testNoIgnoreVcsChildDir() throws {
        try makeEnvironment(["inner"], ["inner/fdignored.foo", "inner/foo", "inner/gitignored.foo"])
        try assertFind(["--no-ignore-vcs", "foo"], "foo\ngitignored.foo", in: "inner")
    }

    func testCustomIgnoreFiles() throws {
        try makeEnvironment()
        try write("custom.ignore", "C.Foo2\nthree")
        try assertFind(["--ignore-file", "custom.ignore", "foo"], "a.foo\none/b.foo\none/two/c.foo")
        // Named on the command line, so -I keeps it (fd and ripgrep alike).
        try assertFind(["-I", "--ignore-file", "custom.ignore", "foo"], "a.foo\nfdignored.foo\ngitignored.foo\none/b.foo\none/two/c.foo")
    }

    func testNoIgnoreAliases() throws {
        try makeEnvironment()
        try assertFind(["-u", "foo"], ".hidden.foo\nfdignored.foo\ngitignored.foo\n" + Self.allFoo)
    }

    func testGlobalIgnore() throws {
        try makeEnvironment()
        try write("../home/.config/fd/ignore", "one")
        try assertFind([], "a.foo\ne1 e2\nsymlink", globalIgnore: true)
    }

    func testNoGlobalIgnore() throws {
        try makeEnvironment()
        try write("../home/.config/fd/ignore", "one")
        try assertFind(["--unrestricted", "foo"], ".hidden.foo\nfdignored.foo\ngitignored.foo\n" + Self.allFoo, globalIgnore: true)
        try assertFind(["--no-ignore", "foo"], "fdignored.foo\ngitignored.foo\n" + Self.allFoo, globalIgnore: true)
        try assertFind(["--no-global-ignore-file", "foo"], Self.allFoo, globalIgnore: true)
    }

    func testFollow() throws {
        try makeEnvironment()
        try assertFind(["--follow", "c.foo"], "one/two/c.foo\none/two/C.Foo2\nsymlink/c.foo\nsymlink/C.Foo2")
    }

    func testFileSystemBoundaries() throws {
        var devNull = stat(), rootInfo = stat()
        guard stat("/dev/null", &devNull) == 0, stat("/", &rootInfo) == 0, devNull.st_mode & S_IFMT == S_IFCHR,
              devNull.st_dev != rootInfo.st_dev else {
            throw XCTSkip("/dev/null is not on its own file system here (fd's test returns early too)")
        }
        try assertFind(["--full-path", "--max-depth", "2", "^/dev/null$", "/"], "/dev/null")
        try assertFind(["--one-file-system", "--full-path", "--max-depth", "2", "^/dev/null$", "/"], "")
    }

    func testFollowBrokenSymlink() throws {
        try makeEnvironment()
        try makeBrokenSymlink("broken_symlink")
        try assertFind(["symlink"], "broken_symlink\nsymlink")
        try assertFind(["--type", "symlink", "symlink"], "broken_symlink\nsymlink")
        try assertFind(["--type", "file", "symlink"], "")
        try assertFind(["--follow", "--type", "symlink", "symlink"], "broken_symlink")
        try assertFind(["--follow", "--type", "file", "symlink"], "")
    }

    func testMaxDepth() throws {
        try makeEnvironment()
        try assertFind(["--max-depth", "3"], """
            a.foo
            e1 e2
            one/
            one/b.foo
            one/two/
            one/two/c.foo
            one/two/C.Foo2
            one/two/three/
            symlink
            """)
        try assertFind(["--max-depth", "2"], "a.foo\ne1 e2\none/\none/b.foo\none/two/\nsymlink")
        try assertFind(["--max-depth", "1"], "a.foo\ne1 e2\none/\nsymlink")
    }

    func testMinDepth() throws {
        try makeEnvironment()
        try assertFind(["--min-depth", "3"], """
            one/two/c.foo
            one/two/C.Foo2
            one/two/three/
            one/two/three/d.foo
            one/two/three/directory_foo/
            """)
        try assertFind(["--min-depth", "4"], "one/two/three/d.foo\none/two/three/directory_foo/")
    }

    func testExactDepth() throws {
        try makeEnvironment()
        try assertFind(["--exact-depth", "3"], "one/two/c.foo\none/two/C.Foo2\none/two/three/")
    }

    func testPrune() throws {
        try makeEnvironment(["foo/bar", "bar/foo", "baz"],
                            ["foo/foo.file", "foo/bar/foo.file", "bar/foo.file", "bar/foo/foo.file", "baz/foo.file"])
        try assertFind(["foo"], """
            foo/
            foo/foo.file
            foo/bar/foo.file
            bar/foo.file
            bar/foo/
            bar/foo/foo.file
            baz/foo.file
            """)
        try assertFind(["--prune", "foo"], "foo/\nbar/foo/\nbar/foo.file\nbaz/foo.file")
    }

    func testType() throws {
        try makeEnvironment()
        try assertFind(["--type", "f"], "a.foo\ne1 e2\none/b.foo\none/two/c.foo\none/two/C.Foo2\none/two/three/d.foo")
        try assertFind(["--type", "f", "e1"], "e1 e2")
        try assertFind(["--type", "d"], "one/\none/two/\none/two/three/\none/two/three/directory_foo/")
        try assertFind(["--type", "d", "--type", "l"], "one/\none/two/\none/two/three/\none/two/three/directory_foo/\nsymlink")
        try assertFind(["--type", "l"], "symlink")
    }

    func testTypeExecutable() throws {
        try skipAsRoot()
        try makeEnvironment()
        try write("executable-file.sh")
        chmod(root + "/executable-file.sh", 0o777)
        try write("not-user-executable-file.sh")
        chmod(root + "/not-user-executable-file.sh", 0o645)
        try assertFind(["--type", "executable"], "executable-file.sh")
        try assertFind(["--type", "executable", "--type", "directory"],
                       "executable-file.sh\none/\none/two/\none/two/three/\none/two/three/directory_foo/")
    }

    /// fd's executable test needs a non-root user; this one holds as root too: a file with
    /// no execute bit at all is not executable even for root.
    func testTypeExecutableSkipsFilesWithoutExecuteBits() throws {
        try makeEnvironment()
        try write("run.sh")
        chmod(root + "/run.sh", 0o755)
        try write("data.txt")
        chmod(root + "/data.txt", 0o644)
        try assertFind(["--type", "x", "--type", "f", "-e", "sh", "-e", "txt"], "run.sh")
    }

    func testTypeEmpty() throws {
        try makeEnvironment(["dir_empty", "dir_nonempty"], [])
        try write("0_bytes.foo", "")
        try write("5_bytes.foo", "#####")
        try write("dir_nonempty/2_bytes.foo", "##")
        try assertFind(["--type", "empty"], "0_bytes.foo\ndir_empty/")
        try assertFind(["--type", "empty", "--type", "file", "--type", "directory"], "0_bytes.foo\ndir_empty/")
        try assertFind(["--type", "empty", "--type", "file"], "0_bytes.foo")
        try assertFind(["--type", "empty", "--type", "directory"], "dir_empty/")
    }

    func testTypePipeAndSocket() throws {
        try makeEnvironment([], ["plain"])
        XCTAssertEqual(mkfifo(root + "/fifo", 0o644), 0)
        try assertFind(["--type", "p"], "fifo")
        try assertFind(["--type", "f", "--type", "p"], "plain\nfifo")
        try assertFind(["--type", "s"], "")
        try assertFind(["--type", "c", "--type", "b"], "")
    }

    func testUnknownTypeIsAnError() throws {
        try makeEnvironment()
        let result = try find(["--type", "q"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: invalid value 'q' for --type"), result.err)
    }

    func testExtension() throws {
        try makeEnvironment()
        try assertFind(["--extension", "foo"], "a.foo\none/b.foo\none/two/c.foo\none/two/three/d.foo")
        try assertFind(["--extension", ".foo"], "a.foo\none/b.foo\none/two/c.foo\none/two/three/d.foo")
        try assertFind(["--extension", ".foo", "--extension", "foo2"], "a.foo\none/b.foo\none/two/c.foo\none/two/three/d.foo\none/two/C.Foo2")
        try assertFind(["--extension", ".foo", "a"], "a.foo")
        try assertFind(["--extension", "foo2"], "one/two/C.Foo2")
    }

    func testMultiPartExtension() throws {
        try makeEnvironment([], ["spam.bar.baz", "egg.bar.baz", "yolk.bar.baz.sig"])
        try assertFind(["--extension", ".bar.baz"], "spam.bar.baz\negg.bar.baz")
        try assertFind(["--extension", "sig"], "yolk.bar.baz.sig")
        try assertFind(["--extension", "bar.baz.sig"], "yolk.bar.baz.sig")
    }

    func testUnicodeExtension() throws {
        try makeEnvironment([], ["latin1.e\u{301}xt", "smiley.☻"])
        try assertFind(["--extension", "☻"], "smiley.☻")
        try assertFind(["--extension", ".e\u{301}xt"], "latin1.e\u{301}xt")
    }

    func testExtensionNeedsANameBeforeTheDot() throws {
        try makeEnvironment([], [".hidden", "test.hidden"])
        try assertFind(["--hidden", "--extension", ".hidden"], "test.hidden")
    }

    func testNoExtension() throws {
        try makeEnvironment(Self.defaultDirectories, ["a.foo", "aa", "one/b.foo", "one/bb", "one/two/three/d"])
        try assertFind(["^[^.]+$"], """
            aa
            one/
            one/bb
            one/two/
            one/two/three/
            one/two/three/d
            one/two/three/directory_foo/
            symlink
            """)
        try assertFind(["^[^.]+$", "--type", "file"], "aa\none/bb\none/two/three/d")
    }

    func testExcludes() throws {
        try makeEnvironment()
        try assertFind(["--exclude", "*.foo"], "one/\none/two/\none/two/C.Foo2\none/two/three/\none/two/three/directory_foo/\ne1 e2\nsymlink")
        try assertFind(["--exclude", "*.foo", "--exclude", "*.Foo2"], "one/\none/two/\none/two/three/\none/two/three/directory_foo/\ne1 e2\nsymlink")
        try assertFind(["--exclude", "*.foo", "--exclude", "*.Foo2", "foo"], "one/two/three/directory_foo/")
        try assertFind(["--exclude", "one/two/", "foo"], "a.foo\none/b.foo")
        try assertFind(["--exclude", "one/**/*.foo"], """
            a.foo
            e1 e2
            one/
            one/two/
            one/two/C.Foo2
            one/two/three/
            one/two/three/directory_foo/
            symlink
            """)
    }

    func testSize() throws {
        try makeEnvironment([], [])
        unlink(root + "/symlink")
        try write("0_bytes.foo", "")
        try write("11_bytes.foo", String(repeating: "#", count: 11))
        try write("30_bytes.foo", String(repeating: "#", count: 30))
        try write("3_kilobytes.foo", String(repeating: "#", count: 3000))
        try write("4_kibibytes.foo", String(repeating: "#", count: 4096))
        try assertFind(["", "--size", "+0B"], "0_bytes.foo\n11_bytes.foo\n30_bytes.foo\n3_kilobytes.foo\n4_kibibytes.foo")
        try assertFind(["", "--size", "-0B"], "0_bytes.foo")
        try assertFind(["", "--size", "0B"], "0_bytes.foo")
        try assertFind(["", "--size=0B"], "0_bytes.foo")
        try assertFind(["", "-S", "0B"], "0_bytes.foo")
        try assertFind(["", "--size", "+2B"], "11_bytes.foo\n30_bytes.foo\n3_kilobytes.foo\n4_kibibytes.foo")
        try assertFind(["", "--size", "-2B"], "0_bytes.foo")
        try assertFind(["", "--size", "+1B", "--size", "-11B"], "11_bytes.foo")
        try assertFind(["", "--size", "11B"], "11_bytes.foo")
        try assertFind(["", "--size", "+1B", "--size", "-30B"], "11_bytes.foo\n30_bytes.foo")
        try assertFind(["^11_", "--size", "+1B", "--size", "-30B"], "11_bytes.foo")
        try assertFind(["", "--size", "+12B", "--size", "-30B"], "30_bytes.foo")
        try assertFind(["", "--size", "+31B", "--size", "-100B"], "")
        try assertFind(["", "--size", "+3ki", "--size", "-5ki"], "4_kibibytes.foo")
        try assertFind(["", "--size", "+3k", "--size", "-5k"], "3_kilobytes.foo\n4_kibibytes.foo")
        try assertFind(["", "--size", "+3k", "--size", "-3ki"], "3_kilobytes.foo")
        try assertFind(["", "--size", "+4ki", "--size", "-4ki"], "4_kibibytes.foo")
        try assertFind(["", "--size", "4ki"], "4_kibibytes.foo")
    }

    func testBadSizeIsAnError() throws {
        try makeEnvironment()
        let result = try find(["--size", "12parsecs"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: invalid value '12parsecs' for --size"), result.err)
    }

    private func touch(_ name: String, secondsAgo: Double) throws {
        try write(name)
        let when = Date().addingTimeInterval(-secondsAgo)
        try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: root + "/" + name)
    }

    func testModifiedRelative() throws {
        try makeEnvironment([], [])
        unlink(root + "/symlink")
        try touch("foo_0_now", secondsAgo: 0)
        try touch("bar_1_min", secondsAgo: 60)
        try touch("foo_10_min", secondsAgo: 600)
        try touch("bar_1_h", secondsAgo: 3600)
        try touch("foo_2_h", secondsAgo: 2 * 3600)
        try touch("bar_1_day", secondsAgo: 24 * 3600)
        try assertFind(["", "--changed-within", "15min"], "foo_0_now\nbar_1_min\nfoo_10_min")
        try assertFind(["", "--changed-before", "15min"], "bar_1_h\nfoo_2_h\nbar_1_day")
        try assertFind(["foo", "--changed-within", "12h"], "foo_0_now\nfoo_10_min\nfoo_2_h")
    }

    func testModifiedAbsolute() throws {
        try makeEnvironment([], ["15mar2018", "30dec2017"])
        unlink(root + "/symlink")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_521_115_200)],  // 2018-03-15T12:00:00Z
                                              ofItemAtPath: root + "/15mar2018")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_514_678_340)],  // 2017-12-30T23:59:00Z
                                              ofItemAtPath: root + "/30dec2017")
        try assertFind(["", "--changed-within", "2018-01-01 00:00:00"], "15mar2018")
        try assertFind(["", "--changed-before", "2018-01-01 00:00:00"], "30dec2017")
        try assertFind(["", "--changed-before", "2018-01-01T00:00:00Z"], "30dec2017")
        try assertFind(["", "--changed-within", "@1514764800"], "15mar2018")
    }

    func testOwnerIgnoreAll() throws {
        try makeEnvironment()
        try assertFind(["--owner", ":", "a.foo"], "a.foo")
        try assertFind(["--owner", "", "a.foo"], "a.foo")
    }

    func testOwnerCurrentUser() throws {
        try makeEnvironment()
        let uid = getuid()
        try assertFind(["--owner", "\(uid)", "a.foo"], "a.foo")
        if let user = getpwuid(uid) { try assertFind(["--owner", String(cString: user.pointee.pw_name), "a.foo"], "a.foo") }
        try assertFind(["--owner", "!\(uid)", "a.foo"], "")
    }

    func testOwnerCurrentGroup() throws {
        try makeEnvironment()
        let gid = getgid()
        try assertFind(["--owner", ":\(gid)", "a.foo"], "a.foo")
        if let group = getgrgid(gid) { try assertFind(["--owner", ":" + String(cString: group.pointee.gr_name), "a.foo"], "a.foo") }
    }

    func testOwnerRoot() throws {
        try skipAsRoot()
        try makeEnvironment()
        try assertFind(["--owner", "root", "a.foo"], "")
        try assertFind(["--owner", "0", "a.foo"], "")
        try assertFind(["--owner", ":root", "a.foo"], "")
        try assertFind(["--owner", ":0", "a.foo"], "")
    }

    func testUnknownOwnerIsAnError() throws {
        try makeEnvironment()
        let result = try find(["--owner", "no-such-user-here"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("no such user 'no-such-user-here'"), result.err)
    }

    func testOpposing() throws {
        try makeEnvironment()
        let plain = Self.normalized(try find([]).out, trimStart: false)
        for (flag, opposing) in [("--hidden", ["--no-hidden"]), ("--no-ignore", ["--ignore"]), ("--no-ignore-vcs", ["--ignore-vcs"]),
                                 ("--no-require-git", ["--require-git"]), ("--follow", ["--no-follow"]),
                                 ("--absolute-path", ["--relative-path"]), ("-u", ["--ignore", "--no-hidden"]),
                                 ("-uu", ["--ignore", "--no-hidden"])] {
            let result = try find([flag] + opposing)
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(Self.normalized(result.out, trimStart: false), plain, "\(opposing) should override \(flag)")
        }
    }

    /// fd (and rg 15) list `.git` with --hidden.
    func testGitDir() throws {
        try makeEnvironment([".git/one", "other_dir/.git", "nested/dir/.git"],
                            [".git/one/foo.a", ".git/.foo", ".git/a.foo", "other_dir/.git/foo1", "nested/dir/.git/foo2"])
        let all = ".git/.foo\n.git/a.foo\n.git/one/foo.a\nnested/dir/.git/foo2\nother_dir/.git/foo1\n"
        try assertFind(["--hidden", "foo"], all)
        try assertFind(["--no-ignore", "foo"], "")
        try assertFind(["--hidden", "--no-ignore", "foo"], all)
        try assertFind(["--hidden", "--no-ignore-vcs", "foo"], all)
    }

    func testGitignoreParent() throws {
        try makeEnvironment(["sub"], [".abc", "sub/.abc"])
        try write(".gitignore", ".abc\n")
        try assertFind(["--hidden"], "", in: "sub")
        try assertFind(["--hidden", "--search-path", "."], "", in: "sub")
    }

    func testSingleAndMultithreadedExecution() throws {
        try makeEnvironment()
        try assertFind(["--threads=1", "a.foo"], "a.foo")
        try assertFind(["--threads=16", "a.foo"], "a.foo")
    }

    func testNumberParsingErrors() throws {
        try makeEnvironment([], [])
        for arguments in [["--threads=a"], ["-j", ""], ["--threads=0"], ["--min-depth=a"], ["--max-depth=a"], ["--exact-depth=a"],
                          ["--max-results=a"]] {
            try assertFindFails(arguments)
        }
    }

    func testSymlinksAreListedAsEntriesNotFollowed() throws {
        try makeEnvironment()
        try assertFind(["--type", "l", "--type", "d", "-d", "1"], "one/\nsymlink")
        // Followed, the link is the directory it points to.
        try assertFind(["--follow", "--type", "d", "-d", "1"], "one/\nsymlink/")
    }
}
