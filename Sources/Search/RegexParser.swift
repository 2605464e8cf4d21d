/// RE2 / Rust regex syntax to a `RegexNode`, flags applied as it goes. A recursive-descent
/// parser over the pattern's scalars; every error carries the 1-based column of the
/// offending character.
struct RegexParser {
    struct Flags: Equatable {
        var caseInsensitive: Bool
        var multiLine: Bool
        var dotAll: Bool
        var ignoreWhitespace: Bool
        var swapGreed: Bool
        var unicode: Bool
        var crlf: Bool
    }

    /// Nesting beyond this is refused rather than risking the stack (Rust's default is 250).
    /// Groups, repetitions and bracket classes all count: `a` under 60,000 stacked
    /// quantifiers or 15,000 nested `[` overflowed the stack of every recursive pass.
    static let nestLimit = 250

    private let chars: [Unicode.Scalar]
    private var pos = 0
    private var flags: Flags
    private let lineTerminatorFree: Bool
    private var groupNames: Set<String> = []
    private var depth = 0
    /// Bracket classes open around the current position.
    private var classDepth = 0
    /// Nesting height (groups and repetitions) of the node the last `parseAlternation` returned.
    private var lastHeight = 0
    /// Polled every few thousand atoms so Ctrl-C stops a huge pattern's parse at once.
    private let isCancelled: (() -> Bool)?
    private var steps = 0

    init(_ pattern: String, options: RegexOptions, isCancelled: (() -> Bool)? = nil) {
        self.isCancelled = isCancelled
        chars = Array(pattern.unicodeScalars)
        flags = Flags(caseInsensitive: options.caseInsensitive, multiLine: options.multiLine,
                      dotAll: options.dotMatchesNewline, ignoreWhitespace: options.ignoreWhitespace,
                      swapGreed: options.swapGreed, unicode: options.unicode, crlf: options.crlf)
        lineTerminatorFree = options.lineTerminatorFree
    }

    static func parse(_ pattern: String, options: RegexOptions,
                      isCancelled: (() -> Bool)? = nil) throws(RegexError) -> RegexNode {
        var parser = RegexParser(pattern, options: options, isCancelled: isCancelled)
        return try parser.parseAll()
    }

    mutating func parseAll() throws(RegexError) -> RegexNode {
        let node = try parseAlternation()
        if pos < chars.count {
            // Only an unmatched ')' stops the top-level alternation early.
            throw error("unopened group", at: pos)
        }
        return node
    }

    // MARK: helpers

    private func error(_ message: String, at index: Int) -> RegexError {
        RegexError(message: message, column: index + 1)
    }

