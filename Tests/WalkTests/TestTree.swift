import Foundation
import Glibc
import Platform
import Synchronization
import XCTest
@testable import Walk

/// A temporary directory tree for one test, removed at deinit.
final class TestTree {
    let root: String

    init() {
        var template = Array("/tmp/trawl-walk-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        root = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        _ = try? run(["/bin/chmod", "-R", "u+rwx", root])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes a file (parents created) with `contents`.
    func file(_ relative: String, _ contents: String = "x\n") {
        file(bytes: Array(relative.utf8), Array(contents.utf8))
    }

    func file(bytes relative: [UInt8], _ contents: [UInt8] = Array("x\n".utf8)) {
        let path = Array(root.utf8) + [UInt8(ascii: "/")] + relative
        if let slash = path.lastIndex(of: UInt8(ascii: "/")) { makeDirectories(Array(path[..<slash])) }
        let fd = path.withCPath { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        precondition(fd >= 0, "cannot create \(String(decoding: path, as: UTF8.self))")
        contents.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func directory(_ relative: String) {
        makeDirectories(Array("\(root)/\(relative)".utf8))
    }

    func symlink(_ relative: String, to target: String) {
        directory((relative as NSString).deletingLastPathComponent)
        precondition(Glibc.symlink(target, "\(root)/\(relative)") == 0)
    }

    private func makeDirectories(_ path: [UInt8]) {
        var prefix: [UInt8] = []
        for component in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            prefix += component
            if !prefix.isEmpty { _ = prefix.withCPath { mkdir($0, 0o755) } }
            prefix.append(UInt8(ascii: "/"))
        }
    }

    /// Runs a command with HOME and XDG_CONFIG_HOME inside the tree (so the user's git
    /// config cannot interfere); returns stdout. Fails the test on a non-zero exit.
    @discardableResult
    func run(_ arguments: [String], in directory: String? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root)
        process.environment = ["HOME": "\(root)/.home", "XDG_CONFIG_HOME": "\(root)/.home/.config",
                               "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw NSError(domain: "TestTree", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(arguments) exited \(process.terminationStatus)"])
        }
        return data
    }

    var home: [String: String] { ["HOME": "\(root)/.home", "XDG_CONFIG_HOME": "\(root)/.home/.config"] }
}

/// Everything a walk reported, collected from the worker threads.
final class WalkRecord: @unchecked Sendable {
    // Lock discipline: `entries` and `errors` only touched with `lock` held.
    private let lock = NSLock()
    private var entries: [WalkEntry] = []
    private var errors: [WalkError] = []

    func add(_ entry: WalkEntry) { lock.withLock { entries.append(entry) } }
    func add(_ error: WalkError) { lock.withLock { errors.append(error) } }
    var allEntries: [WalkEntry] { lock.withLock { entries } }
    var allErrors: [WalkError] { lock.withLock { errors } }
    var paths: Set<String> { Set(allEntries.map(\.pathString)) }
    var messages: [String] { allErrors.map(\.description).sorted() }
}

/// Walks `roots` with `options` and returns what was reported.
func walk(_ roots: [String], _ options: WalkOptions = WalkOptions(), cancellation: WalkCancellation? = nil,
          runner: any WalkLoopRunner = WalkThreads()) throws -> WalkRecord {
    let record = WalkRecord()
    let walker = try Walker(options: options)
    walker.walk(roots, runner: runner, cancellation: cancellation,
                onEntry: { record.add($0) }, onError: { record.add($0) })
    return record
}

/// Runs `body` with the working directory set to `directory` (for the implicit root).
/// Tests that use it must not run concurrently with other cwd-dependent tests (XCTest runs serially).
func inDirectory<T>(_ directory: String, _ body: () throws -> T) rethrows -> T {
    let previous = FileManager.default.currentDirectoryPath
    precondition(chdir(directory) == 0)
    defer { _ = chdir(previous) }
    return try body()
}

/// A one-way flag the tests raise to stop a walk (trawl's commands pass WorkerPool's
/// `CancellationToken`).
final class WalkCancellation: WalkCancellationSignal {
    private let flag = Atomic<Bool>(false)
    init() {}
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
