#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import XCTest

/// The harness every CLI test runs children through: what the child gets (directory,
/// environment, stdin, descriptors) and that a hung child cannot hang the suite.
final class ChildProcessTests: XCTestCase {
    func testStdinBytesBeyondAPipeBufferReachTheChildWhileItsOutputIsRead() throws {
        // 1 MiB through cat: both pipes fill many times over, so feeding and reading must
        // take turns or the run deadlocks.
        let input = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let result = try BinaryRunner.run(executable: "/bin/cat", arguments: [], directory: "/",
                                          environment: [:], stdin: .bytes(input))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.stdout, input)
    }

    func testChildRunsInTheGivenDirectoryWithExactlyTheGivenEnvironment() throws {
        let place = try BinaryRunner.run(executable: "/bin/sh", arguments: ["-c", "pwd; env"], directory: "/tmp",
                                         environment: ["ONLY": "this"])
        XCTAssertEqual(place.status, 0, place.err)
        XCTAssertEqual(place.lines.first, "/tmp")
        XCTAssertTrue(place.lines.contains("ONLY=this"), place.out)
        XCTAssertFalse(place.lines.contains { $0.hasPrefix("HOME=") }, place.out)
    }

    func testChildInheritsOnlyTheStandardDescriptors() throws {
        // ls holds one more of its own while it lists the directory.
        let result = try BinaryRunner.run(executable: "/bin/ls", arguments: ["/proc/self/fd"], directory: "/", environment: [:])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines, ["0", "1", "2", "3"])
    }

    func testStderrIsKeptByteForByte() throws {
        let result = try BinaryRunner.run(executable: "/bin/sh", arguments: ["-c", "printf 'a\\377b' >&2; exit 3"],
                                          directory: "/", environment: [:])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.stderr, [0x61, 0xFF, 0x62])
        XCTAssertEqual(result.stdout, [])
    }

    func testHungChildIsKilledAtTheTimeoutAndNamed() throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"], environment: [:])
        XCTAssertThrowsError(try child.runToEnd(timeout: .milliseconds(300))) { error in
            XCTAssertTrue("\(error)".contains("/bin/sleep 30"), "\(error)")
        }
        XCTAssertEqual(child.exitStatus, -SIGKILL)
    }

    func testSignalDeathIsNegativeNeverAnExitCode() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"], environment: [:])
        try child.runToEnd(timeout: .seconds(30))
        XCTAssertEqual(child.exitStatus, -SIGTERM)
    }
}
