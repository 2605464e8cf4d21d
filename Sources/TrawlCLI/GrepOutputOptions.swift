/// The printing flags beyond ripgrep's plain line (`-r`, `--vimgrep`, `-b`, `-M`, `--trim`,
/// the separators, `--passthru`, ...). When none is given `isPlain` is true and the printer
/// keeps its plain path: one branch per line is all these flags cost.
struct GrepOutputOptions: Sendable {
    var replacement: Replacement?
    var vimgrep = false
    var byteOffset = false
    var maxColumns: Int?
    var maxColumnsPreview = false
    var trim = false
    var passthru = false
    /// `-m` under `--passthru`: the matches after the first N print as context.
    var maxCount: Int?
    var stopOnNonmatch = false
    var countMatches = false
    var includeZero = false
    var noMessages = false
    /// `--null-data`: NUL ends lines, in the input and in what is printed.
    var nullData = false
    /// Between non-adjacent context groups and between files; nil: `--no-context-separator`.
    var contextSeparator: [UInt8]? = Array("--".utf8)
    var fieldMatchSeparator: [UInt8] = [UInt8(ascii: ":")]
    var fieldContextSeparator: [UInt8] = [UInt8(ascii: "-")]
    /// `--path-separator`: replaces `/` in every printed path.
    var pathSeparator: UInt8?
    var palette = ColorPalette.ripgrepDefault

    /// True when the line printer needs none of the fields above.
    var isPlain: Bool {
        replacement == nil && !vimgrep && !nullData && !byteOffset && maxColumns == nil && !trim && !passthru && !stopOnNonmatch
            && palette == .ripgrepDefault && fieldMatchSeparator == [UInt8(ascii: ":")] && fieldContextSeparator == [UInt8(ascii: "-")]
    }

    init() {}

    init(_ arguments: ParsedArguments, patterns: [String], caseInsensitive: Bool) throws {
        if let text = arguments.value(.replace) {
            replacement = Replacement(text, patterns: patterns, caseInsensitive: caseInsensitive)
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
        for spec in arguments.values(.colors) { try palette.apply(spec) }
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

    /// `--null-data`: NUL and newline trade places (the input before the search, each
    /// printed line after it).
    static func swapNULAndNewline(_ bytes: inout [UInt8], from start: Int = 0) {
        for index in start..<bytes.count {
            if bytes[index] == 0 { bytes[index] = 10 } else if bytes[index] == 10 { bytes[index] = 0 }
        }
    }

    /// A path as printed: `/` replaced by `--path-separator`'s byte.
    func displayPath(_ path: [UInt8]) -> [UInt8] {
        guard let pathSeparator else { return path }
        return path.map { $0 == UInt8(ascii: "/") ? pathSeparator : $0 }
    }
}
