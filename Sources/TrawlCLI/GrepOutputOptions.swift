import Printer
import Search

/// `GrepOutputOptions` from the command line (the printer's module knows no flags).
extension GrepOutputOptions {
    /// `regexOptions`: how the search's patterns were compiled; `-r`'s groups are read with
    /// the same (under `-U` a group may span lines).
    init(_ arguments: ParsedArguments, patterns: [String], regexOptions: RegexOptions) throws {
        self.init()
        if let text = arguments.value("replace") {
            // A pattern the backtracker cannot read leaves its groups empty rather than failing the search.
            replacement = Replacement(text) { try? BacktrackMatcher(patterns: patterns, options: regexOptions) }
        }
        vimgrep = arguments.has("vimgrep")
        byteOffset = arguments.lastOf("byte-offset", "no-byte-offset") == "byte-offset"
        if let text = arguments.value("max-columns") {
            let columns = try WalkFlags.number(text, flag: "--max-columns")
            maxColumns = columns == 0 ? nil : columns
        }
        maxColumnsPreview = arguments.lastOf("max-columns-preview", "no-max-columns-preview") == "max-columns-preview"
        trim = arguments.lastOf("trim", "no-trim") == "trim"
        // --passthru and the context flags override each other: the last given wins, as in rg.
        let contextOrPassthru = arguments.occurrences.last {
            ["passthru", "passthrough", "context", "before-context", "after-context"].contains($0.flag)
        }?.flag
        passthru = contextOrPassthru == "passthru" || contextOrPassthru == "passthrough"
        if passthru { maxCount = try arguments.value("max-count").map { try WalkFlags.number($0, flag: "--max-count") } }
        stopOnNonmatch = arguments.has("stop-on-nonmatch")
        // `-c -o` counts matches too (rg's count_matches_via_only).
        countMatches = arguments.has("count-matches") || (arguments.has("count") && arguments.has("only-matching"))
        includeZero = arguments.lastOf("include-zero", "no-include-zero") == "include-zero"
        noMessages = arguments.lastOf("no-messages", "messages") == "no-messages"
        nullData = arguments.has("null-data")
        switch arguments.lastOf("context-separator", "no-context-separator") {
        case "no-context-separator": contextSeparator = nil
        case "context-separator": contextSeparator = Self.unescape(arguments.value("context-separator")!)
        default: break
        }
        if let text = arguments.value("field-match-separator") { fieldMatchSeparator = Self.unescape(text) }
        if let text = arguments.value("field-context-separator") { fieldContextSeparator = Self.unescape(text) }
        if let text = arguments.value("path-separator") {
            let bytes = Self.unescape(text)
            guard bytes.count == 1 else {
                throw ArgumentError.invalidValue(flag: "--path-separator", value: text,
                                                 reason: "a path separator must be exactly one byte, but the given separator is \(bytes.count) bytes")
            }
            pathSeparator = bytes[0]
        }
        for spec in arguments.values("colors") {
            do { try palette.apply(spec) } catch {
                throw ArgumentError.invalidValue(flag: "--colors", value: spec, reason: error.reason)
            }
        }
    }

    /// ripgrep's escapes in separators: `\t`, `\n`, `\r`, `\\`, `\0` and `\xHH` (any byte);
    /// anything else is kept as typed.
    static func unescape(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            switch bytes[index + 1] {
            case UInt8(ascii: "t"): result.append(9); index += 2
            case UInt8(ascii: "n"): result.append(10); index += 2
            case UInt8(ascii: "r"): result.append(13); index += 2
            case UInt8(ascii: "0"): result.append(0); index += 2
            case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\")); index += 2
            case UInt8(ascii: "x") where index + 3 < bytes.count:
                if let high = hexValue(bytes[index + 2]), let low = hexValue(bytes[index + 3]) {
                    result.append(high << 4 | low)
                    index += 4
                } else {
                    result.append(byte)
                    index += 1
                }
            default:
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// `-r`'s `$1` and `${name}`: trawl's own engine reports no groups, the backtracker reads them.
extension BacktrackMatcher: CaptureGroups {}
