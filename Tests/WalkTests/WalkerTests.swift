import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Walk

final class WalkerTests: XCTestCase {
    func testImplicitRootYieldsPathsWithoutDotSlash() throws {
        let tree = TestTree()
        tree.file("a.c")
        tree.file("sub/b.c")
        let record = try inDirectory(tree.root) { try walk([]) }
        XCTAssertEqual(record.paths, ["a.c", "sub/b.c"])
    }

    func testExplicitDotSlashRootKeepsPrefix() throws {
        let tree = TestTree()
        tree.file("a.c")
        tree.file("sub/b.c")
        let record = try inDirectory(tree.root) { try walk(["./"]) }
        XCTAssertEqual(record.paths, ["./a.c", "./sub/b.c"])
    }

    func testRelativeRootPrefixesPathsAsGiven() throws {
        let tree = TestTree()
        tree.file("src/a.c")
        tree.file("src/lib/b.c")
        let record = try inDirectory(tree.root) { try walk(["src"]) }
        XCTAssertEqual(record.paths, ["src/a.c", "src/lib/b.c"])
    }

    /// getdents64 fills 32 KiB at a time: a directory of 96 KiB of records takes several calls.
    func testADirectoryLargerThanOneReadIsListedWhole() throws {
        let tree = TestTree()
        let names = (0..<1500).map { "file-with-a-rather-long-name-number-\($0).txt" }
        for name in names { tree.file("big/\(name)") }
        let record = try walk([tree.root])
        XCTAssertEqual(record.paths, Set(names.map { "\(tree.root)/big/\($0)" }))
        XCTAssertEqual(record.allEntries.count, 1500, "each once")
    }

    func testFilesAreHandedOverADirectoryAtATimeInBoundedRuns() throws {
        let tree = TestTree()
        for i in 0..<600 { tree.file("big/f\(i)") }
        tree.file("small/a")
        tree.file("small/b")
        tree.file("top")
        let calls = Mutex<[[String]]>([])
        let walker = try Walker(options: WalkOptions())
        walker.walk(roots: [Array(tree.root.utf8)], onFiles: { files in
            calls.withLock { $0.append(files.map(\.pathString)) }
        }, onError: { XCTFail("\($0)") })
        let runs = calls.withLock { $0 }
        let walked = try walk([tree.root]).paths
        XCTAssertEqual(Set(runs.joined()), walked, "the same files as one at a time")
        XCTAssertEqual(runs.joined().count, walked.count, "each file once")
        for run in runs {
            XCTAssertLessThanOrEqual(run.count, WalkWorker.filesPerHandOver)
            let parents = Set(run.map { $0.split(separator: "/").dropLast().joined(separator: "/") })
            XCTAssertEqual(parents.count, 1, "one directory per run: \(parents)")
        }
        // 600 files in one directory: three runs (256, 256, 88), never one per file.
        XCTAssertEqual(runs.filter { $0.first?.contains("/big/") == true }.map(\.count).sorted(), [88, 256, 256])
        XCTAssertEqual(runs.first { $0.first?.contains("/small/") == true }?.count, 2)
    }

    func testDepthCountsFromRoot() throws {
        let tree = TestTree()
        tree.file("a")
        tree.file("d/b")
        let record = try walk([tree.root])
        let depths = Dictionary(uniqueKeysWithValues: record.allEntries.map { ($0.pathString.dropFirst(tree.root.count + 1), $0.depth) })
        XCTAssertEqual(depths, ["a": 1, "d/b": 2])
    }

    func testHiddenNamesSkippedByDefault() throws {
        let tree = TestTree()
        tree.file(".hidden")
        tree.file(".dir/a")
        tree.file("shown")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/shown"])
    }

    func testHiddenOptionYieldsDotNamesButNeverGit() throws {
        let tree = TestTree()
        tree.file(".hidden")
        tree.file(".dir/a")
        tree.file(".git/HEAD")
        var options = WalkOptions()
        options.hidden = true
        XCTAssertEqual(try walk([tree.root], options).paths, ["\(tree.root)/.hidden", "\(tree.root)/.dir/a"])
    }

