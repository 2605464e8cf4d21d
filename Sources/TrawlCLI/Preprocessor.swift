#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Walk

/// `--pre COMMAND` (with `--pre-glob`) and `-z/--search-zip`: a file is searched through a
/// child process's output, as ripgrep does it: no decompression library, the tool on PATH.
/// `--pre` runs `COMMAND PATH` with the file on stdin; `-z` runs the decompressor its
/// extension names (`gzip -d -c PATH`, ...). A decompressor missing from PATH leaves the
/// file searched as it is. Stdin is never preprocessed.
struct Preprocessor: Sendable {
    let command: String?
    let commandGlobs: [ByteGlob]
    let searchZip: Bool

    /// Throws rg's error for a `--pre-glob` that does not parse.
    init?(_ arguments: ParsedArguments) throws {
        let command = arguments.lastOf(.pre, .noPre) == .pre ? arguments.value(.pre).flatMap { $0.isEmpty ? nil : $0 } : nil
        let searchZip = arguments.lastOf(.searchZip, .noSearchZip) == .searchZip
        guard command != nil || searchZip else { return nil }
        self.command = command
        commandGlobs = try arguments.values(.preGlob).map { glob in
            do { return try ByteGlob(validating: Array(glob.utf8)) } catch let error as GlobSyntaxError {
                throw CommandError.message(error.message(glob: glob))
            }
        }
        self.searchZip = searchZip
    }

    /// ripgrep's decompressors: (name suffixes, program, arguments before the path).
    static let decompressors: [(suffixes: [String], program: String, arguments: [String])] = [
        ([".gz", ".tgz"], "gzip", ["-d", "-c"]),
        ([".bz2", ".tbz2"], "bzip2", ["-d", "-c"]),
        ([".xz", ".txz"], "xz", ["-d", "-c"]),
        ([".lz4"], "lz4", ["-d", "-c"]),
        ([".lzma"], "xz", ["--format=lzma", "-d", "-c"]),
        ([".br"], "brotli", ["-d", "-c"]),
        ([".zst", ".zstd"], "zstd", ["-q", "-d", "-c"]),
        ([".Z"], "uncompress", ["-c"]),
    ]

    /// The child to run for `path`, with whether it reads the file on stdin; nil to read
    /// the file itself.
    func invocation(for path: [UInt8]) -> (argv: [[UInt8]], fileOnStdin: Bool)? {
        let name = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last.map(Array.init) ?? path
        if let command, commandGlobs.isEmpty || commandGlobs.contains(where: { $0.matches(name) }) {
            return ([Array(command.utf8), path], true)
        }
        guard searchZip else { return nil }
        for decompressor in Self.decompressors
        where decompressor.suffixes.contains(where: { name.count > $0.utf8.count && name.ends(with: Array($0.utf8)) }) {
            guard Self.onPath(decompressor.program) else { return nil }
            return ([Array(decompressor.program.utf8)] + decompressor.arguments.map { Array($0.utf8) } + [path], false)
        }
        return nil
    }

    static func onPath(_ program: String) -> Bool {
        let path = ProcessEnvironment.current["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
    }

    /// A running child whose stdout is `output`.
    struct Child {
        let pid: pid_t
        let output: Int32

        /// Closes the pipe and reaps the child: nil when it succeeded (or was stopped by the
        /// closed pipe after the search had what it wanted), else the failure in words.
        func finish(searchCompleted: Bool) -> String? {
            close(output)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exited = status & 0x7f == 0
            let code = (status >> 8) & 0xff
            if exited && code == 0 { return nil }
            if !searchCompleted { return nil }
            return exited ? "exited with status \(code)" : "killed by signal \(status & 0x7f)"
        }
    }

    /// Starts `argv` (argv[0] looked up on PATH) with stdout to a pipe, stdin from `stdinPath`
    /// (or /dev/null), stderr shared. Throws the reason when it cannot start.
    static func spawn(_ argv: [[UInt8]], stdinPath: [UInt8]?) throws(SpawnError) -> Child {
        var fds: [Int32] = [-1, -1]
        // pipe2 is hidden from Swift's Glibc: close-on-exec is set right after, so another
        // worker's child can inherit the pipe only in that instant.
        guard pipe(&fds) == 0 else { throw SpawnError(reason: String(cString: strerror(errno))) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        let input = stdinPath ?? Array("/dev/null".utf8)
        // Paths are bytes: pass them through unchanged, not via String, for any file name.
        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { bytes in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        } + [nil]
        defer { for pointer in cArguments { pointer?.deallocate() } }
        let stdinFile = input.withUnsafeBufferPointer { bytes -> Int32 in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { path in
                for index in 0..<bytes.count { path[index] = CChar(bitPattern: bytes[index]) }
                path[bytes.count] = 0
                return open(path.baseAddress!, O_RDONLY | O_CLOEXEC)
            }
        }
        guard stdinFile >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fds[0]); close(fds[1])
            throw SpawnError(reason: reason)
        }
        defer { close(stdinFile) }
        posix_spawn_file_actions_adddup2(&actions, stdinFile, 0)
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, cArguments[0]!, &actions, nil, cArguments, environ)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw SpawnError(reason: String(cString: strerror(status)))
        }
        return Child(pid: pid, output: fds[0])
    }

    struct SpawnError: Error {
        let reason: String
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
