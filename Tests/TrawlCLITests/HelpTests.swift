import XCTest
@testable import TrawlCLI

/// `--help` and `-h` come from the flag table: every flag, its default, grouped by topic.
final class HelpTests: XCTestCase {
    /// The help with line wraps undone, so a phrase split across lines still matches.
    func flattened(_ help: String) -> String {
        help.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    func testFullHelpListsEveryFlagWithItsDefault() {
        for command in Commands.all {
            let help = flattened(Help.command(command, full: true))
            for flag in command.flags {
                XCTAssertTrue(help.contains(flattened(flag.synopsis)), "\(command.name): \(flag.long)")
                if let value = flag.defaultValue {
                    XCTAssertTrue(help.contains("[default: \(value)]"), "\(command.name): \(flag.long)")
                }
            }
        }
    }

    func testFullHelpGroupsFlagsUnderTopicHeadings() {
        let help = Help.command(Commands.grep, full: true)
        let pattern = help.range(of: "PATTERN OPTIONS:")!.lowerBound
        let output = help.range(of: "OUTPUT OPTIONS:")!.lowerBound
        let ignoreCase = help.range(of: "--ignore-case")!.lowerBound
        let count = help.range(of: "--count")!.lowerBound
        XCTAssertTrue(pattern < ignoreCase && ignoreCase < output && output < count)
    }

    func testFullHelpShowsPossibleValuesOfChoices() {
        XCTAssertTrue(flattened(Help.command(Commands.grep, full: true)).contains("[possible values: auto, always, never]"))
    }

    func testShortHelpHasOneSummaryPerFlagWithinEightyColumns() {
        for command in Commands.all {
            let help = Help.command(command, full: false)
            for line in help.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(command.name): \(line)")
            }
            for flag in command.flags { XCTAssertTrue(help.contains(flag.synopsis), flag.long) }
            XCTAssertFalse(help.contains("[default:"), command.name)
        }
    }

    func testFullHelpWrapsWithinEightyColumns() {
        for command in Commands.all {
            for line in Help.command(command, full: true).split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(command.name): \(line)")
            }
        }
    }

    func testEveryUsageLineIsIndentedAlike() {
        let help = Help.command(Commands.grep, full: false)
        XCTAssertTrue(help.contains("\n    trawl grep [OPTIONS] PATTERN [PATH...]\n    trawl grep [OPTIONS] -e PATTERN..."))
    }

    func testFirstSentenceDoesNotStopAtEG() {
        XCTAssertEqual(Help.firstSentence("Define a type, e.g. 'web:*.html'. More."), "Define a type, e.g. 'web:*.html'")
        XCTAssertEqual(Help.firstSentence("Only this."), "Only this")
    }

    func testTopLevelHelpNamesCommandsGenerateAndConfigFile() {
        let help = Help.topLevel()
        for command in Commands.all { XCTAssertTrue(help.contains("    \(command.name) "), command.name) }
        XCTAssertTrue(help.contains("--generate KIND"))
        XCTAssertTrue(help.contains("TRAWL_CONFIG_PATH"))
        XCTAssertTrue(help.contains("only the flags it knows"))
    }
}
