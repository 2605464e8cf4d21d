#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest
@testable import TrawlCLI

/// `AtomicOutputFile` in process: how a target is resolved and how the temporary file is
/// made. FaultSafetyTests covers the same through the binary.
final class AtomicOutputFileTests: XCTestCase {
    private var directory: TemporaryTree!

    override func setUp() {
        directory = TemporaryTree("atomic")
    }

    override func tearDown() {
        directory.remove()
    }

    private func temporaryFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.contains(".trawl-") }
    }

    func testSymlinkChainsResolveToTheFinalTarget() throws {
        let base = directory.path
        directory.makeDirectories(base + "/a/b")
        XCTAssertEqual(symlink("b/target", base + "/a/first"), 0)
        XCTAssertEqual(symlink("a/first", base + "/second"), 0)
        XCTAssertEqual(try AtomicOutputFile.resolve(base + "/second"), .path(base + "/a/b/target"))
        XCTAssertEqual(try AtomicOutputFile.resolve(base + "/plain"), .path(base + "/plain"))
        XCTAssertEqual(try AtomicOutputFile.resolve("/dev/stdout"), .descriptor(1))
        XCTAssertEqual(try AtomicOutputFile.resolve("/dev/fd/2"), .descriptor(2))
        XCTAssertEqual(symlink("/dev/stdout", base + "/out"), 0)
        XCTAssertEqual(try AtomicOutputFile.resolve(base + "/out"), .descriptor(1))
    }

    func testSymlinkLoopIsAnError() throws {
        XCTAssertEqual(symlink("loop", directory.path + "/loop"), 0)
        XCTAssertThrowsError(try AtomicOutputFile.resolve(directory.path + "/loop")) { error in
            XCTAssertEqual("\(error)", "\(directory.path)/loop: \(String(cString: strerror(ELOOP)))")
        }
    }

    func testDirectoryTargetIsAnError() throws {
        XCTAssertThrowsError(try AtomicOutputFile(path: directory.path)) { error in
            XCTAssertEqual("\(error)", "\(directory.path): \(String(cString: strerror(EISDIR)))")
        }
        XCTAssertEqual(temporaryFiles(), [])
    }

    func testTemporaryFileIsCreatedExclusivelyWithoutFollowing() throws {
        let victim = directory.write("victim", "precious\n")
        let planted = directory.path + "/planted"
        XCTAssertEqual(symlink(victim, planted), 0)
        XCTAssertEqual(TemporaryFiles.create(planted, mode: 0o600), -1)
        XCTAssertEqual(errno, EEXIST)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
    }

    func testTemporaryNamesAreUnpredictableAndRemovedUnlessCommitted() throws {
        let first = try AtomicOutputFile(path: directory.path + "/sums")
        let second = try AtomicOutputFile(path: directory.path + "/sums")
        let names = temporaryFiles()
        XCTAssertEqual(names.count, 2)
        XCTAssertFalse(names.contains { $0.contains(String(getpid())) }, "\(names)")
        first.discard()
        XCTAssertEqual(temporaryFiles().count, 1)
        second.discard()
        XCTAssertEqual(temporaryFiles(), [])
    }

    func testDeinitWithoutCommitRemovesTheTemporaryFile() throws {
        do {
            let file = try AtomicOutputFile(path: directory.path + "/sums")
            XCTAssertTrue(file.isAtomic)
            XCTAssertEqual(temporaryFiles().count, 1)
        }
        XCTAssertEqual(temporaryFiles(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path + "/sums"))
    }
}
