/// The colours of `--color`, changed by ripgrep's `--colors TYPE:ATTRIBUTE:VALUE` specs
/// (`match:fg:blue`, `path:style:underline`, `line:bg:0x10,0x20,0x30`, `column:fg:200`,
/// `match:none`). Escapes are written as ripgrep's terminal writer writes them: a reset,
/// then bold, italic, underline, then the foreground and background colours.
public struct ColorPalette: Sendable, Equatable {
    public enum Color: Sendable, Equatable {
        case named(UInt8)  // 0 black ... 7 white, in ANSI order
        case ansi256(UInt8)
        case rgb(UInt8, UInt8, UInt8)
    }

    public struct Style: Sendable, Equatable {
        public var foreground: Color?
        public var background: Color?
        public var bold = false
        public var intense = false
        public var underline = false
        public var italic = false

        private func code(_ color: Color, ground: Int) -> String { Self.code(color, ground: ground, intense: intense) }

        private static func code(_ color: Color, ground: Int, intense: Bool = false) -> String {
            switch color {
            case .named(let index) where intense: return "\u{1b}[\(ground)8;5;\(Int(index) + 8)m"
            case .named(let index): return "\u{1b}[\(ground)\(index)m"
            case .ansi256(let index): return "\u{1b}[\(ground)8;5;\(index)m"
            case .rgb(let red, let green, let blue): return "\u{1b}[\(ground)8;2;\(red);\(green);\(blue)m"
            }
        }

        public var isNone: Bool { foreground == nil && background == nil && !bold && !underline && !italic }

        /// The bytes that switch a terminal to this style: a lone reset when it sets nothing,
        /// as rg writes around a column with no colour.
        fileprivate func escapeBytes() -> [UInt8] {
            var text = "\u{1b}[0m"
            if bold { text += "\u{1b}[1m" }
            if italic { text += "\u{1b}[3m" }
            if underline { text += "\u{1b}[4m" }
            if let foreground { text += code(foreground, ground: 3) }
            if let background { text += code(background, ground: 4) }
            return Array(text.utf8)
        }
    }

    public private(set) var pathStyle = Style(foreground: .named(5))
    public private(set) var lineStyle = Style(foreground: .named(2))
    public private(set) var columnStyle = Style()
    public private(set) var matchStyle = Style(foreground: .named(1), bold: true)

    // The escapes themselves, computed once per spec rather than per line.
    public private(set) var path: [UInt8] = []
    public private(set) var line: [UInt8] = []
    public private(set) var column: [UInt8] = []
    public private(set) var match: [UInt8] = []

    public static let reset: [UInt8] = Array("\u{1b}[0m".utf8)

    public static let ripgrepDefault: ColorPalette = {
        var palette = ColorPalette()
        palette.refresh()
        return palette
    }()

    private mutating func refresh() {
        path = pathStyle.escapeBytes()
        line = lineStyle.escapeBytes()
        column = columnStyle.escapeBytes()
        // rg leaves a match with no style uncoloured, without even the reset.
        match = matchStyle.isNone ? [] : matchStyle.escapeBytes()
    }

    /// Applies one `--colors` spec. Throws a reason in ripgrep's words for a bad one.
    public mutating func apply(_ spec: String) throws(ColorSpecError) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ reason: String) -> ColorSpecError { ColorSpecError(reason: reason) }
        guard parts.count >= 2 else { throw fail("expected TYPE:ATTRIBUTE:VALUE or TYPE:none") }
        var style: Style
        switch parts[0] {
        case "path": style = pathStyle
        case "line": style = lineStyle
        case "column": style = columnStyle
        case "match": style = matchStyle
        case "highlight": throw fail("the 'highlight' type (whole matching lines) is not supported by trawl")
        default: throw fail("unrecognized output type '\(parts[0])'. Choose from: path, line, column, match")
        }
        switch (parts[1], parts.count) {
        case ("none", 2): style = Style()
        case ("fg", 3): style.foreground = try Self.color(parts[2], fail: fail)
        case ("bg", 3): style.background = try Self.color(parts[2], fail: fail)
        case ("style", 3):
            switch parts[2] {
            case "bold": style.bold = true
            case "nobold": style.bold = false
            case "intense": style.intense = true
            case "nointense": style.intense = false
            case "underline": style.underline = true
            case "nounderline": style.underline = false
            case "italic": style.italic = true
            case "noitalic": style.italic = false
            case let other:
                throw fail("unrecognized style attribute '\(other)'. Choose from: nobold, bold, nointense, intense, nounderline, underline, noitalic, italic")
            }
        case ("fg", _), ("bg", _), ("style", _), ("none", _): throw fail("expected TYPE:ATTRIBUTE:VALUE or TYPE:none")
        case (let other, _): throw fail("unrecognized spec type '\(other)'. Choose from: fg, bg, style, none")
        }
        switch parts[0] {
        case "path": pathStyle = style
        case "line": lineStyle = style
        case "column": columnStyle = style
        default: matchStyle = style
        }
        refresh()
    }

    /// A colour name, an ANSI 256 index (`200`, `0xC8`) or `R,G,B` (each decimal or hex).
    private static func color(_ text: String, fail: (String) -> ColorSpecError) throws(ColorSpecError) -> Color {
        let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        if let index = names.firstIndex(of: text) { return .named(UInt8(index)) }
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { part -> UInt8? in
            part.hasPrefix("0x") ? UInt8(part.dropFirst(2), radix: 16) : UInt8(part)
        }
        if numbers.count == 1, let index = numbers[0] { return .ansi256(index) }
        if numbers.count == 3, let red = numbers[0], let green = numbers[1], let blue = numbers[2] {
            return .rgb(red, green, blue)
        }
        if text.first?.isNumber == true { throw fail("invalid color '\(text)': expected 0-255 or R,G,B") }
        throw fail("unrecognized color name '\(text)'. Choose from: black, blue, green, red, cyan, magenta, yellow, white")
    }
}

/// A `--colors` spec the palette cannot apply; `reason` is ripgrep's wording.
public struct ColorSpecError: Error, Sendable {
    public let reason: String
}
