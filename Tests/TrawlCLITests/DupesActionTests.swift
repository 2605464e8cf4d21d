#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// `dupes --link/--symlink/--reflink/--delete`: every duplicate but the one kept is acted on,
/// through the real binary, on a copy of `Fixtures/dupes` with a hard link added.
final class DupesActionTests: TrawlTestCase {
    /// A copy of `Fixtures/dupes` as the root. copies/one.txt, nested/deeper/one-again.txt,
    /// one.txt: one content of 20 bytes (hl a hard link of copies/one.txt, the first in path
    /// order); big.bin, copies/big.bin: another of 20,000; empty-a, empty-b empty; no copies:
    /// unique.txt, same-size.txt (the small ones' size), same-edges.bin (the big ones' size,
    /// first and last 4 KiB).
    private func writeFixture(hardLink: Bool = true) throws {
        for item in try FileManager.default.contentsOfDirectory(atPath: Self.fixtures + "/dupes") {
            try copyFixture("dupes/\(item)", to: item)
        }
        if hardLink { try self.hardLink("copies/one.txt", "hl") }
    }

    /// The small group and the big one, as the default listing prints them.
    private static let smallGroup = ["copies/one.txt", "nested/deeper/one-again.txt", "one.txt"]
    private static let bigGroup = ["big.bin", "copies/big.bin"]
    /// The duplicates every action replaces: all but the first of each group.
    private static let replaced = ["nested/deeper/one-again.txt", "one.txt", "copies/big.bin"]

    private func info(_ relative: String) throws -> stat {
        var result = stat()
        guard lstat(root + "/" + relative, &result) == 0 else { throw BinaryRunnerError("lstat \(relative): errno \(errno)") }
        return result
    }

    private func inode(_ relative: String) throws -> UInt { try info(relative).st_ino }

    private func isSymlink(_ relative: String) throws -> Bool { try info(relative).st_mode & S_IFMT == S_IFLNK }

