import CShims
import Glibc

/// The line searcher of `trawl grep` (ripgrep's grep-searcher): reads an input in
/// fixed-size chunks, asks a `Matcher` about whole windows of lines, and reports matching
/// lines and their context to a `SearchSink`.
///
/// Memory: the buffer (`SearchOptions.bufferCapacity`) plus the longest line up to
/// `longLineThreshold`, since such a line is held whole before it is searched (it may have
/// to be printed); with `-B N` the N lines before the next window stay too. A longer line
/// is streamed through the matcher's `LineScanner`: from a mapping it stays addressable
/// but leaves the resident set as it is scanned; from a pipe it is dropped as it is fed
/// when the sink needs no bytes (`-c`, `-l`, `-q`), else held. Multiline mode holds the
/// whole input.
///
/// The search code is `@inlinable` so it specializes for the caller's sink: with a sink in
/// another module, 17M matching lines took 1.20 s unspecialized, 0.58-0.61 s specialized.
///
/// Thread-safety: not thread-safe. Make one `Searcher` per worker thread and reuse it
/// across files (the buffer is reused); the matcher may be shared by all.
public final class Searcher {
    public let matcher: any Matcher
    public let options: SearchOptions
    @usableFromInline let buffer: LineBuffer
    /// Asked before every read (one per buffer fill, so at most every 256 KiB): true ends
    /// the search at once, with `SearchResult.cancelled` set (Ctrl-C, `-q` elsewhere).
    public var isCancelled: (() -> Bool)? = nil

    public init(matcher: any Matcher, options: SearchOptions = SearchOptions()) {
        self.matcher = matcher
        self.options = options
        self.buffer = LineBuffer(capacity: options.bufferCapacity)
    }

    /// Searches what `fileDescriptor` reads until end of file; the descriptor is not closed.
    /// `path` only names the input in errors. Pass `isRegularFile: true` when the caller
    /// knows (d_type, stat) that it is one: a short read then ends the input, saving the
    /// read(2) that would return 0 (a file growing meanwhile is read as a snapshot).
    ///
    /// A regular file of `mappingThreshold` bytes or more is mapped and searched in place
    /// (no copy into the buffer; pages behind the search are released, so resident memory
    /// stays near the window size). 1 GiB file, `PM_RESUME`: read(2) into 256 KiB 0.23 s,
    /// mapped 0.12 s on this 2-core machine; ripgrep maps single files too.
    ///
    /// With a `scheduler`, a mapped file of 64 MiB or more is cut into
    /// `scheduler.pieceCount` pieces searched on its threads (`BigFileSearch`) when the
    /// options let the pieces' matching lines join (no context, `-v` or multiline): the
    /// sink gets the calls one search from the start would make. A file truncated while
    /// mapped ends with `SearcherError.truncated`, split or not.
    @inlinable
    public func search<Sink: SearchSink>(
        fileDescriptor: Int32, path: String, isRegularFile: Bool = false,
        splittingOn scheduler: (any PieceScheduler)? = nil, into sink: inout Sink
    ) -> SearchResult {
        _ = begin(fileDescriptor: fileDescriptor, isRegularFile: isRegularFile)
        if let scheduler, let mapping = mapped,
           var result = BigFileSearch.search(mapping: mapping, path: path, searcher: self, scheduler: scheduler, into: &sink) {
            firstFill = nil
            if releaseMapping() && result.error == nil { result.error = .truncated(path: path) }
            return result
        }
        return searchBegun(path: path, into: &sink)
    }

