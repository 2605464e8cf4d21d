import Foundation
import XCTest
import Walk
@testable import TrawlCLI

/// Completion scripts load in their shells and complete subcommands, flags, values and paths.
final class CompletionTests: XCTestCase {
    /// Runs the bash completion function on `words` (the last being completed), in `directory`.
    func bashComplete(_ words: [String], in directory: String? = nil) throws -> [String] {
        guard let bash = BuiltProducts.which("bash") else { throw XCTSkip("bash is not installed") }
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Completions.bash().write(toFile: folder + "/trawl.bash", atomically: true, encoding: .utf8)
        let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
        let script = "source \(folder)/trawl.bash; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _trawl; printf '%s\\n' \"${COMPREPLY[@]}\""
        let run = try BuiltProducts.run(bash, ["--norc", "-c", script], currentDirectory: directory)
        XCTAssertEqual(run.stderr, "")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    func testBashCompletesAFlag() throws {
        XCTAssertEqual(try bashComplete(["trawl", "grep", "--hid"]), ["--hidden"])
    }

    func testBashCompletesSubcommands() throws {
        XCTAssertEqual(try bashComplete(["trawl", "ch"]), ["check"])
        XCTAssertEqual(try bashComplete(["trawl", "help", "du"]), ["dupes"])
    }

    func testBashCompletesOnlyTheCommandsOwnFlags() throws {
        XCTAssertEqual(try bashComplete(["trawl", "check", "--hid"]), [])
        XCTAssertEqual(try bashComplete(["trawl", "check", "--stat"]), ["--status"])
    }

    func testBashCompletesFileTypeNamesFromTheWalker() throws {
        XCTAssertTrue(FileTypes().definitions.keys.contains("swift"))
        XCTAssertEqual(try bashComplete(["trawl", "files", "-t", "swif"]), ["swift"])
        XCTAssertEqual(try bashComplete(["trawl", "grep", "--type-not", "swif"]), ["swift"])
    }

    func testBashCompletesAlgorithmsAndChoices() throws {
        XCTAssertEqual(try bashComplete(["trawl", "hash", "-a", "blak"]), ["blake3"])
        XCTAssertEqual(try bashComplete(["trawl", "grep", "--color", "="]).sorted(), ["always", "auto", "never"])
        XCTAssertEqual(try bashComplete(["trawl", "grep", "--color", "=", "ne"]), ["never"])
        XCTAssertEqual(try bashComplete(["trawl", "--generate", "complete-f"]), ["complete-fish"])
    }

    func testBashCompletesPathsForPositionalsAndPathFlags() throws {
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(atPath: folder + "/manifest.sha256", contents: Data())
        XCTAssertEqual(try bashComplete(["trawl", "check", "man"], in: folder), ["manifest.sha256"])
        XCTAssertEqual(try bashComplete(["trawl", "grep", "--files-from", "man"], in: folder), ["manifest.sha256"])
        XCTAssertEqual(try bashComplete(["trawl", "grep", "-m", "man"], in: folder), [])
    }

    func testEveryFlagOfEveryCommandIsInEachScript() {
        let bash = Completions.bash(), zsh = Completions.zsh(), fish = Completions.fish()
        for command in Commands.all {
            for flag in command.flags {
                XCTAssertTrue(bash.contains("--" + flag.long + " ") || bash.contains("--" + flag.long + "\""), flag.long)
                XCTAssertTrue(zsh.contains("--" + flag.long), flag.long)
                XCTAssertTrue(fish.contains("-l \(flag.long) "), flag.long)
            }
        }
    }

    func testZshScriptLoads() throws {
        guard let zsh = BuiltProducts.which("zsh") else { throw XCTSkip("zsh is not installed") }
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Completions.zsh().write(toFile: folder + "/_trawl", atomically: true, encoding: .utf8)
        let run = try BuiltProducts.run(zsh, ["-fc", "autoload -U compinit; compinit -u -d \(folder)/dump; source \(folder)/_trawl; print $_comps[trawl]"])
        XCTAssertEqual(run.stderr, "")
        XCTAssertEqual(run.stdout, "_trawl\n")
    }

    func testFishCompletesFlagsAndTypes() throws {
        guard let fish = BuiltProducts.which("fish") else { throw XCTSkip("fish is not installed") }
        let folder = try BuiltProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Completions.fish().write(toFile: folder + "/trawl.fish", atomically: true, encoding: .utf8)
        let run = try BuiltProducts.run(fish, ["--no-config", "-c", "source \(folder)/trawl.fish; complete -C 'trawl grep --hid'; complete -C 'trawl files -t swif'"],
                                        environment: ["HOME": folder])
        XCTAssertEqual(run.stderr, "")
        let words = run.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        XCTAssertEqual(words, ["--hidden", "swift"])
    }
}