    private func linkTarget(_ relative: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + relative)
    }

    /// Every file still reads as its fixture (hl as the file it links).
    private func assertContentsKept(file: StaticString = #filePath, line: UInt = #line) throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.fixtures + "/dupes").filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.fixtures + "/dupes/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        XCTAssertEqual(files.count, 10, file: file, line: line)
        for path in files {
            XCTAssertEqual(try read(path), try fixtureBytes("dupes/" + path), path, file: file, line: line)
        }
        XCTAssertEqual(try read("hl"), try fixtureBytes("dupes/copies/one.txt"), "hl", file: file, line: line)
    }

    func testLinkReplacesEveryDuplicateWithAHardLinkToTheFirst() throws {
        try writeFixture()
        let result = try trawl(["dupes", "--link"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "[SRC] copies/one.txt\n----> nested/deeper/one-again.txt\n----> one.txt\n\n"
                                   + "[SRC] big.bin\n----> copies/big.bin\n\n")
        XCTAssertEqual(result.err, "")
        let kept = try inode("copies/one.txt")
        XCTAssertEqual(try inode("nested/deeper/one-again.txt"), kept)
        XCTAssertEqual(try inode("one.txt"), kept)
        XCTAssertEqual(try inode("hl"), kept)
        XCTAssertEqual(try info("copies/one.txt").st_nlink, 4)
        XCTAssertEqual(try inode("copies/big.bin"), try inode("big.bin"))
        XCTAssertNotEqual(try inode("empty-a"), try inode("empty-b"), "empty files are not duplicates without --empty")
        XCTAssertNotEqual(try inode("same-edges.bin"), try inode("big.bin"))
        try assertContentsKept()
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains(".trawl-") }, [],
                       "no temporary name left behind")
    }

    func testEmptyFilesAreActedOnOnlyWithEmpty() throws {
        try writeFixture()
        XCTAssertEqual(try trawl(["dupes", "--delete"]).status, 0)
        XCTAssertTrue(exists("empty-a") && exists("empty-b"))
        let result = try trawl(["dupes", "--delete", "--empty"])
        XCTAssertEqual(result.out, "   [+] empty-a\n   [-] empty-b\n\n")
        XCTAssertTrue(exists("empty-a"))
        XCTAssertFalse(exists("empty-b"))
    }

    func testSymlinkMakesRelativeLinksToTheKeptFile() throws {
        try writeFixture()
        let result = try trawl(["dupes", "--symlink"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "[SRC] copies/one.txt\n-@@-> nested/deeper/one-again.txt\n-@@-> one.txt\n\n"
                                   + "[SRC] big.bin\n-@@-> copies/big.bin\n\n")
        XCTAssertEqual(try linkTarget("nested/deeper/one-again.txt"), "../../copies/one.txt")
        XCTAssertEqual(try linkTarget("one.txt"), "copies/one.txt")
        XCTAssertEqual(try linkTarget("copies/big.bin"), "../big.bin")
        XCTAssertFalse(try isSymlink("copies/one.txt"))
        XCTAssertFalse(try isSymlink("hl"), "a hard link of the kept file is left alone")
        try assertContentsKept()
    }

    /// What --delete prints for the fixture.
    private static let deleted = "   [+] copies/one.txt\n   [-] nested/deeper/one-again.txt\n   [-] one.txt\n\n"
        + "   [+] big.bin\n   [-] copies/big.bin\n\n"

    func testDeleteRemovesEveryDuplicateButTheKeptFile() throws {
        try writeFixture()
        let result = try trawl(["dupes", "--delete"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, Self.deleted)
        for gone in Self.replaced { XCTAssertFalse(exists(gone), gone) }
        for kept in ["copies/one.txt", "hl", "big.bin", "empty-a", "empty-b", "unique.txt", "same-size.txt", "same-edges.bin"] {
            XCTAssertTrue(exists(kept), kept)
        }
    }

    func testHardLinksOfTheKeptFileAreLeftAloneEvenWhenListed() throws {
        try writeFixture()
        let result = try trawl(["dupes", "--hardlinks", "--delete"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, Self.deleted)
        XCTAssertTrue(exists("hl"))
    }

    func testHardlinksFlagRelinksEveryNameOfADuplicate() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        try hardLink("b", "b2")
        let result = try trawl(["dupes", "--hardlinks", "--link"])
        XCTAssertEqual(result.out, "[SRC] a\n----> b\n----> b2\n\n")
        XCTAssertEqual(try inode("b"), try inode("a"))
        XCTAssertEqual(try inode("b2"), try inode("a"))
    }

    func testReflinkClonesOrNamesTheFileWhereTheFileSystemCannot() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        let before = try info("b")
        let dry = try trawl(["dupes", "--reflink", "--dry-run"])
        let result = try trawl(["dupes", "--reflink"])
        XCTAssertEqual(dry.status, result.status, "the dry run foresees whether the file system can")
        XCTAssertEqual(dry.out, result.out)
        XCTAssertEqual(dry.err, result.err)
        if result.status == 0 {
            // btrfs, XFS: b is its own file still, sharing a's data, with its own metadata.
            XCTAssertEqual(result.out, "[SRC] a\n-##-> b\n\n")
            XCTAssertNotEqual(try inode("b"), try inode("a"))
            XCTAssertEqual(try info("b").st_mode, before.st_mode)
        } else {
            XCTAssertEqual(result.status, 2)
            XCTAssertEqual(result.out, "")
            XCTAssertTrue(result.err.hasPrefix("trawl: b: cannot reflink it to a: "), result.err)
            XCTAssertEqual(try inode("b"), before.st_ino, "b is untouched")
        }
        XCTAssertEqual(try read("b"), Array("hello\n".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["a", "b"], "no temporary file left behind")
    }

    // MARK: Which file is kept

    /// a (2001), b (2003), c (2002): same content, different modification times.
    private func writeDated() throws {
        for (name, year) in [("a", 2001), ("b", 2003), ("c", 2002)] {
            try write(name, "same\n")
            try setTimes(name, access: 0, modification: yearStart(year))
        }
    }

    private func yearStart(_ year: Int) -> Int { (year - 1970) * 365 * 86_400 }

    private func setTimes(_ relative: String, access: Int, modification: Int) throws {
        var times = [timespec(tv_sec: access, tv_nsec: 0), timespec(tv_sec: modification, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, root + "/" + relative, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw BinaryRunnerError("utimensat: errno \(errno)")
        }
    }

    private func keptBy(_ arguments: [String]) throws -> String {
        let result = try trawl(["dupes", "--delete", "--dry-run"] + arguments)
        XCTAssertEqual(result.status, 0, result.err)
        return try XCTUnwrap(result.lines.first { $0.hasPrefix("   [+] ") }).replacingOccurrences(of: "   [+] ", with: "")
    }

    func testKeepChoosesFirstLastNewestOrOldest() throws {
        try writeDated()
        XCTAssertEqual(try keptBy([]), "a")
        XCTAssertEqual(try keptBy(["--keep", "first"]), "a")
        XCTAssertEqual(try keptBy(["--keep", "last"]), "c")
        XCTAssertEqual(try keptBy(["--keep", "newest"]), "b")
        XCTAssertEqual(try keptBy(["--keep", "oldest"]), "a")
    }

    func testOrderTimeListsOldestFirstAndKeepFirstFollowsIt() throws {
        try writeDated()
        XCTAssertEqual(try trawl(["dupes", "--order", "time"]).out, "a\nc\nb\n\n")
        XCTAssertEqual(try trawl(["dupes", "--order", "name"]).out, "a\nb\nc\n\n")
        XCTAssertEqual(try trawl(["dupes", "-o", "time"]).out, "a\nc\nb\n\n", "jdupes' short flag")
        XCTAssertEqual(try keptBy(["--order", "time", "--keep", "last"]), "b")
        let result = try trawl(["dupes", "--link", "--order", "time", "--keep", "last"])
        XCTAssertEqual(result.out, "[SRC] b\n----> a\n----> c\n\n")
    }

    // MARK: Dry run and metadata

    /// Inode, kind, mode, owner, link count and modification time of every entry under the
    /// root, by path (not the access time: the scan reads files, as jdupes does).
    private func snapshot() throws -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            let entry = try info(path)
            result[path] = [Int(entry.st_ino), Int(entry.st_mode), Int(entry.st_uid), Int(entry.st_gid), Int(entry.st_nlink),
                            entry.st_mtim.tv_sec, entry.st_mtim.tv_nsec]
        }
        return result
    }

    func testDryRunPrintsWhatTheRunDoesAndChangesNothing() throws {
        try writeFixture()
        for action in ["--link", "--symlink", "--delete"] {
            let before = try snapshot()
            let dry = try trawl(["dupes", action, "--dry-run"])
            XCTAssertEqual(dry.status, 0, dry.err)
            XCTAssertEqual(try snapshot(), before, "\(action) --dry-run changed the tree")
            let real = try trawl(["dupes", action])
            XCTAssertEqual(real.out, dry.out, "\(action): the dry run printed something else than the run did")
            XCTAssertNotEqual(try snapshot(), before)
            // Back to separate copies for the next action.
            for path in Self.replaced {
                try? FileManager.default.removeItem(atPath: root + "/" + path)
                try copyFixture("dupes/" + path, to: path)
            }
        }
    }

    func testKeptFileKeepsOwnerModeAndTimes() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        try write("c", "hello\n")
        guard chmod(root + "/a", 0o640) == 0 else { throw BinaryRunnerError("chmod") }
        if getuid() == 0 { XCTAssertEqual(chown(root + "/a", 1234, 5678), 0) }
        // An access time after the change time (and within a day): under relatime the scan's
        // own reads leave it, so a change could only come from the action.
        try setTimes("a", access: Int(time(nil)) + 3600, modification: yearStart(2001))
        try setTimes("b", access: yearStart(2005), modification: yearStart(2005))
        let before = try info("a")
        for action in ["--symlink", "--link"] {
            let result = try trawl(["dupes", action])
            XCTAssertEqual(result.status, 0, result.err)
            let after = try info("a")
            XCTAssertEqual(after.st_ino, before.st_ino, action)
            XCTAssertEqual(after.st_mode, before.st_mode, action)
            XCTAssertEqual(after.st_uid, before.st_uid, action)
            XCTAssertEqual(after.st_gid, before.st_gid, action)
            XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec, action)
            XCTAssertEqual(after.st_atim.tv_sec, before.st_atim.tv_sec, action)
            try? FileManager.default.removeItem(atPath: root + "/b")
            try? FileManager.default.removeItem(atPath: root + "/c")
            try write("b", "hello\n")
            try write("c", "hello\n")
        }
    }

    func testHardLinkAcrossFileSystemsIsSkippedWithAWarning() throws {
        var here = stat(), shm = stat()
        guard stat(root, &here) == 0, stat("/dev/shm", &shm) == 0, access("/dev/shm", W_OK) == 0 else {
            throw XCTSkip("no writable /dev/shm")
        }
        guard here.st_dev != shm.st_dev else { throw XCTSkip("/dev/shm and \(root) are one file system") }
        let other = TemporaryTree("dupes-cross")
        defer { other.remove() }
        let far = other.write("far", "hello\n")
        try write("near", "hello\n")
        let farInode = { () -> UInt in var s = stat(); lstat(far, &s); return s.st_ino }
        let farBefore = farInode(), nearBefore = try inode("near")
        // The path order puts /dev/shm first: the file here is the duplicate.
        let result = try trawl(["dupes", "--link", root + "/near", far])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "")
        XCTAssertEqual(result.err, "trawl: \(root)/near: on another file system than \(far), left alone (a hard link cannot cross file systems)\n")
        XCTAssertEqual(try inode("near"), nearBefore)
        XCTAssertEqual(farInode(), farBefore)
        let json = try trawl(["dupes", "--link", "--json", root + "/near", far])
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(record["done"] as? [String], [])
        XCTAssertEqual(record["skipped"] as? [String], [root + "/near"])
        // A symbolic link can cross.
        let symlinked = try trawl(["dupes", "--symlink", root + "/near", far])
        XCTAssertEqual(symlinked.status, 0, symlinked.err)
        XCTAssertTrue(try isSymlink("near"))
        XCTAssertEqual(try read("near"), Array("hello\n".utf8))
    }

    func testFullFileSystemLeavesEveryDuplicateAsItWas() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        try mkdir("full")
        // Four inodes: the root directory, a, b and c; no room for a link's name or a clone.
        let mounted = try tool("mount", ["-t", "tmpfs", "-o", "size=1m,nr_inodes=4", "none", root + "/full"])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.err)") }
        defer { _ = try? tool("umount", [root + "/full"]) }
        try write("full/a", "hello\n")
        try write("full/b", "hello\n")
        try write("full/c")
        let before = try inode("full/b")
        for (action, verb) in [("--link", "hard-link"), ("--symlink", "symlink"), ("--reflink", "reflink")] {
            let result = try trawl(["dupes", action, "full"])
            XCTAssertEqual(result.status, 2, action)
            XCTAssertEqual(result.out, "", action)
            XCTAssertEqual(result.err, "trawl: full/b: cannot \(verb) it to full/a: No space left on device\n", action)
            XCTAssertEqual(try inode("full/b"), before, action)
            XCTAssertEqual(try read("full/b"), Array("hello\n".utf8), action)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/full").sorted(), ["a", "b", "c"])
    }

    func testHardLinkAcrossABindMountIsSkippedWithAWarning() throws {
        guard getuid() == 0 else { throw XCTSkip("a bind mount needs root") }
        try write("one/kept", "hello\n")
        try write("one/copy", "hello\n")
        try mkdir("two")
        let mounted = try tool("mount", ["--bind", root + "/one", root + "/two"])
        guard mounted.status == 0 else { throw XCTSkip("cannot bind-mount here: \(mounted.err)") }
        defer { _ = try? tool("umount", [root + "/two"]) }
        let before = try inode("one/copy")
        // One device number on both sides, yet link(2) fails with EXDEV.
        let result = try trawl(["dupes", "--link", "one/kept", "two/copy"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "trawl: two/copy: on another file system than one/kept, left alone (a hard link cannot cross file systems)\n")
        XCTAssertEqual(try inode("one/copy"), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/one").sorted(), ["copy", "kept"])
    }

    // MARK: Output and flags

    func testSizeAndSummarizeAsJdupes() throws {
        try writeFixture()
        XCTAssertEqual(try trawl(["dupes", "-S"]).out, "20 bytes each:\n" + Self.smallGroup.map { $0 + "\n" }.joined()
                                                        + "\n20000 bytes each:\n" + Self.bigGroup.map { $0 + "\n" }.joined() + "\n")
        XCTAssertEqual(try trawl(["dupes", "-m"]).out, "3 duplicate files (in 2 sets), occupying 20040 bytes\n")
        XCTAssertEqual(try trawl(["dupes", "--summarize", "unique.txt"]).out, "No duplicates found.\n")
    }

    func testSummaryMatchesJdupes() throws {
        // No hard link: jdupes counts one as a duplicate on some file systems (btrfs), not on others (ext4).
        try writeFixture(hardLink: false)
        let ours = try trawl(["dupes", "-m", "."])
        let theirs = try tool("jdupes", ["-r", "-m", "."])
        // The same counts; the size as exact bytes where jdupes rounds (20040 bytes: "20 KB").
        let counts = { (out: String) in out.components(separatedBy: "occupying ")[0] }
        XCTAssertEqual(counts(ours.out), counts(theirs.out))
        XCTAssertTrue(theirs.out.hasSuffix("occupying 20 KB\n"), theirs.out)
        XCTAssertTrue(ours.out.hasSuffix("occupying 20040 bytes\n"), ours.out)
    }

    func testNullEndsEveryActionLine() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        XCTAssertEqual(try trawl(["dupes", "--link", "--dry-run", "-0"]).stdout, Array("[SRC] a\0----> b\0\0".utf8))
    }

    func testJSONKeepsNamesThatAreNotUTF8() throws {
        let odd: [UInt8] = Array("odd-".utf8) + [0xff, 0xfe]
        try write(bytesPath: odd, Array("hello\n".utf8))
        try write("a", "hello\n")
        let result = try trawl(["dupes", "--json"])
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let paths = try XCTUnwrap(record["paths"] as? [Any])
        XCTAssertEqual(paths.count, 2)
        XCTAssertEqual(paths[0] as? String, "a")
        let bytes = try XCTUnwrap((paths[1] as? [String: String])?["bytes"])
        XCTAssertEqual(Data(base64Encoded: bytes).map { [UInt8]($0) }, odd)
    }

    func testJSONWithAnActionNamesTheKeptFileAndWhatWasDone() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        let result = try trawl(["dupes", "--json", "--link", "--dry-run"])
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        XCTAssertEqual(record["kept"] as? String, "a")
        XCTAssertEqual(record["action"] as? String, "link")
        XCTAssertEqual(record["done"] as? [String], ["b"])
        XCTAssertEqual(record["dry_run"] as? Bool, true)
        XCTAssertEqual(record["skipped"] as? [String], [])
        XCTAssertNotEqual(try inode("a"), try inode("b"))
        let real = try trawl(["dupes", "--json", "--link"])
        let done = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(real.out.utf8)) as? [String: Any])
        XCTAssertEqual(done["dry_run"] as? Bool, false)
        XCTAssertEqual(done["done"] as? [String], ["b"])
        XCTAssertEqual(try inode("a"), try inode("b"))
    }

    func testConflictingOrIncompleteActionFlagsAreRefusedBeforeTheScan() throws {
        try write("a", "hello\n")
        try write("b", "hello\n")
        let two = try trawl(["dupes", "--link", "--delete"])
        XCTAssertEqual(two.status, 2)
        XCTAssertEqual(two.err, "trawl: --link and --delete cannot be used together: one action at a time\n")
        let dry = try trawl(["dupes", "--dry-run"])
        XCTAssertEqual(dry.status, 2)
        XCTAssertEqual(dry.err, "trawl: --dry-run needs an action: --link, --symlink, --reflink or --delete\n")
        let keep = try trawl(["dupes", "--delete", "--keep", "biggest"])
        XCTAssertEqual(keep.status, 2)
        XCTAssertTrue(keep.err.hasPrefix("trawl: invalid value 'biggest' for --keep: expected one of first, last, newest, oldest"), keep.err)
        XCTAssertTrue(exists("b"))
    }
}
