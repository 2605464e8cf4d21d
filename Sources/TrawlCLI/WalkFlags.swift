#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Scan
import Walk
import WorkerPool

/// The walker flags every scanning command shares, turned into a scan source.
struct WalkFlags {
    var options = WalkOptions()
    var nullSeparated = false
    var filesFrom: String?
    var order: ScanOrder
    var threads: Int
    /// Files per read-ahead submission (`--read-ahead`).
    var readAhead: Int
    /// `--sort modified` and the other orders that wait for the whole walk (files, grep).
    var deferredSort: DeferredSort?

    /// - Parameter everything: hash and dupes start from every regular file (hidden and
    ///   ignored too); ignore rules apply there only when asked for.
    /// - Parameter timeSorts: the command takes ripgrep's `--sort modified` and `--sortr`.
    init(_ arguments: ParsedArguments, sortDefault: ScanOrder, everything: Bool = false, timeSorts: Bool = false) throws {
        options.environment = ProcessEnvironment.current
        let unrestricted = arguments.count(.unrestricted)
        options.noIgnore = everything || unrestricted >= 1 || arguments.has(.noIgnore)
        options.hidden = everything || unrestricted >= 2 || arguments.has(.hidden)
        options.noIgnoreVcs = arguments.has(.noIgnoreVcs)
        options.noIgnoreParent = arguments.has(.noIgnoreParent)
        options.noRequireGit = arguments.lastOf(.noRequireGit, .requireGit) == .noRequireGit
        options.noIgnoreDot = arguments.lastOf(.noIgnoreDot, .ignoreDot) == .noIgnoreDot
        options.noIgnoreExclude = arguments.lastOf(.noIgnoreExclude, .ignoreExclude) == .noIgnoreExclude
        options.noIgnoreGlobal = arguments.lastOf(.noIgnoreGlobal, .ignoreGlobal) == .noIgnoreGlobal
        // -u keeps --ignore-file files: --no-ignore-files is their only off switch, as in rg.
        // One that cannot be read is reported and left out; the walk goes on (rg's exit 0).
        if arguments.lastOf(.noIgnoreFiles, .ignoreFiles) != .noIgnoreFiles {
            for path in arguments.values(.ignoreFile) {
                switch Self.readIgnoreFile(path) {
                case .success(let contents): options.explicitIgnores.append(contents)
                case .failure(let failure): Diagnostics.error("\(path): \(String(cString: strerror(failure.errno)))")
                }
            }
        }
        options.ignoreFilesCaseInsensitive = arguments.lastOf(.ignoreFileCaseInsensitive, .noIgnoreFileCaseInsensitive)
            == .ignoreFileCaseInsensitive
        if let size = try arguments.size(.maxFilesize) {
            options.maxFileSize = size
            options.statFiles = true
        }
        let globsIgnoreCase = arguments.lastOf(.globCaseInsensitive, .noGlobCaseInsensitive) == .globCaseInsensitive
        for occurrence in arguments.occurrences {
            if occurrence.flag == .glob { options.globs.append(OverrideGlob(occurrence.value!, caseInsensitive: globsIgnoreCase)) }
            if occurrence.flag == .iglob { options.globs.append(OverrideGlob(occurrence.value!, caseInsensitive: true)) }
        }
        // --type-add and --type-clear apply in the order given.
        for occurrence in arguments.occurrences where occurrence.flag == .typeAdd || occurrence.flag == .typeClear {
            let definition = occurrence.value!
            if occurrence.flag == .typeClear {
                options.fileTypes.clear(definition)
                continue
            }
            do { try options.fileTypes.add(definition) } catch {
                throw ArgumentError.invalidValue(flag: "--type-add", value: definition, reason: "expected NAME:GLOB, e.g. 'web:*.html'")
            }
        }
        options.selectTypes = arguments.values(.type)
        options.negateTypes = arguments.values(.typeNot)
        if let depth = arguments.last(of: .maxDepth, .maxdepth)?.value {
            options.maxDepth = try Self.number(depth, flag: "--max-depth")
        }
        // --hidden shows `.git` as rg 15 does (its files are hidden files); hash and dupes
        // keep skipping it unless --include-git (their documented default).
        options.includeGit = (arguments.accepts(.includeGit) && arguments.has(.includeGit)) || (!everything && options.hidden)
        options.shard = try Self.shard(arguments)
        options.followSymlinks = arguments.has(.follow)
        options.oneFileSystem = arguments.has(.oneFileSystem)
        nullSeparated = arguments.has(.null)
        filesFrom = arguments.value(.filesFrom)
        var sortName = arguments.value(.sort)
        if timeSorts {
            let requested = try DeferredSort.requested(arguments)
            sortName = requested.scanOrder
            deferredSort = requested.deferred
        }
        switch sortName {
        case nil: order = sortDefault
        case "path": order = .path
        case "none": order = .completion
        case let other?: throw ArgumentError.invalidValue(flag: "--sort", value: other, reason: "expected 'path' or 'none'")
        }
        threads = try arguments.number(.threads, minimum: 1) ?? Commands.defaultThreads
        // Under a tight descriptor limit (`ulimit -n 16`), fewer threads each holding a few:
        // a worker a file and its directory, a directory thread one directory. Under an
        // address-space limit (`ulimit -v`), as many as fit.
        threads = AddressSpaceBudget.threads(DescriptorBudget.threads(threads, holding: 4))
        options.threads = AddressSpaceBudget.threads(DescriptorBudget.threads(Self.directoryThreads(workers: threads), holding: 4))
        readAhead = DescriptorBudget.spare < 256 ? 0 : try Self.readAhead(arguments, threads: threads)
    }

