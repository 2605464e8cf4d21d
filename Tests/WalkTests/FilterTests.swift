import XCTest
@testable import Walk

/// `-g`/`--iglob` globs and `-t`/`-T` types over a walk.
final class FilterTests: XCTestCase {
    private func tree() -> TestTree {
        let tree = TestTree()
        for path in ["a.c", "a.h", "b.rs", "README.md", "src/x.c", "src/y.rs", "src/deep/z.c", ".hidden.c"] { tree.file(path) }
        return tree
    }

    private func walkPaths(_ tree: TestTree, _ configure: (inout WalkOptions) throws -> Void) throws -> Set<String> {
        var options = WalkOptions()
        try configure(&options)
        return try inDirectory(tree.root) { try walk([], options) }.paths
    }

    func testGlobKeepsOnlyMatchingFiles() throws {
        XCTAssertEqual(try walkPaths(tree()) { $0.globs = [OverrideGlob("*.c")] },
                       ["a.c", "src/x.c", "src/deep/z.c", ".hidden.c"])
    }

    func testNegatedGlobExcludes() throws {
        XCTAssertEqual(try walkPaths(tree()) { $0.globs = [OverrideGlob("!*.c"), OverrideGlob("!src/")] },
                       ["a.h", "b.rs", "README.md"])
    }

    func testGlobWithSlashMatchesPathRelativeToRoot() throws {
        let tree = tree()
        var options = WalkOptions()
        options.globs = [OverrideGlob("deep/*.c")]
        XCTAssertEqual(try inDirectory(tree.root) { try walk(["src"], options) }.paths, ["src/deep/z.c"])
    }

    func testIglobIgnoresCase() throws {
        XCTAssertEqual(try walkPaths(tree()) { $0.globs = [OverrideGlob("readme.*", caseInsensitive: true)] }, ["README.md"])
        XCTAssertEqual(try walkPaths(tree()) { $0.globs = [OverrideGlob("readme.*")] }, [])
    }

    func testSelectedTypeKeepsOnlyItsFiles() throws {
        XCTAssertEqual(try walkPaths(tree()) { $0.selectTypes = ["rust"] }, ["b.rs", "src/y.rs"])
    }

    func testNegatedTypeExcludesItsFiles() throws {
        XCTAssertEqual(try walkPaths(tree()) { $0.negateTypes = ["c"] }, ["b.rs", "README.md", "src/y.rs"])
    }

    func testTypeAddDefinesNewType() throws {
        XCTAssertEqual(try walkPaths(tree()) {
            try $0.fileTypes.add("readme:README*")
            $0.selectTypes = ["readme"]
        }, ["README.md"])
    }

    func testUnknownTypeIsAnError() {
        var options = WalkOptions()
        options.selectTypes = ["nosuchtype"]
        XCTAssertThrowsError(try Walker(options: options)) { error in
            XCTAssertEqual((error as? WalkError)?.description, "unrecognized file type: nosuchtype")
        }
    }

    func testTypeListIsSortedNameColonGlobs() throws {
        var types = FileTypes()
        try types.add("zzz:*.b")
        try types.add("zzz:*.a")
        let listing = types.listing()
        XCTAssertEqual(listing, listing.sorted())
        XCTAssertEqual(listing.last, "zzz: *.a, *.b")
        XCTAssertTrue(listing.contains("rust: *.rs"))
        XCTAssertGreaterThanOrEqual(listing.count, 40)
    }

    func testTypeAddIncludeCopiesGlobs() throws {
        var types = FileTypes()
        try types.add("mine:include:rust,go")
        XCTAssertEqual(types.definitions["mine"], ["*.rs", "*.go"])
        XCTAssertThrowsError(try types.add("nocolon"))
    }

    func testPathOrderSortsComponentWise() {
        let paths = ["a-b", "a/b", "a", "B", "a/a"].map { Array($0.utf8) }
        XCTAssertEqual(paths.sorted(by: pathPrecedes).map { String(decoding: $0, as: UTF8.self) },
                       ["B", "a", "a/a", "a/b", "a-b"])
    }
}