    /// The first half of `search(fileDescriptor:)`: reads the first buffer and returns the
    /// file's size when it is a regular file that filled it (most files are smaller: their
    /// search costs no fstat at all, a sixth of the system calls of a tree search), mapping
    /// it when it is big. `searchBegun` must follow, before any other search.
    @inlinable
    func begin(fileDescriptor: Int32, isRegularFile: Bool) -> Int? {
        buffer.reset(source: .fileDescriptor(fileDescriptor), capacity: options.bufferCapacity,
                     binaryMode: options.binaryMode, shortReadMeansEOF: isRegularFile, sniff: options.sniffEncoding,
                     decoding: options.decoding)
        firstFill = buffer.fill()
        // Decoded input is read through the transcoder, never mapped.
        guard isRegularFile, options.decoding == nil, !buffer.atEOF, buffer.end == buffer.capacity,
              let size = buffer.sourceFileSize else {
            return nil
        }
        let threshold = options.mapping == .whenBig ? Searcher.mappingThreshold : options.mapping == .always ? 1 : Int.max
        if let mapping = Searcher.map(fileDescriptor, size: size, threshold: threshold) {
            // Searched in place: the bytes read so far are looked at again in the mapping.
            mapped = mapping
            mappedGuard = trawl_map_guard_register(mapping.baseAddress, mapping.count)
            buffer.reset(source: .mapped(mapping), capacity: options.mappedWindow,
                         binaryMode: options.binaryMode, shortReadMeansEOF: true)
            firstFill = nil
        }
        return size
    }

    /// Searches the input `begin` started.
    @inlinable
    func searchBegun<Sink: SearchSink>(path: String, into sink: inout Sink) -> SearchResult {
        var result = run(path: path, sink: &sink)
        if releaseMapping() && result.error == nil { result.error = .truncated(path: path) }
        return result
    }

    /// Unmaps what `begin` mapped; true when the file was found truncated.
    @usableFromInline
    func releaseMapping() -> Bool {
        guard let mapping = mapped else { return false }
        let truncated = trawl_map_guard_unregister(mappedGuard) != 0
        munmap(mapping.baseAddress, mapping.count)
        mapped = nil
        mappedGuard = -1
        return truncated
    }

    /// What `begin` read first (handed to the search, which reports its NUL or error).
    @usableFromInline var firstFill: FillOutcome? = nil
    /// The mapping `begin` made, unmapped when the search is over.
    @usableFromInline var mapped: UnsafeMutableRawBufferPointer? = nil
    /// The SIGBUS guard of `mapped` (`trawl_map_guard_register`), -1 when none.
    @usableFromInline var mappedGuard: Int32 = -1

    /// Searches the whole lines in `mapping[range]`, a piece of a mapped file
    /// (one big file searched on several threads, each taking a piece that starts after a
    /// `\n`): line numbers count from the piece's first line, byte offsets are file
    /// offsets, and `SearchStats.newlines` says where the next piece's numbers start. Only
    /// the first piece is checked for a BOM. Use `BinaryMode.quit` or `.text`: `.convert`
    /// would write into a mapping other threads read.
    @inlinable
    public func search<Sink: SearchSink>(
        mapping: UnsafeMutableRawBufferPointer, range: Range<Int>, path: String, into sink: inout Sink
    ) -> SearchResult {
        precondition(range.lowerBound >= 0 && range.upperBound <= mapping.count)
        // The view starts at a page boundary so pages can be released behind it.
        let pageStart = range.lowerBound & ~(Searcher.pageSize - 1)
        let piece = UnsafeMutableRawBufferPointer(rebasing: mapping[pageStart..<range.upperBound])
        buffer.reset(source: .mapped(piece), capacity: options.mappedWindow, binaryMode: options.binaryMode,
                     shortReadMeansEOF: true, streamOffset: pageStart, sniff: range.lowerBound == 0)
        buffer.skipMappedPrefix(range.lowerBound - pageStart)
        firstFill = nil
        return run(path: path, sink: &sink, countingEveryLine: true)
    }

    @usableFromInline
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The mapping `begin` made of a file of `mappingThreshold` bytes or more; valid until
    /// the search it began is over.
    var begunMapping: UnsafeMutableRawBufferPointer? { mapped }

    /// Files below this are read: mapping and unmapping cost more than copying them (and
    /// unmapping in a busy multi-threaded walk costs TLB shootdowns on every core).
    public static let mappingThreshold = 16 << 20