    func testGitignoreIgnoredOutsideRepository() throws {
        let tree = TestTree()
        tree.file(".gitignore", "*.o\n")
        tree.file("a.o")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/a.o"])
    }

    func testNoRequireGitAppliesGitignoreOutsideRepository() throws {
        let tree = TestTree()
        tree.file(".gitignore", "*.o\n")
        tree.file("a.o")
        tree.file("a.c")
        var options = WalkOptions()
        options.noRequireGit = true
        XCTAssertEqual(try walk([tree.root], options).paths, ["\(tree.root)/a.c"])
    }

    func testDotIgnoreAppliesOutsideRepository() throws {
        let tree = TestTree()
        tree.file(".ignore", "*.o\n")
        tree.file("a.o")
        tree.file("a.c")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/a.c"])
    }

    func testDotIgnoreBeatsGitignore() throws {
        let tree = TestTree()
        tree.directory(".git")
        tree.file(".gitignore", "*.o\n")
        tree.file("sub/.ignore", "!keep.o\n")
        tree.file("keep.o")
        tree.file("sub/keep.o")
        tree.file("sub/other.o")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/sub/keep.o"])
    }

    func testRgignoreBeatsDeeperDotIgnore() throws {
        let tree = TestTree()
        tree.file(".rgignore", "!*.o\n")
        tree.file("sub/.ignore", "*.o\n")
        tree.file("sub/a.o")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/sub/a.o"])
    }

    func testDeeperDotIgnoreBeatsShallower() throws {
        let tree = TestTree()
        tree.file(".ignore", "*.o\n")
        tree.file("sub/.ignore", "!keep.o\n")
        tree.file("sub/keep.o")
        tree.file("sub/drop.o")
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/sub/keep.o"])
    }

    func testNoIgnoreLiftsAllIgnoreFiles() throws {
        let tree = TestTree()
        tree.directory(".git")
        tree.file(".gitignore", "*.o\n")
        tree.file(".ignore", "*.a\n")
        tree.file("x.o")
        tree.file("x.a")
        var options = WalkOptions()
        options.noIgnore = true
        XCTAssertEqual(try walk([tree.root], options).paths, ["\(tree.root)/x.o", "\(tree.root)/x.a"])
    }

    func testNoIgnoreVcsKeepsDotIgnore() throws {
        let tree = TestTree()
        tree.directory(".git")
        tree.file(".gitignore", "*.o\n")
        tree.file(".ignore", "*.a\n")
        tree.file("x.o")
        tree.file("x.a")
        var options = WalkOptions()
        options.noIgnoreVcs = true
        XCTAssertEqual(try walk([tree.root], options).paths, ["\(tree.root)/x.o"])
    }

    func testFileRootsAreYieldedEvenWhenHiddenOrIgnored() throws {
        let tree = TestTree()
        tree.file(".ignore", "*.o\n")
        tree.file(".secret")
        tree.file("a.o")
        let record = try inDirectory(tree.root) { try walk([".secret", "a.o"]) }
        XCTAssertEqual(record.paths, [".secret", "a.o"])
        XCTAssertEqual(record.allEntries.map(\.depth), [0, 0])
    }

    func testMissingRootReportsErrorAndOtherRootsAreWalked() throws {
        let tree = TestTree()
        tree.file("real/a")
        let record = try inDirectory(tree.root) { try walk(["missing", "real"]) }
        XCTAssertEqual(record.paths, ["real/a"])
        XCTAssertEqual(record.messages, ["missing: No such file or directory"])
    }

    func testMaxDepthLimitsDescent() throws {
        let tree = TestTree()
        tree.file("a")
        tree.file("d/b")
        tree.file("d/e/c")
        var options = WalkOptions()
        options.maxDepth = 2
        let record = try inDirectory(tree.root) { try walk(["."], options) }
        XCTAssertEqual(record.paths, ["./a", "./d/b"])
        options.maxDepth = 0
        XCTAssertEqual(try inDirectory(tree.root) { try walk(["."], options) }.paths, [])
    }

