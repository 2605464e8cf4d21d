import Glibc
import Platform

/// Paths read from a pipe or a file (`--files-from FILE|-`), separated by `\n` or, with
/// -0, by NUL; byte-exact (no trimming, no UTF-8 check). Empty records are skipped.
/// Listed paths are not walked and not filtered, as when ripgrep is given explicit paths.
public enum PathInput {
    /// Reads `fd` to its end, calling `onEntry` (on the calling thread) once per path, in
    /// input order, as soon as its separator (or the end of input) is read.
    /// `stopWhen` ends the reading early (checked between paths and at least every 100 ms
    /// while a pipe is idle): a stopped scan must not drain `find / |` to its end.
    /// Returns the errno of a failed read, nil on success. Does not close `fd`.
    @discardableResult
    public static func read(fd: Int32, separator: UInt8 = UInt8(ascii: "\n"),
                            stopWhen shouldStop: () -> Bool = { false },
                            onEntry: (WalkEntry) -> Void) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        while true {
            if shouldStop() { return nil }
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, 100)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if got == 0 { break }
            var start = 0
            buffer.withUnsafeBytes { bytes in
                // Bounds: start and index stay within 0..<got <= bytes.count.
                var index = 0
                while index < got {
                    if bytes[index] == separator {
                        if shouldStop() { return }
                        if pending.isEmpty {
                            if index > start { onEntry(entry(Array(bytes[start..<index]))) }
                        } else {
                            pending.append(contentsOf: bytes[start..<index])
                            onEntry(entry(pending))
                            pending.removeAll(keepingCapacity: true)
                        }
                        start = index + 1
                    }
                    index += 1
                }
                pending.append(contentsOf: bytes[start..<got])
            }
        }
        if !pending.isEmpty && !shouldStop() { onEntry(entry(pending)) }
        return nil
    }

    /// Opens `path` (`-` = standard input) and reads it as `read(fd:)` does.
    /// Errors: `WalkError.io` when the file cannot be opened or read.
    public static func read(path: [UInt8], separator: UInt8 = UInt8(ascii: "\n"),
                            stopWhen shouldStop: () -> Bool = { false },
                            onEntry: (WalkEntry) -> Void) throws(WalkError) {
        if path == [UInt8(ascii: "-")] {
            if let code = read(fd: 0, separator: separator, stopWhen: shouldStop, onEntry: onEntry) {
                throw .io(path: path, errno: code)
            }
            return
        }
        let fd = path.withCPath { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        defer { close(fd) }
        if let code = read(fd: fd, separator: separator, stopWhen: shouldStop, onEntry: onEntry) {
            throw .io(path: path, errno: code)
        }
    }

    private static func entry(_ path: [UInt8]) -> WalkEntry {
        WalkEntry(path: path, depth: 0, kind: .unknown)
    }
}