    /// A private writable mapping of the whole file (`.convert` rewrites NULs in place), or
    /// nil when the file is small, starts with a UTF-16 BOM (transcoded through the buffer)
    /// or cannot be mapped; the caller then reads it.
    @usableFromInline
    static func map(_ fd: Int32, size: Int, threshold: Int = mappingThreshold) -> UnsafeMutableRawBufferPointer? {
        guard size >= threshold, let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            return nil
        }
        let first = base.load(as: UInt8.self), second = base.load(fromByteOffset: 1, as: UInt8.self)
        if (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF) {
            munmap(base, size)
            return nil
        }
        madvise(base, size, MADV_SEQUENTIAL)
        return UnsafeMutableRawBufferPointer(start: base, count: size)
    }

    /// Opens `path` read-only, searches it and closes it. An open failure is returned as
    /// `SearcherError.open` without any sink call.
    @inlinable
    public func search<Sink: SearchSink>(path: String, into sink: inout Sink) -> SearchResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            return SearchResult(stats: SearchStats(), error: .open(path: path, errno: errno))
        }
        defer { close(fd) }
        return search(fileDescriptor: fd, path: path, into: &sink)
    }

    /// Searches an in-memory input (stdin read ahead, tests). `bytes` must stay valid
    /// during the call.
    @inlinable
    public func search<Sink: SearchSink>(
        bytes: UnsafeRawBufferPointer, path: String = "<stdin>", into sink: inout Sink
    ) -> SearchResult {
        buffer.reset(source: .memory(bytes), capacity: options.bufferCapacity,
                     binaryMode: options.binaryMode, shortReadMeansEOF: true, sniff: options.sniffEncoding,
                     decoding: options.decoding)
        firstFill = nil
        return run(path: path, sink: &sink)
    }

    /// `countingEveryLine`: with line numbers, count the lines after the last reported one
    /// too (`SearchStats.newlines`); a cost every other search skips.
    @inlinable
    func run<Sink: SearchSink>(path: String, sink: inout Sink, countingEveryLine: Bool = false) -> SearchResult {
        withUnsafeMutablePointer(to: &sink) { run(path: path, sinkAt: $0, countingEveryLine: countingEveryLine) }
    }

    /// The search writes through to the caller's sink: a sink moved in and out of the
    /// search's state was copied on the way out, retaining each of its buffers and the
    /// printer's shared configuration per file (with the matcher's, 5% of a tree search's
    /// user time). A copy kept would also share the sink's buffers, so its first write
    /// would copy them (copy-on-write).
    @inlinable
    func run<Sink: SearchSink>(path: String, sinkAt sink: UnsafeMutablePointer<Sink>, countingEveryLine: Bool) -> SearchResult {
        var search = LineSearch(matcher: matcher, options: options, buffer: buffer, sink: sink)
        search.isCancelled = isCancelled
        let first = firstFill
        firstFill = nil
        let error: Int32?
        if let maxCount = options.maxCount, maxCount <= 0 {
            error = nil
        } else if let first, case .failed(let code) = first {
            error = code
        } else if let first, search.takeFill(first) {
            error = nil
        } else if options.multiline {
            error = search.runWholeInput()
        } else {
            error = search.runStreaming()
        }
        // Stopped by -m or the sink: searched up to the end of the last reported line (rg's
        // count), not to the end of the window the line was found in. Under -U too for a
        // pattern that cannot match `\n`: rg searches it line by line.
        let searchedTo = search.stopped && search.hasReported && !search.stats.quitOnBinary
            && !(options.multiline && matcher.canMatchNewline)
            ? min(search.lastReportedEndAbsolute, search.baseOffset + search.searchFrom)
            : search.baseOffset + search.searchFrom
        search.stats.bytesSearched = searchedTo - buffer.startOffset
        let reachedEnd = error == nil && !search.stopped && !search.cancelled && !search.stats.quitOnBinary
        if options.lineNumbers && reachedEnd && countingEveryLine {
            search.countLines(upTo: search.buffer.end)
            search.stats.newlines = search.newlinesBefore
        }
        sink.pointee.finished(search.stats)
        var result = SearchResult(stats: search.stats, error: error.map { .read(path: path, errno: $0) })
        result.cancelled = search.cancelled
        result.reachedEnd = reachedEnd
        return result
    }
}

