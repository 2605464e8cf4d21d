/// The printing flags beyond ripgrep's plain line (`-r`, `--vimgrep`, `-b`, `-M`, `--trim`,
/// the separators, `--passthru`, ...). When none is given `isPlain` is true and the printer
/// keeps its plain path: one branch per line is all these flags cost.
public struct GrepOutputOptions: Sendable {
    public var replacement: Replacement?
    public var vimgrep = false
    public var byteOffset = false
    public var maxColumns: Int?
    public var maxColumnsPreview = false
    public var trim = false
    public var passthru = false
    /// `-m` under `--passthru`: the matches after the first N print as context.
    public var maxCount: Int?
    public var stopOnNonmatch = false
    public var countMatches = false
    public var includeZero = false
    public var noMessages = false
    /// `--null-data`: NUL ends lines, in the input and in what is printed.
    public var nullData = false
    /// Between non-adjacent context groups and between files; nil: `--no-context-separator`.
    public var contextSeparator: [UInt8]? = Array("--".utf8)
    public var fieldMatchSeparator: [UInt8] = [UInt8(ascii: ":")]
    public var fieldContextSeparator: [UInt8] = [UInt8(ascii: "-")]
    /// `--path-separator`: replaces `/` in every printed path.
    public var pathSeparator: UInt8?
    public var palette = ColorPalette.ripgrepDefault

    /// True when the line printer needs none of the fields above.
    public var isPlain: Bool {
        replacement == nil && !vimgrep && !nullData && !byteOffset && maxColumns == nil && !trim && !passthru && !stopOnNonmatch
            && palette == .ripgrepDefault && fieldMatchSeparator == [UInt8(ascii: ":")] && fieldContextSeparator == [UInt8(ascii: "-")]
    }

    public init() {}

    /// `--null-data`: NUL and newline trade places (the input before the search, each
    /// printed line after it).
    public static func swapNULAndNewline(_ bytes: inout [UInt8], from start: Int = 0) {
        for index in start..<bytes.count {
            if bytes[index] == 0 { bytes[index] = 10 } else if bytes[index] == 10 { bytes[index] = 0 }
        }
    }

    /// A path as printed: `/` replaced by `--path-separator`'s byte.
    public func displayPath(_ path: [UInt8]) -> [UInt8] {
        guard let pathSeparator else { return path }
        return path.map { $0 == UInt8(ascii: "/") ? pathSeparator : $0 }
    }
}
