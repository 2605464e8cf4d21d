import XCTest
@testable import TrawlCLI

/// The typed flag keys and the flag table agree: code reads flags by `Flag`, the table
/// declares them by `Flag`, so a key no table declares would read as never given.
final class FlagTableTests: XCTestCase {
    func testEveryFlagKeyIsDeclaredBySomeCommand() {
        let declared = Set(Commands.all.flatMap { $0.flags.map(\.flag) })
        for flag in Flag.allCases {
            XCTAssertTrue(declared.contains(flag), "--\(flag.rawValue) is a key no command's table declares")
        }
    }

    func testNoCommandDeclaresAFlagOrShortLetterTwice() {
        for command in Commands.all {
            let longs = command.flags.map(\.long)
            XCTAssertEqual(Set(longs).count, longs.count, "\(command.name) declares a long flag twice")
            let shorts = command.flags.compactMap(\.short)
            XCTAssertEqual(Set(shorts).count, shorts.count, "\(command.name) declares a short flag twice")
        }
    }

    func testParsedArgumentsAcceptExactlyTheirCommandsFlags() throws {
        let parsed = try ArgumentParser.parse(["-i", "x"], for: Commands.grep)
        XCTAssertTrue(parsed.accepts(.ignoreCase))
        XCTAssertTrue(parsed.has(.ignoreCase))
        XCTAssertFalse(parsed.accepts(.includeGit), "--include-git is hash's alone")
        XCTAssertTrue(try ArgumentParser.parse([], for: Commands.hash).accepts(.includeGit))
    }

    func testShortAndLongSpellingsReadAsTheSameKey() throws {
        let parsed = try ArgumentParser.parse(["-C2", "--context=3", "-e", "a", "--regexp", "b"], for: Commands.grep)
        XCTAssertEqual(parsed.values(.context), ["2", "3"])
        XCTAssertEqual(try parsed.number(.context), 3)
        XCTAssertEqual(parsed.values(.regexp), ["a", "b"])
        XCTAssertEqual(parsed.lastOf(.context, .passthru), .context)
    }
}
