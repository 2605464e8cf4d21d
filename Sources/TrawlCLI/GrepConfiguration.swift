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
    /// `--null-data`: each input is read whole, decoded (`-E`) and has its NULs and
    /// newlines swapped before it is searched. Otherwise the searcher decodes as it reads.
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

    /// From this many `-F` patterns on, Aho-Corasick rather than the regex engine's trie.
    static let literalSetThreshold = 5_000

    /// `patterns` are the bytes given; `fewNamedFiles`: the paths named are 1 to 10 regular
    /// files (rg maps them); `interrupt` stops a long compilation (then a `RegexError` of
    /// kind `.cancelled` is thrown).
    init(_ arguments: ParsedArguments, patterns patternBytes: [[UInt8]], stdoutIsTerminal: Bool, singleFile: Bool,
         fewNamedFiles: Bool, interrupt: CancellationToken? = nil) throws {
        var regexOptions = RegexOptions()
        let caseFlag = arguments.lastOf(.ignoreCase, .caseSensitive, .smartCase)
        var patterns = arguments.has(.fixedStrings) ? patternBytes.map(GrepPatterns.fixedStringPattern)
                                                      : try patternBytes.map(GrepPatterns.regexPattern)
        // rg joins the patterns as text, each in `(?:...)`, even a lone one: `-e ')('` is
        // `(?:)()` and matches every line (rg's r2480), and an error shows the joined text.
        if !arguments.has(.fixedStrings) && !patterns.isEmpty {
            patterns = [patterns.lazy.map { "(?:" + $0 + ")" }.joined(separator: "|")]
        }
        switch caseFlag {
        case .ignoreCase: regexOptions.caseInsensitive = true
        case .smartCase: regexOptions.caseInsensitive = !patterns.contains(where: CompiledRegex.hasUppercaseLiteral)
        default: break
        }
        // rg 15: a half boundary each side, so `-w` also finds a pattern starting or ending in a non-word character.
        if arguments.has(.wordRegexp) { patterns = patterns.map { "\\b{start-half}(?:" + $0 + ")\\b{end-half}" } }
        if arguments.has(.lineRegexp) { patterns = patterns.map { "^(?:" + $0 + ")$" } }
        let multiline = arguments.has(.multiline)
        regexOptions.crlf = arguments.has(.crlf)
        regexOptions.lineTerminatorFree = !multiline
        regexOptions.unicode = arguments.lastOf(.noUnicode, .unicode) != .noUnicode
        regexOptions.dotMatchesNewline = multiline
            && arguments.lastOf(.multilineDotall, .noMultilineDotall) == .multilineDotall
        let engine = Self.engine(arguments)
        // Binary detection (off under -a, the last of the binary flags, and --null-data)
        // stops at a NUL or turns it into a line end, so no line holds one.
        let detectsBinary = arguments.lastOf(.text, .noText, .binary, .noBinary) != .text && !arguments.has(.nullData)
        let nulEndsLines = arguments.has(.nullData) && !multiline
        let sizeLimit = try arguments.size(.regexSizeLimit)
        _ = try arguments.size(.dfaSizeLimit)
        // Plain -F: a large set goes to Aho-Corasick; as one regex (a trie in the NFA)
        // 100,000 words were refused as too big.
        let literalSet = arguments.has(.fixedStrings) && !arguments.has(.wordRegexp) && !arguments.has(.lineRegexp)
            && !multiline && LiteralSetMatcher.accepts(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        let bigLiteralSet = literalSet && patternBytes.count >= Self.literalSetThreshold
        switch engine {
        case "default" where bigLiteralSet, "auto" where bigLiteralSet:
            matcher = LiteralSetMatcher(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        case "default", "auto":
            do {
                let regex = try CompiledRegex(patterns: patterns, options: regexOptions,
                                      isCancelled: interrupt.map { token in { token.isCancelled } })
                if nulEndsLines && regex.requiresByte(0) {
                    // --null-data: NUL is the line terminator, which a line-by-line pattern
                    // cannot hold (rg's message for it; the search swaps NUL and `\n`).
                    guard engine == "auto" else { throw CommandError.message(Self.literalNULMessage) }
                    matcher = try Self.backtrackMatcher(patterns, regexOptions)
                    break
                }
                if detectsBinary && regex.requiresByte(0) {
                    // rg's hybrid mode hands what its engine refuses to PCRE2.
                    guard engine == "auto" else { throw CommandError.message(Self.impossibleNULMessage) }
                    matcher = try Self.backtrackMatcher(patterns, regexOptions)
                    break
                }
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
        // -U --passthru with a pattern that can match `\n`: the multiline search finds the
        // blocks and every other line is context (rg's); a line at a time cannot see them.
        let passthruAsContext = output.passthru && multiline && matcher.canMatchNewline
        searchMatcher = passthruAsContext ? MultilinePassthruMatcher(matcher: matcher)
                      : output.passthru ? PassthruMatcher() : matcher
        self.output = output

        if arguments.has(.quiet) { mode = .quiet }
        else if arguments.has(.json) { mode = .json }
        else if arguments.has(.filesWithMatches) { mode = .filesWithMatches }
        else if arguments.has(.filesWithoutMatch) { mode = .filesWithoutMatch }
        else if arguments.has(.count) || arguments.has(.countMatches) { mode = .count }
        else { mode = .lines }

        var search = SearchOptions()
        search.invert = arguments.has(.invertMatch)
        search.multiline = multiline
        let context = try arguments.number(.context) ?? 0
        search.beforeContext = try arguments.number(.beforeContext) ?? context
        search.afterContext = try arguments.number(.afterContext) ?? context
        if mode != .lines && mode != .json {
            search.beforeContext = 0
            search.afterContext = 0
        }
        search.maxCount = try arguments.number(.maxCount)
        if passthruAsContext {
            // The printer turns the blocks after -m's last into context lines.
            search.beforeContext = mode == .lines || mode == .json ? Int.max : 0
            search.afterContext = search.beforeContext
            search.maxCount = nil
        } else if output.passthru {
            // Every line reaches the printer, which counts the real matches (`-m`) itself.
            search.beforeContext = 0
            search.afterContext = 0
            search.maxCount = nil
        }
        stats = arguments.has(.stats) || arguments.has(.json)
        jsonSummary = arguments.has(.json)
        filesWithoutMatch = arguments.has(.filesWithoutMatch)
        crlf = arguments.has(.crlf)
        if (mode == .filesWithMatches || mode == .filesWithoutMatch || mode == .quiet) && !stats { search.maxCount = 1 }
        searchBinary = arguments.lastOf(.text, .noText) == .text
        // -uuu is --binary in rg 15 (it was --text before): binary files are searched and
        // reported as `binary file matches`, not printed.
        searchBinaryFound = arguments.lastOf(.binary, .noBinary) == .binary || arguments.count(.unrestricted) >= 3
        preprocessor = try Preprocessor(arguments)
        encoding = arguments.lastOf(.encoding, .noEncoding) == .encoding
            ? try InputEncoding(label: arguments.value(.encoding)!) : .auto
        transformsInput = output.nullData
        let vimgrep = output.vimgrep
        column = arguments.lastOf(.column, .noColumn) == .column || (vimgrep && !arguments.has(.noColumn))
        onlyMatching = arguments.has(.onlyMatching)
        switch arguments.lastOf(.lineNumber, .noLineNumber, .pretty) {
        case .pretty: lineNumbers = true
        case .lineNumber: lineNumbers = true
        case .noLineNumber: lineNumbers = false
        default: lineNumbers = stdoutIsTerminal || column
        }
        search.lineNumbers = lineNumbers || mode == .json || output.stopOnNonmatch
        // rg maps up to 10 files named on the command line (and every file under --mmap);
        // it decides which NUL a file's output stops at (`MappingChoice`).
        switch arguments.lastOf(.mmap, .noMmap) {
        case .mmap: search.mapping = .always
        case .noMmap: search.mapping = .never
        default: search.mapping = fewNamedFiles ? .always : .whenBig
        }
        self.search = search
        contextEnabled = (search.beforeContext > 0 || search.afterContext > 0) && !output.passthru

        if arguments.has(.noFilename) { withFilename = false }
        else if arguments.has(.withFilename) || vimgrep { withFilename = true }
        else { withFilename = !singleFile }
        switch arguments.lastOf(.heading, .noHeading, .pretty) {
        case .pretty: heading = withFilename
        case _ where vimgrep: heading = false
        case .heading: heading = withFilename
        case .noHeading: heading = false
        default: heading = stdoutIsTerminal && withFilename
        }
        let environment = ProcessEnvironment.current
        let colorChoice = arguments.last(of: .color, .pretty)
        switch colorChoice?.flag == .pretty ? "always" : (colorChoice?.value ?? "auto") {
        case "always", "ansi": color = true
        case "never": color = false
        case "auto": color = stdoutIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        case let other: throw ArgumentError.invalidValue(flag: "--color", value: other, reason: "expected auto, always, ansi or never")
        }
        nullAfterPath = arguments.has(.null)
        switch arguments.lastOf(.lineBuffered, .blockBuffered, .noLineBuffered, .noBlockBuffered) {
        case .lineBuffered: lineBuffered = true
        case .blockBuffered: lineBuffered = false
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
        switch arguments.last(of: .engine, .swiftRegex, .pcre2, .noPcre2, .autoHybridRegex, .noAutoHybridRegex) {
        // `swift` names the engine -P used before trawl had its own backtracker.
        case let occurrence? where occurrence.flag == .engine: return occurrence.value == "swift" ? "pcre2" : occurrence.value ?? "default"
        case let occurrence? where occurrence.flag == .swiftRegex || occurrence.flag == .pcre2: return "pcre2"
        case let occurrence? where occurrence.flag == .autoHybridRegex: return "auto"
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

    /// Each line is its own block, also under -U.
    var canMatchNewline: Bool { false }
}

/// `-U --passthru`: the real matcher, so the multiline search finds the blocks and reports
/// every other line as context (the context is unbounded). A text without any match gets
/// an empty match at its last line's start, so its lines still come out as context; the
/// printer finds no real match in that block and prints it as context too.
struct MultilinePassthruMatcher: Matcher {
    let matcher: any Matcher

    func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        // An empty match after the final newline reports no line: as if none.
        if let match = matcher.find(in: haystack, from: start), match.lowerBound < haystack.count { return match }
        guard start == 0, !haystack.isEmpty else { return nil }
        var lastLine = haystack.count - 1  // the last line's start, before a final newline
        while lastLine > 0 && haystack[lastLine - 1] != 10 { lastLine -= 1 }
        return lastLine..<lastLine
    }

    var canMatchNewline: Bool { matcher.canMatchNewline }
}

extension GrepConfiguration {
    /// `-P`: the backtracking engine (PCRE2 syntax).
    /// rg's refusal of a pattern that must match a NUL while binary detection is on.
    static let impossibleNULMessage = """
        pattern contains "\\0" but it is impossible to match

        Consider enabling text mode with the --text flag (or -a for short). Otherwise,
        binary detection is enabled and matching a NUL byte is impossible.
        """

    static let literalNULMessage = """
        the literal "\\0" is not allowed in a regex

        Consider enabling multiline mode with the --multiline flag (or -U for short).
        When multiline mode is enabled, new line characters can be matched.
        """

    static func backtrackMatcher(_ patterns: [String], _ options: RegexOptions) throws -> BacktrackMatcher {
        do {
            return try BacktrackMatcher(patterns: patterns, options: options)
        } catch {
            throw CommandError.message("-P: \(error.description)")
        }
    }
}
