import Glibc

/// Where a big file's pieces run (`Searcher.search(fileDescriptor:path:isRegularFile:splittingOn:into:)`).
/// Search has no threads of its own: the caller lends its pool through this seam.
///
/// Thread-safety: `start` is called by the searching thread; `isCancelled` on the pieces' threads.
public protocol PieceScheduler: Sendable {
    /// How many pieces a big file is cut into (one per core); below 2 nothing is split.
    var pieceCount: Int { get }
    /// Asked on a piece's thread before each of its reads: true ends its search (Ctrl-C).
    var isCancelled: Bool { get }
    /// Starts `piece` on another thread and returns a claim for the calling thread: it gives
    /// the piece's result, waiting while the piece runs, or nil when no thread had started
    /// it, which then never will (the caller searches the piece itself: no deadlock when
    /// every worker is a caller). Nil when no thread can take work.
    func start<Result: Sendable>(_ piece: @escaping @Sendable () -> Result) -> (() -> Result?)?
}

/// One big file searched on every core. rg maps a big file and searches it on one thread;
/// here the mapping is cut after a `\n` into one piece per core, each piece is searched on
/// the caller's threads (`PieceScheduler`) into a list of its matching lines, and the
/// calling thread replays the lists into the file's printer in order, moving each piece's
/// line numbers by the lines before it. The printer gets exactly the calls one search from
/// the start would make.
///
/// Only where lists of matching lines join that way: no context lines, no `-v` (its lists
/// would hold most lines), no multiline; the caller offers a scheduler only to sinks that
/// print or count (`-l` and `-q` stop at their first match anyway). A NUL byte in any
/// piece falls back to the search from the start (binary handling is order-dependent); a piece with more matching lines
/// than one list holds goes on from the last listed line on the calling thread, a list
/// at a time, so memory stays bounded.
@usableFromInline
enum BigFileSearch {
    /// Below this, one thread is as fast: the cost is in opening files, not searching them.
    @usableFromInline static let minimumSize = 64 << 20
    /// What one list holds: lines are copied as they are found (on the piece's thread), so
    /// the replay never touches pages a piece's search already let go (re-faulting them made
    /// `return` over big.txt 0.43 s against 0.32 s on one thread).
    static let listLimit = (lines: 1 << 17, bytes: 16 << 20)

    /// Searches a file `Searcher.begin` mapped (its owner unmaps it) into `printer`; nil
    /// when it is not big enough, starts with a BOM, holds a NUL, cannot be cut or the
    /// options do not join (the caller then searches it as usual, and `printer` was not
    /// touched). `searcher` lends its matcher and cancellation; the pieces and the rest of
    /// a full list get searchers of their own.
    @inlinable
    static func search<Sink: SearchSink>(mapping: UnsafeMutableRawBufferPointer, path: String, searcher: Searcher,
                                         scheduler: any PieceScheduler, into printer: inout Sink) -> SearchResult? {
        let options = searcher.options
        let wanted = scheduler.pieceCount
        // The backtracker's budget flag is per thread: its file is searched on one.
        guard wanted > 1, !options.multiline, !options.hasContext, !options.invert,
              !(searcher.matcher is BacktrackMatcher) else { return nil }
        guard mapping.count >= minimumSize else { return nil }
        if mapping.count >= 3 && mapping[0] == 0xEF && mapping[1] == 0xBB && mapping[2] == 0xBF { return nil }
        var quitting = options
        if quitting.binaryMode == .convert { quitting.binaryMode = .quit }  // never write the shared mapping
        let pieceOptions = quitting
        let file = SharedMapping(bytes: mapping)
        let ranges = cut(mapping, into: wanted)
        guard ranges.count > 1 else { return nil }  // one line longer than a piece

        let matcher = searcher.matcher
        // Pieces after the first go to the scheduler's threads; one not started when the
        // first is done is taken back and searched here.
        var claims: [(() -> PieceList?)?] = [nil]
        for range in ranges.dropFirst() {
            claims.append(scheduler.start { list(file, range, path: path, matcher: matcher, options: pieceOptions, scheduler: scheduler) })
        }
        var lists = [list(file, ranges[0], path: path, matcher: matcher, options: pieceOptions, scheduler: scheduler)]
        for (index, claim) in claims.enumerated().dropFirst() {
            if let claim, let done = claim() {
                lists.append(done)
            } else {
                lists.append(list(file, ranges[index], path: path, matcher: matcher, options: pieceOptions, scheduler: scheduler))
            }
        }
        if lists.contains(where: { $0.binaryOffset != nil }) { return nil }

        var replay = Replay(options: options)
        var result = SearchResult(stats: SearchStats(), error: nil)
        var finishedByRest = false
        for (index, list) in lists.enumerated() {
            if list.cancelled { result.cancelled = true }
            replay.feed(list, into: &printer)
            if replay.isDone || list.cancelled { break }
            if list.isComplete {
                replay.skipLines(list.newlines)
                continue
            }
            // The list was full (many matching lines, or a long one: printing is the work
            // now). The rest of the piece goes straight to the printer, here, with the
            // real options.
            replay.skipLines(list.resume.linesBefore)
            var restOptions = options
            if let maxCount = options.maxCount { restOptions.maxCount = maxCount - replay.reported }
            let restSearcher = Searcher(matcher: matcher, options: restOptions)
            restSearcher.isCancelled = searcher.isCancelled
            // Moved into the wrapper, not copied: a copy would share the printer's buffer and
            // copy it at its first write.
            var shifted = LineNumberShift(base: consume printer, by: replay.linesBefore)
            let restStart = list.resume.offset
            let rest = restSearcher.search(mapping: mapping, range: restStart..<ranges[index].upperBound,
                                           path: path, into: &shifted)
            printer = shifted.base
            replay.countRest(rest, from: restStart)
            finishedByRest = true
            if !rest.reachedEnd {
                result.cancelled = rest.cancelled
                result.error = rest.error
                result.stats.binaryByteOffset = rest.stats.binaryByteOffset
                result.stats.quitOnBinary = rest.stats.quitOnBinary
                break
            }
            finishedByRest = false
        }
        result.stats.matchedLines = replay.reported
        result.stats.bytesSearched = replay.isDone ? replay.endOffset : mapping.count
        result.reachedEnd = !replay.isDone && !result.cancelled && result.error == nil && !result.stats.quitOnBinary
        if options.lineNumbers && result.reachedEnd { result.stats.newlines = replay.linesBefore }
        // A search of the rest that stopped has told the printer already (its binary warning).
        if !finishedByRest { printer.finished(result.stats) }
        return result
    }

