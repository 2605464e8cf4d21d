#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// What one run of a child process produced.
struct RunResult {
    let status: Int32
    let stdout: [UInt8]
    let stderr: [UInt8]

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }
    /// stdout split at newlines, without the final empty piece.
    var lines: [String] {
        var parts = out.components(separatedBy: "\n")
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

/// Runs the real `trawl` binary (and, for fixtures and oracles, other tools) to its end as
/// a `ChildProcess` with an explicit environment and a timeout that kills a hung child so
/// CI fails instead of hanging.
enum BinaryRunner {
    /// Seconds before a child is killed; generous because the machine is shared and slow.
    static let timeout: Double = 120

    /// The `trawl` executable built beside the test bundle (`.build/<config>/trawl`), or
    /// the one named by TRAWL_BINARY.
    static func trawlPath() throws -> String {
        if let override = ProcessInfo.processInfo.environment["TRAWL_BINARY"] { return override }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            let path = directory.appendingPathComponent("trawl").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: path) {
                return path
            }
        }
        let looked = candidates.map(\.path).joined(separator: ", ")
        throw BinaryRunnerError("the trawl executable was not found beside the test bundle (looked in \(looked)); build it with `swift build --build-tests` or set TRAWL_BINARY")
    }

    /// An environment with nothing of the developer's: HOME and XDG_CONFIG_HOME point into
    /// `home` so no global git config or excludes file applies; NO_COLOR is left out.
    static func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": home + "/.config",
            "LANG": "C.UTF-8",
            "GIT_CONFIG_NOSYSTEM": "1",
        ]
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// The full path of a tool on PATH, or nil.
    static func which(_ tool: String) -> String? {
        for directory in ["/usr/local/bin", "/usr/bin", "/bin"] {
            let path = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable` to its end in `directory` with exactly `environment`, stdout and
    /// stderr collected; a child still running after `timeout` seconds is killed and the
    /// test fails with the command line.
    static func run(executable: String, arguments: [String], directory: String, environment: [String: String],
                    stdin input: ChildInput = .null) throws -> RunResult {
        let child = try ChildProcess(executable: executable, arguments: arguments, directory: directory,
                                     environment: environment, stdin: input)
        try child.runToEnd(timeout: .seconds(timeout))
        return RunResult(status: child.exitStatus!, stdout: child.stdout, stderr: child.stderr)
    }
}

struct BinaryRunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A test case with a fresh temporary directory (`root`) per test and helpers to build a
/// tree in it and to run `trawl` inside it.
class TrawlTestCase: XCTestCase {
    /// The tree the test builds; the child's working directory.
    private(set) var root = ""
    /// HOME and XDG_CONFIG_HOME of the child: empty, so no developer config applies.
    private(set) var home = ""
    private var base = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        var template = Array((NSTemporaryDirectory() + "/trawl-cli-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw BinaryRunnerError("mkdtemp failed") }
        base = String(cString: made)
        root = base + "/tree"
        home = base + "/home"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.config", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if !base.isEmpty {
            // Make everything removable again (tests may chmod 000).
            _ = try? BinaryRunner.run(executable: "/bin/chmod", arguments: ["-R", "u+rwx", base], directory: "/",
                                      environment: BinaryRunner.environment(home: home))
            try? FileManager.default.removeItem(atPath: base)
        }
        try super.tearDownWithError()
    }

    // MARK: Running

    /// Runs `trawl ARGUMENTS` in `directory` (default: the tree's root).
    @discardableResult
    func trawl(_ arguments: [String], in directory: String? = nil, stdin: ChildInput = .null,
               environment extra: [String: String] = [:]) throws -> RunResult {
        try BinaryRunner.run(executable: try BinaryRunner.trawlPath(), arguments: arguments, directory: directory ?? root,
                             environment: BinaryRunner.environment(home: home, extra: extra), stdin: stdin)
    }

    /// Runs another tool (git, an oracle); skips the test when it is not installed.
    @discardableResult
    func tool(_ name: String, _ arguments: [String], in directory: String? = nil, stdin: ChildInput = .null) throws -> RunResult {
        guard let path = BinaryRunner.which(name) else { throw XCTSkip("\(name) is not installed") }
        return try BinaryRunner.run(executable: path, arguments: arguments, directory: directory ?? root,
                                    environment: BinaryRunner.environment(home: home), stdin: stdin)
    }

    /// `git init` in the tree (or a subdirectory), quietly; skips without git.
    func gitInit(_ relative: String = ".") throws {
        let result = try tool("git", ["init", "-q", relative])
        XCTAssertEqual(result.status, 0, result.err)
    }

    // MARK: Building the tree

    /// Writes a file (parents created) at a path relative to the root.
    func write(_ relative: String, _ contents: String = "") throws {
        try write(bytesPath: Array(relative.utf8), Array(contents.utf8))
    }

    func write(_ relative: String, bytes contents: [UInt8]) throws {
        try write(bytesPath: Array(relative.utf8), contents)
    }

    /// A file whose name may be any bytes (newlines, invalid UTF-8).
    func write(bytesPath relative: [UInt8], _ contents: [UInt8]) throws {
        let full = Array(root.utf8) + [UInt8(ascii: "/")] + relative
        if let slash = relative.lastIndex(of: UInt8(ascii: "/")) {
            let parent = String(decoding: relative[..<slash], as: UTF8.self)
            try FileManager.default.createDirectory(atPath: root + "/" + parent, withIntermediateDirectories: true)
        }
        let fd = (full + [0]).withUnsafeBufferPointer { path in
            path.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        guard fd >= 0 else { throw BinaryRunnerError("cannot create \(String(decoding: full, as: UTF8.self)): errno \(errno)") }
        defer { close(fd) }
        let written = contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw BinaryRunnerError("short write") }
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
    }

    func hardLink(_ existing: String, _ new: String) throws {
        guard link(root + "/" + existing, root + "/" + new) == 0 else { throw BinaryRunnerError("link failed: errno \(errno)") }
    }

    func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + relative)
    }

    /// The trawl message lines on stderr (each must start with `trawl:` or `WARNING` as
    /// coreutils prints it; callers assert on them).
    func stderrLines(_ result: RunResult) -> [String] {
        result.err.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
