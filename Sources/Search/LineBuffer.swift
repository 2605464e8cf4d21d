import Glibc

/// Where a `LineBuffer` gets its bytes.
@usableFromInline
enum ByteSource {
    case fileDescriptor(Int32)
    /// An in-memory input (stdin already read, tests); copied chunk by chunk like a file
    /// so transcoding and binary handling stay one code path.
    case memory(UnsafeRawBufferPointer)
    /// A file mapped whole (MAP_PRIVATE, writable for NUL conversion): windows are views
    /// into the mapping, never copies, and pages behind the window are released.
    case mapped(UnsafeMutableRawBufferPointer)
}

/// What one `LineBuffer.fill()` did.
@usableFromInline
enum FillOutcome: Equatable {
    /// New bytes were appended.
    case filled
    /// New bytes were appended and the first NUL of the input is among them
    /// (`.convert` already replaced it; `.quit` expects the caller to stop).
    case foundBinary(offset: Int)
    /// Nothing was appended: the input is exhausted.
    case endOfInput
    /// read(2) failed with this errno.
    case failed(Int32)
}

/// The searcher's read buffer: bytes `[0, end)` of one growable allocation, `baseOffset`
/// being the stream offset of byte 0.
///
/// The caller discards the prefix it is done with, then `fill()` appends one read's worth.
/// The allocation starts at the requested capacity and doubles only when `fill()` finds it
/// full (one line longer than the buffer); `reset` shrinks it back. On the first fill a BOM
/// is sniffed: UTF-8's is dropped, UTF-16 LE/BE input is transcoded to UTF-8 from then on,
/// and other input (after a UTF-8 BOM too, as rg) is decoded from the `decoding` encoding
/// when one is given.
/// Not thread-safe: one per searcher, one searcher per thread.
@usableFromInline
final class LineBuffer {
    /// The window's first byte: `owned` for files and memory, a point in the mapping for
    /// `.mapped` sources.
    @usableFromInline private(set) var storage: UnsafeMutableRawPointer
    /// The malloc'ed buffer behind `storage` when it is not a mapping.
    private var owned: UnsafeMutableRawPointer
    @usableFromInline private(set) var capacity: Int
    /// The start of the mapping for `.mapped` sources, and how far pages were released.
    private var mapping: UnsafeMutableRawBufferPointer?
    private var releasedUpTo = 0
    /// Valid bytes are `storage[0..<end]`.
    @usableFromInline private(set) var end = 0
    /// Stream offset of `storage[0]`.
    @usableFromInline private(set) var baseOffset = 0
    /// Stream offset of the first byte to search (after `skipMappedPrefix`).
    @usableFromInline private(set) var startOffset = 0
    @usableFromInline private(set) var atEOF = false
    /// Offset of the first NUL found (not looked for under `.text`).
    @usableFromInline private(set) var binaryByteOffset: Int? = nil

    private var source = ByteSource.memory(UnsafeRawBufferPointer(start: nil, count: 0))
    private var memoryPosition = 0
    /// A read returning fewer bytes than asked means end of file: true of regular files
    /// (and of memory), never of pipes. Saves the final read(2) that returns 0: one of
    /// four system calls per small file.
    private var shortReadMeansEOF = false
    private var binaryMode = BinaryMode.quit
    private var sniffed = false

    // Transcoded input: raw bytes wait in `raw[rawStart..<rawEnd]` until transcoded.
    private var transcoder: InputTranscoder? = nil
    /// The encoding of input without a UTF-16 BOM (`SearchOptions.decoding`).
    private var decoding: InputDecoding? = nil
    private var raw: UnsafeMutableRawPointer? = nil
    private static let rawCapacity = 64 * 1024
    private var rawAllocated = 0
    private var rawStart = 0
    private var rawEnd = 0
    private var rawEOF = false

    @usableFromInline
    init(capacity: Int) {
        precondition(capacity >= 8, "a line buffer needs room for a few bytes")
        self.capacity = capacity
        self.owned = LineBuffer.allocate(capacity)
        self.storage = owned
    }

    deinit {
        free(owned)
        raw?.deallocate()
    }