    /// Piece boundaries: `count` ranges of about equal size, each ending after a `\n` (the
    /// last at the end of the file). Fewer when no `\n` is within `reach` bytes of a cut:
    /// a long line is not worth splitting around, and looking further would bring its
    /// pages in (a 128 MiB line: 88 MiB of resident set for nothing).
    @usableFromInline
    static func cut(_ bytes: UnsafeMutableRawBufferPointer, into count: Int, reach: Int = 1 << 20) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for k in 1..<max(count, 1) {
            let target = max(bytes.count / count * k, start)
            guard target < bytes.count,
                  let newline = memchr(bytes.baseAddress! + target, 0x0A, min(reach, bytes.count - target)) else {
                continue
            }
            let end = bytes.baseAddress!.distance(to: newline) + 1
            if end > start { ranges.append(start..<end) }
            start = end
        }
        if start < bytes.count || ranges.isEmpty { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// One piece searched into a list, on whichever thread runs it, by a searcher of its own
    /// (a 256 KiB buffer per piece of a file of 64 MiB or more).
    @usableFromInline
    static func list(_ file: SharedMapping, _ range: Range<Int>, path: String, matcher: any Matcher,
                     options: SearchOptions, scheduler: any PieceScheduler) -> PieceList {
        let searcher = Searcher(matcher: matcher, options: options)
        searcher.isCancelled = { scheduler.isCancelled }
        var sink = ListingSink()
        let result = searcher.search(mapping: file.bytes, range: range, path: path, into: &sink)
        return PieceList(lines: sink.lines, bytes: sink.bytes, isComplete: !sink.isFull,
                         resume: sink.isFull ? sink.resume : (range.upperBound, 0),
                         newlines: result.stats.newlines ?? 0, binaryOffset: result.stats.binaryByteOffset,
                         cancelled: result.cancelled)
    }

    /// A matching line: its number within its piece, where it is in the file, and where
    /// its copy starts in the list's bytes.
    @usableFromInline
    struct ListedLine: Sendable {
        @usableFromInline var number: Int?
        @usableFromInline var offset: Int
        @usableFromInline var length: Int
        @usableFromInline var copyAt: Int
    }

    /// What one piece's search found, up to `listLimit`.
    @usableFromInline
    struct PieceList: Sendable {
        @usableFromInline var lines: [ListedLine]
        @usableFromInline var bytes: [UInt8]
        /// The piece was searched to its end (else the list is full, or `-m` stopped it).
        @usableFromInline var isComplete: Bool
        /// A full list: the file offset of the first line not listed, and the piece's
        /// lines before it.
        @usableFromInline var resume: (offset: Int, linesBefore: Int)
        /// `\n` bytes in the piece (with line numbers, when complete).
        @usableFromInline var newlines: Int
        @usableFromInline var binaryOffset: Int?
        @usableFromInline var cancelled: Bool
    }

    private struct ListingSink: SearchSink {
        var lines: [ListedLine] = []
        var bytes: [UInt8] = []
        var isFull = false
        var resume = (offset: 0, linesBefore: 0)

        mutating func matched(_ line: SearchLine) -> Bool {
            if bytes.count + line.bytes.count > BigFileSearch.listLimit.bytes {
                // Not copied: this line is where the search of the rest starts.
                isFull = true
                resume = (line.byteOffset, (line.lineNumber ?? 1) - 1)
                return false
            }
            lines.append(ListedLine(number: line.lineNumber, offset: line.byteOffset, length: line.bytes.count,
                                    copyAt: bytes.count))
            bytes.append(contentsOf: line.bytes)
            if lines.count >= BigFileSearch.listLimit.lines {
                isFull = true
                resume = (line.byteOffset + line.bytes.count, line.lineNumber ?? 0)
            }
            return !isFull
        }
    }

    /// The calling thread's side: lists into the printer, in file order, with `-m` applied.
    @usableFromInline
    struct Replay {
        @usableFromInline let options: SearchOptions
        /// Lines of the file before the piece (or part of one) being replayed.
        @usableFromInline var linesBefore = 0
        @usableFromInline var reported = 0
        @usableFromInline var endOffset = 0
        @usableFromInline var isDone = false

        @inlinable
        init(options: SearchOptions) { self.options = options }

        @inlinable
        mutating func feed<Sink: SearchSink>(_ list: PieceList, into printer: inout Sink) {
            list.bytes.withUnsafeBytes { copies in
                for line in list.lines where !isDone {
                    let bytes = UnsafeRawBufferPointer(rebasing: copies[line.copyAt..<(line.copyAt + line.length)])
                    let number = line.number.map { $0 + linesBefore }
                    let keepGoing = printer.matched(SearchLine(bytes: bytes, lineNumber: number, byteOffset: line.offset))
                    reported += 1
                    endOffset = line.offset + line.length
                    if !keepGoing { isDone = true }
                    if let maxCount = options.maxCount, reported >= maxCount { isDone = true }
                }
            }
        }

        @inlinable
        mutating func skipLines(_ count: Int) { linesBefore += count }

        /// Takes in a search of a piece's rest that went straight to the printer.
        @inlinable
        mutating func countRest(_ rest: SearchResult, from start: Int) {
            reported += rest.stats.matchedLines
            linesBefore += rest.stats.newlines ?? 0
            endOffset = start + rest.stats.bytesSearched
            if !rest.reachedEnd { isDone = true }
        }
    }
}

/// The file's mapping, read by every piece's thread: nothing writes it (pieces search with
/// `BinaryMode.quit` or `.text`), and it is unmapped only after every piece is done.
@usableFromInline
struct SharedMapping: @unchecked Sendable {
    @usableFromInline let bytes: UnsafeMutableRawBufferPointer

    @inlinable
    init(bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }
}

/// A sink that moves every line number by `shift`: a piece's rest, searched apart, counts
/// its lines from its own start.
@usableFromInline
struct LineNumberShift<Base: SearchSink>: SearchSink {
    @usableFromInline var base: Base
    @usableFromInline let shift: Int

    @inlinable
    init(base: consuming Base, by shift: Int) {
        self.base = base
        self.shift = shift
    }

    @inlinable
    func shifted(_ line: SearchLine) -> SearchLine {
        guard let number = line.lineNumber else { return line }
        return SearchLine(bytes: line.bytes, lineNumber: number + shift, byteOffset: line.byteOffset)
    }

    @inlinable mutating func matched(_ line: SearchLine) -> Bool { base.matched(shifted(line)) }
    @inlinable mutating func context(_ line: SearchLine, kind: SearchContextKind) { base.context(shifted(line), kind: kind) }
    @inlinable mutating func contextBreak() { base.contextBreak() }
    @inlinable mutating func binaryDetected(offset: Int) { base.binaryDetected(offset: offset) }
    @inlinable mutating func finished(_ stats: SearchStats) { base.finished(stats) }
    @inlinable var needsLineBytes: Bool { base.needsLineBytes }
}
