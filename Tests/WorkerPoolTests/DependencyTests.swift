import Foundation
import XCTest

/// WorkerPool as a dependency: a throwaway package adds this one by version, through a
/// local git URL and a tag, builds the WorkerPool product and runs it. SwiftPM refuses
/// dependencies whose targets use unsafeFlags, so this fails if WorkerPool (or CShims)
/// gets any. Slow (a build of its own): about a minute.
final class DependencyTests: XCTestCase {
    func testPackageDependingOnWorkerPoolByVersionBuildsAndRuns() throws {
        guard let git = which("git") else { throw XCTSkip("git is not installed") }
        guard let swift = which("swift") else { throw XCTSkip("swift is not on PATH") }
        let root = URL(fileURLWithPath: sourcePath("."))
        let listing = try run(git, ["ls-files", "--cached", "--others", "--exclude-standard"], in: root)
        guard listing.status == 0 else { throw XCTSkip("the package is not a git checkout: \(listing.output)") }

        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("workerpool-dependency-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        // The dependency: this package's files as they are now, committed and tagged 1.0.0.
        let repository = temporary.appendingPathComponent("trawl")
        for path in listing.output.split(separator: "\n").map(String.init) {
            let source = root.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }  // deleted, not yet committed
            let target = repository.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        for arguments in [["init", "-q"], ["add", "-A"],
                          ["-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "release"],
                          ["tag", "1.0.0"]] {
            let step = try run(git, arguments, in: repository)
            XCTAssertEqual(step.status, 0, "git \(arguments): \(step.output)")
        }

        let consumer = temporary.appendingPathComponent("consumer")
        try FileManager.default.createDirectory(at: consumer.appendingPathComponent("Sources/Consumer"), withIntermediateDirectories: true)
        try """
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(
            name: "Consumer",
            dependencies: [.package(url: "\(repository.absoluteString)", from: "1.0.0")],
            targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "WorkerPool", package: "trawl")])]
        )
        """.write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try """
        import WorkerPool
        let squares = try ThreadPoolExecutor.with(maxWorkers: 2) { pool in
            try (1...4).map { n in try pool.submit { n * n } }.map { try $0.result() }
        }
        print("squares \\(squares)")
        """.write(to: consumer.appendingPathComponent("Sources/Consumer/main.swift"), atomically: true, encoding: .utf8)

        let build = try run(swift, ["build", "--product", "Consumer"], in: consumer)
        XCTAssertEqual(build.status, 0, build.output)
        XCTAssertFalse(build.output.contains("unsafe"), build.output)
        let binary = consumer.appendingPathComponent(".build/debug/Consumer").path
        let ran = try run(binary, [], in: consumer)
        XCTAssertEqual(ran.output.trimmingCharacters(in: .whitespacesAndNewlines), "squares [1, 4, 9, 16]")
    }

    private func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // The outer `swift test`'s variables would point the inner build at its own paths.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SWIFTPM") && $0.key != "XCTestBundlePath" }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