    /// malloc/realloc rather than Swift's allocator: glibc grows a large block with mremap,
    /// so doubling for a 1 GiB line neither copies it nor holds both blocks at once.
    private static func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = malloc(byteCount) else { fatalError("out of memory: \(byteCount) bytes") }
        return pointer
    }

    /// Starts a new input; a buffer grown by a long line shrinks back to `capacity`.
    /// `streamOffset` is the stream offset of the source's first byte (a piece of a mapped
    /// file: its file offset); `sniff` false takes the bytes as UTF-8 without a BOM check;
    /// `decoding` (which needs `sniff`) decodes input without a UTF-16 BOM from that encoding.
    @usableFromInline
    func reset(source: ByteSource, capacity: Int, binaryMode: BinaryMode, shortReadMeansEOF: Bool = false,
               streamOffset: Int = 0, sniff: Bool = true, decoding: InputDecoding? = nil) {
        precondition(capacity >= 8, "a line buffer needs room for a few bytes")
        if mapping == nil && capacity != self.capacity {
            free(owned)
            owned = LineBuffer.allocate(capacity)
        }
        self.capacity = capacity
        storage = owned
        mapping = nil
        releasedUpTo = 0
        if case .mapped(let region) = source {
            mapping = region
            storage = region.baseAddress!
            populate(from: 0)
            populate(from: LineBuffer.releaseStep)
        }
        self.source = source
        self.binaryMode = binaryMode
        self.shortReadMeansEOF = shortReadMeansEOF
        memoryPosition = 0
        end = 0
        baseOffset = streamOffset
        startOffset = streamOffset
        atEOF = false
        binaryByteOffset = nil
        scansWholeMapping = false
        precondition(decoding == nil || sniff, "decoding starts at the first fill, after its BOM check")
        sniffed = !sniff
        self.decoding = decoding
        transcoder = nil
        rawStart = 0
        rawEnd = 0
        rawEOF = false
    }

    @usableFromInline
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: end) }

    /// Drops `storage[0..<count]`; the rest moves to the front.
    @usableFromInline
    func discardPrefix(_ count: Int) {
        precondition(count >= 0 && count <= end)
        if count == 0 { return }
        if let mapping {
            // A view moves instead of bytes. Pages fully behind it leave this process's
            // resident set in 8 MiB steps, so a 1 GiB file never counts 1 GiB of RSS.
            storage += count
            end -= count
            baseOffset += count
            let behind = mapping.baseAddress!.distance(to: storage) & ~(LineBuffer.releaseStep - 1)
            if behind - releasedUpTo >= LineBuffer.releaseStep {
                madvise(mapping.baseAddress! + releasedUpTo, behind - releasedUpTo, MADV_DONTNEED)
                releasedUpTo = behind
                populate(from: behind + LineBuffer.releaseStep)
            }
            return
        }
        if count < end { memmove(storage, storage + count, end - count) }
        end -= count
        baseOffset += count
    }

    private static let releaseStep = 8 << 20
    /// Set once a mapped file has a line too long to check when reported: fills from then
    /// on scan all they add, as for a file that is read.
    @usableFromInline var scansWholeMapping = false
    /// How much of a mapped file the fills scan for NUL (rg: 64 KiB).
    @usableFromInline static let mappedBinaryPrefix = 64 << 10

    /// Starts the search `count` bytes into a mapped source whose view begins on a page
    /// boundary (a piece of a file that starts mid-page).
    @usableFromInline
    func skipMappedPrefix(_ count: Int) {
        precondition(mapping != nil && end == 0 && count >= 0)
        storage += count
        baseOffset += count
        startOffset = baseOffset
    }

    /// True when the input is a mapping: bytes stay addressable after their pages leave
    /// the resident set (`releasePages`).
    @usableFromInline
    var isMapped: Bool { mapping != nil }

    /// Mapped sources: takes the whole release steps inside `storage[from..<to]` out of the
    /// resident set, for a long line being streamed. They fault back in from the page cache
    /// if the line is printed. Only bytes the caller has scanned and found free of `\n`
    /// are released, so no NUL rewritten to `\n` (`.convert`) is ever dropped with a page.
    /// Returns the index up to which pages are now released: pass it as the next `from`.
    @usableFromInline
    func releasePages(from: Int, to: Int) -> Int {
        guard let mapping else { return from }
        let step = LineBuffer.releaseStep
        let viewStart = mapping.baseAddress!.distance(to: storage)
        let low = (viewStart + from + step - 1) & ~(step - 1)
        let high = (viewStart + to) & ~(step - 1)
        guard high > low else { return from }
        madvise(mapping.baseAddress! + low, high - low, MADV_DONTNEED)
        return high - viewStart
    }

    /// Maps the next step of the file into the page table in one call (MADV_POPULATE_READ,
    /// Linux 5.14): one fault per 4 KiB page was most of a mapped search's time
    /// (1 GiB, PM_RESUME: 65% in the first memchr to touch each page). A hint: ignored by
    /// older kernels.
    private func populate(from offset: Int) {
        guard let mapping, offset < mapping.count else { return }
        let length = min(LineBuffer.releaseStep, mapping.count - offset)
        madvise(mapping.baseAddress! + offset, length, 22 /* MADV_POPULATE_READ */)
    }

    /// The size of a regular file behind the source, or nil (pipes, memory, errors).
    @usableFromInline
    var sourceFileSize: Int? {
        guard case .fileDescriptor(let fd) = source else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Appends at least one byte, or reports the end of input or a read error.
    @usableFromInline
    func fill() -> FillOutcome {
        precondition(!atEOF, "fill after end of input")
        if end == capacity {
            // A mapped view widens by at most one release step: each fill's NUL scan and
            // the long-line scanner then touch a bounded piece before it is released.
            grow(to: mapping == nil ? capacity * 2 : capacity + min(capacity, LineBuffer.releaseStep))
        }
        let oldEnd = end
        let error: Int32?
        if !sniffed {
            error = sniffEncodingAndRead()
        } else if transcoder != nil {
            error = readTranscoded()
        } else {
            error = readPlain()
        }
        if let error { return .failed(error) }
        if end == oldEnd { return .endOfInput }
        return lookForBinary(from: oldEnd)
    }

    /// Makes room for at least `minimum` bytes in all.
    @usableFromInline
    func reserve(_ minimum: Int) {
        if minimum > capacity { grow(to: minimum) }
    }

    private func grow(to newCapacity: Int) {
        if mapping != nil {
            // A wider view of the same mapping: nothing to allocate or copy.
            capacity = newCapacity
            return
        }
        guard let bigger = realloc(owned, newCapacity) else { fatalError("out of memory: \(newCapacity) bytes") }
        owned = bigger
        storage = bigger
        capacity = newCapacity
    }

    /// read(2) (or a copy from memory) of up to `count` bytes: the count, or -errno.
    private func readRaw(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        switch source {
        case .fileDescriptor(let fd):
            while true {
                let n = read(fd, destination, count)
                if n >= 0 { return n }
                if errno != EINTR { return -Int(errno) }
            }
        case .mapped:
            preconditionFailure("mapped sources are viewed, not read")
        case .memory(let memory):
            let n = min(count, memory.count - memoryPosition)
            if n > 0 { destination.copyMemory(from: memory.baseAddress! + memoryPosition, byteCount: n) }
            memoryPosition += n
            return n
        }
    }

    private func readPlain() -> Int32? {
        if let mapping {
            let available = mapping.count - mapping.baseAddress!.distance(to: storage) - end
            let n = min(capacity - end, available)
            if n <= 0 || n == available { atEOF = true }
            end += max(0, n)
            return nil
        }
        let asked = capacity - end
        let n = readRaw(into: storage + end, count: asked)
        if n < 0 { return Int32(-n) }
        if n == 0 || (n < asked && shortReadMeansEOF) { atEOF = true }
        end += n
        return nil
    }

    /// First fill: reads until three bytes are in (or the input ends) to see a BOM.
    private func sniffEncodingAndRead() -> Int32? {
        sniffed = true
        while end < 3 && !atEOF {
            if let error = readPlain() { return error }
        }
        let b = bytes
        let bomLength: Int
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            // rg drops a UTF-8 BOM so `^` matches the first text byte, and decodes what
            // follows from the `-E` encoding all the same (rg 15: `-E latin1` reads
            // "\xEF\xBB\xBFcaf\xC3\xA9" as "cafÃ©"); auto passes it through.
            guard let decoding else {
                discardPrefix(3)
                baseOffset = 0
                return nil
            }
            transcoder = InputTranscoder(decoding)
            bomLength = 3
        } else if b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
            transcoder = .utf16(UTF16Transcoder(bigEndian: b[0] == 0xFE))
            bomLength = 2
        } else if let decoding {
            transcoder = InputTranscoder(decoding)
            bomLength = 0
        } else {
            return nil
        }
        // Move what was read (minus the BOM) to the raw side and transcode it from there.
        let rawBytes = end - bomLength
        if raw == nil || rawBytes > rawAllocated {
            raw?.deallocate()
            rawAllocated = max(LineBuffer.rawCapacity, rawBytes)
            raw = UnsafeMutableRawPointer.allocate(byteCount: rawAllocated, alignment: 16)
        }
        raw!.copyMemory(from: storage + bomLength, byteCount: rawBytes)
        rawStart = 0
        rawEnd = rawBytes
        rawEOF = atEOF
        atEOF = false
        end = 0
        return readTranscoded()
    }

    private func readTranscoded() -> Int32? {
        guard var transcoder, let raw else { preconditionFailure("no transcoder") }
        defer { self.transcoder = transcoder }
        let rawCapacity = rawAllocated
        let unit = transcoder.unitSize
        while true {
            if rawEnd - rawStart < unit && !rawEOF {
                let left = rawEnd - rawStart
                if left > 0 { raw.copyMemory(from: raw + rawStart, byteCount: left) }
                rawStart = 0
                rawEnd = left
                let asked = rawCapacity - rawEnd
                let n = readRaw(into: raw + rawEnd, count: asked)
                if n < 0 { return Int32(-n) }
                if n == 0 || (n < asked && shortReadMeansEOF) { rawEOF = true }
                rawEnd += n
            }
            if capacity - end < transcoder.roomNeeded { grow(to: max(capacity * 2, end + transcoder.roomNeeded)) }
            let (consumed, produced) = transcoder.transcode(
                UnsafeRawBufferPointer(start: raw + rawStart, count: rawEnd - rawStart),
                into: UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end))
            rawStart += consumed
            end += produced
            if rawEOF && rawEnd - rawStart < unit {
                end += transcoder.finish(
                    trailingBytes: rawEnd - rawStart,
                    into: UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end))
                rawStart = rawEnd
                atEOF = true
                return nil
            }
            if produced > 0 { return nil }
        }
    }

    /// Looks for NUL in the new bytes `[from, end)`: memchr runs at memory speed, and
    /// under `.convert` every NUL becomes `\n` (rg's line-terminator substitution).
    private func lookForBinary(from start: Int) -> FillOutcome {
        if binaryMode == .text { return .filled }
        if binaryByteOffset != nil && binaryMode == .quit { return .filled }
        var limit = storage + end
        if mapping != nil && !scansWholeMapping {
            // A mapped file is scanned for NUL (and, under `.convert`, NULs rewritten) in its
            // first `mappedBinaryPrefix` bytes only; the searcher checks the lines it reports
            // (`Searcher.report`), as rg does with memory maps: a whole scan was a fifth of the
            // CPU of a search of the 1 GiB file.
            let scanEnd = LineBuffer.mappedBinaryPrefix - baseOffset
            if scanEnd <= start { return .filled }
            limit = storage + min(end, scanEnd)
        }
        var p = storage + start
        var first: Int? = nil
        while p < limit, let hit = memchr(p, 0, limit - p) {
            if first == nil { first = baseOffset + storage.distance(to: hit) }
            if binaryMode == .quit { break }
            hit.storeBytes(of: UInt8(ascii: "\n"), as: UInt8.self)
            p = hit + 1
        }
        guard let first, binaryByteOffset == nil else { return .filled }
        binaryByteOffset = first
        return .foundBinary(offset: first)
    }
}

