#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Printer
import Scan
import Search
import Synchronization
import Walk
import WorkerPool

/// `trawl grep`: ripgrep's job on the shared FileScan pipeline.
enum GrepCommand {
    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        var positionals = arguments.positionals
        // Bytes, as given: invalid UTF-8 is matched (-F) or refused, never repaired.
        var patterns = arguments.values(.regexp).map(GrepPatterns.commandLineBytes)
        for file in arguments.values(.file) {
            var reader = try LineReader(path: file)
            defer { reader.close() }
            while let line = reader.next() {
                var bytes = Array(line)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                patterns.append(bytes)
            }
        }
        if patterns.isEmpty && !arguments.has(.regexp) && !arguments.has(.file) {
            guard !positionals.isEmpty else { throw ArgumentError.missingArgument("PATTERN") }
            patterns = [GrepPatterns.commandLineBytes(positionals.removeFirst())]
        }
        let flags = try WalkFlags(arguments, sortDefault: .completion, timeSorts: true)
        let stdoutIsTerminal = isatty(1) == 1
        // `-f-` took stdin for patterns: the current directory is searched then (as rg).
        let searchStdin = positionals.isEmpty && flags.filesFrom == nil && !arguments.values(.file).contains("-")
            && stdinIsReadable()
        let namedFilesOnly = !positionals.isEmpty && positionals.count <= 10 && positionals.allSatisfy(isRegularFile)
        let singleFile = searchStdin || (positionals.count == 1 && namedFilesOnly)
        let configuration: GrepConfiguration
        do {
            configuration = try GrepConfiguration(arguments, patterns: patterns, stdoutIsTerminal: stdoutIsTerminal,
                                                  singleFile: singleFile, fewNamedFiles: namedFilesOnly, interrupt: interrupt)
        } catch let error as RegexError where error.kind == .cancelled {
            return 130  // Ctrl-C while compiling: nothing searched, nothing to report
        }
        // No pattern (an empty -f file) matches nothing; inverted, every line (as rg).
        if patterns.isEmpty && !configuration.search.invert { return 1 }
        output.flushEachRecord = configuration.lineBuffered

