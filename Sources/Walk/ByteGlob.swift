/// One compiled gitignore-syntax glob, matched against path bytes.
///
/// Syntax: `*` (any run without `/`), `?` (one byte, not `/`), `[a-z]`, `[!a-z]`/`[^a-z]`,
/// `\x` (literal x), `{a,b}` alternatives (nested too, as ripgrep's globset), and the path forms `**/` (leading: any directories), `/**/` (zero or
/// more directories), `/**` (trailing: everything inside), a lone `**` (everything).
/// Any other `**` is an ordinary `*`, as in git.
///
/// Matching is the hot path of the walk (every entry against every rule), so a glob is
/// compiled once into the cheapest form that decides it: an exact literal, a suffix
/// (`*.o`), a prefix (`build*`), or else a bit-parallel position automaton (Shift-And):
/// one table lookup and a few word operations per byte, never backtracking.
/// Thread-safety: immutable value, safe to share.
public struct ByteGlob: Sendable {
    public let pattern: [UInt8]
    public let caseInsensitive: Bool
    let form: Form

    enum Form: Sendable {
        case literal([UInt8])
        /// `*` then a literal: the part before the suffix must hold no `/`.
        case suffix([UInt8])
        /// A literal then `*`: the part after the prefix must hold no `/`.
        case prefix([UInt8])
        case everything
        case automaton(ShiftAnd)
        /// More positions than one machine word holds: a position-set simulation (rare).
        case tokens([Token])
        /// Brace alternatives: a state-set simulation.
        case alternatives(BraceGlobAutomaton)
    }

    enum Token: Sendable, Equatable {
        case byte(UInt8)
        case anyButSlash
        case byteClass(ByteSet)
        /// `*`: zero or more bytes other than `/`.
        case star
        /// Trailing `/**` or a lone `**`: zero or more of any byte.
        case anything
        /// `**/`: empty, or any bytes ending with `/` (zero or more whole directories).
        case directories
    }

    /// Compiles `pattern` (already stripped of gitignore's `!`, anchoring `/` and trailing `/`).
    /// Never fails: what does not parse (an unclosed `[`, a trailing `\`, unbalanced braces)
    /// is read as literal bytes, as git reads it.
    public init(_ pattern: [UInt8], caseInsensitive: Bool = false) {
        var parser = GlobParser(pattern, braces: true, strict: false, allowUnclosedClass: true, caseInsensitive: caseInsensitive)
        if let pieces = try? parser.parse() {
            self.init(pattern, pieces: pieces, caseInsensitive: caseInsensitive)
        } else {
            self.init(pattern, pieces: ByteGlob.tokenize(pattern, caseInsensitive: caseInsensitive).map { .token($0) },
                      caseInsensitive: caseInsensitive)
        }
    }

    /// Compiles `pattern`, throwing rg's error for a malformed glob (`-g`, `--iglob`,
    /// `--type-add`, `--pre-glob`); `allowUnclosedClass` reads an unclosed `[` as a literal
    /// (gitignore files).
    public init(validating pattern: [UInt8], caseInsensitive: Bool = false, allowUnclosedClass: Bool = false) throws(GlobSyntaxError) {
        var parser = GlobParser(pattern, braces: true, strict: true, allowUnclosedClass: allowUnclosedClass,
                                caseInsensitive: caseInsensitive)
        self.init(pattern, pieces: try parser.parse(), caseInsensitive: caseInsensitive)
    }