/// The decoder a `LineBuffer` transcodes through: UTF-16 (by its BOM) or the encoding
/// `-E` names (`SearchOptions.decoding`).
private enum InputTranscoder {
    case utf8(UTF8ValidatingTranscoder)
    case utf16(UTF16Transcoder)
    case multiByte(MultiByteTranscoder)
    case singleByte(SingleByteTranscoder)

    init(_ decoding: InputDecoding) {
        switch decoding {
        case .utf8: self = .utf8(UTF8ValidatingTranscoder())
        case .utf16(let bigEndian): self = .utf16(UTF16Transcoder(bigEndian: bigEndian))
        case .multiByte(let encoding): self = .multiByte(MultiByteTranscoder(encoding))
        case .singleByte(let upperHalf): self = .singleByte(SingleByteTranscoder(upperHalf: upperHalf))
        }
    }

    /// Input is consumed in whole units of this many bytes.
    var unitSize: Int {
        switch self {
        case .utf16: return 2
        case .utf8, .multiByte, .singleByte: return 1
        }
    }

    /// Free output a call to `transcode` or `finish` needs to make progress.
    var roomNeeded: Int {
        switch self {
        case .utf8: return 2 * UTF8ValidatingTranscoder.maxOutputPerByte
        case .utf16: return 2 * UTF16Transcoder.maxOutputPerUnit
        case .multiByte: return MultiByteTranscoder.maxFinishOutput
        case .singleByte: return 2 * SingleByteTranscoder.maxOutputPerByte
        }
    }

    mutating func transcode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> (consumed: Int, produced: Int) {
        switch self {
        case .utf8(var utf8):
            defer { self = .utf8(utf8) }
            return utf8.transcode(input, into: output)
        case .utf16(var utf16):
            defer { self = .utf16(utf16) }
            return utf16.transcode(input, into: output)
        case .multiByte(var multiByte):
            defer { self = .multiByte(multiByte) }
            return multiByte.transcode(input, into: output)
        case .singleByte(let singleByte):
            return singleByte.transcode(input, into: output)
        }
    }

    /// Ends the stream, `trailingBytes` (fewer than a unit) left unread.
    mutating func finish(trailingBytes: Int, into output: UnsafeMutableRawBufferPointer) -> Int {
        switch self {
        case .utf8(var utf8):
            defer { self = .utf8(utf8) }
            return utf8.finish(into: output)
        case .utf16(var utf16):
            defer { self = .utf16(utf16) }
            return utf16.finish(oddTrailingByte: trailingBytes == 1, into: output)
        case .multiByte(var multiByte):
            defer { self = .multiByte(multiByte) }
            return multiByte.finish(into: output)
        case .singleByte:
            return 0
        }
    }
}
