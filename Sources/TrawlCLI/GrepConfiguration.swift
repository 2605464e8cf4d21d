#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Printer
import Search
import WorkerPool

/// What `trawl grep` was asked to do, resolved once from the flags before any file is read.
/// Immutable and shared by every worker.
final class GrepConfiguration: Sendable {
    typealias Mode = PrinterConfiguration.Mode

    let matcher: any Matcher
    /// What the line searcher runs: `matcher`, or under `--passthru` one that reports every line.
    let searchMatcher: any Matcher
    /// The flags beyond the plain line (`-r`, `--vimgrep`, `-b`, `-M`, separators, ...).
    let output: GrepOutputOptions
    let search: SearchOptions
    let mode: Mode
    let onlyMatching: Bool
    let column: Bool
    let lineNumbers: Bool
    let heading: Bool
    let withFilename: Bool
    let color: Bool
    let nullAfterPath: Bool
    let contextEnabled: Bool
    let searchBinary: Bool
    /// `--binary`: binary files found by walking are searched as named ones are (their
    /// match reported as "binary file matches"), not left at the first NUL.
    let searchBinaryFound: Bool
    /// `--pre` and `-z`: files read through a child process.
    let preprocessor: Preprocessor?
    /// `-E/--encoding`.
    let encoding: InputEncoding
    /// Each input is read whole and decoded (`-E` other than auto and none) or has its
    /// NULs and newlines swapped (`--null-data`) before it is searched.
    let transformsInput: Bool
    /// Totals are kept (`--stats`, and `--json`'s summary): every match of every file is
    /// counted, and -q, -l and -L read every file to its end (as rg).
    let stats: Bool
    /// `--crlf`: the printer ends the lines it makes (a match of -o, a count, a path) with
    /// `\r\n`, as rg does; lines from the input keep their own terminator.
    let crlf: Bool
    /// `--files-without-match`, also under `--quiet`: success is a file without a match.
    let filesWithoutMatch: Bool
    /// `--json`: its summary ends the output, even under `--quiet` (which prints nothing else).
    let jsonSummary: Bool
    /// Each line written as it is found: a terminal, or `--line-buffered`.
    let lineBuffered: Bool
    /// What each file's `GrepPrinter` is given.
    let printer: PrinterConfiguration

    /// `patterns` are the bytes given; `interrupt` stops a long compilation (then a
    /// `RegexError` of kind `.cancelled` is thrown).
    /// From this many `-F` patterns on, Aho-Corasick rather than the regex engine's trie.
    static let literalSetThreshold = 5_000

