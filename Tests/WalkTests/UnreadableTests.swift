import Foundation
import Glibc
import XCTest
@testable import Walk

/// Unreadable directories and files: one error each, the walk goes on. Root ignores
/// permission bits, so as root the walk is re-run in this test binary as `nobody`
/// through setpriv (the helper test below does the walk and prints what it saw).
final class UnreadableTests: XCTestCase {
    private static let helperVariable = "WALK_UNREADABLE_HELPER_ROOT"

    func testUnreadableDirectoryAndIgnoreFileAreReportedOnceAndWalkContinues() throws {
        let tree = TestTree()
        tree.file("open/a")
        tree.file("open/.ignore", "a\n")
        tree.file("secret/b")
        tree.file("z")
        XCTAssertEqual(chmod(tree.root, 0o755), 0)
        XCTAssertEqual(chmod("\(tree.root)/secret", 0), 0)
        XCTAssertEqual(chmod("\(tree.root)/open/.ignore", 0), 0)
        let lines: [String]
        if geteuid() != 0 {
            let record = try walk([tree.root])
            lines = record.allEntries.map { "ENTRY \($0.pathString)" } + record.messages.map { "ERROR \($0)" }
        } else {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                throw XCTSkip("running as root without setpriv: cannot make a directory unreadable")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", binary,
                                 "WalkTests.UnreadableTests/testHelperWalksAsUnprivilegedUser"]
            process.environment = [Self.helperVariable: tree.root, "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("ENTRY ") || $0.hasPrefix("ERROR ") }
            if lines.isEmpty { throw XCTSkip("the test binary could not run as nobody (permissions on its path?)") }
        }
        XCTAssertEqual(Set(lines), ["ENTRY \(tree.root)/open/a", "ENTRY \(tree.root)/z",
                                    "ERROR \(tree.root)/secret: Permission denied",
                                    "ERROR \(tree.root)/open/.ignore: Permission denied"])
        XCTAssertEqual(lines.count, 4)
    }

    /// Not a test of its own: the walk that the test above runs as `nobody`.
    func testHelperWalksAsUnprivilegedUser() throws {
        guard let root = ProcessInfo.processInfo.environment[Self.helperVariable] else {
            throw XCTSkip("helper of testUnreadableDirectoryAndIgnoreFileAreReportedOnceAndWalkContinues")
        }
        let record = try walk([root])
        for entry in record.allEntries { print("ENTRY \(entry.pathString)") }
        for message in record.messages { print("ERROR \(message)") }
    }
}
