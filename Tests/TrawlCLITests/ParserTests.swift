import XCTest
import WorkerPool
@testable import TrawlCLI

/// The command line as the real binary reads it: GNU-style flags, messages, exit 2.
final class ParserTests: TrawlTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try write("a.txt", "alpha\nbeta\nGamma foo\nfoo bar\nfoobar\ndelta\n")
        try write("n.txt", (1...20).map { "line \($0)\n" }.joined())
    }

    func testCombinedShortFlags() throws {
        let result = try trawl(["grep", "-inw", "FOO", "a.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "3:Gamma foo\n4:foo bar\n")
    }

    func testAttachedShortValues() throws {
        let result = try trawl(["grep", "-j4", "-A1", "-n", "line 3$", "n.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "3:line 3\n4-line 4\n")
    }

    func testShortValueAsNextArgument() throws {
        XCTAssertEqual(try trawl(["grep", "-A", "1", "line 3$", "n.txt"]).out, "line 3\nline 4\n")
    }

    func testLongFlagWithEqualsValue() throws {
        XCTAssertEqual(try trawl(["grep", "--after-context=1", "line 3$", "n.txt"]).out, "line 3\nline 4\n")
    }

    func testLongFlagWithSeparateValue() throws {
        XCTAssertEqual(try trawl(["grep", "--max-count", "1", "foo", "a.txt"]).out, "Gamma foo\n")
    }

    func testFlagsAfterPositionalsStillApply() throws {
        XCTAssertEqual(try trawl(["grep", "foo", "a.txt", "-c"]).out, "3\n")
    }

    func testDoubleDashEndsFlags() throws {
        try write("-c", "foo\n")
        let result = try trawl(["grep", "-H", "foo", "--", "-c"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "-c:foo\n")
    }

    func testUnknownLongFlagSuggestsNearestAndPrintsUsage() throws {
        let result = try trawl(["files", "--hiden"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, [])
        XCTAssertEqual(result.err, """
            trawl: unknown flag --hiden (did you mean --hidden?)

            Usage: trawl files [OPTIONS] [PATH...]
            Run 'trawl files --help' for more.

            """)
    }

    func testUnknownShortFlagExitsTwo() throws {
        let result = try trawl(["grep", "-Z", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: unknown flag -Z\n"), result.err)
        XCTAssertTrue(result.err.contains("Usage: trawl grep"), result.err)
    }

    func testMissingValueForShortFlagExitsTwo() throws {
        let result = try trawl(["grep", "x", "-A"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: flag -A needs a value"), result.err)
    }

    func testMissingValueForLongFlagExitsTwo() throws {
        let result = try trawl(["files", "--sort"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: flag --sort needs a value"), result.err)
    }

    func testValueForSwitchIsAnError() throws {
        let result = try trawl(["grep", "--json=3", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: flag --json takes no value"), result.err)
    }

    func testNonNumericValueIsAnError() throws {
        let result = try trawl(["files", "-d", "x"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: invalid value 'x' for --max-depth"), result.err)
    }

    func testInvalidSortChoiceIsAnError() throws {
        let result = try trawl(["files", "--sort", "size"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: invalid value 'size' for --sort"), result.err)
    }

    func testUnknownCommandSuggestsNearest() throws {
        let result = try trawl(["grpe", "foo"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: unknown command 'grpe' (did you mean 'grep'?)"), result.err)
    }

    func testNoCommandPrintsUsageAndExitsTwo() throws {
        let result = try trawl([])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl: missing command"), result.err)
    }

    func testVersionFlagPrintsVersion() throws {
        let result = try trawl(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.hasPrefix("trawl "), result.out)
    }

    func testCommandHelpExitsZeroOnStdout() throws {
        let result = try trawl(["grep", "--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("--ignore-case"), result.out)
        XCTAssertEqual(result.stderr, [])
    }

    func testReadAheadTakesZeroToThirtyTwoFilesAndNamesTheFlagOtherwise() throws {
        for value in ["0", "1", "32"] {
            let result = try trawl(["grep", "--read-ahead", value, "-c", "foo", "a.txt"])
            XCTAssertEqual(result.status, 0, "\(value): \(result.err)")
            XCTAssertEqual(result.out, "3\n", value)
        }
        XCTAssertEqual(try trawl(["hash", "-a", "xxh3", "--read-ahead=4", "a.txt"]).status, 0)
        for value in ["33", "-1", "many"] {
            let result = try trawl(["grep", "--read-ahead", value, "foo", "a.txt"])
            XCTAssertEqual(result.status, 2, value)
            XCTAssertTrue(result.err.hasPrefix("trawl: invalid value '\(value)' for --read-ahead"), result.err)
        }
        // It reads files: `files` has no use for it.
        XCTAssertTrue(try trawl(["files", "--read-ahead", "4"]).err.hasPrefix("trawl: unknown flag --read-ahead"))
    }

    /// `-j 1` reads one file at a time, as `rg -j 1` does, unless read-ahead is asked for.
    func testOneThreadReadsNoFilesAheadUnlessAsked() throws {
        func readAhead(_ arguments: [String]) throws -> Int {
            try WalkFlags(ArgumentParser.parse(arguments + ["x"], for: Commands.grep), sortDefault: .completion).readAhead
        }
        XCTAssertEqual(try readAhead([]), 32)
        XCTAssertEqual(try readAhead(["-j", "2"]), 32)
        XCTAssertEqual(try readAhead(["-j", "1"]), 0)
        XCTAssertEqual(try readAhead(["-j", "1", "--read-ahead", "8"]), 8)
        XCTAssertEqual(try readAhead(["--read-ahead", "0"]), 0)
    }

    func testDirectoryReadingUsesMoreThreadsThanCoresButNoMoreThanAskedFor() throws {
        func directoryThreads(_ arguments: [String]) throws -> Int {
            try WalkFlags(ArgumentParser.parse(arguments + ["x"], for: Commands.grep), sortDefault: .completion).options.threads
        }
        XCTAssertEqual(try directoryThreads(["-j", "1"]), 1)
        XCTAssertEqual(try directoryThreads(["-j", "5"]), 5)
        let cores = ThreadPoolExecutor.activeProcessorCount
        XCTAssertEqual(try directoryThreads([]), min(Commands.defaultThreads, max(16, cores)))
        XCTAssertEqual(try directoryThreads(["-j", "64"]), min(64, max(16, cores)))
    }
}