/// The state of one search. Indexes without "absolute" in their name are into the buffer
/// (`buffer.storage`), whose front is discarded between reads; `baseOffset` converts.
@usableFromInline
struct LineSearch<Sink: SearchSink> {
    @usableFromInline let matcher: any Matcher
    @usableFromInline let options: SearchOptions
    @usableFromInline let buffer: LineBuffer
    /// The caller's sink, written in place (`Searcher.run`); valid for the search.
    @usableFromInline let sink: UnsafeMutablePointer<Sink>
    @usableFromInline var stats = SearchStats()
    /// Copies of `buffer.storage` and `buffer.baseOffset`, refreshed after every buffer
    /// change: reading a class's stored `var` costs a dynamic exclusivity check
    /// (swift_beginAccess was 24% of a profile with 17M matching lines).
    @usableFromInline var storage: UnsafeMutableRawPointer
    @usableFromInline var baseOffset = 0

    /// Every line before this index has been searched.
    @usableFromInline var searchFrom = 0
    /// Absolute end of the last line given to the sink; `hasReported` says if there is one.
    @usableFromInline var lastReportedEndAbsolute = 0
    @usableFromInline var hasReported = false
    /// After-context lines still owed to the last reported line.
    @usableFromInline var afterRemaining = 0
    /// `-m` reached: only the trailing after-context is still reported.
    @usableFromInline var draining = false
    @usableFromInline var stopped = false
    @usableFromInline var isCancelled: (() -> Bool)? = nil
    @usableFromInline var cancelled = false
    /// Line counting: `newlinesBefore` newlines lie in the input before index `countedUpTo`.
    @usableFromInline var countedUpTo = 0
    @usableFromInline var newlinesBefore = 0
    /// Multiline search: the whole input, handed to the sink with each block.
    @usableFromInline var multilineText: UnsafeRawBufferPointer? = nil
    /// The line longer than `longLineThreshold` being streamed, if any.
    @usableFromInline var longLine: LongLine? = nil
    /// Set once a long line could not be streamed (engine or sink needs it whole).
    @usableFromInline var longLinesHeld = false

    @inlinable
    init(matcher: any Matcher, options: SearchOptions, buffer: LineBuffer, sink: UnsafeMutablePointer<Sink>) {
        self.matcher = matcher
        self.options = options
        self.buffer = buffer
        self.sink = sink
        self.storage = buffer.storage
    }

    @inlinable
    mutating func bufferChanged() {
        storage = buffer.storage
        baseOffset = buffer.baseOffset
    }

    // MARK: Driving the reads

    /// Window by window: each window ends at the last `\n` read so far (or at end of input);
    /// the incomplete line after it is carried to the next read.
    /// A line longer than `longLineThreshold` goes to the matcher's `LineScanner` piece by
    /// piece instead (`startLongLine`), so no line needs its size in memory.
    @inlinable
    mutating func runStreaming() -> Int32? {
        var scanFrom = 0
        while true {
            let end = buffer.end
            if longLine != nil && continueLongLine(to: end) {
                if stopped { return nil }
                scanFrom = searchFrom
            }
            if longLine == nil {
                var windowEnd = searchFrom
                if buffer.atEOF {
                    windowEnd = end
                } else if let nl = NewlineScan.last(in: storage, from: max(scanFrom, searchFrom), to: end) {
                    windowEnd = nl + 1
                }
                if windowEnd > searchFrom {
                    searchWindow(from: searchFrom, to: windowEnd)
                    searchFrom = windowEnd
                    if stopped { return nil }
                }
            }
            if buffer.atEOF { return nil }
            if let isCancelled, isCancelled() {
                cancelled = true
                return nil
            }
            if longLine == nil && !longLinesHeld && end - searchFrom > options.longLineThreshold {
                startLongLine(end: end)
            }
            if let line = longLine, !line.held {
                // The whole buffer is fed bytes of the line: nothing to keep.
                buffer.discardPrefix(buffer.end)
                bufferChanged()
                searchFrom = 0
                countedUpTo = 0
            } else {
                discardSearchedBytes()
            }
            scanFrom = buffer.end
            let outcome = buffer.fill()
            if case .failed(let code) = outcome { return code }
            if takeFill(outcome) { return nil }
        }
    }

