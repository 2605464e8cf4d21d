import XCTest

/// The haystacks of ripgrep's integration suite (tests/hay.rs in BurntSushi/ripgrep).
enum RipgrepHay {
    static let sherlock = """
        For the Doctor Watsons of this world, as opposed to the Sherlock
        Holmeses, success in the province of detective work must always
        be, to a very large extent, the result of luck. Sherlock Holmes
        can extract a clew from a wisp of straw or a flake of cigar ash;
        but Doctor Watson has to have it taken out for him and dusted,
        and exhibited clearly, with a label attached.

        """
}

extension TrawlTestCase {
    /// `trawl grep ARGUMENTS` as ripgrep's suite runs rg: in the tree's root, with
    /// `--path-separator /` first, and no config file.
    @discardableResult
    func rgCase(_ arguments: [String], stdin: ChildInput = .null, environment: [String: String] = [:]) throws -> RunResult {
        try trawl(["grep", "--path-separator", "/"] + arguments, stdin: stdin, environment: environment)
    }

    /// Asserts a case's stdout (and that it exited 0 when it printed anything).
    func assertRipgrepCase(_ arguments: [String], _ expected: String, stdin: ChildInput = .null,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try rgCase(arguments, stdin: stdin)
        XCTAssertEqual(result.out, expected, "trawl grep \(arguments): \(result.err)", file: file, line: line)
        if !expected.isEmpty { XCTAssertEqual(result.status, 0, result.err, file: file, line: line) }
    }
}
