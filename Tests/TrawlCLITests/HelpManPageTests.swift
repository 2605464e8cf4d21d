import Foundation
import XCTest
@testable import TrawlCLI

/// `trawl --generate man`: trawl.1 from the same table, rendered cleanly by man.
final class HelpManPageTests: XCTestCase {
    func testManPageNamesEveryCommandAndFlag() {
        let page = ManPage.render()
        for command in Commands.all {
            XCTAssertTrue(page.contains(".SS \"trawl \(command.name)\""), command.name)
            for flag in command.flags {
                XCTAssertTrue(page.contains(ManPage.flagTerm(flag)), "\(command.name) --\(flag.long)")
            }
        }
    }

    func testManPageEscapesBackslashesAndDashes() {
        XCTAssertEqual(ManPage.escape(#"a-b \r"#), #"a\-b \er"#)
        XCTAssertEqual(ManPage.text(".hidden files"), #"\&.hidden files"#)
        XCTAssertFalse(ManPage.render().split(separator: "\n").contains { $0.hasPrefix("'") })
    }

    func testManRendersThePageWithoutWarnings() throws {
        guard let man = BuiltProducts.which("man") else { throw XCTSkip("man is not installed") }
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/trawl.1"
        try ManPage.render().write(toFile: path, atomically: true, encoding: .utf8)
        let run = try BuiltProducts.run(man, ["--warnings", "-l", path], environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stderr, "")
        XCTAssertTrue(run.stdout.contains("TRAWL(1)"))
        XCTAssertTrue(run.stdout.contains("--files-without-match"))
        if let groff = BuiltProducts.which("groff") {
            let strict = try BuiltProducts.run(groff, ["-man", "-ww", "-z", path])
            XCTAssertEqual(strict.stderr, "")
        }
    }
}