    /// Takes in what a fill did; true when the search must end (a NUL under `.quit`).
    @inlinable
    mutating func takeFill(_ outcome: FillOutcome) -> Bool {
        bufferChanged()
        guard case .foundBinary(let offset) = outcome else { return false }
        return noteBinary(at: offset)
    }

    /// Looks for the first NUL in `[start, end)` when none was seen yet, and notes it; true
    /// (and `stopped`) when that ends the search (`.quit`).
    @inlinable
    mutating func endsOnNUL(from start: Int, to end: Int) -> Bool {
        guard stats.binaryByteOffset == nil, let nul = memchr(storage + start, 0, end - start),
              noteBinary(at: baseOffset + storage.distance(to: nul)) else { return false }
        stopped = true
        return true
    }

    /// A NUL at stream `offset`: tells the sink; true when the search must end (`.quit`).
    @inlinable
    mutating func noteBinary(at offset: Int) -> Bool {
        stats.binaryByteOffset = offset
        sink.pointee.binaryDetected(offset: offset)
        if options.binaryMode == .quit {
            stats.quitOnBinary = true
            return true
        }
        return false
    }

    /// Multiline mode: the matcher may span lines, so hold the whole input (as rg does).
    @inlinable
    mutating func runWholeInput() -> Int32? {
        // One allocation for a regular file (+1 so the read that sees EOF needs no growth).
        if let size = buffer.sourceFileSize {
            buffer.reserve(size + 1)
            bufferChanged()
        }
        while !buffer.atEOF {
            if let isCancelled, isCancelled() {
                cancelled = true
                return nil
            }
            let outcome = buffer.fill()
            if case .failed(let code) = outcome { return code }
            if takeFill(outcome) { return nil }
        }
        searchMultiline(to: buffer.end)
        searchFrom = buffer.end
        return nil
    }

    /// Drops the searched bytes before the next read, keeping the last `-B` lines not yet
    /// reported (a match in the next window may need them).
    @inlinable
    mutating func discardSearchedBytes() {
        var keep = searchFrom
        if options.beforeContext > 0 {
            let floor = max(lastReportedEndAbsolute - baseOffset, 0)
            var lines = 0
            while lines < options.beforeContext && keep > floor {
                keep = NewlineScan.lineStart(in: storage, at: keep - 1, floor: floor)
                lines += 1
            }
        }
        if options.lineNumbers { countLines(upTo: keep) }
        buffer.discardPrefix(keep)
        bufferChanged()
        searchFrom -= keep
        countedUpTo -= keep
    }

    // MARK: Lines too long to hold

    /// Starts streaming the incomplete line at `searchFrom` (no `\n` in it up to `end`),
    /// when the matcher can stream and its bytes can be had again or are not needed.
    @inlinable
    mutating func startLongLine(end: Int) {
        // Too long to check when reported: its bytes so far now (a NUL there is noted, not
        // rewritten: that would split the line), the rest as they are filled.
        if buffer.isMapped, options.binaryMode != .text, !buffer.scansWholeMapping {
            buffer.scansWholeMapping = true
            if endsOnNUL(from: searchFrom, to: end) { return }
        }
        let held = buffer.isMapped
        guard !options.multiline, held || (!sink.pointee.needsLineBytes && !options.hasContext),
              let scanner = matcher.makeLineScanner() else {
            longLinesHeld = true
            return
        }
        if !held && options.lineNumbers { countLines(upTo: searchFrom) }
        let start = baseOffset + searchFrom
        longLine = LongLine(scanner: scanner, startAbsolute: start, held: held)
        feedLongLine(to: end)
    }

