#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Hostile input that once made trawl run for minutes or crash (issue 21): every case here
/// must finish at once with a result or a `trawl:` error, never hang, never die of a signal.
final class FaultLimitsTests: TrawlTestCase {
    /// `**/` x30 then `*a` x18 `*b` in a .gitignore ran 11 minutes at full CPU in a
    /// backtracking glob matcher (rg: 12 ms). The runner's timeout fails a hang.
    func testHostileGitignoreGlobDoesNotHangTheWalk() throws {
        let hostile = String(repeating: "**/", count: 30) + String(repeating: "*a", count: 18) + "*b"
        try write(".gitignore", hostile + "\n")
        let long = String(repeating: "a", count: 60)
        try write("x/y/\(long)", "")
        try write("x/y/\(long)b", "")
        try write("x/y/\(long)a", "")
        let result = try trawl(["files", "--hidden", "--no-require-git"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(result.lines), [".gitignore", "x/y/\(long)", "x/y/\(long)a"])
    }
}