    private var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }

    private func peek(at offset: Int) -> Unicode.Scalar? {
        pos + offset < chars.count ? chars[pos + offset] : nil
    }

    private func lookingAt(_ s: String) -> Bool {
        var i = pos
        for c in s.unicodeScalars {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
        }
        return true
    }

    /// In `(?x)` mode whitespace and `#`-to-end-of-line comments separate nothing.
    private mutating func skipIgnoredWhitespace() {
        guard flags.ignoreWhitespace else { return }
        while let c = peek {
            if c.properties.isWhitespace {
                pos += 1
            } else if c == "#" {
                while let d = peek, d != "\n" { pos += 1 }
            } else {
                break
            }
        }
    }

    // MARK: structure

    private mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var branches = [try parseConcat()]
        var height = lastHeight
        while peek == "|" {
            pos += 1
            branches.append(try parseConcat())
            height = max(height, lastHeight)
        }
        lastHeight = height
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        // Nesting height of each item: a repetition stacks one on what it repeats.
        var heights: [Int] = []
        var height = 0
        while true {
            skipIgnoredWhitespace()
            guard let c = peek, c != "|", c != ")" else { break }
            steps &+= 1
            if steps & 4095 == 0, let isCancelled, isCancelled() {
                throw RegexError(kind: .cancelled, message: "interrupted", column: pos + 1)
            }
            let at = pos
            switch c {
            case "(":
                if let group = try parseGroup() {
                    items.append(group)
                    heights.append(lastHeight + 1)
                }
            case "*", "+", "?":
                pos += 1
                guard let last = items.popLast() else { throw error("repetition operator missing expression", at: at) }
                let (min, max): (Int, Int?) = c == "*" ? (0, nil) : c == "+" ? (1, nil) : (0, 1)
                try heights.append(repeatedHeight(heights.removeLast(), at: at))
                items.append(.repetition(last, min: min, max: max, greedy: parseGreed()))
            case "{":
                guard let last = items.popLast() else { throw error("repetition operator missing expression", at: at) }
                let (min, max) = try parseCounted()
                try heights.append(repeatedHeight(heights.removeLast(), at: at))
                items.append(.repetition(last, min: min, max: max, greedy: parseGreed()))
            case "[":
                items.append(try classNode(parseBracketClass()))
            case ".":
                pos += 1
                items.append(dot())
            case "^":
                pos += 1
                items.append(.look(flags.multiLine ? lineStart : textStart))
            case "$":
                pos += 1
                items.append(.look(flags.multiLine ? lineEnd : textEnd))
            case "\\":
                items.append(try parseEscape())
            default:
                pos += 1
                items.append(try literal(c.value, at: at))
            }
            if heights.count < items.count { heights.append(0) }  // an atom
            if let last = heights.last { height = max(height, last) }
        }
        lastHeight = height
        // Adjacent characters become one literal: one node per word, not per byte. The run
        // grows in one buffer (joining `a + b` per character was quadratic: 38 s for 1 MB).
        var merged: [RegexNode] = []
        var run: [UInt8] = []
        for item in items {
            if case .literal(let bytes) = item {
                run += bytes
                continue
            }
            if !run.isEmpty { merged.append(.literal(run)); run = [] }
            merged.append(item)
        }
        if !run.isEmpty { merged.append(.literal(run)) }
        switch merged.count {
        case 0: return .empty
        case 1: return merged[0]
        default: return .concat(merged)
        }
    }

    private func repeatedHeight(_ height: Int, at: Int) throws(RegexError) -> Int {
        guard height < Self.nestLimit else { throw error("exceeds the nest limit of \(Self.nestLimit)", at: at) }
        return height + 1
    }

    /// A trailing `?` makes a repetition lazy; `(?U)` swaps the meaning.
    private mutating func parseGreed() -> Bool {
        var greedy = true
        if peek == "?" { pos += 1; greedy = false }
        return flags.swapGreed ? !greedy : greedy
    }

    private mutating func parseCounted() throws(RegexError) -> (Int, Int?) {
        let open = pos
        pos += 1
        skipIgnoredWhitespace()
        guard let min = try parseDecimal() else {
            if peek == nil { throw error("unclosed counted repetition", at: open) }
            throw error("invalid counted repetition: expected a decimal", at: pos)
        }
        skipIgnoredWhitespace()
        var max: Int? = min
        if peek == "," {
            pos += 1
            skipIgnoredWhitespace()
            max = try parseDecimal()
            skipIgnoredWhitespace()
        }
        guard let close = peek else { throw error("unclosed counted repetition", at: open) }
        guard close == "}" else { throw error("invalid counted repetition: expected '}'", at: pos) }
        pos += 1
        if let max, max < min { throw error("invalid repetition range: minimum is greater than maximum", at: open) }
        return (min, max)
    }

    private mutating func parseDecimal() throws(RegexError) -> Int? {
        let start = pos
        var value = 0
        while let c = peek, c.value >= 0x30 && c.value <= 0x39 {
            value = value * 10 + Int(c.value - 0x30)
            if value > 100_000 { throw error("repetition count too large", at: start) }
            pos += 1
        }
        return pos == start ? nil : value
    }

    private mutating func parseGroup() throws(RegexError) -> RegexNode? {
        let open = pos
        pos += 1
        var name: String? = nil
        let saved = flags
        if peek == "?" {
            pos += 1
            if lookingAt("P<") || lookingAt("<") {
                if lookingAt("<=") || lookingAt("<!") {
                    throw error("look-around, including look-ahead and look-behind, is not supported", at: open)
                }
                pos += lookingAt("P<") ? 2 : 1
                name = try parseGroupName()
            } else if peek == "=" || peek == "!" {
                throw error("look-around, including look-ahead and look-behind, is not supported", at: open)
            } else {
                let scoped = try parseFlags()
                if !scoped { return nil } // `(?flags)`: applies to the rest of the enclosing group.
            }
        }
        depth += 1
        if depth > Self.nestLimit { throw error("exceeds the nest limit of \(Self.nestLimit)", at: open) }
        let inner = try parseAlternation()
        depth -= 1
        guard peek == ")" else { throw error("unclosed group", at: open) }
        pos += 1
        flags = saved
        if name == nil && chars[open + 1] == "?" { return inner }
        return .group(inner, name: name)
    }

    private mutating func parseGroupName() throws(RegexError) -> String {
        let start = pos
        var name = ""
        while let c = peek, c != ">" {
            let ok = c.properties.isAlphabetic || (c.value >= 0x30 && c.value <= 0x39) || c == "_" || c == "." || c == "[" || c == "]"
            let digitFirst = name.isEmpty && c.value >= 0x30 && c.value <= 0x39
            if !ok || digitFirst { throw error("invalid capture group character", at: pos) }
            name.unicodeScalars.append(c)
            pos += 1
        }
        guard peek == ">" else { throw error("unclosed capture group name", at: start) }
        if name.isEmpty { throw error("empty capture group name", at: start) }
        pos += 1
        if !groupNames.insert(name).inserted { throw error("duplicate capture group name", at: start) }
        return name
    }

    /// Parses `flags)` or `flags:` after `(?`. Returns true for the scoped `:` form.
    private mutating func parseFlags() throws(RegexError) -> Bool {
        var negate = false
        var seen: Set<Unicode.Scalar> = []
        var sawFlagAfterNegation = false
        var sawAny = false
        while let c = peek {
            let at = pos
            pos += 1
            switch c {
            case ")", ":":
                if negate && !sawFlagAfterNegation { throw error("flag negation without any flags", at: at) }
                if !sawAny && c == ")" { throw error("empty flag group", at: at) }
                return c == ":"
            case "-":
                if negate { throw error("duplicate flag negation", at: at) }
                negate = true
            case "i", "m", "s", "x", "U", "u", "R":
                if !seen.insert(c).inserted { throw error("duplicate flag", at: at) }
                let on = !negate
                switch c {
                case "i": flags.caseInsensitive = on
                case "m": flags.multiLine = on
                case "s": flags.dotAll = on
                case "x": flags.ignoreWhitespace = on
                case "U": flags.swapGreed = on
                case "u": flags.unicode = on
                default: flags.crlf = on
                }
                if negate { sawFlagAfterNegation = true }
            default:
                throw error("unrecognized flag", at: at)
            }
            sawAny = true
        }
        throw error("unclosed group", at: pos)
    }

    // MARK: atoms

    private var lineStart: Look { flags.crlf ? .startLineCRLF : .startLine }
    private var lineEnd: Look { flags.crlf ? .endLineCRLF : .endLine }
    /// A line-oriented matcher searches each line as its own text (as ripgrep does), so
    /// `\A` and `\z` mean line start and end there; only multiline search sees one text.
    /// `(?R)` leaves them alone: a line there is what ends in `\n`.
    private var textStart: Look { lineTerminatorFree ? .startLine : .startText }
    private var textEnd: Look { lineTerminatorFree ? .endLine : .endText }

    private func finishClass(_ set: ScalarRanges) -> ScalarRanges {
        var set = set
        if flags.caseInsensitive { set = flags.unicode ? CaseFolding.fold(set) : CaseFolding.foldASCII(set) }
        return set
    }

    /// Wraps a finished set as a node: bytes under `(?-u)`, scalars otherwise.
    private func classNode(_ set: ScalarRanges) -> RegexNode {
        var set = set.subtracting(ScalarRanges([ScalarRanges.surrogates]))
        if lineTerminatorFree { set = set.removing(0x0A) }
        if !flags.unicode && (set.ranges.last?.upperBound ?? 0) <= 0xFF { return .byteClass(set) }
        return .unicodeClass(set)
    }

    private var classMax: UInt32 { flags.unicode ? ScalarRanges.maxScalar : 0xFF }

    private func dot() -> RegexNode {
        var excluded: [ClosedRange<UInt32>] = []
        if !flags.dotAll || lineTerminatorFree { excluded.append(0x0A...0x0A) }
        if flags.crlf && !flags.dotAll { excluded.append(0x0D...0x0D) }
        return classNode(ScalarRanges(excluded).inverted(maxValue: classMax))
    }

    private func literal(_ c: UInt32, at: Int) throws(RegexError) -> RegexNode {
        if c == 0x0A && lineTerminatorFree {
            throw error("the literal \"\\n\" is not allowed in a regex", at: at)
        }
        // A literal character is its UTF-8 even under `(?-u)` (as in the crate); only `\xNN`
        // escapes there are single bytes.
        if flags.caseInsensitive {
            // One orbit lookup, not a pass over the folding table (-i -f 2000 words: 0.74 s).
            let folded = flags.unicode ? ScalarRanges(scalars: CaseFolding.orbit(c)) : CaseFolding.foldASCII(ScalarRanges([c...c]))
            if folded.singleMember == nil { return classNode(folded) }
        }
        return .literal(Array(String(Unicode.Scalar(c)!).utf8))
    }

    /// `\b`, or regex 1.9's `\b{start}`, `\b{end}`, `\b{start-half}`, `\b{end-half}`. A
    /// `{` not followed by a letter is a repetition of `\b` (`\b{2}`), as in the crate.
    private mutating func parseWordBoundary() throws(RegexError) -> RegexNode {
        let at = pos
        pos += 2
        let u = flags.unicode
        func isNameChar(_ c: Unicode.Scalar?) -> Bool {
            guard let c else { return false }
            return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "-"
        }
        guard peek == "{" else { return .look(u ? .wordBoundaryUnicode : .wordBoundaryASCII) }
        guard peek(at: 1) != nil else { throw error("unexpected end of pattern after \\b{", at: at) }
        guard isNameChar(peek(at: 1)) else { return .look(u ? .wordBoundaryUnicode : .wordBoundaryASCII) }
        let nameStart = pos + 1
        var end = nameStart
        while end < chars.count && isNameChar(chars[end]) { end += 1 }
        guard end < chars.count, chars[end] == "}" else { throw error("special word boundary assertion is unclosed", at: pos) }
        let name = String(String.UnicodeScalarView(chars[nameStart..<end]))
        let look: Look
        switch name {
        case "start": look = u ? .wordStartUnicode : .wordStartASCII
        case "end": look = u ? .wordEndUnicode : .wordEndASCII
        case "start-half": look = u ? .wordStartHalfUnicode : .wordStartHalfASCII
        case "end-half": look = u ? .wordEndHalfUnicode : .wordEndHalfASCII
        default: throw error("unrecognized special word boundary assertion", at: nameStart)
        }
        pos = end + 1
        return .look(look)
    }

    private mutating func parseEscape() throws(RegexError) -> RegexNode {
        let at = pos
        guard let c = peek(at: 1) else { throw error("incomplete escape sequence", at: at) }
        switch c {
        case "A": pos += 2; return .look(textStart)
        case "z": pos += 2; return .look(textEnd)
        case "b": return try parseWordBoundary()
        case "B": pos += 2; return .look(flags.unicode ? .notWordBoundaryUnicode : .notWordBoundaryASCII)
        case "<": pos += 2; return .look(flags.unicode ? .wordStartUnicode : .wordStartASCII)
        case ">": pos += 2; return .look(flags.unicode ? .wordEndUnicode : .wordEndASCII)
        default: break
        }
        switch try parseClassEscape() {
        case .set(let set): return classNode(finishClass(set))
        case .char(let value, let isByte):
            if isByte { return .byteClass(finishClass(ScalarRanges([value...value]))) }
            return try literal(value, at: at)
        }
    }

    private enum EscapeValue {
        /// A single character; `isByte` for `\xHH` >= 0x80 under `(?-u)`.
        case char(UInt32, isByte: Bool)
        case set(ScalarRanges)
    }

    /// An escape valid both in and out of brackets; `pos` is at the backslash.
    private mutating func parseClassEscape() throws(RegexError) -> EscapeValue {
        let at = pos
        pos += 1
        guard let c = peek else { throw error("incomplete escape sequence", at: at) }
        pos += 1
        switch c {
        case "n": return .char(0x0A, isByte: false)
        case "t": return .char(0x09, isByte: false)
        case "r": return .char(0x0D, isByte: false)
        case "f": return .char(0x0C, isByte: false)
        case "v": return .char(0x0B, isByte: false)
        case "a": return .char(0x07, isByte: false)
        case "x", "u", "U":
            let value = try parseHex(digits: c == "x" ? 2 : c == "u" ? 4 : 8, escapeAt: at)
            if !flags.unicode && c == "x" && value >= 0x80 && value <= 0xFF { return .char(value, isByte: true) }
            return .char(value, isByte: false)
        case "d", "D", "w", "W", "s", "S":
            let lower = Unicode.Scalar(c.value | 0x20)!
            var set: ScalarRanges
            switch lower {
            case "d": set = flags.unicode ? UnicodeTables.digit : UnicodeTables.asciiDigit
            case "w": set = flags.unicode ? UnicodeTables.word : UnicodeTables.asciiWord
            default: set = flags.unicode ? UnicodeTables.whiteSpace : UnicodeTables.asciiSpace
            }
            if c != lower { set = set.inverted(maxValue: classMax) }
            return .set(set)
        case "p", "P":
            var name: String
            if peek == "{" {
                let open = pos
                pos += 1
                name = ""
                while let d = peek, d != "}" { name.unicodeScalars.append(d); pos += 1 }
                guard peek == "}" else { throw error("unclosed Unicode class brace", at: open) }
                pos += 1
            } else if let d = peek {
                name = String(d)
                pos += 1
            } else {
                throw error("incomplete escape sequence", at: at)
            }
            var negate = c == "P"
            if name.hasPrefix("^") { name.removeFirst(); negate.toggle() }
            guard let set = UnicodeTables.property(named: name) else {
                throw error("Unicode property not found", at: at)
            }
            return .set(negate ? set.inverted(maxValue: ScalarRanges.maxScalar) : set)
        case "0"..."9":
            throw error("backreferences are not supported", at: at)
        default:
            if c.value < 0x80 && !c.properties.isAlphabetic && !(c.value >= 0x30 && c.value <= 0x39) {
                return .char(c.value, isByte: false) // escaped punctuation or space
            }
            throw error("unrecognized escape sequence", at: at)
        }
    }

    private mutating func parseHex(digits: Int, escapeAt: Int) throws(RegexError) -> UInt32 {
        var value: UInt32 = 0
        func hexValue(_ c: Unicode.Scalar) -> UInt32? {
            switch c.value {
            case 0x30...0x39: return c.value - 0x30
            case 0x41...0x46: return c.value - 0x41 + 10
            case 0x61...0x66: return c.value - 0x61 + 10
            default: return nil
            }
        }
        if peek == "{" {
            let open = pos
            pos += 1
            var count = 0
            while let c = peek, c != "}" {
                guard let h = hexValue(c) else { throw error("invalid hexadecimal digit", at: pos) }
                value = value &* 16 &+ h
                count += 1
                if count > 8 { throw error("hexadecimal literal is not a Unicode scalar value", at: escapeAt) }
                pos += 1
            }
            guard peek == "}" else { throw error("unclosed hexadecimal brace", at: open) }
            if count == 0 { throw error("hexadecimal literal empty", at: open) }
            pos += 1
        } else {
            for _ in 0..<digits {
                guard let c = peek else { throw error("incomplete escape sequence", at: escapeAt) }
                guard let h = hexValue(c) else { throw error("invalid hexadecimal digit", at: pos) }
                value = value * 16 + h
                pos += 1
            }
        }
        guard value <= ScalarRanges.maxScalar, !ScalarRanges.surrogates.contains(value) else {
            throw error("hexadecimal literal is not a Unicode scalar value", at: escapeAt)
        }
        return value
    }

    // MARK: bracket classes

    /// `[...]` with nesting, ranges, POSIX names, escapes and `&&` `--` `~~`. Case folding
    /// is applied before negation, as Rust does: `(?i)[^a]` matches neither a nor A.
    private mutating func parseBracketClass() throws(RegexError) -> ScalarRanges {
        let open = pos
        pos += 1
        classDepth += 1
        defer { classDepth -= 1 }
        if classDepth > Self.nestLimit { throw error("exceeds the nest limit of \(Self.nestLimit)", at: open) }
        var negated = false
        if peek == "^" { negated = true; pos += 1 }
        var lhs = try parseClassUnion(open: open, leadingBracketIsLiteral: true)
        while true {
            skipIgnoredWhitespace()
            if lookingAt("&&") {
                pos += 2
                lhs = lhs.intersection(try parseClassUnion(open: open))
            } else if lookingAt("--") {
                pos += 2
                lhs = lhs.subtracting(try parseClassUnion(open: open))
            } else if lookingAt("~~") {
                pos += 2
                lhs = lhs.symmetricDifference(try parseClassUnion(open: open))
            } else if peek == "]" {
                pos += 1
                break
            } else {
                throw error("unclosed character class", at: open)
            }
        }
        var set = finishClass(lhs)
        if negated { set = set.inverted(maxValue: classMax) }
        return set
    }

    private mutating func parseClassUnion(open: Int, leadingBracketIsLiteral: Bool = false) throws(RegexError) -> ScalarRanges {
        var parts: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            skipIgnoredWhitespace()
            guard let c = peek else { throw error("unclosed character class", at: open) }
            if c == "]" && !(first && leadingBracketIsLiteral) { break }
            if !first && (lookingAt("&&") || lookingAt("--") || lookingAt("~~")) { break }
            first = false
            if c == "[" {
                if lookingAt("[:"), let posix = try parsePosixClass() {
                    parts += posix.ranges
                } else {
                    parts += try parseBracketClass().ranges
                }
                continue
            }
            let itemAt = pos
            let lo: UInt32
            switch try parseClassAtom() {
            case .set(let set): parts += set.ranges; continue
            case .char(let v, _): lo = v
            }
            // A range `a-z`, unless the '-' is last in the class.
            if peek == "-", let next = peek(at: 1), next != "]", !lookingAt("--") {
                pos += 1
                let hiAt = pos
                switch try parseClassAtom() {
                case .set: throw error("invalid range boundary, must be a literal", at: hiAt)
                case .char(let hi, _):
                    if hi < lo { throw error("invalid character class range", at: itemAt) }
                    parts.append(lo...hi)
                }
            } else {
                parts.append(lo...lo)
            }
        }
        return ScalarRanges(parts)
    }

    private mutating func parseClassAtom() throws(RegexError) -> EscapeValue {
        guard let c = peek else { throw error("unclosed character class", at: pos) }
        if c == "\\" { return try parseClassEscape() }
        // As the crate: a byte class cannot hold a character's several UTF-8 bytes.
        if !flags.unicode && c.value > 0x7F { throw error("Unicode not allowed here", at: pos) }
        pos += 1
        return .char(c.value, isByte: false)
    }

    /// `[:alpha:]` or `[:^alpha:]`; nil (position unchanged) when it is not one.
    private mutating func parsePosixClass() throws(RegexError) -> ScalarRanges? {
        let start = pos
        pos += 2
        var negated = false
        if peek == "^" { negated = true; pos += 1 }
        var name = ""
        while let c = peek, c.value >= 0x61 && c.value <= 0x7A { name.unicodeScalars.append(c); pos += 1 }
        guard lookingAt(":]") else { pos = start; return nil }
        guard let set = UnicodeTables.posixClass(name) else { throw error("invalid ASCII class name", at: start) }
        pos += 2
        return negated ? set.inverted(maxValue: classMax) : set
    }
}
