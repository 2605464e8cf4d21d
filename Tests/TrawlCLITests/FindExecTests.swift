#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// fd's tests (tests/tests.rs in sharkdp/fd) of -x/--exec and -X/--exec-batch, with real
/// children; then what the issue adds: output printed whole, exit status, a command that
/// cannot start, and Ctrl-C stopping the children.
final class FindExecTests: FindTestCase {
    func testExec() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--absolute-path", "foo", "--exec", "echo"], Self.absoluteFoo(a))
        try assertFind(["foo", "--exec", "echo", "{}"],
                       "./a.foo\n./one/b.foo\n./one/two/C.Foo2\n./one/two/c.foo\n./one/two/three/d.foo\n./one/two/three/directory_foo")
        try assertFind(["foo", "--strip-cwd-prefix", "--exec", "echo", "{}"],
                       "a.foo\none/b.foo\none/two/C.Foo2\none/two/c.foo\none/two/three/d.foo\none/two/three/directory_foo")
        try assertFind(["foo", "--exec", "echo", "{.}"], "a\none/b\none/two/C\none/two/c\none/two/three/d\none/two/three/directory_foo")
        try assertFind(["foo", "--exec", "echo", "{/}"], "a.foo\nb.foo\nC.Foo2\nc.foo\nd.foo\ndirectory_foo")
        try assertFind(["foo", "--exec", "echo", "{/.}"], "a\nb\nC\nc\nd\ndirectory_foo")
        try assertFind(["foo", "--exec", "echo", "{//}"], ".\n./one\n./one/two\n./one/two\n./one/two/three\n./one/two/three")
        try assertFind(["e1", "--exec", "printf", "%s.%s\n"], "./e1 e2.")
    }

    /// fd's `-a foo` results as commands see them (no trailing `/`).
    static func absoluteFoo(_ a: String) -> String {
        ["a.foo", "one/b.foo", "one/two/C.Foo2", "one/two/c.foo", "one/two/three/d.foo", "one/two/three/directory_foo"]
            .map { "\(a)/\($0)" }.joined(separator: "\n")
    }

    func testExecMulti() throws {
        try makeEnvironment()
        let a = absoluteRoot
        try assertFind(["--absolute-path", "foo", "--exec", "echo", ";", "--exec", "echo", "test", "{/}"], Self.absoluteFoo(a) + """

            test a.foo
            test b.foo
            test C.Foo2
            test c.foo
            test d.foo
            test directory_foo
            """)
        try assertFind(["e1", "--exec", "echo", "{.}", ";", "--exec", "echo", "{/}", ";", "--exec", "echo", "{//}", ";",
                        "--exec", "echo", "{/.}"], "e1 e2\ne1 e2\n.\ne1 e2")
        try assertFind(["foo", "--exec", "printf", "%s", "{/}: ", ";", "--exec", "printf", "%s\\n", "{//}"], """
            a.foo: .
            b.foo: ./one
            C.Foo2: ./one/two
            c.foo: ./one/two
            d.foo: ./one/two/three
            directory_foo: ./one/two/three
            """)
    }

    func testExecNulls() throws {
        try makeEnvironment()
        try assertFind(["foo", "--print0", "--exec", "printf", "p=%s"], """
            p=./a.fooNULL
            p=./one/b.fooNULL
            p=./one/two/C.Foo2NULL
            p=./one/two/c.fooNULL
            p=./one/two/three/d.fooNULL
            p=./one/two/three/directory_fooNULL
            """)
    }

    /// fd's batch outputs are compared with each line's words sorted.
    private func batchWords(_ result: RunResult) -> [[String]] {
        result.lines.map { $0.split(separator: " ").map(String.init).sorted() }
    }

    func testExecBatch() throws {
        try makeEnvironment()
        let a = absoluteRoot
        var result = try find(["--absolute-path", "foo", "--exec-batch", "echo"])
        XCTAssertEqual(batchWords(result), [["\(a)/a.foo", "\(a)/one/b.foo", "\(a)/one/two/C.Foo2", "\(a)/one/two/c.foo",
                                             "\(a)/one/two/three/d.foo", "\(a)/one/two/three/directory_foo"].sorted()])
        result = try find(["foo", "--exec-batch", "echo", "{}"])
        XCTAssertEqual(batchWords(result), [["./a.foo", "./one/b.foo", "./one/two/C.Foo2", "./one/two/c.foo", "./one/two/three/d.foo",
                                             "./one/two/three/directory_foo"].sorted()])
        result = try find(["foo", "--strip-cwd-prefix", "--exec-batch", "echo", "{}"])
        XCTAssertEqual(batchWords(result), [["a.foo", "one/b.foo", "one/two/C.Foo2", "one/two/c.foo", "one/two/three/d.foo",
                                             "one/two/three/directory_foo"].sorted()])
        result = try find(["foo", "--exec-batch", "echo", "{/}"])
        XCTAssertEqual(batchWords(result), [["a.foo", "b.foo", "C.Foo2", "c.foo", "d.foo", "directory_foo"].sorted()])
        try assertFind(["no_match", "--exec-batch", "echo", "Matched: ", "{/}"], "")
        try assertFindFails(["foo", "--exec-batch", "echo", "{}", "{}"], message: "only one placeholder allowed for batch commands")
        try assertFindFails(["foo", "--exec-batch", "echo", "{/}", ";", "-x", "echo"], message: "cannot be used with --exec")
        try assertFindFails(["foo", "--exec-batch"], message: "flag --exec-batch needs a value")
        try assertFindFails(["foo", "--exec-batch", "echo {}"], message: "the first word must be a fixed program")
        try assertFindFails(["a.foo", "--exec-batch", "bash", "-c", "exit 1"])
    }

    func testExecBatchMulti() throws {
        try makeEnvironment()
        let result = try find(["foo", "--exec-batch", "echo", "{}", ";", "--exec-batch", "echo", "{/}"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(batchWords(result), [
            ["./a.foo", "./one/b.foo", "./one/two/C.Foo2", "./one/two/c.foo", "./one/two/three/d.foo", "./one/two/three/directory_foo"],
            ["C.Foo2", "a.foo", "b.foo", "c.foo", "d.foo", "directory_foo"],
        ])
        try assertFindFails(["a.foo", "--exec-batch", "echo", ";", "--exec-batch", "bash", "-c", "exit 1"])
    }

    func testExecBatchWithLimit() throws {
        try makeEnvironment()
        let result = try find(["foo", "--batch-size=2", "--exec-batch", "echo", "{}"])
        XCTAssertEqual(result.status, 0, result.err)
        for line in result.lines { XCTAssertEqual(line.split(separator: " ").count, 2, line) }
        XCTAssertEqual(batchWords(result).flatMap { $0 }.sorted(), ["./a.foo", "./one/b.foo", "./one/two/C.Foo2", "./one/two/c.foo",
                                                                    "./one/two/three/d.foo", "./one/two/three/directory_foo"])
    }

    func testExecWithSeparator() throws {
        try makeEnvironment()
        let a = absoluteRoot.replacingOccurrences(of: "/", with: "#")
        try assertFind(["--path-separator=#", "--absolute-path", "foo", "--exec", "echo"], """
            \(a)#a.foo
            \(a)#one#b.foo
            \(a)#one#two#C.Foo2
            \(a)#one#two#c.foo
            \(a)#one#two#three#d.foo
            \(a)#one#two#three#directory_foo
            """)
        try assertFind(["--path-separator=#", "foo", "--exec", "echo", "{}"],
                       ".#a.foo\n.#one#b.foo\n.#one#two#C.Foo2\n.#one#two#c.foo\n.#one#two#three#d.foo\n.#one#two#three#directory_foo")
        try assertFind(["--path-separator=#", "foo", "--exec", "echo", "{.}"],
                       "a\none#b\none#two#C\none#two#c\none#two#three#d\none#two#three#directory_foo")
        try assertFind(["--path-separator=#", "foo", "--exec", "echo", "{/}"], "a.foo\nb.foo\nC.Foo2\nc.foo\nd.foo\ndirectory_foo")
        try assertFind(["--path-separator=#", "foo", "--exec", "echo", "{/.}"], "a\nb\nC\nc\nd\ndirectory_foo")
        try assertFind(["--path-separator=#", "foo", "--exec", "echo", "{//}"],
                       ".\n.#one\n.#one#two\n.#one#two\n.#one#two#three\n.#one#two#three")
        try assertFind(["--path-separator=#", "e1", "--exec", "printf", "%s.%s\n"], ".#e1 e2.")
    }

    func testExecInvalidUTF8() throws {
        try makeEnvironment(["test1"], [])
        let name = Array("test_".utf8) + [0xFE] + Array("invalid".utf8)
        try write(bytesPath: Array("test1/".utf8) + name + Array(".txt".utf8), [])
        func output(_ placeholder: String) throws -> [UInt8] {
            let result = try find(["", "test1/", "--exec", "echo", placeholder])
            XCTAssertEqual(result.status, 0, result.err)
            return result.stdout
        }
        XCTAssertEqual(try output("{}"), Array("test1/".utf8) + name + Array(".txt\n".utf8))
        XCTAssertEqual(try output("{/}"), name + Array(".txt\n".utf8))
        XCTAssertEqual(try output("{//}"), Array("test1\n".utf8))
        XCTAssertEqual(try output("{.}"), Array("test1/".utf8) + name + [10])
        XCTAssertEqual(try output("{/.}"), name + [10])
    }

    // MARK: Beyond fd's suite

    func testFailingCommandMakesExitStatusOne() throws {
        try makeEnvironment()
        let result = try find(["foo", "-x", "sh", "-c", "case $0 in *c.foo) exit 3;; esac; echo ok $0"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.lines.count, 5, "the other commands ran: \(result.out)")
        XCTAssertEqual(try find(["foo", "-x", "true"]).status, 0)
    }

    func testCommandThatCannotStartIsNamedOnce() throws {
        try makeEnvironment()
        let result = try find(["foo", "-x", "no-such-command-trawl", "{}"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(stderrLines(result), ["trawl: command not found: no-such-command-trawl"])
        let batch = try find(["foo", "-X", "no-such-command-trawl"])
        XCTAssertEqual(batch.status, 1)
        XCTAssertEqual(stderrLines(batch), ["trawl: command not found: no-such-command-trawl"])
    }

    /// Each command prints 200 lines slowly; with 8 running at once their outputs would mix
    /// if written as they came. Every file's block must come out whole.
    func testOutputOfEachCommandIsPrintedWhole() throws {
        for i in 0..<24 { try write("f\(i).txt") }
        let script = "for i in $(seq 1 200); do echo \"$0 $i\"; case $i in *0) sleep 0.001;; esac; done; echo \"$0 err\" >&2"
        let result = try find(["-e", "txt", "-j", "8", "-x", "sh", "-c", script])
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.lines
        XCTAssertEqual(lines.count, 24 * 200)
        for block in stride(from: 0, to: lines.count, by: 200) {
            let file = String(lines[block].split(separator: " ")[0])
            for i in 0..<200 { XCTAssertEqual(lines[block + i], "\(file) \(i + 1)") }
        }
        XCTAssertEqual(stderrLines(result).count, 24)
    }

    func testStdinOfEachCommandIsEmpty() throws {
        try write("f.txt")
        let result = try trawl(["find", "-e", "txt", "-x", "cat"], stdin: .bytes(Array("not for the children\n".utf8)))
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "")
    }

    /// Ctrl-C while slow commands run: the children are stopped (their pids vanish), trawl
    /// exits 130 soon, and no command that was waiting starts.
    func testInterruptStopsChildrenAndExits130() throws {
        try ChildProcess.requireBinary()
        for i in 0..<6 { try write("slow\(i).txt") }
        let script = "echo $$ > \"$0.pid\"; exec sleep 30"
        let child = try ChildProcess(["find", "-e", "txt", "-j", "2", "-x", "sh", "-c", script, ";", "", root])
        let deadline = ContinuousClock.now + .seconds(20)
        func pids() -> [pid_t] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasSuffix(".pid") }.compactMap {
                (try? String(contentsOfFile: root + "/" + $0, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        while pids().count < 2 && ContinuousClock.now < deadline { usleep(20_000) }
        let started = pids()
        XCTAssertEqual(started.count, 2, "two commands run at once with -j 2")
        child.send(SIGINT)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 130)
        let gone = ContinuousClock.now + .seconds(5)
        for pid in started {
            while kill(pid, 0) == 0 && ContinuousClock.now < gone { usleep(10_000) }
            XCTAssertNotEqual(kill(pid, 0), 0, "child \(pid) still runs after the interrupt")
        }
        usleep(200_000)
        XCTAssertEqual(pids().count, 2, "no waiting command started after the interrupt")
    }

    /// -X children share trawl's process group; a SIGINT sent to trawl alone still stops
    /// the batch command, and trawl exits 130.
    func testInterruptStopsBatchCommand() throws {
        try ChildProcess.requireBinary()
        try write("slow.txt")
        let script = "echo $$ > \"$0.pid\"; exec sleep 30"
        let child = try ChildProcess(["find", "-e", "txt", "-X", "sh", "-c", script, ";", "", root])
        let pidFile = root + "/slow.txt.pid"
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: pidFile) && ContinuousClock.now < deadline { usleep(20_000) }
        usleep(50_000)
        let pid = pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNotNil(pid)
        child.send(SIGINT)
        child.readToEnd(timeout: .seconds(10))
        try child.wait(timeout: .seconds(10))
        XCTAssertEqual(child.exitStatus, 130)
        if let pid {
            let gone = ContinuousClock.now + .seconds(5)
            while kill(pid, 0) == 0 && ContinuousClock.now < gone { usleep(10_000) }
            XCTAssertNotEqual(kill(pid, 0), 0, "the batch command still runs after the interrupt")
        }
    }
}
