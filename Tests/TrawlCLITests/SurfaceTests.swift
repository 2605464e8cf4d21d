import Foundation
import XCTest
@testable import TrawlCLI

/// Runs executables that `swift build` put beside the test bundle (.build/<config>/).
enum BuiltProducts {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The build folder: the directory of the running test bundle.
    static var directory: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe)
        // On Linux the bundle is the executable itself: .build/debug/trawlPackageTests.xctest.
        while url.pathExtension != "xctest", url.path != "/" { url.deleteLastPathComponent() }
        return url.path == "/" ? URL(fileURLWithPath: exe).deletingLastPathComponent() : url.deletingLastPathComponent()
    }

    static func path(of product: String) -> String { directory.appendingPathComponent(product).path }

    /// Runs `program` (a product name, or an absolute path) and collects its output.
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: String? = nil, stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : path(of: program))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["TRAWL_CONFIG_PATH"] = nil
        for (key, value) in environment ?? [:] { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        // Output goes to files, not pipes: no reader threads, and a chatty child never blocks.
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                   stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
    }

    /// Whether a program is on PATH (tests of man, zsh, fish skip without it).
    static func which(_ program: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "trawl-surface-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The command line as users meet it: errors, suggestions, help routing, version.
final class SurfaceTests: XCTestCase {
    func trawl(_ arguments: String...) throws -> BuiltProducts.Run {
        try BuiltProducts.run("trawl", arguments)
    }

    func testEveryErrorMessageStartsWithTrawl() throws {
        let cases: [[String]] = [[], ["gerp"], ["--hepl"], ["grep", "--hiden", "x"], ["grep", "-e"],
                                 ["files", "-K"], ["--generate", "mann"], ["--generate"], ["help", "nosuch"],
                                 ["files", "--hidden=yes"]]
        for arguments in cases {
            let run = try BuiltProducts.run("trawl", arguments)
            XCTAssertEqual(run.status, 2, "\(arguments)")
            XCTAssertTrue(run.stderr.hasPrefix("trawl: "), "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stdout, "", "\(arguments)")
        }
    }

    func testUnknownFlagSuggestsNearest() throws {
        let run = try trawl("grep", "--hiden", "x")
        XCTAssertTrue(run.stderr.contains("unknown flag --hiden (did you mean --hidden?)"), run.stderr)
    }

    func testMistypedCommandSuggestsNearest() throws {
        XCTAssertTrue(try trawl("gerp", "x").stderr.contains("did you mean 'grep'?"))
    }

    func testMistypedGenerateKindSuggestsNearest() throws {
        XCTAssertTrue(try trawl("--generate", "complete-bsh").stderr.contains("did you mean 'complete-bash'?"))
    }

    func testLongFlagWithOneDashSuggestsTwo() throws {
        let run = try trawl("files", "-follw")
        XCTAssertTrue(run.stderr.contains("unknown flag -f (did you mean --follow?)"), run.stderr)
    }

    func testFlagOfAnotherCommandSaysWhichCommandHasIt() throws {
        XCTAssertTrue(try trawl("files", "-i").stderr.hasPrefix("trawl: unknown flag -i (a flag of trawl grep, trawl find)\n"))
        XCTAssertTrue(try trawl("check", "--stats", "m").stderr.hasPrefix("trawl: unknown flag --stats (did you mean --status?)"))
    }

    func testMissingCommandPrintsShortUsage() throws {
        let run = try trawl()
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 3, run.stderr)
    }

    func testHelpSubcommandPrintsTheCommandsFullHelp() throws {
        let viaHelp = try trawl("help", "grep")
        let viaFlag = try trawl("grep", "--help")
        XCTAssertEqual(viaHelp.status, 0)
        XCTAssertEqual(viaHelp.stdout, viaFlag.stdout)
        XCTAssertTrue(viaHelp.stdout.contains("[default: auto]"))
    }

    func testShortHelpFlagPrintsShortHelp() throws {
        let short = try trawl("grep", "-h")
        XCTAssertEqual(short.status, 0)
        XCTAssertEqual(short.stdout, Help.command(Commands.grep, full: false))
    }

    func testTopLevelHelpAndVersion() throws {
        XCTAssertEqual(try trawl("--help").stdout, Help.topLevel())
        XCTAssertEqual(try trawl("--version").stdout, "trawl \(Commands.version)\n")
        XCTAssertEqual(try trawl("hash", "--version").stdout, "trawl \(Commands.version)\n")
    }

    func testGenerateWritesEachDocument() throws {
        for kind in Generator.kinds {
            let run = try BuiltProducts.run("trawl", ["--generate", kind])
            XCTAssertEqual(run.status, 0, kind)
            XCTAssertEqual(run.stdout, Generator.document(kind), kind)
        }
        XCTAssertEqual(try trawl("--generate=man").stdout, ManPage.render())
    }
}
