#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// Hostile input that once made trawl run for minutes or crash (issue 21): every case here
/// must finish at once with a result or a `trawl:` error, never hang, never die of a signal.
final class FaultLimitsTests: TrawlTestCase {
    /// `**/` x30 then `*a` x18 `*b` in a .gitignore ran 11 minutes at full CPU in a
    /// backtracking glob matcher (rg: 12 ms). The runner's timeout fails a hang.
    func testHostileGitignoreGlobDoesNotHangTheWalk() throws {
        let hostile = String(repeating: "**/", count: 30) + String(repeating: "*a", count: 18) + "*b"
        try write(".gitignore", hostile + "\n")
        let long = String(repeating: "a", count: 60)
        try write("x/y/\(long)", "")
        try write("x/y/\(long)b", "")
        try write("x/y/\(long)a", "")
        let result = try trawl(["files", "--hidden", "--no-require-git"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(result.lines), [".gitignore", "x/y/\(long)", "x/y/\(long)a"])
    }

    /// 15,000 `[` and 60,000 stacked quantifiers crashed the parser with SIGSEGV.
    func testDeepPatternsAreParseErrorsNotCrashes() throws {
        try write("a.txt", "a\n")
        for pattern in [String(repeating: "[", count: 15_000), "a" + String(repeating: "*", count: 60_000),
                        String(repeating: "(", count: 20_000)] {
            let result = try trawl(["grep", "-e", pattern, "a.txt"])
            XCTAssertEqual(result.status, 2, "\(pattern.prefix(10)): \(result.err)")
            XCTAssertTrue(result.err.hasPrefix("trawl: regex parse error: exceeds the nest limit"), result.err)
        }
    }

    /// `-f` with a one-line megabyte pattern: compiled in linear time, searched by the literal
    /// scanner (7 s and then `regex too big` before).
    func testMegabyteLiteralPatternFileSearches() throws {
        var generator = SystemRandomNumberGenerator()
        let word = String((0..<1_000_000).map { _ in "abcdefgh".randomElement(using: &generator)! })
        try write("pattern", word + "\n")
        try write("hay.txt", "nothing\n\(word)\nmore\n")
        let result = try trawl(["grep", "-c", "-f", "pattern", "hay.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "1\n")
    }

    /// Runs `trawl ARGS` through the shell so an argument may hold any bytes (`printf`
    /// escapes in `shellArguments`, which is spliced into the command line as is).
    private func trawlWithRawArguments(_ shellArguments: String) throws -> RunResult {
        try BinaryRunner.run(executable: "/bin/sh", arguments: ["-c", "exec \"$0\" " + shellArguments, try BinaryRunner.trawlPath()],
                             directory: root, environment: BinaryRunner.environment(home: home))
    }

    /// `ab\xFFcd` found nothing: the byte became U+FFFD. Now -F matches the bytes as they
    /// are (GNU grep), and a regex holding them is refused, naming the pattern (rg).
    func testInvalidUTF8PatternIsMatchedAsBytesOrRefused() throws {
        try write("hay.txt", bytes: Array("one ab".utf8) + [0xFF] + Array("cd two\nab\u{FFFD}cd\nabcd\n".utf8))
        let fixed = try trawlWithRawArguments("grep -F \"$(printf 'ab\\377cd')\" hay.txt")
        XCTAssertEqual(fixed.status, 0, fixed.err)
        XCTAssertEqual(fixed.stdout, Array("one ab".utf8) + [0xFF] + Array("cd two\n".utf8))
        let onlyMatching = try trawlWithRawArguments("grep -o -F --regexp=\"$(printf 'b\\377c')\" hay.txt")
        XCTAssertEqual(onlyMatching.stdout, [UInt8(ascii: "b"), 0xFF, UInt8(ascii: "c"), 10], onlyMatching.err)
        let regex = try trawlWithRawArguments("grep \"$(printf 'ab\\377cd')\" hay.txt")
        XCTAssertEqual(regex.status, 2)
        XCTAssertEqual(regex.out, "")
        XCTAssertTrue(regex.err.hasPrefix("trawl: regex parse error: pattern ab\\xFFcd holds invalid UTF-8 at byte offset 2"), regex.err)

        try write("patterns", bytes: Array("zzz\nab".utf8) + [0xFF] + Array("cd\n".utf8))
        let fromFile = try trawl(["grep", "-F", "-c", "-f", "patterns", "hay.txt"])
        XCTAssertEqual(fromFile.status, 0, fromFile.err)
        XCTAssertEqual(fromFile.out, "1\n")
        let regexFromFile = try trawl(["grep", "-c", "-f", "patterns", "hay.txt"])
        XCTAssertEqual(regexFromFile.status, 2)
        XCTAssertTrue(regexFromFile.err.contains("invalid UTF-8"), regexFromFile.err)
        // The real U+FFFD character is an ordinary pattern.
        let replacement = try trawl(["grep", "-c", "ab\u{FFFD}cd", "hay.txt"])
        XCTAssertEqual(replacement.out, "1\n", replacement.err)
    }

    /// The first SIGINT stops pattern compilation (a huge `-f` compiled for 12-38 s, then
    /// exited 2): exit 130 soon after the signal. The bound is generous (a loaded machine);
    /// when the compilation ends before the signal could be sent, there is nothing to test.
    func testInterruptStopsPatternCompilation() throws {
        try ChildProcess.requireBinary()
        var lines: [String] = []
        for index in 0..<400_000 { lines.append("w\(index)[a-c]x(y|z)\(index % 97)") }
        try write("patterns", lines.joined(separator: "\n") + "\n")
        try write("hay.txt", "nothing\n")
        let child = try ChildProcess(["grep", "-c", "-f", root + "/patterns", root + "/hay.txt"])
        usleep(400_000)
        guard !child.hasExited else { throw XCTSkip("compiled before the signal could be sent") }
        let sent = ContinuousClock.now
        child.send(SIGINT)
        try child.wait(timeout: .seconds(60))
        XCTAssertEqual(child.exitStatus, 130, child.stderrText)
        XCTAssertLessThan(child.exitedAt! - sent, .seconds(5), "compilation went on after Ctrl-C")
    }

    /// `-o 'a{1,3}'` on a 2 MB line took 19.5 s (rg 40 ms): each match sought the line's
    /// end again. Every match, with its column, as a plain scan computes them.
    func testOnlyMatchingOnALongLineFindsEveryMatch() throws {
        var generator = SystemRandomNumberGenerator()
        let line = (0..<2_000_000).map { _ in UInt8(ascii: Bool.random(using: &generator) ? "a" : " ") }
        try write("long.txt", bytes: line + [10])
        var expected: [String] = []
        var index = 0
        while index < line.count {
            guard line[index] == UInt8(ascii: "a") else { index += 1; continue }
            var end = index
            while end < line.count && end - index < 3 && line[end] == UInt8(ascii: "a") { end += 1 }
            expected.append("1:\(index + 1):" + String(repeating: "a", count: end - index))
            index = end
        }
        let result = try trawl(["grep", "-o", "-n", "--column", "a{1,3}", "long.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines.count, expected.count)
        XCTAssertEqual(result.lines, expected)
        let required = try trawl(["grep", "-o", "-c", "a a", "long.txt"])
        XCTAssertEqual(required.status, 0, required.err)
    }

    /// Multiline `-o`: each match is numbered by the line it starts on; a match spanning
    /// lines prints each line after its own prefix (rg's multiline only_matching). The
    /// column is counted from the block's start, as rg 15 prints it (byte for byte).
    func testMultilineOnlyMatchingNumbersEachMatchItsOwnLine() throws {
        try write("lines.txt", "xa\nb\nab\nzzab\n")
        let result = try trawl(["grep", "-U", "-o", "-n", "--column", "a\\nb|ab", "lines.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines, ["1:2:a", "2:2:b", "3:6:ab", "4:11:ab"])
    }
}

final class FaultLimitsDescriptorTests: TrawlTestCase {
    /// `ulimit -n 16`: rg completes; trawl reported 99% of the files as "Too many open files"
    /// at 32. Fewer threads under a tight limit, and opens that meet EMFILE wait and retry.
    func testTightDescriptorLimitSearchesEveryFile() throws {
        for directory in 0..<100 {
            for file in 0..<30 { try write("d\(directory)/sub/f\(file).txt", "line\nneedle \(directory) \(file)\n") }
        }
        // Before: 1,633 of these 3,000 files failed at 8, 24 at 10.
        for limit in [16, 10, 8] {
            let result = try BinaryRunner.run(
                executable: "/bin/sh", arguments: ["-c", "ulimit -n \(limit) && exec \"$0\" grep -c needle .", try BinaryRunner.trawlPath()],
                directory: root, environment: BinaryRunner.environment(home: home))
            XCTAssertEqual(result.status, 0, "ulimit -n \(limit): \(result.err.prefix(300))")
            XCTAssertEqual(result.err, "", "ulimit -n \(limit)")
            XCTAssertEqual(result.lines.count, 3000, "ulimit -n \(limit)")
            let files = try BinaryRunner.run(
                executable: "/bin/sh", arguments: ["-c", "ulimit -n \(limit) && exec \"$0\" files .", try BinaryRunner.trawlPath()],
                directory: root, environment: BinaryRunner.environment(home: home))
            XCTAssertEqual(files.status, 0, files.err)
            XCTAssertEqual(files.lines.count, 3000, "ulimit -n \(limit)")
        }
    }
}

final class FaultLimitsAddressSpaceTests: TrawlTestCase {
    /// `ulimit -v`: trawl crashed below 1.5 GB (rg runs at 50 MB); under a limit it caps
    /// malloc arenas and runs as many threads as fit.
    func testAddressSpaceLimitRunsWithFewerThreads() throws {
        for directory in 0..<20 {
            for file in 0..<20 { try write("d\(directory)/f\(file).txt", "line\nneedle \(directory) \(file)\n") }
        }
        for kibibytes in [300_000, 150_000] {
            for command in ["grep -c needle .", "grep needle .", "files ."] {
                let result = try BinaryRunner.run(
                    executable: "/bin/sh", arguments: ["-c", "ulimit -v \(kibibytes) && exec \"$0\" \(command)", try BinaryRunner.trawlPath()],
                    directory: root, environment: BinaryRunner.environment(home: home))
                XCTAssertEqual(result.status, 0, "ulimit -v \(kibibytes) \(command): \(result.err.prefix(300))")
                XCTAssertEqual(result.lines.count, 400, "ulimit -v \(kibibytes) \(command)")
            }
        }
    }
}

final class FaultLimitsLiteralSetTests: TrawlTestCase {
    /// `-F -f` with 100,000 words failed with "regex too big" (rg: 0.3 s).
    func testHundredThousandFixedStrings() throws {
        var words: [String] = []
        for index in 0..<100_000 { words.append("word\(index * 7)x") }
        try write("words", words.joined(separator: "\n") + "\n")
        try write("hay.txt", "no\nsay word700x here\nWORD14X\nword8x\nword699993x and word7x\n")
        let result = try trawl(["grep", "-F", "-n", "-o", "-f", "words", "hay.txt"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.lines, ["2:word700x", "5:word699993x", "5:word7x"])
        let folded = try trawl(["grep", "-F", "-i", "-c", "-f", "words", "hay.txt"])
        XCTAssertEqual(folded.out, "3\n", folded.err)
    }
}

final class FaultLimitsThreadTests: TrawlTestCase {
    /// `ulimit -u`: with no thread to be had, hash printed nothing and exited 0, grep found
    /// nothing: the pool refused the work and the files were dropped. Now the work runs on
    /// the thread that has it. RLIMIT_NPROC counts the user's threads and root is exempt,
    /// so the child runs as nobody, with room for its main thread alone.
    func testNoThreadToSpareLosesNoFile() throws {
        guard let nobody = ChildProcess.asNobody, access("/usr/bin/prlimit", X_OK) == 0 else {
            throw XCTSkip("needs root, setpriv and prlimit to run trawl as nobody under a thread limit")
        }
        for index in 0..<60 { try write("d\(index % 3)/f\(index)", "needle \(index)\n") }
        let manifest = try trawl(["hash", "."]).stdout
        let sums = home + "/sums"
        XCTAssertTrue(FileManager.default.createFile(atPath: sums, contents: Data(manifest)))
        // The test's folder (mkdtemp: 0700) must be open to nobody.
        for folder in [String(root.dropLast("/tree".count)), root, home] { XCTAssertEqual(chmod(folder, 0o755), 0) }
        let trawlPath = try BinaryRunner.trawlPath()
        for (arguments, lines) in [(["hash", "."], 60), (["grep", "-c", "needle", "."], 60), (["files", "."], 60),
                                   (["check", sums], 60)] {
            let result = try BinaryRunner.run(executable: "/usr/bin/prlimit", arguments: ["--nproc=1", "--"] + nobody + [trawlPath] + arguments,
                                              directory: root, environment: BinaryRunner.environment(home: home))
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.err.prefix(300))")
            XCTAssertEqual(result.lines.count, lines, "\(arguments)")
        }
        XCTAssertEqual(try trawl(["hash", "."]).stdout, manifest)
    }
}
