/// Reads PCRE2 pattern syntax (grep `-P`) into a `PCRENode`: literals, classes (POSIX
/// `[:alpha:]`, `\d\w\s\h\v`, `\p{..}`), anchors, `\b\B\A\z\Z\G`, capturing, named,
/// non-capturing and atomic groups, inline flags `(?imsx-imsx)`, greedy, lazy and
/// possessive quantifiers, look-ahead and look-behind, backreferences (`\1`, `\g{1}`,
/// `\g{-1}`, `\k<n>`, `(?P=n)`), `\K`, `\Q..\E` and `(?#..)` comments.
/// Errors are `RegexError`s with the 1-based column of the problem.
struct PCREParser {
    struct Flags {
        var caseless = false
        var multiLine = true
        var dotAll = false
        var extended = false
    }

    struct Result {
        var node: PCRENode
        var groupCount: Int
        var names: [String: Int]
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var flags: Flags
    private let unicode: Bool
    private var groupCount = 0
    private var names: [String: Int] = [:]
    /// Backreferences by name, resolved once every group is known: (node path unknown,
    /// so a placeholder number), name, column.
    private var pendingNames: [(placeholder: Int, name: String, column: Int)] = []
    private var highestReference = (number: 0, column: 0)

    static func parse(_ pattern: String, flags: Flags, unicode: Bool = true) throws(RegexError) -> Result {
        var parser = PCREParser(scalars: Array(pattern.unicodeScalars), flags: flags, unicode: unicode)
        var node = try parser.parseAlternation(depth: 0)
        if parser.index < parser.scalars.count { throw parser.error("unmatched closing parenthesis", at: parser.index) }
        if parser.highestReference.number > parser.groupCount {
            throw RegexError(message: "reference to non-existent subpattern", column: parser.highestReference.column)
        }
        if !parser.pendingNames.isEmpty {
            var numbers: [Int: Int] = [:]
            for pending in parser.pendingNames {
                guard let n = parser.names[pending.name] else {
                    throw RegexError(message: "reference to non-existent subpattern '\(pending.name)'", column: pending.column)
                }
                numbers[pending.placeholder] = n
            }
            node = node.resolvingPlaceholders(numbers)
        }
        return Result(node: node, groupCount: parser.groupCount, names: parser.names)
    }

    private init(scalars: [Unicode.Scalar], flags: Flags, unicode: Bool) {
        self.scalars = scalars
        self.flags = flags
        self.unicode = unicode
    }

    private func error(_ message: String, at i: Int) -> RegexError {
        RegexError(message: message, column: i + 1)
    }

    private var atEnd: Bool { index >= scalars.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }
    private func lookingAt(_ s: String) -> Bool {
        var i = index
        for c in s.unicodeScalars {
            guard i < scalars.count, scalars[i] == c else { return false }
            i += 1
        }
        return true
    }

