#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Search
import WorkerPool

/// What `trawl grep` was asked to do, resolved once from the flags before any file is read.
/// Immutable and shared by every worker.
final class GrepConfiguration: Sendable {
    enum Mode: Sendable, Equatable { case lines, count, filesWithMatches, filesWithoutMatch, quiet, json }

    let matcher: any Matcher
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
    let stats: Bool

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
        case "smart-case": regexOptions.caseInsensitive = !patterns.contains(where: Regex.hasUppercaseLiteral)
        default: break
        }
        if arguments.has("word-regexp") { patterns = patterns.map { "\\b(?:" + $0 + ")\\b" } }
        if arguments.has("line-regexp") { patterns = patterns.map { "^(?:" + $0 + ")$" } }
        let multiline = arguments.has("multiline")
        regexOptions.crlf = arguments.has("crlf")
        regexOptions.lineTerminatorFree = !multiline
        let engine = arguments.has("swift-regex") ? "swift" : (arguments.value("engine") ?? "default")
        // Plain -F: a large set goes to Aho-Corasick; as one regex (a trie in the NFA)
        // 100,000 words were refused as too big.
        let literalSet = arguments.has("fixed-strings") && !arguments.has("word-regexp") && !arguments.has("line-regexp")
            && !multiline && LiteralSetMatcher.accepts(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        switch engine {
        case "default" where literalSet && patternBytes.count >= Self.literalSetThreshold:
            matcher = LiteralSetMatcher(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
        case "default":
            do {
                matcher = try Regex(patterns: patterns, options: regexOptions,
                                    isCancelled: interrupt.map { token in { token.isCancelled } })
            } catch where error.kind == .cancelled {
                throw error
            } catch where error.kind == .sizeLimit && literalSet {
                matcher = LiteralSetMatcher(patternBytes, caseInsensitive: regexOptions.caseInsensitive)
            } catch {
                throw CommandError.message(error.description)
            }
        case "swift":
            matcher = try SwiftRegexMatcher(patterns: patterns, caseInsensitive: regexOptions.caseInsensitive)
        default:
            throw ArgumentError.invalidValue(flag: "--engine", value: engine, reason: "expected 'default' or 'swift'")
        }

        if arguments.has("quiet") { mode = .quiet }
        else if arguments.has("json") { mode = .json }
        else if arguments.has("files-with-matches") { mode = .filesWithMatches }
        else if arguments.has("files-without-match") { mode = .filesWithoutMatch }
        else if arguments.has("count") { mode = .count }
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
        if mode == .filesWithMatches || mode == .filesWithoutMatch || mode == .quiet { search.maxCount = 1 }
        searchBinary = arguments.has("text") || arguments.count("unrestricted") >= 3
        column = arguments.has("column")
        onlyMatching = arguments.has("only-matching")
        switch arguments.lastOf("line-number", "no-line-number") {
        case "line-number": lineNumbers = true
        case "no-line-number": lineNumbers = false
        default: lineNumbers = stdoutIsTerminal || column
        }
        search.lineNumbers = lineNumbers || mode == .json
        self.search = search
        contextEnabled = search.beforeContext > 0 || search.afterContext > 0

        if arguments.has("no-filename") { withFilename = false }
        else if arguments.has("with-filename") { withFilename = true }
        else { withFilename = !singleFile }
        switch arguments.lastOf("heading", "no-heading") {
        case "heading": heading = withFilename
        case "no-heading": heading = false
        default: heading = stdoutIsTerminal && withFilename
        }
        let environment = ProcessEnvironment.current
        switch arguments.value("color") ?? "auto" {
        case "always": color = true
        case "never": color = false
        case "auto": color = stdoutIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        case let other: throw ArgumentError.invalidValue(flag: "--color", value: other, reason: "expected auto, always or never")
        }
        nullAfterPath = arguments.has("null")
        stats = arguments.has("stats")
    }
}

/// `-P/--engine swift`: Swift's own Regex, for look-around and backreferences. Slow (about
/// 8 MB/s, DESIGN.md) and not linear-time: an escape hatch, not the default.
final class SwiftRegexMatcher: Matcher, @unchecked Sendable {
    // Swift's Regex is a value type not marked Sendable; it is only read after init.
    private let regex: _StringProcessing.Regex<AnyRegexOutput>

    init(patterns: [String], caseInsensitive: Bool) throws {
        let joined = patterns.count == 1 ? patterns[0] : patterns.map { "(?:\($0))" }.joined(separator: "|")
        do {
            var regex = try _StringProcessing.Regex<AnyRegexOutput>(joined)
            regex = regex.anchorsMatchLineEndings()
            if caseInsensitive { regex = regex.ignoresCase() }
            self.regex = regex
        } catch {
            throw CommandError.message("regex parse error (swift engine): \(error)")
        }
    }

    func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        // Offsets are UTF-8 offsets of a String made from the window; invalid UTF-8 would
        // shift them, so such windows are searched line by line from their valid part only.
        let text = String(decoding: haystack, as: UTF8.self)
        guard text.utf8.count == haystack.count else { return nil }
        let utf8 = text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: start)
        guard from <= text.endIndex, let match = try? regex.firstMatch(in: text[from...]) else { return nil }
        let lower = utf8.distance(from: utf8.startIndex, to: match.range.lowerBound)
        let upper = utf8.distance(from: utf8.startIndex, to: match.range.upperBound)
        return lower..<upper
    }
}