        let scanRun = ScanRun(threads: flags.threads, interrupt: interrupt, output: output,
                              showsErrors: !configuration.output.noMessages)
        defer { scanRun.shutdown() }
        let searchers = SearcherCache(configuration: configuration, cancellation: interrupt, pool: scanRun.pool)
        let started = ContinuousClock.now
        var totals = GrepSummary()
        var anyMatch = false
        // --files-without-match succeeds when it finds a file without a match (rg's exit 0).
        var anyWithoutMatch = false
        var printedRecords = 0
        let job = ScanJob<GrepRecord>.pooled { entry in
            guard !interrupt.isCancelled else { return nil }
            guard let sort = flags.deferredSort, sort.key != .path else { return searchers.search(entry) }
            let time = sort.time(of: entry.path)
            var record = searchers.search(entry)
            record?.sortTime = time
            return record
        }
        let source: ScanSource = searchStdin
            ? .entries([WalkEntry(path: Array("<stdin>".utf8), depth: 0, kind: .fifo)])
            : try flags.source(paths: positionals)
        /// Prints one file's record; false to stop (`-q` found a match, stdout closed).
        func emit(_ entry: WalkEntry, _ record: GrepRecord) -> Bool {
            totals.searched += 1
            totals.bytesSearched += record.bytesSearched
            // rg's bytes printed: a search's own lines (a count or a name is not one).
            totals.bytesPrinted += configuration.mode == .json ? record.bytesPrinted
                : configuration.mode == .lines ? record.output.count : 0
            totals.elapsed += record.elapsed
            if let error = record.error { scanRun.report(error) }
            if record.matchedLines > 0 {
                anyMatch = true
                totals.filesWithMatch += 1
                totals.matchedLines += record.statsMatchedLines
                totals.matches += record.matches
            }
            if configuration.filesWithoutMatch && record.matchedLines == 0 && record.error == nil { anyWithoutMatch = true }
            let succeeded = configuration.filesWithoutMatch ? anyWithoutMatch : anyMatch
            if configuration.mode == .quiet { return !succeeded || configuration.stats }
            let terminator: [UInt8] = configuration.nullAfterPath ? [0] : configuration.crlf ? [13, 10] : [10]
            switch configuration.mode {
            case .filesWithMatches:
                if record.matchedLines > 0 { output.append(configuration.output.displayPath(entry.path)); output.append(terminator) }
            case .filesWithoutMatch:
                if record.matchedLines == 0 && record.error == nil {
                    output.append(configuration.output.displayPath(entry.path))
                    output.append(terminator)
                }
            case .count:
                if record.matchedLines > 0 || (configuration.output.includeZero && record.error == nil) {
                    if configuration.withFilename {
                        output.append(configuration.output.displayPath(entry.path))
                        output.append(configuration.nullAfterPath ? 0 : UInt8(ascii: ":"))
                    }
                    // Multiline -c counts matches, as rg's (a block may hold several).
                    let countsMatches = configuration.output.countMatches || configuration.printer.multilineCountsMatches
                    output.append(decimal: countsMatches ? record.matches : record.matchedLines)
                    output.append(configuration.crlf ? [13, 10] : [10])
                }
            default:
                if !record.output.isEmpty {
                    // Between files: a blank line under headings, `--` between context groups.
                    if printedRecords > 0 {
                        if configuration.heading { output.append(10) }
                        else if configuration.contextEnabled, let separator = configuration.output.contextSeparator {
                            output.append(separator)
                            output.append(10)
                        }
                    }
                    printedRecords += 1
                    // A huge record (a 1 GB line) is written from its own array: a second copy doubled the peak.
                    if record.output.count > 1 << 20 { output.appendWrittenThrough(record.output) }
                    else { output.append(record.output) }
                }
            }
            output.endRecord()
            return !output.isBroken
        }
        var waiting: [(entry: WalkEntry, record: GrepRecord)] = []
        scanRun.scan(source, job: flags.sharded(job), order: flags.order, readAhead: flags.readAhead,
                     whenIdle: { output.flush() }) { entry, record in
            if flags.deferredSort != nil {
                waiting.append((entry, record))
                return true
            }
            return emit(entry, record)
        }
        if let sort = flags.deferredSort {
            for (entry, record) in sort.sorted(waiting, recordedTime: \.sortTime) where emit(entry, record) == false { break }
        }
        let elapsed = ContinuousClock.now - started
        if configuration.jsonSummary { output.append(totals.jsonRecord(elapsedTotal: elapsed)) }
        if configuration.stats && !configuration.jsonSummary { output.append(totals.statsBlock(elapsedTotal: elapsed)) }
        output.flush()
        // As rg: a walk of the current directory that searched nothing at all is a warning
        // and exit status 2 (a filter probably took more than meant).
        let walkedCurrentDirectory = positionals.isEmpty && !searchStdin && flags.filesFrom == nil
        if walkedCurrentDirectory && searchers.filesSearched == 0 && !scanRun.failed && !interrupt.isCancelled {
            if !configuration.output.noMessages {
                Diagnostics.error("No files were searched, which means trawl probably applied a filter you didn't expect (ignore files, hidden files, -g, -t, --max-filesize).")
            }
            return 2
        }
        if interrupt.isCancelled && !output.isBroken && configuration.mode != .quiet { return 130 }
        let succeeded = configuration.filesWithoutMatch ? anyWithoutMatch : anyMatch
        if configuration.mode == .quiet && succeeded { return 0 }
        if scanRun.failed { return 2 }
        return succeeded ? 0 : 1
    }

    /// ripgrep searches stdin when no path is given and stdin is a file, pipe or socket
    /// (not a terminal, not /dev/null's character device).
    static func stdinIsReadable() -> Bool {
        var info = stat()
        guard fstat(0, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFREG || type == S_IFIFO || type == S_IFSOCK
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}

/// One `Searcher` per worker thread (a searcher owns its read buffer and is not
/// thread-safe); taken from and returned to a small free list.
final class SearcherCache: @unchecked Sendable {
    // `free` is guarded by `lock`.
    // pthread (adaptive), not Synchronization.Mutex: on Linux its contended path is a
    // priority-inheritance futex, and 32 workers taking searchers made grep without a literal
    // switch context 150k times and double its CPU.
    private let lock = ConditionLock()
    private var free: [Searcher] = []
    let configuration: GrepConfiguration
    private let searchedCount = Atomic<Int>(0)
    /// Files opened for searching so far (rg warns when a walk searched none).
    var filesSearched: Int { searchedCount.load(ordering: .relaxed) }
    private let explicitSearch: SearchOptions
    private let walkedSearch: SearchOptions

    private let cancellation: CancellationToken
    /// Big files are cut into one piece per core on the pool, for output that joins the
    /// pieces' lines (lines, counts, JSON; not `--stop-on-nonmatch`); nil: never split. The
    /// backtracker's budget flag is per thread: its files are searched on one.
    /// Held as the existential the searcher takes, made once: converting per file boxed
    /// it (a malloc and retains of the shared pool and token per file).
    private let bigFiles: (any PieceScheduler)?
    /// `-P`: the backtracker's per-thread budget flag is read after each file. Decided
    /// once: an `is` cast of the matcher per file was 3% of a tree search's user time.
    private let backtracks: Bool

    init(configuration: GrepConfiguration, cancellation: CancellationToken, pool: ThreadPoolExecutor? = nil) {
        self.configuration = configuration
        self.cancellation = cancellation
        backtracks = configuration.matcher is BacktrackMatcher
        let joinsPieces = [.lines, .count, .json].contains(configuration.mode) && !configuration.output.stopOnNonmatch
            && !backtracks
        bigFiles = pool.flatMap { pool -> (any PieceScheduler)? in
            joinsPieces && pool.maxWorkers > 1
                ? PoolPieceScheduler(pool: pool, pieceCount: ThreadPoolExecutor.activeProcessorCount, cancellation: cancellation)
                : nil
        }
        var walked = configuration.search
        var explicit = configuration.search
        // -E's encoding is decoded by the searcher itself, after its BOM sniffing; input
        // decoded whole (--null-data) or -E none's raw bytes are searched with no sniffing.
        let decoding = configuration.transformsInput ? nil : configuration.encoding.searcherDecoding
        let sniff = (configuration.encoding == .auto || decoding != nil) && !configuration.transformsInput
        walked.sniffEncoding = sniff
        explicit.sniffEncoding = sniff
        walked.decoding = decoding
        explicit.decoding = decoding
        if configuration.searchBinary || configuration.output.nullData {
            walked.binaryMode = .text
            explicit.binaryMode = .text
        } else {
            walked.binaryMode = configuration.searchBinaryFound ? .convert : .quit
            explicit.binaryMode = .convert
        }
        walkedSearch = walked
        explicitSearch = explicit
    }

    func search(_ entry: WalkEntry) -> GrepRecord? {
        searchedCount.add(1, ordering: .relaxed)
        // Roots and listed paths are explicit: a binary match is reported, not skipped.
        let explicit = entry.depth == 0
        let options = explicit ? explicitSearch : walkedSearch
        let searcher = take(options)
        defer { give(searcher) }
        if backtracks { _ = BacktrackMatcher.takeBudgetExceeded() }
        // --binary: a walked binary file is reported as a named one is.
        var printer = GrepPrinter(configuration: configuration.printer, path: entry.path,
                                  explicit: explicit || configuration.searchBinaryFound)
        let isStdin = entry.kind == .fifo && entry.path == Array("<stdin>".utf8)
        printer.writesThrough = isStdin && configuration.lineBuffered && configuration.mode == .lines
        let fd: Int32
        var child: Preprocessor.Child? = nil
        let path = String(decoding: entry.path, as: UTF8.self)
        if isStdin {
            fd = 0
        } else if let invocation = configuration.preprocessor?.invocation(for: entry.path) {
            do { child = try Preprocessor.spawn(invocation.argv, stdinPath: invocation.fileOnStdin ? entry.path : nil) } catch {
                return GrepRecord(output: [], matchedLines: 0, matches: 0, bytesSearched: 0,
                                  error: "\(path): preprocessor command could not start: \(error.reason)",
                                  bytesPrinted: 0, elapsed: .zero)
            }
            fd = child!.output
        } else {
            var backoff = DescriptorBackoff()
            while true {
                do {
                    fd = try FileReader.open(entry)
                    break
                } catch where backoff.shouldRetry(errno: error.errno) {
                    continue  // out of descriptors: other workers free theirs within milliseconds
                } catch {
                    return GrepRecord(output: [], matchedLines: 0, matches: 0, bytesSearched: 0, error: error.description,
                                      bytesPrinted: 0, elapsed: .zero)
                }
            }
        }
        defer { if !isStdin && child == nil { close(fd) } }
        let started = configuration.stats ? ContinuousClock.now : nil
        // The first read tells a small file (no fstat) from one to map or split.
        let result: SearchResult
        if configuration.transformsInput {
            result = searchTransformed(fd: fd, path: path, searcher: searcher, into: &printer)
        } else {
            result = searcher.search(fileDescriptor: fd, path: path, isRegularFile: entry.kind == .regular && child == nil,
                                     splittingOn: bigFiles, into: &printer)
        }
        var elapsed = Duration.zero
        if let started {
            elapsed = ContinuousClock.now - started
            if configuration.mode == .json {
                printer.writeJSONEnd(bytesSearched: result.stats.bytesSearched, binaryOffset: result.stats.binaryByteOffset,
                                     elapsed: elapsed)
            }
        }
        var error = result.error?.description
        if backtracks && BacktrackMatcher.takeBudgetExceeded() && error == nil {
            error = "\(path): -P pattern exceeded its backtracking limit (\(BacktrackMatcher.defaultBudget) steps on one line); "
                + "the rest of the file was not searched"
        }
        // A child stopped early by a closed pipe (-q, -l, -m) did no wrong.
        let readToTheEnd = options.maxCount == nil
        if let child, let failure = child.finish(searchCompleted: readToTheEnd), error == nil {
            error = "\(path): preprocessor command failed: \(failure)"
        }
        if printer.out.isEmpty && printer.matchedLines == 0 && error == nil
            && !configuration.filesWithoutMatch && !configuration.stats && !configuration.output.includeZero {
            return nil
        }
        return GrepRecord(output: printer.out, matchedLines: printer.matchedLines, matches: printer.matches,
                          bytesSearched: result.stats.bytesSearched, error: error,
                          bytesPrinted: printer.bytesPrinted, elapsed: elapsed, statsMatchedLines: printer.statsMatchedLines)
    }

    /// `--null-data`: the input read whole, decoded to UTF-8 (`-E`), and its NULs and
    /// newlines swapped (the printer swaps them back), so NUL ends each line the searcher sees.
    private func searchTransformed(fd: Int32, path: String, searcher: Searcher, into printer: inout GrepPrinter) -> SearchResult {
        var bytes: [UInt8]
        switch WholeInput.read(fd) {
        case .failure(let failure):
            return SearchResult(stats: SearchStats(), error: .read(path: path, errno: failure.errno))
        case .success(let read):
            bytes = configuration.encoding == .none ? read : configuration.encoding.decode(read)
        }
        if configuration.output.nullData { GrepOutputOptions.swapNULAndNewline(&bytes) }
        return bytes.withUnsafeBytes { searcher.search(bytes: $0, path: path, into: &printer) }
    }

    func take(_ options: SearchOptions) -> Searcher {
        if let reused = lock.withLock({ free.firstIndex { $0.options == options }.map { free.remove(at: $0) } }) {
            return reused
        }
        let searcher = Searcher(matcher: configuration.searchMatcher, options: options)
        let cancellation = self.cancellation
        searcher.isCancelled = { cancellation.isCancelled }
        return searcher
    }

    func give(_ searcher: Searcher) {
        lock.withLock { free.append(searcher) }
    }
}