    private init(_ pattern: [UInt8], pieces: [GlobPiece], caseInsensitive: Bool) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        if var tokens = pieces.flatTokens {
            if caseInsensitive { tokens = tokens.map(ByteGlob.folded) }
            self.form = ByteGlob.cheapestForm(tokens)
        } else {
            self.form = .alternatives(BraceGlobAutomaton(pieces, caseInsensitive: caseInsensitive))
        }
    }

    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.init(Array(pattern.utf8), caseInsensitive: caseInsensitive)
    }

    /// Whether the whole of `candidate` matches. O(n) in the candidate for every form but
    /// `.tokens` (globs with more than 63 positions), which is O(n * positions).
    public func matches(_ candidate: UnsafeRawBufferPointer) -> Bool {
        switch form {
        case .literal(let literal):
            return candidate.count == literal.count && equalBytes(candidate, 0, literal)
        case .suffix(let suffix):
            let start = candidate.count - suffix.count
            guard start >= 0, equalBytes(candidate, start, suffix) else { return false }
            return !containsSlash(candidate, 0, start)
        case .prefix(let prefix):
            guard candidate.count >= prefix.count, equalBytes(candidate, 0, prefix) else { return false }
            return !containsSlash(candidate, prefix.count, candidate.count)
        case .everything:
            return true
        case .automaton(let machine):
            return machine.matches(candidate, caseInsensitive: caseInsensitive)
        case .tokens(let tokens):
            return ByteGlob.simulate(tokens, candidate, caseInsensitive)
        case .alternatives(let machine):
            return machine.matches(candidate, fold: caseInsensitive)
        }
    }

    public func matches(_ candidate: [UInt8]) -> Bool {
        candidate.withUnsafeBytes { matches($0) }
    }

    public func matches(_ candidate: String) -> Bool {
        matches(Array(candidate.utf8))
    }

    @inline(__always)
    private func equalBytes(_ candidate: UnsafeRawBufferPointer, _ start: Int, _ literal: [UInt8]) -> Bool {
        // Bounds: callers checked start + literal.count <= candidate.count.
        var index = 0
        while index < literal.count {
            var byte = candidate[start + index]
            if caseInsensitive { byte = asciiLower(byte) }
            if byte != literal[index] { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    private func containsSlash(_ candidate: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Bool {
        var index = from
        while index < to {
            if candidate[index] == UInt8(ascii: "/") { return true }
            index += 1
        }
        return false
    }

    // MARK: - Compilation

    /// The tokens of `pattern` read without braces and leniently (what does not parse is
    /// literal). With `caseInsensitive`, bracket classes hold both cases of their letters
    /// (before a `!` negation, so `[!a]` excludes `A` too); the matcher lowers each candidate byte.
    static func tokenize(_ pattern: [UInt8], caseInsensitive: Bool = false) -> [Token] {
        var parser = GlobParser(pattern, braces: false, strict: false, allowUnclosedClass: true, caseInsensitive: caseInsensitive)
        // Not strict and without braces, parsing cannot fail.
        return (try? parser.parse())?.flatTokens ?? []
    }

    static func folded(_ token: Token) -> Token {
        switch token {
        case .byte(let byte): return .byte(asciiLower(byte))
        default: return token
        }
    }

    static func cheapestForm(_ tokens: [Token]) -> Form {
        func literalBytes(_ slice: ArraySlice<Token>) -> [UInt8]? {
            var bytes: [UInt8] = []
            for token in slice {
                guard case .byte(let byte) = token else { return nil }
                bytes.append(byte)
            }
            return bytes
        }
        if let literal = literalBytes(tokens[...]) { return .literal(literal) }
        if tokens == [.anything] { return .everything }
        if tokens.first == .star, let suffix = literalBytes(tokens.dropFirst()) { return .suffix(suffix) }
        if tokens.last == .star, let prefix = literalBytes(tokens.dropLast()) { return .prefix(prefix) }
        if let machine = ShiftAnd(tokens) { return .automaton(machine) }
        return .tokens(tokens)
    }

    /// Position-set simulation for the rare glob too long for `ShiftAnd`: the same automaton,
    /// one flag per position instead of one bit. O(n * m) for n candidate bytes and m tokens,
    /// never backtracking (a backtracker took 11 minutes on `**/` x30 then `*a` x18 `*b`).
    static func simulate(_ tokens: [Token], _ s: UnsafeRawBufferPointer, _ fold: Bool) -> Bool {
        let slash = UInt8(ascii: "/")
        let count = tokens.count
        // Flags per position 0...count: bit 0 "reached", bit 1 "just entered" (what `**/`
        // needs to pass on without consuming).
        let reached: UInt8 = 1, entered: UInt8 = 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * (count + 1)) { memory in
            // Bounds: both halves hold count + 1 flags; every index below is in 0...count.
            var current = UnsafeMutableBufferPointer(rebasing: memory[0...count])
            var next = UnsafeMutableBufferPointer(rebasing: memory[(count + 1)...])
            current.update(repeating: 0)
            current[0] = reached | entered
            close(tokens, &current)
            for var byte in s {
                if fold { byte = asciiLower(byte) }
                next.update(repeating: 0)
                var any = false
                for position in 0..<count where current[position] & reached != 0 {
                    let (advances, stays): (Bool, Bool)
                    switch tokens[position] {
                    case .byte(let want): (advances, stays) = (byte == want, false)
                    case .anyButSlash: (advances, stays) = (byte != slash, false)
                    case .byteClass(let set): (advances, stays) = (set.contains(byte), false)
                    case .star: (advances, stays) = (false, byte != slash)
                    case .anything: (advances, stays) = (false, true)
                    case .directories: (advances, stays) = (byte == slash, true)
                    }
                    if advances { next[position + 1] |= reached | entered; any = true }
                    if stays { next[position] |= reached; any = true }
                }
                guard any else { return false }
                close(tokens, &next)
                swap(&current, &next)
            }
            return current[count] & reached != 0
        }
    }

    /// Epsilon moves, in one forward pass (they only go from a position to the next):
    /// `*` and `**` may always pass on, `**/` only when just entered.
    private static func close(_ tokens: [Token], _ flags: inout UnsafeMutableBufferPointer<UInt8>) {
        for position in 0..<tokens.count where flags[position] & 1 != 0 {
            switch tokens[position] {
            case .star, .anything: flags[position + 1] |= 3
            case .directories where flags[position] & 2 != 0: flags[position + 1] |= 3
            default: break
            }
        }
    }
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
}

/// A set of bytes, 256 bits.
struct ByteSet: Sendable, Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: ByteSet, b: ByteSet) -> Bool { a.words == b.words }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }


    /// Parses `[...]` starting at `pattern[from] == "["`: `!`/`^` negation, `a-z` ranges,
    /// `\x` escapes, a `]` right after the opening (or after the negation) is literal.
    /// Returns nil when there is no closing `]`; a range written high to low (`z-a`) is empty
    /// and set in `invalidRange`. `/` is never in the result (git's rule).
    static func parseBracket(_ pattern: [UInt8], from: Int, bothCases: Bool = false,
                             invalidRange: inout (UInt8, UInt8)?) -> (ByteSet, Int)? {
        var index = from + 1
        var negated = false
        if index < pattern.count && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^")) {
            negated = true
            index += 1
        }
        var set = ByteSet()
        var first = true
        while index < pattern.count {
            var low = pattern[index]
            if low == UInt8(ascii: "]") && !first {
                if bothCases {
                    for byte in UInt8(ascii: "a")...UInt8(ascii: "z") where set.contains(byte) || set.contains(byte - 32) {
                        set.insert(byte)
                        set.insert(byte - 32)
                    }
                }
                if negated {
                    var inverted = ByteSet()
                    for byte in 0...255 where !set.contains(UInt8(byte)) { inverted.insert(UInt8(byte)) }
                    set = inverted
                }
                var withoutSlash = ByteSet()
                for byte in 0...255 where set.contains(UInt8(byte)) && byte != Int(UInt8(ascii: "/")) {
                    withoutSlash.insert(UInt8(byte))
                }
                return (withoutSlash, index + 1)
            }
            first = false
            if low == UInt8(ascii: "\\") && index + 1 < pattern.count {
                index += 1
                low = pattern[index]
            }
            index += 1
            if index + 1 < pattern.count && pattern[index] == UInt8(ascii: "-") && pattern[index + 1] != UInt8(ascii: "]") {
                var high = pattern[index + 1]
                index += 2
                if high == UInt8(ascii: "\\") && index < pattern.count {
                    high = pattern[index]
                    index += 1
                }
                if low <= high { for byte in low...high { set.insert(byte) } } else if invalidRange == nil { invalidRange = (low, high) }
            } else {
                set.insert(low)
            }
        }
        return nil
    }
}
