#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest
@testable import Scan
import Walk
import WorkerPool

/// `FileReader.open` inside `withDirectoryCache` (openat relative to the last directory)
/// opens the same files and reports the same errors as a plain open of the full path.
final class FileReaderTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString)").path
        for (path, text) in [("a/one", "1"), ("a/two", "2"), ("b/three", "3"), ("a-b", "4")] {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func contents(_ path: String) throws -> String {
        let fd = try FileReader.open(Array(path.utf8))
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = read(fd, &bytes, 16)
        return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
    }

    private func openError(_ path: String) -> String? {
        do {
            close(try FileReader.open(Array(path.utf8)))
            return nil
        } catch {
            return error.description
        }
    }

    func testCachedOpensReadTheFilesTheirPathsName() throws {
        let paths = ["a/one", "a/two", "b/three", "a/one", "a-b"].map { root + "/" + $0 }
        let cached = try FileReader.withDirectoryCache { try paths.map(contents) }
        XCTAssertEqual(cached, ["1", "2", "3", "1", "4"])
        XCTAssertEqual(cached, try paths.map(contents), "the same as plain opens")
    }

    func testCachedOpensReportTheSameErrorsAsPlainOpens() throws {
        let missingFile = root + "/a/none"
        let missingDirectory = root + "/gone/none"
        let plain = [openError(missingFile), openError(missingDirectory)]
        let cached = FileReader.withDirectoryCache { [openError(root + "/a/one"), openError(missingFile), openError(missingDirectory)] }
        XCTAssertEqual(cached, [nil] + plain)
        XCTAssertEqual(plain, ["\(missingFile): No such file or directory", "\(missingDirectory): No such file or directory"])
    }

    func testCacheSeesAFileReplacedBetweenOpens() throws {
        try FileReader.withDirectoryCache {
            XCTAssertEqual(try contents(root + "/a/one"), "1")
            try Data("new".utf8).write(to: URL(fileURLWithPath: root + "/a/one"))
            XCTAssertEqual(try contents(root + "/a/one"), "new")
        }
    }

    func testFileNamedWithoutADirectoryOpensPlainly() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertEqual(try FileReader.withDirectoryCache { try contents("a-b") }, "4")
    }

    // MARK: A file swapped for a symlink after the walk listed it

    /// The entries a walk of `root` yields, by path.
    private func walkedEntries(followSymlinks: Bool) throws -> [String: WalkEntry] {
        var options = WalkOptions()
        options.followSymlinks = followSymlinks
        let walker = try Walker(options: options)
        let pool = ThreadPoolExecutor(maxWorkers: 2, name: "nofollow")
        defer { pool.shutdown() }
        var entries: [String: WalkEntry] = [:]
        FileScan(pool: pool).run(source: .walk(walker, roots: [Array(root.utf8)]), job: .inline { $0 }) { event in
            if case .record(let entry, _) = event { entries[entry.pathString] = entry }
            return true
        }
        return entries
    }

    /// Replaces `a/one` by a symlink to a file outside the tree, as a racing user would.
    private func swapForSymlink() throws -> String {
        let secret = root + "-secret"
        try Data("secret".utf8).write(to: URL(fileURLWithPath: secret))
        addTeardownBlock { unlink(secret) }
        XCTAssertEqual(unlink(root + "/a/one"), 0)
        XCTAssertEqual(symlink(secret, root + "/a/one"), 0)
        return secret
    }

    func testWalkedFileSwappedForASymlinkIsReportedNotFollowed() throws {
        let entry = try XCTUnwrap(try walkedEntries(followSymlinks: false)[root + "/a/one"])
        XCTAssertTrue(entry.noFollow)
        _ = try swapForSymlink()
        for cached in [false, true] {
            do {
                let fd = try cached ? FileReader.withDirectoryCache { try FileReader.open(entry) } : FileReader.open(entry)
                close(fd)
                XCTFail("the swapped-in symlink was followed (cached: \(cached))")
            } catch let error as ReadError {
                XCTAssertEqual(error.errno, ELOOP)
                XCTAssertEqual(error.description, root + "/a/one: " + String(cString: strerror(ELOOP)))
            }
        }
        // The rest of the tree still opens.
        close(try FileReader.open(try XCTUnwrap(try walkedEntries(followSymlinks: false)[root + "/a/two"])))
    }

    func testFollowingWalksAndGivenPathsStillFollowSymlinks() throws {
        let walked = try XCTUnwrap(try walkedEntries(followSymlinks: true)[root + "/a/one"])
        XCTAssertFalse(walked.noFollow)
        _ = try swapForSymlink()
        let fd = try FileReader.open(walked)
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = read(fd, &bytes, 16)
        XCTAssertEqual(String(decoding: bytes.prefix(max(0, count)), as: UTF8.self), "secret")
        close(fd)
        // A path given by the caller (a root, a listed path) is opened as given.
        let given = WalkEntry(path: Array((root + "/a/one").utf8), depth: 0, kind: .unknown)
        XCTAssertFalse(given.noFollow)
        close(try FileReader.open(given))
    }
}
