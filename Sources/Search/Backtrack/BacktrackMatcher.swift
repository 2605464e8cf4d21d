import CShims
import Glibc
import Platform

/// grep `-P`: PCRE2 syntax (look-around, backreferences, atomic groups, possessive
/// quantifiers, `\K`) matched by `Backtracker`, behind the same `Matcher` seam as trawl's
/// own engine, so `-o`, `-r`, colours, `--json` and counts work unchanged.
///
/// A search is line by line (the whole buffer under `-U`): trawl's own engine, compiled
/// from an over-approximation of the pattern (`PCREPrefilter`), finds each candidate line
/// with its literal scanners and lazy DFA, and the backtracker runs on that line only.
/// Each line gets a step budget (`Backtracker.defaultBudget`): a line that exhausts it
/// counts as not matching, and the thread's `budgetExceeded` flag is raised, after which
/// this thread's searches find nothing until `takeBudgetExceeded()` is called (the caller
/// reports the file and moves on).
///
/// Thread-safety: immutable after `init`; per-thread scratch comes from a pool.
public final class BacktrackMatcher: Matcher {
    let program: BacktrackProgram
    let options: RegexOptions
    /// Finds candidate lines; nil when the approximation could not be compiled.
    let prefilter: (any Matcher)?
    private let budget: Int
    /// Steps (instructions run plus choices undone) one line may take: PCRE2's default match limit.
    public static let defaultBudget = 10_000_000
    private let scratchPool = ScratchPool { BacktrackScratch() }

    /// `options`: case-insensitivity, `unicode` (`\w`, `\d`, `\s`, `\b` over Unicode),
    /// `lineTerminatorFree` (false for `-U`: one subject per buffer) and `dotMatchesNewline`.
    /// Several patterns are alternatives, each in its own group for its inline flags.
    /// Throws `RegexError` for a pattern PCRE2 would reject or that this engine lacks.
    public init(patterns: [String], options: RegexOptions, budget: Int = BacktrackMatcher.defaultBudget) throws(RegexError) {
        let joined = patterns.count == 1 ? patterns[0] : patterns.map { "(?:\($0))" }.joined(separator: "|")
        var flags = PCREParser.Flags()
        flags.caseless = options.caseInsensitive
        flags.dotAll = options.dotMatchesNewline
        let parsed = try PCREParser.parse(joined, flags: flags, unicode: options.unicode)
        program = try BacktrackCompiler.compile(parsed, unicodeWord: options.unicode)
        self.options = options
        self.budget = budget
        var approximation = RegexOptions()
        approximation.lineTerminatorFree = options.lineTerminatorFree
        approximation.dotMatchesNewline = options.dotMatchesNewline
        prefilter = try? CompiledRegex(PCREPrefilter.pattern(for: parsed.node), options: approximation)
    }

    public convenience init(_ pattern: String, options: RegexOptions = .init()) throws(RegexError) {
        try self.init(patterns: [pattern], options: options)
    }

    /// Whether `pattern` uses what only this engine offers (look-around, backreferences,
    /// atomic groups, possessive quantifiers, `\K`, `\G`); false when it does not parse.
    public static func needsBacktracking(_ pattern: String) -> Bool {
        (try? PCREParser.parse(pattern, flags: .init()))?.node.needsBacktracking ?? false
    }

    public func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>? {
        guard start <= haystack.count, !BacktrackBudget.isExceeded else { return nil }
        return scratchPool.withScratch { scratch in
            if !options.lineTerminatorFree {
                // One look for the whole buffer: its approximation may begin before `start`
                // (a look-behind's body), so it is asked only from the buffer's start.
                if start == 0, let prefilter, prefilter.firstMatchEnd(in: haystack, from: 0) == nil { return nil }
                return searchSubject(haystack, lower: 0, upper: haystack.count, from: start, scratch: scratch)
            }
            var pos = start
            while pos <= haystack.count {
                var lineLower = Self.lineStart(haystack, before: pos)
                if let prefilter {
                    // From the line's start: the approximation of `(?<=a)b` is `ab`, whose
                    // `a` may lie before `pos` (`-o` resuming after a match).
                    guard let end = prefilter.firstMatchEnd(in: haystack, from: lineLower) else { return nil }
                    lineLower = Self.lineStart(haystack, before: end)
                }
                let from = max(pos, lineLower)
                let lineUpper = Self.lineEnd(haystack, from: from)
                if let span = searchSubject(haystack, lower: lineLower, upper: lineUpper, from: from, scratch: scratch) {
                    return span
                }
                if BacktrackBudget.isExceeded { return nil }
                pos = lineUpper + 1
            }
            return nil
        }
    }

    private func searchSubject(_ haystack: UnsafeRawBufferPointer, lower: Int, upper: Int, from: Int,
                               scratch: BacktrackScratch) -> Range<Int>? {
        var steps = budget
        switch Backtracker.search(program, haystack, lower: lower, upper: upper, from: from, budget: &steps, scratch: scratch) {
        case .match(let span): return span
        case .noMatch: return nil
        case .budgetExceeded:
            BacktrackBudget.raise()
            return nil
        }
    }

    /// The groups of the match at `span` of `line` (`-r`'s `$1`, `${name}`): by number (0
    /// the whole match) and by name. Empty when no match begins there.
    public func captures(in line: UnsafeRawBufferPointer, at span: Range<Int>) -> ([Range<Int>?], [String: Range<Int>]) {
        scratchPool.withScratch { scratch in
            let lower = options.lineTerminatorFree ? Self.lineStart(line, before: span.lowerBound) : 0
            let upper = options.lineTerminatorFree ? Self.lineEnd(line, from: span.lowerBound) : line.count
            var steps = budget
            guard case .match(let found) = Backtracker.search(program, line, lower: lower, upper: upper, from: span.lowerBound,
                                                              budget: &steps, scratch: scratch),
                  found == span else { return ([], [:]) }
            var numbered: [Range<Int>?] = [found]
            for n in stride(from: 1, through: program.groupCount, by: 1) {
                let a = scratch.slots[2 * n], b = scratch.slots[2 * n + 1]
                numbered.append(a >= 0 && b >= a ? a..<b : nil)
            }
            var named: [String: Range<Int>] = [:]
            for (name, n) in program.names { if let range = numbered[n] { named[name] = range } }
            return (numbered, named)
        }
    }

    /// Whether a search on this thread ran out of budget since the last call; clears it.
    public static func takeBudgetExceeded() -> Bool { BacktrackBudget.take() }

    static func lineStart(_ hay: UnsafeRawBufferPointer, before i: Int) -> Int {
        guard let base = hay.baseAddress, i > 0, let p = trawl_memrchr(base, 0x0A, i) else { return 0 }
        return base.distance(to: p) + 1
    }

    static func lineEnd(_ hay: UnsafeRawBufferPointer, from i: Int) -> Int {
        guard let base = hay.baseAddress, i < hay.count, let p = memchr(base + i, 0x0A, hay.count - i) else { return hay.count }
        return base.distance(to: UnsafeRawPointer(p))
    }
}

/// A per-thread flag: a search on this thread ran out of its step budget. Thread-local so
/// the one matcher shared by every worker tells each file's search apart.
enum BacktrackBudget {
    private static let slot = ThreadLocalSlot()

    static var isExceeded: Bool { slot.value != nil }

    static func raise() { slot.value = UnsafeMutableRawPointer(bitPattern: 1) }

    static func take() -> Bool {
        let was = isExceeded
        if was { slot.value = nil }
        return was
    }
}
