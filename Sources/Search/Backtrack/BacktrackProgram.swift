/// The compiled form of a `-P` pattern that `Backtracker` runs: a flat list of
/// instructions over UTF-8 bytes, the literal bytes and character sets they refer to.
/// Immutable; shared by every thread.
struct BacktrackProgram: Sendable {
    enum Op: UInt8, Sendable {
        /// `literals[a ..< a + b]` at the position.
        case bytes
        /// One scalar in `sets[a]`.
        case set
        /// One scalar other than `\n`; any one scalar.
        case anyButNewline, anyScalar
        /// The zero-width test `PCREAssertion(rawValue: a)`.
        case assertion
        /// Go on at `a`; on failure come back and go on at `b`.
        case split
        case jump
        /// Remember the position in slot `a` (restored on backtracking).
        case save
        /// `b` to `c` (-1: no limit) scalars of `sets[a]` (-1: not `\n`, -2: any), as many
        /// as possible first, as few as possible first, or as many as possible for good.
        case repeatGreedy, repeatLazy, repeatPossessive
        /// The text group `a` captured, compared exactly (`b == 0`) or under simple case folding.
        case backreference
        /// Opens an atomic group or look-around of kind `MarkKind(rawValue: a)` whose
        /// `markEnd` is at `b - 1`; `c` is a look-behind's length in scalars.
        case markStart
        case markEnd
        /// An unbounded repetition of something that may match empty: slot `a` holds where
        /// the iteration began; `progressCheck` leaves the loop for `b` when it did not move.
        case progressSave, progressCheck
        case match
    }

    enum MarkKind: Int32 { case atomic, lookAhead, negativeLookAhead, lookBehind, negativeLookBehind }

    struct Instruction: Sendable {
        var op: Op
        var a: Int32 = 0
        var b: Int32 = 0
        var c: Int32 = 0
    }

    /// A character set: a bitmap for ASCII, sorted ranges for the rest; `matchesInvalid`
    /// (negated classes) also takes one byte that starts no valid UTF-8 sequence.
    struct CharacterSet: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var ranges: ScalarRanges
        var matchesInvalid: Bool
        var hasNonASCII: Bool

        init(_ set: ScalarRanges, matchesInvalid: Bool) {
            for r in set.ranges where r.lowerBound < 0x80 {
                for c in r.lowerBound...min(r.upperBound, 0x7F) {
                    if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
                }
            }
            ranges = set
            self.matchesInvalid = matchesInvalid
            hasNonASCII = (set.ranges.last?.upperBound ?? 0) >= 0x80
        }

        @inline(__always) func containsASCII(_ b: UInt8) -> Bool {
            b < 64 ? (low >> UInt64(b)) & 1 != 0 : (high >> UInt64(b &- 64)) & 1 != 0
        }
    }

    var code: [Instruction]
    var literals: [UInt8]
    var sets: [CharacterSet]
    /// Slots 0 (match start), 2n and 2n+1 (group n), then the progress slots.
    var slotCount: Int
    var groupCount: Int
    var names: [String: Int]
    /// Bytes a match can begin with (a 256-bit map), or nil when a match may be empty or
    /// begin with anything: start positions whose byte is not in it are skipped.
    var firstBytes: [UInt64]?
    /// A match that begins with a possessive, unbounded run of one set (after saves only):
    /// every start inside the run ends the run at the same place, so what follows it is
    /// checked once for all of them.
    struct LeadingRun: Sendable {
        /// The run's instruction; the first after it that is not a save.
        var `repeat`: Int
        var next: Int
        /// The group that captures exactly the run, if any.
        var group: Int32?
    }

    var leadingRun: LeadingRun?
    /// `\w` and `\b` over Unicode (false: ASCII only).
    var unicodeWord: Bool
}
