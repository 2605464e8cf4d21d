import XCTest
@testable import Walk

/// `CurrentDirectoryRelative`: the part of a walk path that `--ignore-file` and the global
/// excludes see, as rg's ignore crate strips it (`Gitignore::strip` rooted at the cwd).
final class CurrentDirectoryRelativeTests: XCTestCase {
    private let cwd = CurrentDirectoryRelative(directory: Array("/work/r/a".utf8))

    private func seen(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let start = bytes.withUnsafeBytes { cwd.start(of: $0) }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    func testAPathUnderTheCurrentDirectoryIsSeenFromIt() {
        XCTAssertEqual(seen("/work/r/a/b/c/haystack"), "b/c/haystack")
    }

    func testALeadingDotSlashIsDropped() {
        XCTAssertEqual(seen("./b/c"), "b/c")
        XCTAssertEqual(seen("./haystack"), "haystack")
    }

    func testARelativePathIsSeenAsWalked() {
        XCTAssertEqual(seen("sub/x"), "sub/x")
        XCTAssertEqual(seen("../../r/a/x"), "../../r/a/x")
    }

    func testAPathOutsideTheCurrentDirectoryIsSeenWhole() {
        XCTAssertEqual(seen("/work/r/haystack"), "/work/r/haystack")
    }

    /// rg compares bytes, not components: `/work/r/ab/x` loses `/work/r/a` too.
    func testTheCurrentDirectoryIsStrippedAsABytePrefix() {
        XCTAssertEqual(seen("/work/r/ab/x"), "b/x")
    }

    func testNothingButDotSlashIsStrippedWithoutACurrentDirectory() {
        let unknown = CurrentDirectoryRelative(directory: [])
        let bytes = Array("./x/y".utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { unknown.start(of: $0) }, 2)
    }
}