    init(_ arguments: ParsedArguments, patterns patternBytes: [[UInt8]], stdoutIsTerminal: Bool, singleFile: Bool,
         interrupt: CancellationToken? = nil) throws {
        var regexOptions = RegexOptions()
        let caseFlag = arguments.occurrences.last { ["ignore-case", "case-sensitive", "smart-case"].contains($0.flag) }?.flag
        var patterns = arguments.has("fixed-strings") ? patternBytes.map(GrepPatterns.fixedStringPattern)
                                                      : try patternBytes.map(GrepPatterns.regexPattern)
        switch caseFlag {
        case "ignore-case": regexOptions.caseInsensitive = true
        case "smart-case": regexOptions.caseInsensitive = !patterns.contains(where: CompiledRegex.hasUppercaseLiteral)
        default: break
        }
        if arguments.has("word-regexp") { patterns = patterns.map { "\\b(?:" + $0 + ")\\b" } }
        if arguments.has("line-regexp") { patterns = patterns.map { "^(?:" + $0 + ")$" } }
        let multiline = arguments.has("multiline")
        regexOptions.crlf = arguments.has("crlf")
        regexOptions.lineTerminatorFree = !multiline
        regexOptions.unicode = arguments.lastOf("no-unicode", "unicode") != "no-unicode"
        regexOptions.dotMatchesNewline = multiline
            && arguments.lastOf("multiline-dotall", "no-multiline-dotall") == "multiline-dotall"
        let engine = Self.engine(arguments)
        let sizeLimit = try arguments.value("regex-size-limit").map { try WalkFlags.size($0, flag: "--regex-size-limit") }
        _ = try arguments.value("dfa-size-limit").map { try WalkFlags.size($0, flag: "--dfa-size-limit") }
        // Plain -F: a large set goes to Aho-Corasick; as one regex (a trie in the NFA)
        // 100,000 words were refused as too big.
        let literalSet = arguments.has("fixed-strings") && !arguments.has("word-regexp") && !arguments.has("line-regexp")
            && !multiline && LiteralSetMatcher.accepts(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        let bigLiteralSet = literalSet && patternBytes.count >= Self.literalSetThreshold
        switch engine {
        case "default" where bigLiteralSet, "auto" where bigLiteralSet:
            matcher = LiteralSetMatcher(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        case "default", "auto":
            do {
                let regex = try CompiledRegex(patterns: patterns, options: regexOptions,
                                      isCancelled: interrupt.map { token in { token.isCancelled } })
                if let sizeLimit, regex.compiledSize > sizeLimit {
                    throw CommandError.message("regex parse error: compiled regex exceeds size limit of \(sizeLimit) bytes (--regex-size-limit)")
                }
                matcher = regex
            } catch let error as RegexError where error.kind == .cancelled {
                throw error
            } catch let error as RegexError where error.kind == .sizeLimit && literalSet {
                matcher = LiteralSetMatcher(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
            } catch let error as RegexError {
                // --engine auto: what trawl's engine cannot read (look-around, backreferences)
                // goes to the backtracking engine, as rg's hybrid mode goes to PCRE2.
                guard engine == "auto" else { throw CommandError.message(error.description) }
                matcher = try Self.backtrackMatcher(patterns, regexOptions)
            }
        case "pcre2":
            matcher = try Self.backtrackMatcher(patterns, regexOptions)
        default:
            throw ArgumentError.invalidValue(flag: "--engine", value: engine, reason: "expected 'default', 'auto' or 'pcre2'")
        }

        let output = try GrepOutputOptions(arguments, patterns: patterns, regexOptions: regexOptions)
        searchMatcher = output.passthru ? PassthruMatcher() : matcher
        self.output = output

        if arguments.has("quiet") { mode = .quiet }
        else if arguments.has("json") { mode = .json }
        else if arguments.has("files-with-matches") { mode = .filesWithMatches }
        else if arguments.has("files-without-match") { mode = .filesWithoutMatch }
        else if arguments.has("count") || arguments.has("count-matches") { mode = .count }
        else { mode = .lines }

        var search = SearchOptions()
        search.invert = arguments.has("invert-match")
        search.multiline = multiline
        let context = try arguments.value("context").map { try WalkFlags.number($0, flag: "--context") } ?? 0
        search.beforeContext = try arguments.value("before-context").map { try WalkFlags.number($0, flag: "--before-context") } ?? context
        search.afterContext = try arguments.value("after-context").map { try WalkFlags.number($0, flag: "--after-context") } ?? context
        if mode != .lines && mode != .json {
            search.beforeContext = 0
            search.afterContext = 0
        }
        search.maxCount = try arguments.value("max-count").map { try WalkFlags.number($0, flag: "--max-count") }
        if output.passthru {
            // Every line reaches the printer, which counts the real matches (`-m`) itself.
            search.beforeContext = 0
            search.afterContext = 0
            search.maxCount = nil
        }
        stats = arguments.has("stats") || arguments.has("json")
        jsonSummary = arguments.has("json")
        filesWithoutMatch = arguments.has("files-without-match")
        crlf = arguments.has("crlf")
        if (mode == .filesWithMatches || mode == .filesWithoutMatch || mode == .quiet) && !stats { search.maxCount = 1 }
        searchBinary = arguments.lastOf("text", "no-text") == "text"
        // -uuu is --binary in rg 15 (it was --text before): binary files are searched and
        // reported as `binary file matches`, not printed.
        searchBinaryFound = arguments.lastOf("binary", "no-binary") == "binary" || arguments.count("unrestricted") >= 3
        preprocessor = try Preprocessor(arguments)
        encoding = arguments.lastOf("encoding", "no-encoding") == "encoding"
            ? try InputEncoding(label: arguments.value("encoding")!) : .auto
        transformsInput = (encoding != .auto && encoding != .none) || output.nullData
        let vimgrep = output.vimgrep
        column = arguments.lastOf("column", "no-column") == "column" || (vimgrep && !arguments.has("no-column"))
        onlyMatching = arguments.has("only-matching")
        switch arguments.occurrences.last(where: { ["line-number", "no-line-number", "pretty"].contains($0.flag) })?.flag {
        case "pretty": lineNumbers = true
        case "line-number": lineNumbers = true
        case "no-line-number": lineNumbers = false
        default: lineNumbers = stdoutIsTerminal || column
        }
        search.lineNumbers = lineNumbers || mode == .json || output.stopOnNonmatch
        self.search = search
        contextEnabled = search.beforeContext > 0 || search.afterContext > 0

        if arguments.has("no-filename") { withFilename = false }
        else if arguments.has("with-filename") || vimgrep { withFilename = true }
        else { withFilename = !singleFile }
        switch arguments.occurrences.last(where: { ["heading", "no-heading", "pretty"].contains($0.flag) })?.flag {
        case "pretty": heading = withFilename
        case _ where vimgrep: heading = false
        case "heading": heading = withFilename
        case "no-heading": heading = false
        default: heading = stdoutIsTerminal && withFilename
        }
        let environment = ProcessEnvironment.current
        let colorChoice = arguments.occurrences.last { $0.flag == "color" || $0.flag == "pretty" }
        switch colorChoice?.flag == "pretty" ? "always" : (colorChoice?.value ?? "auto") {
        case "always", "ansi": color = true
        case "never": color = false
        case "auto": color = stdoutIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        case let other: throw ArgumentError.invalidValue(flag: "--color", value: other, reason: "expected auto, always, ansi or never")
        }
        nullAfterPath = arguments.has("null")
        let buffering = arguments.occurrences.last {
            ["line-buffered", "block-buffered", "no-line-buffered", "no-block-buffered"].contains($0.flag)
        }?.flag
        switch buffering {
        case "line-buffered": lineBuffered = true
        case "block-buffered": lineBuffered = false
        default: lineBuffered = stdoutIsTerminal
        }
        printer = PrinterConfiguration(matcher: matcher, output: output, mode: mode, multiline: multiline,
                                       invert: search.invert, onlyMatching: onlyMatching, column: column,
                                       lineNumbers: lineNumbers, heading: heading, withFilename: withFilename,
                                       color: color, nullAfterPath: nullAfterPath, stats: stats, crlf: crlf)
    }
}

extension GrepConfiguration {
    /// The engine the last of `--engine`, `-P/--pcre2`, `--no-pcre2`, `--auto-hybrid-regex`
    /// and `--no-auto-hybrid-regex` asks for.
    static func engine(_ arguments: ParsedArguments) -> String {
        let flags = ["engine", "swift-regex", "pcre2", "no-pcre2", "auto-hybrid-regex", "no-auto-hybrid-regex"]
        switch arguments.occurrences.last(where: { flags.contains($0.flag) }) {
        // `swift` names the engine -P used before trawl had its own backtracker.
        case let occurrence? where occurrence.flag == "engine": return occurrence.value == "swift" ? "pcre2" : occurrence.value ?? "default"
        case let occurrence? where occurrence.flag == "swift-regex" || occurrence.flag == "pcre2": return "pcre2"
        case let occurrence? where occurrence.flag == "auto-hybrid-regex": return "auto"
        default: return "default"
        }
    }
}

/// `--passthru`: every line is reported to the printer, which prints those the real matcher
/// does not match as context. An empty match at `start` puts the line holding it forward.
struct PassthruMatcher: Matcher {
    func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        start < haystack.count ? start..<start : nil
    }
}

extension GrepConfiguration {
    /// `-P`: the backtracking engine (PCRE2 syntax).
    static func backtrackMatcher(_ patterns: [String], _ options: RegexOptions) throws -> BacktrackMatcher {
        do {
            return try BacktrackMatcher(patterns: patterns, options: options)
        } catch {
            throw CommandError.message("-P: \(error.description)")
        }
    }
}