    /// Feeds `storage[fed..<index]` (no `\n` in it) and, for a mapping, lets its pages go.
    @inlinable
    mutating func feedLongLine(to index: Int) {
        guard var line = longLine else { return }
        let from = line.fedUpToAbsolute - baseOffset
        guard index > from else { return }
        _ = line.scanner.feed(UnsafeRawBufferPointer(start: storage + from, count: index - from))
        line.fedUpToAbsolute = baseOffset + index
        if line.held {
            line.releasedUpToAbsolute = baseOffset + buffer.releasePages(from: line.releasedUpToAbsolute - baseOffset, to: index)
        }
        longLine = line
    }

    /// Feeds the new bytes up to `end`; true when the line ended (at a `\n` or the end of
    /// input) and was reported or passed over, `searchFrom` then being the next line.
    @inlinable
    mutating func continueLongLine(to end: Int) -> Bool {
        guard let line = longLine else { return false }
        let newline = NewlineScan.first(in: storage, from: line.fedUpToAbsolute - baseOffset, to: end)
        feedLongLine(to: newline ?? end)
        guard newline != nil || buffer.atEOF else { return false }
        longLine = nil
        let lineEnd = newline.map { $0 + 1 } ?? end
        let selected = line.scanner.finish(terminated: newline != nil) != options.invert
        if line.held {
            // Still in the mapping: reported like any line (printing faults its pages back in).
            if draining {
                drainAfterContext(to: lineEnd)
            } else if selected {
                report(from: searchFrom, to: lineEnd)
            } else if afterRemaining > 0 {
                emitAfterContext(upTo: lineEnd)
            }
        } else if selected {
            // Gone from the buffer: the sink said it needs no bytes.
            let number: Int? = options.lineNumbers ? newlinesBefore + 1 : nil
            let keepGoing = sink.pointee.matched(SearchLine(bytes: UnsafeRawBufferPointer(start: nil, count: 0),
                                                    lineNumber: number, byteOffset: line.startAbsolute))
            noteReported(endAbsolute: baseOffset + lineEnd, keepGoing: keepGoing)
        }
        searchFrom = lineEnd
        return true
    }

    // MARK: Finding the reported lines

    /// The fast path: one matcher call per matching line over the whole window, never a
    /// loop over lines; a match end maps to its line with memrchr/memchr.
    @inlinable
    mutating func searchWindow(from low: Int, to high: Int) {
        if draining {
            drainAfterContext(to: high)
            return
        }
        let base = storage
        let window = UnsafeRawBufferPointer(start: base, count: high)
        var position = low
        while position < high && !stopped && !draining {
            var lineStart = high
            var lineEnd = high
            if let matchEnd = matcher.firstMatchEnd(in: window, from: position) {
                let start = NewlineScan.lineStart(in: base, at: matchEnd, floor: position)
                if start < high {
                    lineStart = start
                    lineEnd = NewlineScan.lineEnd(in: base, at: matchEnd, limit: high)
                }
            }
            if options.invert {
                // Every line between the previous match line and this one is reported.
                var line = position
                while line < lineStart && !stopped && !draining {
                    let end = NewlineScan.lineEnd(in: base, at: line, limit: lineStart)
                    report(from: line, to: end)
                    line = end
                }
            } else if lineStart < high {
                report(from: lineStart, to: lineEnd)
            } else {
                break
            }
            position = lineEnd
        }
        if stopped { return }
        if draining {
            drainAfterContext(to: high)
        } else if afterRemaining > 0 {
            emitAfterContext(upTo: high)
        }
    }

