#if canImport(Glibc)
@preconcurrency import Glibc
#endif

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
    let separator: UInt8

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
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { atEnd = true; continue }
            start = 0
            end = got
        }
    }
}
