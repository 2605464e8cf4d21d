#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import WorkerPool

/// `find`'s stdout, shared by the walking threads and the command workers: whole records
/// and whole command outputs go in under one lock, so nothing interleaves.
///
/// As fd does, results are held for the first 100 ms: a search that ends by then prints
/// them sorted (the same order every run); a longer one prints what it holds and streams.
///
/// Thread-safety: every method takes the lock; `OutputBuffer` is touched only under it.
final class FindOutput: @unchecked Sendable {
    private let lock = ConditionLock()
    // Guarded by `lock`:
    private let output: OutputBuffer
    private var held: [(key: [UInt8], record: [UInt8])] = []
    private var streaming: Bool
    private var results = 0
    private let started = ContinuousClock.now
    /// Flush after every piece (a terminal: results show as they are found).
    private let interactive: Bool
    static let holdTime: Duration = .milliseconds(100)

    /// The most results to print (nil: all); `limitReached` is called once when it is hit.
    let maxResults: Int?
    private let limitReached: @Sendable () -> Void

    init(output: OutputBuffer, sortFirstResults: Bool, maxResults: Int?, limitReached: @escaping @Sendable () -> Void) {
        self.output = output
        streaming = !sortFirstResults
        self.maxResults = maxResults
        self.limitReached = limitReached
        interactive = isatty(1) == 1
    }

    var resultCount: Int { lock.withLock { results } }
    var isBroken: Bool { lock.withLock { output.isBroken } }

    /// Records of one walked directory: `keys[i]` (the path) orders `records[i]`.
    func add(keys: [[UInt8]], records: [[UInt8]]) {
        lock.withLock {
            var count = keys.count
            if let maxResults {
                count = min(count, maxResults - results)
                guard count > 0 else { return }
            }
            results += count
            if !streaming && ContinuousClock.now - started < Self.holdTime {
                for i in 0..<count { held.append((keys[i], records[i])) }
            } else {
                startStreaming()
                for i in 0..<count {
                    output.append(records[i])
                    output.endRecord()
                }
                if interactive { output.flush() }
            }
            if let maxResults, results >= maxResults { limitReached() }
        }
    }

    /// Counts a result that is not printed (`--quiet`, `-x`, `-X`); true while under the limit.
    func count() -> Bool {
        lock.withLock {
            if let maxResults, results >= maxResults { return false }
            results += 1
            if let maxResults, results >= maxResults { limitReached() }
            return true
        }
    }

    private func startStreaming() {
        guard !streaming else { return }
        streaming = true
        for item in held {
            output.append(item.record)
            output.endRecord()
        }
        held = []
    }

    /// One command's output, whole: stdout (then a NUL with -0), then its stderr.
    func writeWhole(stdout: [UInt8], stderr: [UInt8], nullSeparated: Bool) {
        lock.withLock {
            output.append(stdout)
            if nullSeparated { output.append(0) }
            // Out as soon as the command is done, as fd writes it: a write per command
            // costs nothing next to the command's own start.
            output.flush()
            if !stderr.isEmpty { Self.writeAll(2, stderr) }
        }
    }

    /// A message on stderr after the records before it.
    func error(_ message: String) {
        lock.withLock {
            output.flush()
            Diagnostics.error(message)
        }
    }

    func flush() {
        lock.withLock { output.flush() }
    }

    /// The end of the walk: held records sorted, everything written.
    func finish() {
        lock.withLock {
            if !streaming {
                held.sort { $0.key.lexicographicallyPrecedes($1.key) }
                startStreaming()
            }
            output.flush()
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}
