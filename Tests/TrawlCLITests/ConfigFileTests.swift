import Foundation
import XCTest
@testable import TrawlCLI

/// TRAWL_CONFIG_PATH: default arguments, one per line, each command taking the flags it knows.
final class ConfigFileTests: XCTestCase {
    func arguments(_ contents: String, for command: CommandSpec) throws -> [String] {
        try ConfigFile(path: "/home/me/.trawlrc", contents: contents).arguments(for: command)
    }

    func problem(_ contents: String, for command: CommandSpec = Commands.grep) -> String? {
        do {
            _ = try arguments(contents, for: command)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testCommentsAndBlankLinesAreIgnored() throws {
        XCTAssertEqual(try arguments("# defaults\n\n  --smart-case  \n\t\n#--hidden\n", for: Commands.grep), ["--smart-case"])
    }

    func testFlagsOnlyOtherCommandsKnowAreSkipped() throws {
        let config = "--hidden\n--smart-case\n--threads=4\n--algo=blake3\n"
        XCTAssertEqual(try arguments(config, for: Commands.grep), ["--hidden", "--smart-case", "--threads=4"])
        XCTAssertEqual(try arguments(config, for: Commands.check), ["--threads=4", "--algo=blake3"])
        XCTAssertEqual(try arguments(config, for: Commands.files), ["--hidden", "--threads=4"])
    }

    func testValueMayFollowOnTheNextLine() throws {
        XCTAssertEqual(try arguments("--glob\n!*.min.js\n--color\nnever\n", for: Commands.grep),
                       ["--glob=!*.min.js", "--color=never"])
        // Skipped flags take their value line with them.
        XCTAssertEqual(try arguments("--color\nnever\n--hidden\n", for: Commands.hash), ["--hidden"])
    }

    func testShortFlagsAreReadWithTheCommandsOwnTable() throws {
        // -a is --text for grep but --algo (with a value) for hash; -i only grep knows.
        XCTAssertEqual(try arguments("-i\n-j4\n", for: Commands.grep), ["-i", "-j", "4"])
        XCTAssertEqual(try arguments("-i\n-j4\n", for: Commands.hash), ["-j", "4"])
        XCTAssertEqual(try arguments("-uu\n", for: Commands.files), ["-u", "-u"])
        XCTAssertEqual(try arguments("-ablake3\n", for: Commands.hash), ["-a", "blake3"])
        XCTAssertEqual(try arguments("-ablake3\n-i\n", for: Commands.grep), ["-i"])
        XCTAssertEqual(try arguments("-a\nsha1\n-i\n", for: Commands.check), ["-a", "sha1"])
    }

    /// The warnings an unknown flag gives, and the arguments kept.
    func skipped(_ contents: String, for command: CommandSpec = Commands.grep) throws -> (arguments: [String], warnings: [String]) {
        var skipped: [ConfigError] = []
        let kept = try ConfigFile(path: "/home/me/.trawlrc", contents: contents).arguments(for: command, skipped: &skipped)
        return (kept, skipped.map(\.description))
    }

    func testUnknownFlagIsSkippedWithAWarningNamingFileAndLine() throws {
        let typo = try skipped("# mine\n--smart-case\n--hiddn\n")
        XCTAssertEqual(typo.arguments, ["--smart-case"])
        XCTAssertEqual(typo.warnings, ["config file /home/me/.trawlrc, line 3: unknown flag --hiddn (did you mean --hidden?)"])
        XCTAssertEqual(try skipped("-K\n-i\n").warnings, ["config file /home/me/.trawlrc, line 1: unknown flag -K"])
        XCTAssertEqual(try skipped("-K\n-i\n").arguments, ["-i"])
    }

    func testUnknownFlagTakesItsValueLineWithIt() throws {
        let result = try skipped("--hyperlink-format\nnone\n--smart-case\n--engine=default\n")
        XCTAssertEqual(result.arguments, ["--smart-case", "--engine=default"])
        XCTAssertEqual(result.warnings.count, 1)
    }

    func testMissingValueAtTheEndIsAnError() {
        XCTAssertEqual(problem("--smart-case\n--max-count\n"),
                       "config file /home/me/.trawlrc, line 2: flag --max-count needs a value (on the same line after '=', or on the next line)")
    }

    func testValueOnAFlagWithoutOneIsAnError() {
        XCTAssertEqual(problem("--hidden=yes\n"), "config file /home/me/.trawlrc, line 1: flag --hidden takes no value")
    }

    func testNumbersAreCheckedWithTheirLine() {
        XCTAssertEqual(problem("--threads\nmany\n"),
                       "config file /home/me/.trawlrc, line 2: invalid value 'many' for --threads: expected a whole number")
    }

    func testLineThatIsNotAFlagIsAnError() {
        XCTAssertEqual(problem("TODO\n"),
                       "config file /home/me/.trawlrc, line 1: 'TODO' is not a flag (a config file holds flags only, one per line)")
    }

    func testUnreadableFileIsAnError() {
        XCTAssertThrowsError(try ConfigFile.load(path: "/nonexistent/trawlrc")) { error in
            XCTAssertTrue("\(error)".hasPrefix("config file /nonexistent/trawlrc (TRAWL_CONFIG_PATH): cannot read it"))
        }
    }

    // MARK: End to end, through the built binary

    /// A tree with a visible and a hidden file, and a config file beside it.
    func makeTree(config: String) throws -> (folder: String, config: String) {
        let folder = try BuiltProducts.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder + "/tree", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/tree/seen.txt", contents: Data("x\n".utf8))
        _ = FileManager.default.createFile(atPath: folder + "/tree/.hidden.txt", contents: Data("x\n".utf8))
        try config.write(toFile: folder + "/trawlrc", atomically: true, encoding: .utf8)
        return (folder, folder + "/trawlrc")
    }

    func testConfigFlagsApplyBeforeTheCommandLine() throws {
        let tree = try makeTree(config: "# show dotfiles\n--hidden\n--sort=path\n--status\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files"], environment: ["TRAWL_CONFIG_PATH": tree.config],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.stderr, "")
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, ".hidden.txt\nseen.txt\n")
    }