    /// Multiline search over `storage[0..<high]` (the whole input): lines touched by one
    /// match form a block; blocks sharing a line merge (rg's rule).
    @inlinable
    mutating func searchMultiline(to high: Int) {
        let base = storage
        let all = UnsafeRawBufferPointer(start: base, count: high)
        multilineText = all
        defer { multilineText = nil }
        var position = 0
        var reportedUpTo = 0
        var block: Range<Int>? = nil
        // A pattern that can match `\n` joins adjacent blocks (rg's: `-U '\n'` on `a\n\n` is
        // one block of two matches, and `-r` replaces them in one line, rg's #1311); one that
        // cannot is searched line by line, each line its own block.
        let joinsAdjacent = matcher.canMatchNewline
        // `-m N` takes N matches, as rg's multi-line searcher: the blocks they form are
        // reported, not N blocks of any number of matches. A pattern that cannot match `\n`
        // is searched line by line in rg, its `-m` counting lines, as the reports do.
        var matchesLeft = options.invert || !joinsAdjacent ? Int.max : options.maxCount ?? Int.max
        while position <= high && !stopped && !draining && matchesLeft > 0 {
            guard let match = matcher.find(in: all, from: position) else { break }
            let start = NewlineScan.lineStart(in: base, at: match.lowerBound, floor: 0)
            if start >= high { break }
            let lastByte = match.isEmpty ? match.lowerBound : match.upperBound - 1
            let end = NewlineScan.lineEnd(in: base, at: lastByte, limit: high)
            let joins = block.map { $0.upperBound > start || ($0.upperBound == start && joinsAdjacent) } ?? false
            if let current = block, joins {
                block = current.lowerBound..<max(current.upperBound, end)
            } else {
                if let current = block { reportMultiline(current, after: &reportedUpTo) }
                block = start..<end
            }
            position = match.isEmpty ? match.upperBound + 1 : match.upperBound
            matchesLeft -= 1
        }
        if let current = block, !stopped && !draining { reportMultiline(current, after: &reportedUpTo) }
        if options.invert && !stopped && !draining { reportMultiline(high..<high, after: &reportedUpTo) }
        if stopped { return }
        if draining {
            drainAfterContext(to: high)
        } else if afterRemaining > 0 {
            emitAfterContext(upTo: high)
        }
    }

    /// Reports a multiline block, or under `-v` the lines between the previous block and it.
    @inlinable
    mutating func reportMultiline(_ block: Range<Int>, after reportedUpTo: inout Int) {
        if options.invert {
            var line = reportedUpTo
            while line < block.lowerBound && !stopped && !draining {
                let end = NewlineScan.lineEnd(in: storage, at: line, limit: block.lowerBound)
                report(from: line, to: end)
                line = end
            }
        } else {
            report(from: block.lowerBound, to: block.upperBound)
        }
        reportedUpTo = block.upperBound
    }

    // MARK: Reporting

    /// Reports the selected line(s) `[start, end)`, preceded by owed after-context, a
    /// break if not adjacent to the last report, and before-context.
    @inlinable
    mutating func report(from start: Int, to end: Int) {
        // Past the prefix its fills scanned, a mapped file is checked for NUL only in the
        // lines it reports (`LineBuffer.mappedBinaryPrefix`), as rg does; a long line was
        // scanned as it was filled (`startLongLine`).
        if buffer.isMapped, options.binaryMode != .text, baseOffset + end > LineBuffer.mappedBinaryPrefix,
           end - start <= options.longLineThreshold, endsOnNUL(from: start, to: end) {
            return
        }
        if options.hasContext {
            emitAfterContext(upTo: start)
            let floor = max(lastReportedEndAbsolute - baseOffset, 0)
            var contextStart = start
            var lines = 0
            while lines < options.beforeContext && contextStart > floor {
                contextStart = NewlineScan.lineStart(in: storage, at: contextStart - 1, floor: floor)
                lines += 1
            }
            if hasReported && baseOffset + contextStart > lastReportedEndAbsolute {
                sink.pointee.contextBreak()
            }
            while contextStart < start {
                let lineEnd = NewlineScan.lineEnd(in: storage, at: contextStart, limit: start)
                sink.pointee.context(line(from: contextStart, to: lineEnd), kind: .before)
                contextStart = lineEnd
            }
        }
        noteReported(endAbsolute: baseOffset + end, keepGoing: sink.pointee.matched(line(from: start, to: end)))
    }

    /// Bookkeeping after a `matched` call: counts, context owed, `-m`, a sink's stop.
    @inlinable
    mutating func noteReported(endAbsolute: Int, keepGoing: Bool) {
        stats.matchedLines += 1
        lastReportedEndAbsolute = endAbsolute
        hasReported = true
        afterRemaining = options.afterContext
        if !keepGoing {
            stopped = true
        } else if let maxCount = options.maxCount, stats.matchedLines >= maxCount {
            if afterRemaining > 0 { draining = true } else { stopped = true }
        }
    }

