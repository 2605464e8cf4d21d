#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import WorkerPool
import XCTest
@testable import TrawlCLI

/// `DuplicateReplacer`, the step between the scan and the action: a duplicate that changed
/// since the scan is found by comparing bytes at that moment and left alone. Called
/// directly so the change lands between scan and action every time, with no race.
final class DupesReplacerTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/trawl-replacer-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        directory = String(cString: made)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func file(_ name: String, _ contents: String) throws -> [UInt8] {
        let path = directory + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return Array(path.utf8)
    }

    private func inode(_ path: [UInt8]) -> UInt {
        var info = stat()
        lstat(String(decoding: path, as: UTF8.self), &info)
        return info.st_ino
    }

    private func contents(_ path: [UInt8]) throws -> String {
        try String(contentsOfFile: String(decoding: path, as: UTF8.self), encoding: .utf8)
    }

    private func replacer(_ action: DupesAction, dryRun: Bool = false, token: CancellationToken = CancellationToken()) -> DuplicateReplacer {
        DuplicateReplacer(action: action, dryRun: dryRun, cancellation: token)
    }

    func testDuplicateChangedSinceTheScanIsLeftAloneByEveryAction() throws {
        for action in DupesAction.allCases {
            let kept = try file("kept-\(action)", "hello\n")
            // Identical when scanned; one byte differs by the time the action runs.
            let changed = try file("changed-\(action)", "hellp\n")
            let before = inode(changed)
            XCTAssertEqual(replacer(action).apply(kept: kept, duplicates: [changed]), [.changed], "\(action)")
            XCTAssertEqual(inode(changed), before, "\(action)")
            XCTAssertEqual(try contents(changed), "hellp\n", "\(action)")
        }
    }

    func testDuplicateThatGrewIsLeftAlone() throws {
        let kept = try file("kept", "hello\n")
        let grown = try file("grown", "hello\nmore\n")
        XCTAssertEqual(replacer(.delete).apply(kept: kept, duplicates: [grown]), [.changed])
        XCTAssertEqual(try contents(grown), "hello\nmore\n")
    }

    func testDuplicateReplacedByASymlinkIsLeftAlone() throws {
        let kept = try file("kept", "hello\n")
        let elsewhere = try file("elsewhere", "hello\n")
        let link = directory + "/link"
        XCTAssertEqual(symlink(String(decoding: elsewhere, as: UTF8.self), link), 0)
        XCTAssertEqual(replacer(.delete).apply(kept: kept, duplicates: [Array(link.utf8)]), [.changed])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), String(decoding: elsewhere, as: UTF8.self))
    }

    func testVanishedDuplicateIsChangedNotAnError() throws {
        let kept = try file("kept", "hello\n")
        XCTAssertEqual(replacer(.link).apply(kept: kept, duplicates: [Array((directory + "/gone").utf8)]), [.changed])
    }

    func testIdenticalDuplicateIsReplacedAndTheChangedOneBesideItIsNot() throws {
        let kept = try file("kept", "hello\n")
        let same = try file("same", "hello\n")
        let changed = try file("changed", "jello\n")
        XCTAssertEqual(replacer(.link).apply(kept: kept, duplicates: [same, changed]), [.done, .changed])
        XCTAssertEqual(inode(same), inode(kept))
        XCTAssertNotEqual(inode(changed), inode(kept))
    }

    func testHardLinkOfTheKeptFileIsTheSameFile() throws {
        let kept = try file("kept", "hello\n")
        let link = directory + "/link"
        XCTAssertEqual(Glibc.link(String(decoding: kept, as: UTF8.self), link), 0)
        XCTAssertEqual(replacer(.delete).apply(kept: kept, duplicates: [Array(link.utf8)]), [.sameFile])
        XCTAssertTrue(FileManager.default.fileExists(atPath: link))
    }

    func testDryRunComparesButChangesNothing() throws {
        let kept = try file("kept", "hello\n")
        let same = try file("same", "hello\n")
        let changed = try file("changed", "hellp\n")
        XCTAssertEqual(replacer(.delete, dryRun: true).apply(kept: kept, duplicates: [same, changed]), [.done, .changed])
        XCTAssertTrue(FileManager.default.fileExists(atPath: String(decoding: same, as: UTF8.self)))
    }

    func testCancelledBeforeTheFirstDuplicateReachesNone() throws {
        let kept = try file("kept", "hello\n")
        let same = try file("same", "hello\n")
        let token = CancellationToken()
        token.cancel()
        XCTAssertEqual(replacer(.delete, token: token).apply(kept: kept, duplicates: [same]), [.notReached])
        XCTAssertTrue(FileManager.default.fileExists(atPath: String(decoding: same, as: UTF8.self)))
    }

    func testComparisonStopsWhenCancelled() throws {
        let kept = try file("kept", String(repeating: "x", count: 300_000))
        let copy = try file("copy", String(repeating: "x", count: 300_000))
        let first = open(String(decoding: kept, as: UTF8.self), O_RDONLY), second = open(String(decoding: copy, as: UTF8.self), O_RDONLY)
        defer { close(first); close(second) }
        let token = CancellationToken()
        XCTAssertEqual(try DupesCommand.sameBytes(first, kept, second, copy, cancellation: token), true)
        token.cancel()
        XCTAssertNil(try DupesCommand.sameBytes(first, kept, second, copy, cancellation: token))
    }

    func testTemporaryNamesAreUnpredictable() {
        let names = Set((0..<1000).map { _ in DuplicateReplacer.temporaryName() })
        XCTAssertEqual(names.count, 1000)
        XCTAssertTrue(names.allSatisfy { $0.count == ".trawl-".count + 12 && $0.starts(with: Array(".trawl-".utf8)) })
    }

    func testRelativeTargetClimbsToTheKeptFile() throws {
        try FileManager.default.createDirectory(atPath: directory + "/x/y", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/z", withIntermediateDirectories: true)
        let target = DuplicateReplacer.relativeTarget(of: Array((directory + "/z/kept").utf8), from: Array((directory + "/x/y/dup").utf8))
        XCTAssertEqual(target.map { String(decoding: $0, as: UTF8.self) }, "../../z/kept")
        let beside = DuplicateReplacer.relativeTarget(of: Array((directory + "/x/kept").utf8), from: Array((directory + "/x/dup").utf8))
        XCTAssertEqual(beside.map { String(decoding: $0, as: UTF8.self) }, "kept")
    }
}
