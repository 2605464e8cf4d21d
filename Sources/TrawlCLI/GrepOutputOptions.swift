import Printer
import Search

/// `GrepOutputOptions` from the command line (the printer's module knows no flags).
extension GrepOutputOptions {
    init(_ arguments: ParsedArguments, patterns: [String], regexOptions: RegexOptions) throws {
        self.init()
        if let text = arguments.value(.replace) {
            // Groups are read with the search's options (-i, -U, --multiline-dotall); a pattern
            // the backtracker cannot read leaves them empty rather than failing the search.
            replacement = Replacement(text) { try? BacktrackMatcher(patterns: patterns, options: regexOptions) }
        }
        vimgrep = arguments.has(.vimgrep)
        byteOffset = arguments.lastOf(.byteOffset, .noByteOffset) == .byteOffset
        if let columns = try arguments.number(.maxColumns) {
            maxColumns = columns == 0 ? nil : columns
        }
        maxColumnsPreview = arguments.lastOf(.maxColumnsPreview, .noMaxColumnsPreview) == .maxColumnsPreview
        trim = arguments.lastOf(.trim, .noTrim) == .trim
        // --passthru and the context flags override each other: the last given wins, as in rg.
        let contextOrPassthru = arguments.lastOf(.passthru, .passthrough, .context, .beforeContext, .afterContext)
        passthru = contextOrPassthru == .passthru || contextOrPassthru == .passthrough
        if passthru { maxCount = try arguments.number(.maxCount) }
        stopOnNonmatch = arguments.has(.stopOnNonmatch)
        // `-c -o` counts matches too (rg's count_matches_via_only).
        countMatches = arguments.has(.countMatches) || (arguments.has(.count) && arguments.has(.onlyMatching))
        includeZero = arguments.lastOf(.includeZero, .noIncludeZero) == .includeZero
        noMessages = arguments.lastOf(.noMessages, .messages) == .noMessages
        nullData = arguments.has(.nullData)
        switch arguments.lastOf(.contextSeparator, .noContextSeparator) {
        case .noContextSeparator: contextSeparator = nil
        case .contextSeparator: contextSeparator = Self.unescape(arguments.value(.contextSeparator)!)
        default: break
        }
        if let text = arguments.value(.fieldMatchSeparator) { fieldMatchSeparator = Self.unescape(text) }
        if let text = arguments.value(.fieldContextSeparator) { fieldContextSeparator = Self.unescape(text) }
        if let text = arguments.value(.pathSeparator) {
            let bytes = Self.unescape(text)
            guard bytes.count == 1 else {
                throw ArgumentError.invalidValue(flag: "--path-separator", value: text,
                                                 reason: "a path separator must be exactly one byte, but the given separator is \(bytes.count) bytes")
            }
            pathSeparator = bytes[0]
        }
        for spec in arguments.values(.colors) {
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