    /// Reports owed after-context lines from the last reported line up to `limit`.
    @inlinable
    mutating func emitAfterContext(upTo limit: Int) {
        var lineStart = lastReportedEndAbsolute - baseOffset
        precondition(lineStart >= 0 || afterRemaining == 0, "after-context bytes were discarded")
        while afterRemaining > 0 && lineStart < limit {
            let lineEnd = NewlineScan.lineEnd(in: storage, at: lineStart, limit: limit)
            sink.pointee.context(line(from: lineStart, to: lineEnd), kind: .after)
            afterRemaining -= 1
            lineStart = lineEnd
            lastReportedEndAbsolute = baseOffset + lineEnd
        }
    }

    /// After `-m` is reached, rg 13 still reports `-A` lines, a matching one as a match
    /// (not counted, not resetting the context), then stops.
    @inlinable
    mutating func drainAfterContext(to high: Int) {
        var lineStart = max(lastReportedEndAbsolute - baseOffset, 0)
        while afterRemaining > 0 && lineStart < high && !stopped {
            let lineEnd = NewlineScan.lineEnd(in: storage, at: lineStart, limit: high)
            let current = line(from: lineStart, to: lineEnd)
            if lineIsSelected(from: lineStart, to: lineEnd) {
                if !sink.pointee.matched(current) { stopped = true }
            } else {
                sink.pointee.context(current, kind: .after)
            }
            afterRemaining -= 1
            lineStart = lineEnd
            lastReportedEndAbsolute = baseOffset + lineEnd
        }
        if afterRemaining == 0 { stopped = true }
    }

    @inlinable
    func lineIsSelected(from start: Int, to end: Int) -> Bool {
        var contentEnd = end
        if end > start && storage.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0A {
            contentEnd -= 1
        }
        let haystack = UnsafeRawBufferPointer(start: storage, count: contentEnd)
        let matches = matcher.firstMatchEnd(in: haystack, from: start) != nil
        return matches != options.invert
    }

    @inlinable
    mutating func line(from start: Int, to end: Int) -> SearchLine {
        var number: Int? = nil
        if options.lineNumbers {
            countLines(upTo: start)
            number = newlinesBefore + 1
            // One line ends in its only `\n`: step over it instead of counting it later.
            if !options.multiline && end > start && storage.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0A {
                countedUpTo = end
                newlinesBefore += 1
            }
        }
        return SearchLine(bytes: UnsafeRawBufferPointer(start: storage + start, count: end - start),
                          lineNumber: number, byteOffset: baseOffset + start,
                          text: multilineText, offsetInText: start)
    }

    /// Counts newlines only between reported lines, never per line searched.
    @inlinable
    mutating func countLines(upTo index: Int) {
        if index > countedUpTo {
            newlinesBefore += NewlineScan.count(in: storage + countedUpTo, count: index - countedUpTo)
            countedUpTo = index
        }
    }
}

/// A line longer than `SearchOptions.longLineThreshold`, fed to a `LineScanner` as it is read.
@usableFromInline
struct LongLine {
    @usableFromInline let scanner: any LineScanner
    /// Stream offset of the line's first byte.
    @usableFromInline let startAbsolute: Int
    /// The line's bytes before this stream offset were fed.
    @usableFromInline var fedUpToAbsolute: Int
    /// A mapped input keeps the line addressable (its pages leave the resident set up to
    /// `releasedUpToAbsolute`); any other input drops the bytes once fed.
    @usableFromInline let held: Bool
    @usableFromInline var releasedUpToAbsolute: Int

    @inlinable
    init(scanner: any LineScanner, startAbsolute: Int, held: Bool) {
        self.scanner = scanner
        self.startAbsolute = startAbsolute
        fedUpToAbsolute = startAbsolute
        self.held = held
        releasedUpToAbsolute = startAbsolute
    }
}
