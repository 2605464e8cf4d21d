import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Walk

/// The walk options `trawl find` relies on: every kind of entry, pruning, the tool's own
/// ignore file name and explicit ignore files. Off by default, the walk lists as ripgrep.
final class FindKindsTests: XCTestCase {
    private func entries(_ root: String, _ configure: (inout WalkOptions) -> Void) throws -> [String: FileKind] {
        var options = WalkOptions()
        options.environment = [:]
        configure(&options)
        let found = Mutex<[String: FileKind]>([:])
        try Walker(options: options).walk([root], onEntry: { entry in
            let relative = String(entry.pathString.dropFirst(root.count + 1))
            found.withLock { $0[relative] = entry.kind }
        }, onError: { _ in })
        return found.withLock { $0 }
    }

    private func makeTree() -> TestTree {
        let tree = TestTree()
        tree.file("dir/a.c")
        tree.directory("empty")
        tree.symlink("link", to: tree.root + "/dir")
        tree.symlink("broken", to: tree.root + "/missing")
        XCTAssertEqual(mkfifo(tree.root + "/fifo", 0o644), 0)
        return tree
    }

    func testDefaultWalkListsOnlyRegularFiles() throws {
        let tree = makeTree()
        XCTAssertEqual(try entries(tree.root) { _ in }, ["dir/a.c": .regular])
    }

    func testEveryKindListsDirectoriesSymlinksAndFifos() throws {
        let tree = makeTree()
        XCTAssertEqual(try entries(tree.root) { $0.yieldEveryKind = true },
                       ["dir": .directory, "dir/a.c": .regular, "empty": .directory, "link": .symlink, "broken": .symlink, "fifo": .fifo])
    }

    func testEveryKindWithFollowListsTargetsAndBrokenLinksAsSymlinks() throws {
        let tree = makeTree()
        XCTAssertEqual(try entries(tree.root) { $0.yieldEveryKind = true; $0.followSymlinks = true },
                       ["dir": .directory, "dir/a.c": .regular, "empty": .directory, "link": .directory, "link/a.c": .regular,
                        "broken": .symlink, "fifo": .fifo])
    }

    func testDirectoriesAtMaxDepthAreListedNotRead() throws {
        let tree = makeTree()
        let found = try entries(tree.root) { $0.yieldEveryKind = true; $0.maxDepth = 1 }
        XCTAssertEqual(found["dir"], .directory)
        XCTAssertNil(found["dir/a.c"])
    }

    func testDescendIntoFalsePrunes() throws {
        let tree = makeTree()
        let found = try entries(tree.root) { options in
            options.yieldEveryKind = true
            options.descendInto = { !$0.pathString.hasSuffix("/dir") }
        }
        XCTAssertEqual(found["dir"], .directory)
        XCTAssertNil(found["dir/a.c"])
    }

    func testCustomIgnoreNameReplacesRgignore() throws {
        let tree = TestTree()
        tree.file(".fdignore", "by-fd\n")
        tree.file(".rgignore", "by-rg\n")
        tree.file("by-fd")
        tree.file("by-rg")
        XCTAssertEqual(Set(try entries(tree.root) { _ in }.keys), ["by-fd"])
        XCTAssertEqual(Set(try entries(tree.root) { $0.customIgnoreName = ".fdignore" }.keys), ["by-rg"])
    }

    func testExplicitIgnoresApplyEverywhereEvenWithNoIgnore() throws {
        let tree = TestTree()
        tree.file("keep.c")
        tree.file("deep/er/skip.o")
        tree.file("skip.o")
        XCTAssertEqual(Set(try entries(tree.root) { $0.explicitIgnores = [Array("*.o\n".utf8)] }.keys), ["keep.c"])
        XCTAssertEqual(Set(try entries(tree.root) { $0.explicitIgnores = [Array("*.o\n".utf8)]; $0.noIgnore = true }.keys), ["keep.c"])
    }
}
