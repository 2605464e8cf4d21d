#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import WorkerPool

/// Lines of a file or stdin, read in 64 KiB pieces: a manifest of any size streams
/// through without being loaded whole. Bytes, not text: names need not be UTF-8.
struct LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var atEnd = false
    private(set) var lineNumber = 0
    private(set) var separator: UInt8
    /// Set by `init(detectingSeparatorOf:)`: the first read picks LF or NUL.
    private var detectsSeparator = false
    /// While set, a read that would block waits in poll(2) for at most 100 ms at a time and
    /// gives up once the token is cancelled: a stalled pipe does not outlast Ctrl-C.
    private var cancellation: CancellationToken?

    /// `-` reads stdin. Throws the errno text for a file that cannot be opened.
    init(path: String, separator: UInt8 = 10) throws {
        self.separator = separator
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CommandError.message("\(path): \(String(cString: strerror(errno)))") }
            ownsDescriptor = true
        }
    }

    /// A manifest whose separator its first bytes tell: NUL if they hold a NUL (a path
    /// never does, so a newline-separated list never has one), else LF.
    init(detectingSeparatorOf path: String, cancellation: CancellationToken) throws {
        try self.init(path: path)
        detectsSeparator = true
        self.cancellation = cancellation
    }

    func close() {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }

    /// The next line without its separator; nil at the end. A read error ends the input.
    mutating func next() -> [UInt8]? {
        var partial: [UInt8] = []
        while true {
            if start < end {
                let found = buffer.withUnsafeBytes { raw -> Int? in
                    guard let hit = memchr(raw.baseAddress! + start, Int32(separator), end - start) else { return nil }
                    return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
                }
                if let found {
                    partial.append(contentsOf: buffer[start..<found])
                    start = found + 1
                    lineNumber += 1
                    return partial
                }
                partial.append(contentsOf: buffer[start..<end])
                start = end
            }
            if atEnd {
                if partial.isEmpty { return nil }
                lineNumber += 1
                return partial
            }
            if let cancellation, !waitUntilReadable(cancellation) { atEnd = true; continue }
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { atEnd = true; continue }
            start = 0
            end = got
            if detectsSeparator {
                // Decided by the first read that holds a NUL or a newline: a pipe may hand
                // over the first record in pieces.
                if buffer.withUnsafeBytes({ memchr($0.baseAddress!, 0, got) }) != nil {
                    separator = 0
                    detectsSeparator = false
                } else if buffer.withUnsafeBytes({ memchr($0.baseAddress!, 10, got) }) != nil {
                    detectsSeparator = false
                }
            }
        }
    }

    /// False once `cancellation` is cancelled before the descriptor has data (or end of file).
    private func waitUntilReadable(_ cancellation: CancellationToken) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while !cancellation.isCancelled {
            let ready = poll(&entry, 1, 100)
            if ready > 0 || (ready < 0 && errno != EINTR) { return true }
        }
        return false
    }
}
