import Digest
import Manifest
import XCTest

/// `ManifestAudit`: which files of a tree are unchanged, changed, moved, new or missing
/// against a manifest, without a tree on disk.
final class ManifestAuditTests: XCTestCase {
    private typealias File = (path: [UInt8], size: Int, digests: [[UInt8]])

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A file of `contents` as the audit sees it: its SHA-256 and BLAKE3.
    private func file(_ path: String, _ contents: String) -> File {
        (bytes(path), contents.utf8.count, [SHA256.hash(bytes(contents)), BLAKE3.hash(bytes(contents))])
    }

    /// A manifest line of `contents` under `path` in `algorithm`, the algorithm left to its length.
    private func line(_ path: String, _ contents: String, _ algorithm: Algorithm = .sha256, size: Int? = nil) -> ManifestLine {
        var hasher = algorithm.makeHasher()
        hasher.update(contentsOf: bytes(contents))
        return ManifestLine(algorithm: nil, digest: algorithm.format(hasher.finalize()), path: bytes(path), size: size)
    }

    private func audit(_ lines: [ManifestLine], _ files: [File], forced: Bool = false) -> ManifestAudit {
        ManifestAudit(expected: Dictionary(uniqueKeysWithValues: lines.map { ($0.path, $0) }), files: files,
                      algorithms: [.sha256, .blake3], forced: forced, pathPrecedes: { $0.lexicographicallyPrecedes($1) })
    }

    func testEachKindOfChangeIsFoundInReportOrder() {
        let result = audit([line("same", "s"), line("changed", "old"), line("orig", "mv"), line("gone", "bye")],
                           [file("changed", "new"), file("moved", "mv"), file("new", "fresh"), file("same", "s")])
        XCTAssertEqual(result.findings, [.changed(bytes("changed")), .moved(from: bytes("orig"), to: bytes("moved")),
                                         .new(bytes("new")), .missing(bytes("gone"))])
        XCTAssertEqual(result.unchanged, 1)
        XCTAssertTrue(result.counts == (1, 1, 1, 1, 1))
    }

    func testALineMatchesInAnyOfItsCandidates() {
        // 64 hex digits: sha256 or blake3; b3sum's line is unchanged, not changed.
        let result = audit([line("a", "x", .blake3)], [file("a", "x")])
        XCTAssertEqual(result.findings, [])
        XCTAssertEqual(result.unchanged, 1)
    }

    func testARecordedSizeThatDiffersIsAChange() {
        let result = audit([line("a", "x", size: 5)], [file("a", "x")])
        XCTAssertEqual(result.findings, [.changed(bytes("a"))])
    }

    func testOfTwoVanishedCopiesTheFirstInPathOrderIsTheOneMoved() {
        let result = audit([line("b", "same"), line("a", "same")], [file("c", "same")])
        XCTAssertEqual(result.findings, [.moved(from: bytes("a"), to: bytes("c")), .missing(bytes("b"))])
    }

    func testAnEmptyTreeHasEveryLineMissingInPathOrder() {
        let result = audit([line("z", "1"), line("a", "2"), line("m", "3")], [])
        XCTAssertEqual(result.findings, [.missing(bytes("a")), .missing(bytes("m")), .missing(bytes("z"))])
        XCTAssertEqual(result.unchanged, 0)
    }
}