    /// `--read-ahead`, or its default: none with one thread, so that `-j 1` reads one file
    /// at a time as users of `rg -j 1` expect; the most a submission takes otherwise
    /// (also for the commands without the flag).
    static func readAhead(_ arguments: ParsedArguments, threads: Int) throws -> Int {
        guard arguments.accepts(.readAhead), let text = arguments.value(.readAhead) else { return threads == 1 ? 0 : FileScan.maxReadAhead }
        let value = try number(text, flag: "--read-ahead")
        guard value <= FileScan.maxReadAhead else {
            throw ArgumentError.invalidValue(flag: "--read-ahead", value: text, reason: "expected at most \(FileScan.maxReadAhead) files")
        }
        return value
    }

    /// Directory-reading threads at least (at most the worker count users asked for, more
    /// on a machine with more cores): readdir waits on a cold cache as reads do, and the
    /// waiting loops sleep on the walk's condition, not spin. Linux tree, 2 cores: cold
    /// `files -uu` 0.37 s with 2 loops, 0.18 s with 8, 0.16 s with 16 (fd -j 32 0.27 s);
    /// cold grep 1.37-1.50 s with 2, 1.26-1.37 s with 16; warm `files` 0.068 -> 0.060 s and
    /// `dupes` 0.326 -> 0.318 s, warm grep 0.399 -> 0.410 s (within its noise).
    static let directoryThreads = 16

    /// Directory-reading threads for `workers` worker threads (`-j`).
    static func directoryThreads(workers: Int) -> Int {
        max(1, min(workers, max(ThreadPoolExecutor.activeProcessorCount, directoryThreads)))
    }

    /// `--shard I/N`, when given (files, grep, hash and find; dupes has no shards).
    static func shard(_ arguments: ParsedArguments) throws -> PathShard? {
        guard arguments.accepts(.shard), let text = arguments.value(.shard) else { return nil }
        guard let shard = PathShard(text) else {
            throw ArgumentError.invalidValue(flag: "--shard", value: text, reason: "expected I/N with 1 <= I <= N, e.g. 2/8")
        }
        return shard
    }

    static func readIgnoreFile(_ path: String) -> Result<[UInt8], WholeInput.Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(WholeInput.Failure(errno: errno)) }
        defer { close(fd) }
        return WholeInput.read(fd)
    }

    /// ripgrep's sizes: digits with an optional K, M or G suffix (powers of 1024).
    static func size(_ text: String, flag: String) throws -> Int64 {
        var digits = Substring(text)
        var multiplier: Int64 = 1
        switch text.last {
        case "K": multiplier = 1 << 10; digits = digits.dropLast()
        case "M": multiplier = 1 << 20; digits = digits.dropLast()
        case "G": multiplier = 1 << 30; digits = digits.dropLast()
        default: break
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits),
              value <= Int64.max / multiplier else {
            throw ArgumentError.invalidValue(flag: flag, value: text,
                                             reason: "invalid format for size '\(text)', which should be a non-empty sequence of digits followed by an optional 'K', 'M' or 'G' suffix")
        }
        return value * multiplier
    }

    static func number(_ text: String, flag: String, minimum: Int = 0) throws -> Int {
        guard let value = Int(text), value >= minimum else {
            throw ArgumentError.invalidValue(flag: flag, value: text, reason: "expected a whole number of at least \(minimum)")
        }
        return value
    }

    /// The byte that ends every printed path.
    var pathTerminator: UInt8 { nullSeparated ? 0 : UInt8(ascii: "\n") }

    /// `job`, leaving out the files of other shards when they come from `--files-from` (a
    /// walk leaves them out itself, before any read).
    func sharded<Record>(_ job: ScanJob<Record>) -> ScanJob<Record> {
        guard let shard = options.shard, filesFrom != nil else { return job }
        switch job {
        case .inline(let work):
            return .inline { shard.includes(relativePath: $0.path) ? work($0) : nil }
        case .pooled(let work):
            return .pooled { shard.includes(relativePath: $0.path) ? work($0) : nil }
        case .pooledRuns(let work):
            return .pooledRuns { run in
                let kept = run.indices.filter { shard.includes(relativePath: run[$0].path) }
                if kept.count == run.count { return work(run) }
                var records = [Record?](repeating: nil, count: run.count)
                for (index, record) in zip(kept, work(kept.map { run[$0] })) { records[index] = record }
                return records
            }
        }
    }

    /// Where the files come from: `--files-from`, or a walk of `paths`.
    func source(paths: [String]) throws -> ScanSource {
        if let filesFrom {
            return .pathList(path: Array(filesFrom.utf8), separator: pathTerminator)
        }
        let walker: Walker
        do {
            walker = try Walker(options: options)
        } catch let error as WalkError {
            throw CommandError.message(error.description)
        }
        // A root that is not UTF-8 (`foo\xffbar`) is searched by its own bytes, as rg does.
        return .walk(walker, roots: paths.map(GrepPatterns.commandLineBytes))
    }
}

/// A failure that ends a command before it starts, with exit status 2.
enum CommandError: Error, CustomStringConvertible {
    case message(String)
    var description: String {
        switch self { case .message(let text): return text }
    }
}