    private mutating func skipExtendedWhitespace() {
        guard flags.extended else { return }
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" {
                index += 1
            } else if c == "#" {
                while let d = peek(), d != "\n" { index += 1 }
            } else {
                return
            }
        }
    }

    // MARK: structure

    private mutating func parseAlternation(depth: Int) throws(RegexError) -> PCRENode {
        if depth > 250 { throw error("parentheses are too deeply nested", at: index) }
        var branches = [try parseConcat(depth: depth)]
        while peek() == "|" {
            index += 1
            branches.append(try parseConcat(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat(depth: Int) throws(RegexError) -> PCRENode {
        var items: [PCRENode] = []
        while true {
            skipExtendedWhitespace()
            guard let c = peek(), c != "|", c != ")" else { break }
            let atomStart = index
            var atom: PCRENode
            switch c {
            case "(":
                guard let group = try parseGroup(depth: depth) else { continue }
                atom = group
            case "[":
                atom = try parseClass()
            case "\\":
                if lookingAt("\\Q") {
                    index += 2
                    var quoted: [PCRENode] = []
                    while !atEnd && !lookingAt("\\E") {
                        quoted.append(literal(scalars[index].value))
                        index += 1
                    }
                    if !atEnd { index += 2 }
                    // A quantifier after `\E` repeats the last quoted character.
                    guard let last = quoted.popLast() else { continue }
                    items += quoted
                    atom = last
                } else if lookingAt("\\E") {
                    index += 2
                    continue
                } else {
                    atom = try parseEscape()
                }
            case ".":
                index += 1
                atom = .any(dotAll: flags.dotAll)
            case "^":
                index += 1
                atom = .assertion(flags.multiLine ? .lineStart : .subjectStart)
            case "$":
                index += 1
                atom = .assertion(flags.multiLine ? .lineEnd : .subjectEndOrFinalNewline)
            case "*", "+", "?":
                throw error("quantifier does not follow a repeatable item", at: index)
            case "{" where quantifierBounds(at: index) != nil:
                throw error("quantifier does not follow a repeatable item", at: index)
            default:
                index += 1
                atom = literal(c.value)
            }
            atom = try parseQuantifiers(atom, start: atomStart)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    private mutating func parseQuantifiers(_ atom: PCRENode, start: Int) throws(RegexError) -> PCRENode {
        var node = atom
        var repeated = false
        while true {
            skipExtendedWhitespace()
            guard let c = peek() else { return node }
            let bounds: (Int, Int?)
            switch c {
            case "*", "+", "?":
                // `a**` is an error in PCRE2; only a counted repeat may follow another.
                if repeated {
                    throw error("quantifier does not follow a repeatable item", at: index)
                }
                bounds = c == "*" ? (0, nil) : c == "+" ? (1, nil) : (0, 1)
                index += 1
            case "{":
                guard let (b, length) = quantifierBounds(at: index) else { return node }
                bounds = b
                index += length
            default: return node
            }
            // A repeat of a repeat (`a{2}{3}`) repeats the inner one as a group.
            if case .repetition = node { node = .group(node, capture: nil) }
            var kind = PCRERepetitionKind.greedy
            if peek() == "?" { kind = .lazy; index += 1 } else if peek() == "+" { kind = .possessive; index += 1 }
            if let max = bounds.1, max < bounds.0 { throw error("numbers out of order in {} quantifier", at: start) }
            if bounds.0 > 65535 || (bounds.1 ?? 0) > 65535 { throw error("number too big in {} quantifier", at: start) }
            node = .repetition(node, min: bounds.0, max: bounds.1, kind: kind)
            repeated = true
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` (and PCRE2 10.43's `{,m}`) at `i`, with its length in scalars;
    /// nil when the brace is a literal.
    private func quantifierBounds(at i: Int) -> ((Int, Int?), Int)? {
        var j = i + 1
        func number() -> Int? {
            var value: Int? = nil
            while j < scalars.count, let d = scalars[j].decimalDigitValue {
                value = min((value ?? 0) * 10 + d, 1_000_000)
                j += 1
            }
            return value
        }
        let low = number()
        var high: Int?
        if j < scalars.count, scalars[j] == "," {
            j += 1
            high = number()
            guard low != nil || high != nil else { return nil }
        } else {
            guard let low else { return nil }
            high = low
        }
        guard j < scalars.count, scalars[j] == "}" else { return nil }
        return ((low ?? 0, high), j + 1 - i)
    }

    private mutating func parseGroup(depth: Int) throws(RegexError) -> PCRENode? {
        let open = index
        index += 1
        if peek() == "*" { throw error("(*VERB) and (*OPTION) items are not supported", at: open) }
        guard peek() == "?" else {
            return try finishGroup(open: open, depth: depth) { node, number in .group(node, capture: number) }
        }
        index += 1
        switch peek() {
        case ":":
            index += 1
            return try finishGroup(open: open, depth: depth, capturing: false) { node, _ in .group(node, capture: nil) }
        case ">":
            index += 1
            return try finishGroup(open: open, depth: depth, capturing: false) { node, _ in .atomic(node) }
        case "=", "!":
            let negative = peek() == "!"
            index += 1
            return try finishGroup(open: open, depth: depth, capturing: false) { node, _ in
                .look(node, behind: false, negative: negative)
            }
        case "<" where peek(1) == "=" || peek(1) == "!":
            let negative = peek(1) == "!"
            index += 2
            let body = try finishGroup(open: open, depth: depth, capturing: false) { node, _ in node }
            return try lookBehind(body, negative: negative, at: open)
        case "#":
            while let c = peek(), c != ")" { index += 1 }
            if atEnd { throw error("missing ) after (?# comment", at: open) }
            index += 1
            return nil
        case "P" where peek(1) == "=":
            index += 2
            let name = try parseName(terminator: ")")
            return namedReference(name, at: open)
        case "P" where peek(1) == "<", "<", "'":
            if peek() == "P" { index += 1 }
            let terminator: Unicode.Scalar = peek() == "'" ? "'" : ">"
            index += 1
            let name = try parseName(terminator: terminator)
            return try finishGroup(open: open, depth: depth, name: name) { node, number in .group(node, capture: number) }
        case "|":
            throw error("branch reset groups (?|...) are not supported", at: open)
        default:
            return try parseFlagGroup(open: open, depth: depth)
        }
    }

    /// `(?i)` changes the flags to the end of the enclosing group; `(?i:...)` within it only.
    private mutating func parseFlagGroup(open: Int, depth: Int) throws(RegexError) -> PCRENode? {
        var updated = flags
        var on = true
        while let c = peek(), c != ")" && c != ":" {
            switch c {
            case "-": on = false
            case "i": updated.caseless = on
            case "m": updated.multiLine = on
            case "s": updated.dotAll = on
            case "x": updated.extended = on
            default: throw error("unrecognized character after (? or (?-", at: index)
            }
            index += 1
        }
        guard let c = peek() else { throw error("missing closing parenthesis", at: open) }
        index += 1
        if c == ")" {
            flags = updated
            return nil
        }
        let saved = flags
        flags = updated
        defer { flags = saved }
        let body = try parseAlternation(depth: depth + 1)
        guard peek() == ")" else { throw error("missing closing parenthesis", at: open) }
        index += 1
        return .group(body, capture: nil)
    }

    private mutating func finishGroup(open: Int, depth: Int, capturing: Bool = true, name: String? = nil,
                                      _ make: (PCRENode, Int?) -> PCRENode) throws(RegexError) -> PCRENode {
        var number: Int? = nil
        if capturing {
            groupCount += 1
            number = groupCount
            if let name {
                if names[name] != nil { throw error("two named subpatterns have the same name", at: open) }
                names[name] = groupCount
            }
        }
        let saved = flags
        let body = try parseAlternation(depth: depth + 1)
        flags = saved
        guard peek() == ")" else { throw error("missing closing parenthesis", at: open) }
        index += 1
        return make(body, number)
    }

    /// A look-behind of alternatives of different fixed lengths becomes one look-behind
    /// per alternative (PCRE2 allows that; each must have a fixed length).
    private func lookBehind(_ body: PCRENode, negative: Bool, at open: Int) throws(RegexError) -> PCRENode {
        let branches: [PCRENode]
        if case .alternation(let b) = body { branches = b } else { branches = [body] }
        var looks: [PCRENode] = []
        for branch in branches {
            guard branch.fixedLength != nil else {
                throw error("lookbehind assertion is not fixed length", at: open)
            }
            looks.append(.look(branch, behind: true, negative: negative))
        }
        if looks.count == 1 { return looks[0] }
        return negative ? .group(.concat(looks), capture: nil) : .group(.alternation(looks), capture: nil)
    }

    private mutating func parseName(terminator: Unicode.Scalar) throws(RegexError) -> String {
        let start = index
        var name = ""
        while let c = peek(), c != terminator {
            guard c.properties.isAlphabetic || c == "_" || (c.isASCII && c.properties.numericType != nil) else {
                throw error("subpattern name expected", at: index)
            }
            name.unicodeScalars.append(c)
            index += 1
        }
        guard !atEnd, !name.isEmpty else { throw error("subpattern name expected", at: start) }
        if let first = name.unicodeScalars.first, first.isASCII, first.properties.numericType != nil {
            throw error("subpattern name must not begin with a digit", at: start)
        }
        index += 1
        return name
    }

    private mutating func namedReference(_ name: String, at column: Int) -> PCRENode {
        if let n = names[name] { return .backreference(n, caseless: flags.caseless) }
        // A reference before its group: a negative placeholder resolved at the end.
        let placeholder = -(pendingNames.count + 1)
        pendingNames.append((placeholder, name, column + 1))
        return .backreference(placeholder, caseless: flags.caseless)
    }

    private mutating func numberedReference(_ n: Int, at column: Int) throws(RegexError) -> PCRENode {
        guard n > 0 else { throw error("a numbered reference must not be zero", at: column) }
        if n > highestReference.number { highestReference = (n, column + 1) }
        return .backreference(n, caseless: flags.caseless)
    }

    // MARK: atoms

    /// A literal scalar, as its case orbit under `(?i)`.
    private func literal(_ c: UInt32) -> PCRENode {
        guard flags.caseless else { return .char(c) }
        let orbit = unicode ? CaseFolding.orbit(c) : asciiOrbit(c)
        return orbit.count == 1 ? .char(c) : .set(ScalarRanges(scalars: orbit), negated: false)
    }

    private func asciiOrbit(_ c: UInt32) -> [UInt32] {
        if (0x41...0x5A).contains(c) { return [c, c + 32] }
        if (0x61...0x7A).contains(c) { return [c - 32, c] }
        return [c]
    }

    private func folded(_ set: ScalarRanges) -> ScalarRanges {
        guard flags.caseless else { return set }
        return unicode ? CaseFolding.fold(set) : CaseFolding.foldASCII(set)
    }

    /// A class node: folded under `(?i)` before it is negated, as PCRE2 does.
    private func classNode(_ set: ScalarRanges, negated: Bool) -> PCRENode {
        let set = folded(set)
        return negated ? .set(set.inverted(maxValue: ScalarRanges.maxScalar), negated: true) : .set(set, negated: false)
    }

    private enum Escape {
        case scalar(UInt32)
        case set(ScalarRanges, negated: Bool)
        case node(PCRENode)
    }

    private mutating func parseEscape() throws(RegexError) -> PCRENode {
        let start = index
        switch try parseEscapeValue(inClass: false) {
        case .scalar(let c): return literal(c)
        case .set(let s, let negated): return classNode(s, negated: negated)
        case .node(let node):
            _ = start
            return node
        }
    }

    private var wordSet: ScalarRanges { unicode ? UnicodeTables.word : UnicodeTables.asciiWord }
    private var digitSet: ScalarRanges { unicode ? UnicodeTables.digit : UnicodeTables.asciiDigit }
    private var spaceSet: ScalarRanges { unicode ? UnicodeTables.whiteSpace : UnicodeTables.asciiSpace }
    private static let horizontalSpace = ScalarRanges([0x09...0x09, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680,
                                                       0x180E...0x180E, 0x2000...0x200A, 0x202F...0x202F,
                                                       0x205F...0x205F, 0x3000...0x3000])
    private static let verticalSpace = ScalarRanges([0x0A...0x0D, 0x85...0x85, 0x2028...0x2029])

    /// `value` followed by up to `count` octal digits read here (`\0`, `\ddd`, PCRE2's rules).
    private mutating func takeOctalDigits(after value: UInt32, atMost count: Int) -> UInt32 {
        var value = value
        for _ in 0..<count {
            guard let d = peek(), let v = d.octalDigitValue else { break }
            value = value * 8 + v
            index += 1
        }
        return value
    }

    private mutating func parseEscapeValue(inClass: Bool) throws(RegexError) -> Escape {
        let start = index
        index += 1
        guard let c = peek() else { throw error("\\ at end of pattern", at: start) }
        index += 1
        switch c {
        case "a": return .scalar(0x07)
        case "e": return .scalar(0x1B)
        case "f": return .scalar(0x0C)
        case "n": return .scalar(0x0A)
        case "r": return .scalar(0x0D)
        case "t": return .scalar(0x09)
        case "d": return .set(digitSet, negated: false)
        case "D": return .set(digitSet, negated: true)
        case "w": return .set(wordSet, negated: false)
        case "W": return .set(wordSet, negated: true)
        case "s": return .set(spaceSet, negated: false)
        case "S": return .set(spaceSet, negated: true)
        case "h": return .set(Self.horizontalSpace, negated: false)
        case "H": return .set(Self.horizontalSpace, negated: true)
        case "v": return .set(Self.verticalSpace, negated: false)
        case "V": return .set(Self.verticalSpace, negated: true)
        case "N" where !inClass: return .node(.any(dotAll: false))
        case "R" where !inClass:
            // Any newline sequence, \r\n as one.
            return .node(.atomic(.alternation([.concat([.char(0x0D), .char(0x0A)]),
                                               .set(Self.verticalSpace, negated: false)])))
        case "p", "P":
            var negated = c == "P"
            var name = ""
            if peek() == "{" {
                index += 1
                if peek() == "^" { negated.toggle(); index += 1 }
                while let d = peek(), d != "}" { name.unicodeScalars.append(d); index += 1 }
                if atEnd { throw error("malformed \\P or \\p sequence", at: start) }
                index += 1
            } else if let d = peek() {
                name.unicodeScalars.append(d)
                index += 1
            }
            let key = name == "Any" ? ScalarRanges([0...ScalarRanges.maxScalar])
                : name == "L&" ? UnicodeTables.property(named: "LC") : UnicodeTables.property(named: name)
            guard let set = key else { throw error("unknown property name after \\P or \\p", at: start) }
            return .set(set, negated: negated)
        case "x":
            var value: UInt32 = 0
            if peek() == "{" {
                index += 1
                var digits = 0
                while let d = peek(), let h = d.hexDigitValue {
                    value = value &* 16 &+ h
                    digits += 1
                    index += 1
                    if value > ScalarRanges.maxScalar { throw error("character code point value in \\x{} is too large", at: start) }
                }
                guard peek() == "}", digits > 0 else { throw error("\\x{ is not followed by hexadecimal digits and }", at: start) }
                index += 1
            } else {
                for _ in 0..<2 {
                    guard let d = peek(), let h = d.hexDigitValue else { break }
                    value = value * 16 + h
                    index += 1
                }
            }
            guard Unicode.Scalar(value) != nil else { throw error("invalid code point in \\x", at: start) }
            return .scalar(value)
        case "o" where peek() == "{":
            index += 1
            var value: UInt32 = 0
            while let d = peek(), let v = d.octalDigitValue { value = value &* 8 &+ v; index += 1 }
            guard peek() == "}", Unicode.Scalar(value) != nil else { throw error("malformed \\o{} escape", at: start) }
            index += 1
            return .scalar(value)
        case "c":
            guard let d = peek(), d.isASCII else { throw error("\\c must be followed by a printable ASCII character", at: start) }
            index += 1
            return .scalar(UInt32(Character(d).uppercased().unicodeScalars.first!.value) ^ 0x40)
        case "0":
            return .scalar(takeOctalDigits(after: 0, atMost: 2))
        case "b" where inClass: return .scalar(0x08)
        case "1"..."9" where !inClass:
            // \1-\9 are references; a longer number is one when that many groups were
            // opened before it, otherwise up to three octal digits (PCRE2's rule).
            let digitsStart = index - 1
            var n = Int(c.value - 0x30)
            while let d = peek(), let v = d.decimalDigitValue { n = min(n * 10 + v, 100_000); index += 1 }
            if n >= 10 && n > groupCount && c.octalDigitValue != nil {
                index = digitsStart
                return .scalar(takeOctalDigits(after: 0, atMost: 3))
            }
            return .node(try numberedReference(n, at: start))
        case "1"..."7" where inClass:
            return .scalar(takeOctalDigits(after: c.value - 0x30, atMost: 2))
        case "g" where !inClass:
            return .node(try parseGReference(start: start))
        case "k" where !inClass:
            guard let open = peek(), open == "<" || open == "'" || open == "{" else {
                throw error("\\k is not followed by a name in <>, '' or {}", at: start)
            }
            index += 1
            let name = try parseName(terminator: open == "<" ? ">" : open == "'" ? "'" : "}")
            return .node(namedReference(name, at: start))
        case "b" where !inClass: return .node(.assertion(.wordBoundary))
        case "B" where !inClass: return .node(.assertion(.notWordBoundary))
        case "A" where !inClass: return .node(.assertion(.subjectStart))
        case "z" where !inClass: return .node(.assertion(.subjectEnd))
        case "Z" where !inClass: return .node(.assertion(.subjectEndOrFinalNewline))
        case "G" where !inClass: return .node(.assertion(.searchStart))
        case "K" where !inClass: return .node(.keep)
        default:
            if c.properties.isAlphabetic || (c.isASCII && c.properties.numericType != nil) {
                throw error("unrecognized character follows \\", at: start)
            }
            return .scalar(c.value)
        }
    }

    /// `\gN`, `\g{N}`, `\g{-N}` (relative), `\g{name}`.
    private mutating func parseGReference(start: Int) throws(RegexError) -> PCRENode {
        var text = ""
        if peek() == "{" {
            index += 1
            while let d = peek(), d != "}" { text.unicodeScalars.append(d); index += 1 }
            if atEnd { throw error("\\g is not followed by a braced name or number", at: start) }
            index += 1
        } else {
            if peek() == "-" || peek() == "+" { text.unicodeScalars.append(peek()!); index += 1 }
            while let d = peek(), d.decimalDigitValue != nil { text.unicodeScalars.append(d); index += 1 }
        }
        if let n = Int(text) {
            if text.hasPrefix("+") { throw error("\\g+N subroutine references are not supported", at: start) }
            let number = n < 0 ? groupCount + 1 + n : n
            guard number > 0 else { throw error("reference to non-existent subpattern", at: start) }
            return try numberedReference(number, at: start)
        }
        guard !text.isEmpty else { throw error("\\g is not followed by a braced name or number", at: start) }
        return namedReference(text, at: start)
    }

    // MARK: classes

    private mutating func parseClass() throws(RegexError) -> PCRENode {
        let open = index
        index += 1
        var negated = false
        if peek() == "^" { negated = true; index += 1 }
        var set = ScalarRanges()
        var first = true
        while true {
            guard let c = peek() else { throw error("missing terminating ] for character class", at: open) }
            if c == "]" && !first { index += 1; break }
            first = false
            if lookingAt("[:") || lookingAt("[=") || lookingAt("[.") {
                if let posix = try parsePosixClass() { set = set.union(posix); continue }
            }
            if lookingAt("\\Q") {
                index += 2
                while !atEnd && !lookingAt("\\E") { set = set.union(ScalarRanges([scalars[index].value...scalars[index].value])); index += 1 }
                if !atEnd { index += 2 }
                continue
            }
            if lookingAt("\\E") { index += 2; continue }
            let low: UInt32
            if c == "\\" {
                switch try parseEscapeValue(inClass: true) {
                case .scalar(let v): low = v
                case .set(let s, let neg):
                    set = set.union(neg ? s.inverted(maxValue: ScalarRanges.maxScalar) : s)
                    continue
                case .node: throw error("escape sequence is invalid in character class", at: index)
                }
            } else {
                index += 1
                low = c.value
            }
            // A range, unless the `-` is last or followed by a class escape.
            if peek() == "-", let next = peek(1), next != "]" {
                let dash = index
                index += 1
                var high: UInt32? = nil
                if next == "\\" {
                    if case .scalar(let v) = try parseEscapeValue(inClass: true) { high = v } else {
                        throw error("invalid range in character class", at: dash)
                    }
                } else if lookingAt("[:") {
                    throw error("invalid range in character class", at: dash)
                } else {
                    high = next.value
                    index += 1
                }
                guard let high, high >= low else { throw error("range out of order in character class", at: dash) }
                set = set.union(ScalarRanges([low...high]))
            } else {
                set = set.union(ScalarRanges([low...low]))
            }
        }
        return classNode(set, negated: negated)
    }

    /// `[:alpha:]` and `[:^alpha:]` inside a class (ASCII, as PCRE2 without UCP).
    private mutating func parsePosixClass() throws(RegexError) -> ScalarRanges? {
        let open = index
        let kind = scalars[index + 1]
        var j = index + 2
        var negated = false
        if j < scalars.count, scalars[j] == "^" { negated = true; j += 1 }
        var name = ""
        while j + 1 < scalars.count, scalars[j] != kind || scalars[j + 1] != "]" {
            guard scalars[j].properties.isAlphabetic else { return nil }
            name.unicodeScalars.append(scalars[j])
            j += 1
        }
        guard j + 1 < scalars.count else { return nil }
        if kind != ":" { throw error("POSIX collating elements are not supported", at: open) }
        guard let set = UnicodeTables.posixClass(name) else { throw error("unknown POSIX class name", at: open) }
        index = j + 2
        return negated ? set.inverted(maxValue: ScalarRanges.maxScalar) : set
    }
}

extension PCRENode {
    /// Replaces the negative placeholder numbers of forward named references.
    func resolvingPlaceholders(_ numbers: [Int: Int]) -> PCRENode {
        switch self {
        case .backreference(let n, let caseless): return .backreference(numbers[n] ?? n, caseless: caseless)
        case .group(let sub, let capture): return .group(sub.resolvingPlaceholders(numbers), capture: capture)
        case .concat(let items): return .concat(items.map { $0.resolvingPlaceholders(numbers) })
        case .alternation(let items): return .alternation(items.map { $0.resolvingPlaceholders(numbers) })
        case .repetition(let sub, let min, let max, let kind):
            return .repetition(sub.resolvingPlaceholders(numbers), min: min, max: max, kind: kind)
        case .atomic(let sub): return .atomic(sub.resolvingPlaceholders(numbers))
        case .look(let sub, let behind, let negative):
            return .look(sub.resolvingPlaceholders(numbers), behind: behind, negative: negative)
        default: return self
        }
    }
}

private extension Unicode.Scalar {
    var decimalDigitValue: Int? { (0x30...0x39).contains(value) ? Int(value - 0x30) : nil }
    var octalDigitValue: UInt32? { (0x30...0x37).contains(value) ? value - 0x30 : nil }
    var hexDigitValue: UInt32? {
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x37
        case 0x61...0x66: return value - 0x57
        default: return nil
        }
    }
}
