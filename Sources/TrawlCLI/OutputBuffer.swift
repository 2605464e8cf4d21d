#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Printer

/// trawl's stdout: an own 64 KiB buffer written with write(2), integers formatted by hand.
/// (DESIGN.md: 5M lines in 0.10 s this way, 1.0-1.8 s with print().)
///
/// A broken pipe (EPIPE; SIGPIPE is ignored) sets `isBroken` and drops further output:
/// the caller stops the scan and exits quietly, as ripgrep does. Any other write error
/// sets `writeError` too: the run stops and exits 2 with `writeErrorMessage` (ripgrep: 2).
/// EAGAIN is waited out and a write stalled past an interrupt is abandoned
/// (`InterruptibleWrite`).
/// Not thread-safe: one consumer thread writes.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32
    private let limit: Int
    /// What the output is, for the error message: `standard output` or a file's path.
    let name: String
    private(set) var isBroken = false
    private(set) var writeError: Int32?
    /// Flush after each record (a terminal, or --line-buffered style streaming).
    var flushEachRecord = false

    init(fd: Int32 = 1, name: String = "standard output", limit: Int = 1 << 16) {
        self.fd = fd
        self.name = name
        self.limit = limit
        bytes.reserveCapacity(limit + 4096)
    }

    /// `error writing to NAME: REASON` once a write failed (not for a broken pipe).
    var writeErrorMessage: String? {
        writeError.map { "error writing to \(name): \(String(cString: strerror($0)))" }
    }

    @inline(__always) func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    @inline(__always) func append(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    @inline(__always) func append(_ data: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: data)
    }

    /// A path or other bytes as a JSON string.
    func appendJSONString(_ data: [UInt8]) {
        data.withUnsafeBytes { JSONWriter.appendString($0, to: &bytes) }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A non-negative integer in decimal, without going through String.
    func append(decimal value: Int) {
        bytes.appendDecimal(value)
    }

    /// Ends a record: flushes when the buffer is full or records are flushed one by one.
    /// A record is never split by a flush in the middle: flushes happen only here.
    func endRecord() {
        if flushEachRecord || bytes.count >= limit { flush() }
    }

    /// A whole record too big to copy (a printed 1 GB line): what is buffered is flushed,
    /// then the record is written from its own storage, not copied into the buffer.
    func appendWrittenThrough(_ record: [UInt8]) {
        flush()
        let kept = bytes
        bytes = record  // shares the record's storage: no copy
        flush()
        bytes = kept
    }

    func flush() {
        guard !bytes.isEmpty else { return }
        defer { bytes.removeAll(keepingCapacity: true) }
        guard !isBroken else { return }
        switch bytes.withUnsafeBytes({ InterruptibleWrite.all(fd, $0) }) {
        case .written: break
        case .brokenPipe, .abandoned: isBroken = true
        case .failed(let code):
            writeError = code
            isBroken = true
        }
    }
}

/// Messages on stderr, each starting with `trawl:`.
enum Diagnostics {
    static func error(_ message: String) {
        var line = "trawl: " + message + "\n"
        // A failing stderr has nowhere to be reported; the exit status still tells.
        line.withUTF8 { _ = InterruptibleWrite.all(2, UnsafeRawBufferPointer($0)) }
    }
}
