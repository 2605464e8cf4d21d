#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// fd's test environment (tests/testenv in sharkdp/fd), rebuilt for `trawl find`: a tree
/// that pretends to be a git repository, a symlink `symlink` -> `one/two`, `.fdignore`
/// ignoring `fdignored.foo` and `.gitignore` ignoring `gitignored.foo`. Outputs are
/// compared as fd compares them: lines sorted, `\0` shown as `NULL` + newline, expected
/// lines trimmed at the start.
class FindTestCase: TrawlTestCase {
    static let defaultDirectories = ["one/two/three", "one/two/three/directory_foo"]
    static let defaultFiles = ["a.foo", "one/b.foo", "one/two/c.foo", "one/two/C.Foo2", "one/two/three/d.foo",
                               "fdignored.foo", "gitignored.foo", ".hidden.foo", "e1 e2"]

    /// fd's expected output for everything in the default tree, and for the pattern `foo`.
    static let everything = "a.foo\ne1 e2\none/\none/b.foo\none/two/\none/two/c.foo\none/two/C.Foo2\none/two/three/\n"
        + "one/two/three/d.foo\none/two/three/directory_foo/\nsymlink"
    static let allFoo = "a.foo\none/b.foo\none/two/c.foo\none/two/C.Foo2\none/two/three/d.foo\none/two/three/directory_foo/"

    /// The tree's root as the system resolves it (getcwd, -a and -p see this one).
    var absoluteRoot: String {
        guard let resolved = realpath(root, nil) else { return root }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func makeEnvironment(_ directories: [String] = defaultDirectories, _ files: [String] = defaultFiles) throws {
        try mkdir(".git")
        for directory in directories { try mkdir(directory) }
        for file in files { try write(file) }
        XCTAssertEqual(symlink(root + "/one/two", root + "/symlink"), 0)
        try write(".fdignore", "fdignored.foo")
        try write(".gitignore", "gitignored.foo")
    }

    /// A symlink at `relative` to a file in a directory that is then removed.
    func makeBrokenSymlink(_ relative: String) throws {
        let target = root + "/../broken-target"
        try write("../broken-target/broken_symlink_target")
        XCTAssertEqual(symlink(target + "/broken_symlink_target", root + "/" + relative), 0)
        try FileManager.default.removeItem(atPath: target)
    }

    /// fd's harness passes --no-global-ignore-file unless a test sets a global ignore file.
    @discardableResult
    func find(_ arguments: [String], in subdirectory: String? = nil, globalIgnore: Bool = false,
              environment: [String: String] = [:]) throws -> RunResult {
        var extra = ["LS_COLORS": ""]
        for (key, value) in environment { extra[key] = value }
        return try trawl(["find"] + (globalIgnore ? [] : ["--no-global-ignore-file"]) + arguments,
                         in: subdirectory.map { root + "/" + $0 }, environment: extra)
    }

    static func normalized(_ text: String, trimStart: Bool) -> String {
        text.replacingOccurrences(of: "\0", with: "NULL\n")
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { trimStart ? String($0.drop { $0 == " " || $0 == "\t" }) : String($0) }
            .filter { !$0.isEmpty }
            .sorted()
            .joined(separator: "\n")
    }

    /// fd's `assert_output`: success, and the sorted lines equal.
    func assertFind(_ arguments: [String], _ expected: String, in subdirectory: String? = nil, globalIgnore: Bool = false,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try find(arguments, in: subdirectory, globalIgnore: globalIgnore)
        XCTAssertEqual(result.status, 0, "trawl find \(arguments.joined(separator: " ")) failed: \(result.err)", file: file, line: line)
        XCTAssertEqual(Self.normalized(result.out, trimStart: false), Self.normalized(expected, trimStart: true),
                       "trawl find \(arguments.joined(separator: " "))", file: file, line: line)
    }

    /// fd's `assert_failure` / `assert_failure_with_error`: a non-zero status, and a
    /// `trawl:` message holding `message` when one is given.
    func assertFindFails(_ arguments: [String], message: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try find(arguments)
        XCTAssertNotEqual(result.status, 0, "trawl find \(arguments.joined(separator: " ")) succeeded", file: file, line: line)
        if let message {
            XCTAssertTrue(result.err.contains(message), "stderr: \(result.err)", file: file, line: line)
            XCTAssertTrue(result.err.hasPrefix("trawl: "), "stderr: \(result.err)", file: file, line: line)
        }
    }

    /// fd's tests that need a non-root user (access(2) grants root everything).
    func skipAsRoot() throws {
        if getuid() == 0 { throw XCTSkip("fd's own test returns early as root: root may execute and own everything") }
    }
}
