import XCTest

/// ripgrep 15's file-type cases (tests/misc.rs: file_types*, file_type_*, type_list) and
/// its built-in table.
final class RipgrepSuiteTypeTests: TrawlTestCase {
    func testFileTypes() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.py", "Sherlock")
        try write("file.rs", "Sherlock")
        try assertRipgrepCase(["-t", "rust", "Sherlock"], "file.rs:Sherlock\n")
    }

    func testFileTypesAll() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.py", "Sherlock")
        try assertRipgrepCase(["-t", "all", "Sherlock"], "file.py:Sherlock\n")
    }

    func testFileTypesNegate() throws {
        try write("file.py", "Sherlock")
        try write("file.rs", "Sherlock")
        try assertRipgrepCase(["-T", "rust", "Sherlock"], "file.py:Sherlock\n")
    }

    func testFileTypesNegateAll() throws {
        try write("sherlock", RipgrepHay.sherlock)
        try write("file.py", "Sherlock")
        try assertRipgrepCase(["-T", "all", "Sherlock"], """
            sherlock:For the Doctor Watsons of this world, as opposed to the Sherlock
            sherlock:be, to a very large extent, the result of luck. Sherlock Holmes

            """)
    }

    func testFileTypeClearForgetsTheType() throws {
        try write("file.rs", "Sherlock")
        let result = try rgCase(["--type-clear", "rust", "-t", "rust", "Sherlock"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.hasPrefix("trawl:") && result.err.contains("rust"), result.err)
        // A type cleared and added again has only the new globs.
        try write("file.rx", "Sherlock")
        try assertRipgrepCase(["--type-clear", "rust", "--type-add", "rust:*.rx", "-t", "rust", "Sherlock"], "file.rx:Sherlock\n")
    }

    func testFileTypeAdd() throws {
        for name in ["file.py", "file.rs", "file.wat"] { try write(name, "Sherlock") }
        try assertRipgrepCase(["--type-add", "wat:*.wat", "-t", "wat", "Sherlock"], "file.wat:Sherlock\n")
    }

    func testFileTypeAddCompose() throws {
        for name in ["file.py", "file.rs", "file.wat"] { try write(name, "Sherlock") }
        try assertRipgrepCase(["--type-add", "wat:*.wat", "--type-add", "combo:include:wat,py", "-t", "combo",
                               "--sort", "path", "Sherlock"], "file.py:Sherlock\nfile.wat:Sherlock\n")
    }

    func testTypeListNeedsNoPatternInEveryCommandWithTypes() throws {
        for command in ["grep", "files", "hash", "dupes"] {
            let result = try trawl([command, "--type-list"])
            XCTAssertEqual(result.status, 0, "\(command): \(result.err)")
            XCTAssertGreaterThanOrEqual(result.lines.count, 220, command)
            XCTAssertTrue(result.lines.contains("rust: *.rs"), command)
        }
    }

    /// A sample of ripgrep 15's table beyond the common types (the whole is generated from
    /// `rg --type-list`, Tools/generate-file-types.py).
    func testTypeListHasRipgrepsWholeTable() throws {
        let lines = Set(try trawl(["grep", "--type-list"]).lines)
        for expected in ["ada: *.adb, *.ads", "agda: *.agda, *.lagda", "bazel: *.BUILD, *.bazel, *.bazelrc, *.bzl, BUILD, MODULE.bazel, WORKSPACE, WORKSPACE.bazel, WORKSPACE.bzlmod",
                         "zig: *.zig", "swift: *.swift"] {
            XCTAssertTrue(lines.contains(expected), expected)
        }
    }

    func testNewBuiltInTypeSelectsItsFiles() throws {
        try write("main.adb", "Sherlock")
        try write("main.c", "Sherlock")
        try assertRipgrepCase(["-t", "ada", "Sherlock"], "main.adb:Sherlock\n")
    }
}
