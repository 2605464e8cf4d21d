import Foundation
import XCTest

/// One case of ripgrep's integration suite written as one command and one check: the
/// files it creates, rg's arguments, and what rg 15 must print (RipgrepSuiteCases.swift,
/// generated from rg's tests/*.rs by Tools/generate-ripgrep-suite-cases.py).
struct RipgrepCase {
    enum Content {
        case text(String)
        case bytes([UInt8])
        case sherlock
        case sherlockCRLF
        /// A file of `Fixtures/` (rg's tests/data).
        case fixture(String)
        /// `size` bytes (rg's `create_size`).
        case size(Int)
        /// A symbolic link to a path of the case's tree (rg's `link_dir`, `link_file`).
        case symlink(to: String)
    }

    enum Expectation {
        case stdout(String)
        /// The lines in any order (rg's `sort_lines`: a parallel walk's output).
        case sortedStdout(String)
        /// Any non-zero exit status (rg's `assert_err`).
        case failure
        /// A non-zero exit status and a message (rg's `assert_non_empty_stderr`).
        case failureWithMessage
        /// Something printed, and exit status 0.
        case nonEmptyStdout
        case status(Int32)
    }

    let name: String
    let files: [(String, Content)]
    let directories: [String]
    let arguments: [String]
    let stdin: String?
    /// Where the command runs, relative to the case's tree (rg's `current_dir`).
    let directory: String?
    let expect: Expectation

    init(_ name: String, files: [(String, Content)], directories: [String] = [], arguments: [String],
         stdin: String? = nil, directory: String? = nil, expect: Expectation) {
        self.name = name
        self.files = files
        self.directories = directories
        self.arguments = arguments
        self.stdin = stdin
        self.directory = directory
        self.expect = expect
    }
}

/// Runs every generated case against the built binary: `trawl grep --path-separator /
/// ARGS` as rg's harness runs rg, or `trawl files ARGS` for rg's `--files`. Each case gets
/// its own tree; a failure names the case, its command and what differed.
final class RipgrepSuiteTableTests: TrawlTestCase {
    func testFeatureCases() throws { try run(RipgrepCase.feature) }
    func testMiscCases() throws { try run(RipgrepCase.misc) }
    func testRegressionCases() throws { try run(RipgrepCase.regression) }
    func testBinaryCases() throws { try run(RipgrepCase.binary) }
    func testMultilineCases() throws { try run(RipgrepCase.multiline) }

    private func run(_ cases: [RipgrepCase], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(cases.isEmpty)
        for testCase in cases {
            let tree = "case-" + testCase.name
            try mkdir(tree)
            for directory in testCase.directories { try mkdir(tree + "/" + directory) }
            for (path, content) in testCase.files {
                switch content {
                case .text(let text): try write(tree + "/" + path, text)
                case .bytes(let bytes): try write(tree + "/" + path, bytes: bytes)
                case .sherlock: try write(tree + "/" + path, RipgrepHay.sherlock)
                case .sherlockCRLF: try write(tree + "/" + path, RipgrepHay.sherlock.replacingOccurrences(of: "\n", with: "\r\n"))
                case .fixture(let fixture): try copyFixture(fixture, to: tree + "/" + path)
                case .size(let size): try write(tree + "/" + path, bytes: [UInt8](repeating: 0, count: size))
                case .symlink(let target):
                    let link = root + "/" + tree + "/" + path
                    try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root + "/" + tree + "/" + target)
                }
            }
            var arguments = testCase.arguments
            if arguments.contains("--files") {
                arguments.removeAll { $0 == "--files" }
                arguments = ["files"] + arguments
            } else {
                arguments = ["grep", "--path-separator", "/"] + arguments
            }
            let result = try trawl(arguments, in: root + "/" + tree + (testCase.directory.map { "/" + $0 } ?? ""),
                                   stdin: testCase.stdin.map { .bytes(Array($0.utf8)) } ?? .null)
            let label = "\(testCase.name): trawl \(arguments) -> \(result.status) \(result.err)"
            switch testCase.expect {
            case .stdout(let expected):
                XCTAssertEqual(result.out, expected, label, file: file, line: line)
                XCTAssertEqual(result.status, 0, label, file: file, line: line)
            case .sortedStdout(let expected):
                // rg's sort_lines: trimmed, split at newlines, sorted.
                func sortedLines(_ text: String) -> [String] {
                    text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n").sorted()
                }
                XCTAssertEqual(sortedLines(result.out), sortedLines(expected), label, file: file, line: line)
                XCTAssertEqual(result.status, 0, label, file: file, line: line)
            case .failure:
                XCTAssertNotEqual(result.status, 0, label, file: file, line: line)
            case .failureWithMessage:
                XCTAssertNotEqual(result.status, 0, label, file: file, line: line)
                XCTAssertFalse(result.err.isEmpty, label, file: file, line: line)
            case .nonEmptyStdout:
                XCTAssertFalse(result.stdout.isEmpty, label, file: file, line: line)
                XCTAssertEqual(result.status, 0, label, file: file, line: line)
            case .status(let status):
                XCTAssertEqual(result.status, status, label, file: file, line: line)
            }
        }
    }
}