    func testSymlinksAreSkippedWithoutFollow() throws {
        let tree = TestTree()
        tree.file("target/a")
        tree.symlink("link-file", to: "target/a")
        tree.symlink("link-dir", to: "target")
        XCTAssertEqual(try inDirectory(tree.root) { try walk([]) }.paths, ["target/a"])
    }

    func testFollowSymlinksYieldsLinkedFilesAndDirectories() throws {
        let tree = TestTree()
        tree.file("target/a")
        tree.symlink("link-file", to: "target/a")
        tree.symlink("link-dir", to: "target")
        var options = WalkOptions()
        options.followSymlinks = true
        let record = try inDirectory(tree.root) { try walk([], options) }
        XCTAssertEqual(record.paths, ["target/a", "link-file", "link-dir/a"])
        XCTAssertEqual(record.allEntries.first { $0.pathString == "link-file" }?.isSymlink, true)
    }

    func testSymlinkLoopIsReportedAndSkippedWithFollow() throws {
        let tree = TestTree()
        tree.file("d/a")
        tree.symlink("d/up", to: "..")
        var options = WalkOptions()
        options.followSymlinks = true
        let record = try inDirectory(tree.root) { try walk(["d"], options) }
        XCTAssertEqual(record.paths, ["d/a"])
        XCTAssertEqual(record.messages, ["File system loop found: d/up/d points to an ancestor d"])
    }

    func testBrokenSymlinkIsReportedWithFollow() throws {
        let tree = TestTree()
        tree.symlink("dangling", to: "nowhere")
        var options = WalkOptions()
        options.followSymlinks = true
        let record = try inDirectory(tree.root) { try walk([], options) }
        XCTAssertEqual(record.paths, [])
        XCTAssertEqual(record.messages, ["dangling: No such file or directory"])
    }

    func testFifosAndSocketsAreNotYielded() throws {
        let tree = TestTree()
        tree.file("a")
        XCTAssertEqual(mkfifo("\(tree.root)/fifo", 0o644), 0)
        XCTAssertEqual(try walk([tree.root]).paths, ["\(tree.root)/a"])
    }

    func testAwkwardNamesAreYieldedByteExact() throws {
        // Fixtures/names (spaces, a tab, a backslash, a leading dash, glob characters,
        // non-ASCII), plus the two names a git checkout cannot hold everywhere, made here.
        let tree = TestTree()
        try tree.copyFixture("names", to: "names")
        let newline = Array("names/new\nline".utf8)
        let invalid = Array("names/d/".utf8) + [0x62, 0xFF, 0xFE, 0x2E, 0x63]
        tree.file(bytes: newline)
        tree.file(bytes: invalid)
        let record = try inDirectory(tree.root) { try walk([]) }
        let committed = ["-leading-dash.txt", "back\\slash.txt", "dir with space/inner.txt", "glob[chars]*?.txt",
                         "tab\tin name.txt", "with space.txt", "ünïcödé.txt"].map { Array("names/\($0)".utf8) }
        XCTAssertEqual(Set(record.allEntries.map(\.path)), Set(committed + [newline, invalid]))
    }

    func testDirectoryVanishingMidWalkIsReportedOnceAndWalkContinues() throws {
        let tree = TestTree()
        tree.file("a/first")
        tree.file("a/sub/gone")
        tree.file("b/kept")
        var options = WalkOptions()
        options.threads = 1  // entries of a/ are yielded before a/sub/ is opened
        let record = WalkRecord()
        let doomed = "\(tree.root)/a/sub"
        try Walker(options: options).walk([tree.root], onEntry: { entry in
            record.add(entry)
            if entry.pathString.hasSuffix("/a/first") {
                try? FileManager.default.removeItem(atPath: doomed)
            }
        }, onError: { record.add($0) })
        XCTAssertEqual(record.paths, ["\(tree.root)/a/first", "\(tree.root)/b/kept"])
        XCTAssertEqual(record.messages, ["\(tree.root)/a/sub: No such file or directory"])
    }