    func testNoConfigIgnoresTheFile() throws {
        let tree = try makeTree(config: "--hidden\n--bogus\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files", "--no-config"], environment: ["TRAWL_CONFIG_PATH": tree.config],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.stdout, "seen.txt\n")
        XCTAssertEqual(run.status, 0)
    }

    func testUnknownConfigFlagIsAWarningAndTheRunGoesOn() throws {
        let tree = try makeTree(config: "--hidden\n\n--sort=path\n--no-ignroe\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files"], environment: ["TRAWL_CONFIG_PATH": tree.config],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, ".hidden.txt\nseen.txt\n")
        XCTAssertEqual(run.stderr, "trawl: config file \(tree.config), line 4: unknown flag --no-ignroe (did you mean --no-ignore?) (skipped)\n")
    }

    func testBadValueInConfigExitsTwoNamingPathAndLine() throws {
        let tree = try makeTree(config: "--hidden\n--threads\nmany\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files"], environment: ["TRAWL_CONFIG_PATH": tree.config],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, "trawl: config file \(tree.config), line 3: invalid value 'many' for --threads: expected a whole number\n")
    }

    func testRipgrepConfigPathIsReadWhenTrawlsIsNotSet() throws {
        let tree = try makeTree(config: "--hidden\n--sort=path\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files"], environment: ["RIPGREP_CONFIG_PATH": tree.config],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.stdout, ".hidden.txt\nseen.txt\n", run.stderr)
        // TRAWL_CONFIG_PATH wins when both are set.
        try "--sort=path\n".write(toFile: tree.folder + "/plain", atomically: true, encoding: .utf8)
        let both = try BuiltProducts.run("trawl", ["files"],
                                         environment: ["RIPGREP_CONFIG_PATH": tree.config, "TRAWL_CONFIG_PATH": tree.folder + "/plain"],
                                         currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(both.stdout, "seen.txt\n", both.stderr)
    }

    func testMissingConfigFileIsAWarning() throws {
        let tree = try makeTree(config: "")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files"], environment: ["RIPGREP_CONFIG_PATH": tree.folder + "/nope"],
                                        currentDirectory: tree.folder + "/tree")
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, "seen.txt\n")
        XCTAssertTrue(run.stderr.hasPrefix("trawl: config file \(tree.folder)/nope (RIPGREP_CONFIG_PATH): cannot read it"), run.stderr)
    }

    func testHelpStillWorksWithABrokenConfig() throws {
        let tree = try makeTree(config: "--bogus\n")
        defer { try? FileManager.default.removeItem(atPath: tree.folder) }
        let run = try BuiltProducts.run("trawl", ["files", "--help"], environment: ["TRAWL_CONFIG_PATH": tree.config])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("trawl files:"))
    }
}