    func testOneFileSystemDoesNotDescendIntoOtherDevices() throws {
        var devInfo = stat(), shmInfo = stat()
        guard stat("/dev", &devInfo) == 0, stat("/dev/shm", &shmInfo) == 0, devInfo.st_dev != shmInfo.st_dev,
              access("/dev/shm", W_OK) == 0 else {
            throw XCTSkip("needs /dev/shm mounted on another device than /dev")
        }
        let name = "trawl-walk-\(getpid())"
        let fd = open("/dev/shm/\(name)", O_CREAT | O_WRONLY, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        defer { unlink("/dev/shm/\(name)") }
        var options = WalkOptions()
        options.maxDepth = 2
        XCTAssertTrue(try walk(["/dev"], options).paths.contains("/dev/shm/\(name)"))
        options.oneFileSystem = true
        XCTAssertFalse(try walk(["/dev"], options).paths.contains("/dev/shm/\(name)"))
    }

    func testCancellationBeforeStartReadsNoDirectory() throws {
        let tree = TestTree()
        tree.file("a")
        let cancellation = WalkCancellation()
        cancellation.cancel()
        XCTAssertEqual(try walk([tree.root], cancellation: cancellation).paths, [])
    }

    func testCancellationFromCallbackStopsWalk() throws {
        let tree = TestTree()
        for index in 0..<300 { tree.file("d\(index)/f") }
        let cancellation = WalkCancellation()
        let record = WalkRecord()
        try Walker(options: WalkOptions()).walk([tree.root], cancellation: cancellation, onEntry: {
            record.add($0)
            cancellation.cancel()
        }, onError: { record.add($0) })
        XCTAssertLessThan(record.allEntries.count, 300)
        XCTAssertGreaterThan(record.allEntries.count, 0)
    }

    func testLoopsRunOnCallerRunner() throws {
        final class CountingRunner: WalkLoopRunner, @unchecked Sendable {
            // Lock discipline: `counts` only touched with `lock` held.
            let lock = NSLock()
            var counts: [Int] = []
            func runLoops(count: Int, _ loop: @escaping @Sendable (Int) -> Void) {
                lock.withLock { counts.append(count) }
                WalkThreads().runLoops(count: count, loop)
            }
        }
        let tree = TestTree()
        for index in 0..<50 { tree.file("d\(index)/f") }
        let runner = CountingRunner()
        var options = WalkOptions()
        options.threads = 3
        XCTAssertEqual(try walk([tree.root], options, runner: runner).paths.count, 50)
        XCTAssertEqual(runner.lock.withLock { runner.counts }, [3])
    }
}

final class SortedWalkTests: XCTestCase {
    func testSortedWalkYieldsPathOrderWithDirectoriesWhereTheySort() throws {
        let tree = TestTree()
        for name in ["b", "a-b", "a/z", "a/b/c", "a.c", "A", "a/b-", "c/d/e", ".hid"] { tree.file(name) }
        let walker = try Walker(options: WalkOptions())
        var paths: [String] = []
        inDirectory(tree.root) {
            walker.walkSorted(roots: [], onEntry: { paths.append($0.pathString) }, onError: { _ in })
        }
        XCTAssertEqual(paths, ["A", "a/b/c", "a/b-", "a/z", "a-b", "a.c", "b", "c/d/e"])
    }

    func testSortedWalkListsTheSameFilesAsTheParallelWalk() throws {
        let tree = TestTree()
        for i in 0..<300 { tree.file("d\(i % 7)/e\(i % 3)/f\(i).txt") }
        tree.file(".gitignore", "*.log\n")
        tree.file("x.log")
        let walker = try Walker(options: WalkOptions())
        var sorted: [[UInt8]] = []
        walker.walkSorted(roots: [Array(tree.root.utf8)], onEntry: { sorted.append($0.path) }, onError: { _ in })
        let parallel = try walk([tree.root]).allEntries.map(\.path)
        XCTAssertEqual(sorted, parallel.sorted(by: pathPrecedes))
        XCTAssertEqual(sorted.count, 301, "300 files and x.log: outside a git repository .gitignore does not apply")
    }
}
