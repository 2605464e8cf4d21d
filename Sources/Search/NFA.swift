/// A Thompson NFA over bytes. State ids index `states`; the compiler builds it backwards
/// (each piece is compiled knowing its continuation), so no patching is needed.
struct NFA: Sendable {
    enum State: Sendable, Equatable {
        /// Consume one byte in lo...hi.
        case range(lo: UInt8, hi: UInt8, next: Int32)
        /// Consume one byte from disjoint, sorted ranges, each with its own target.
        case sparse([Transition])
        /// Epsilon to each target, first preferred (leftmost-first priority).
        case split(Int32, Int32)
        case union([Int32])
        case look(Look, next: Int32)
        case match
        case fail
    }

    struct Transition: Sendable, Equatable {
        var lo: UInt8
        var hi: UInt8
        var next: Int32
    }

    var states: [State]
    /// Anchored start: the pattern itself.
    var start: Int32
    /// Which assertions occur: the DFA keeps look-behind context only for those.
    var looks: Set<Look>
    /// Every byte boundary any transition uses (for the DFA's byte classes).
    var byteBoundaries: [Bool]

    var hasUnicodeWordBoundary: Bool { looks.contains { $0.isUnicodeWordBoundary } }
}

/// Evaluates assertions from the bytes around a position; shared by every engine.
enum LookContext {
    static func holds(_ look: Look, _ hay: UnsafeRawBufferPointer, at i: Int) -> Bool {
        let count = hay.count
        switch look {
        case .startText: return i == 0
        case .endText: return i == count
        case .startLine: return i == 0 || hay[i - 1] == 0x0A
        case .endLine: return i == count || hay[i] == 0x0A
        case .startLineCRLF:
            if i == 0 || hay[i - 1] == 0x0A { return true }
            return hay[i - 1] == 0x0D && (i == count || hay[i] != 0x0A)
        case .endLineCRLF:
            if i == count || hay[i] == 0x0D { return true }
            return hay[i] == 0x0A && !(i > 0 && hay[i - 1] == 0x0D)
        case .wordBoundaryASCII, .notWordBoundaryASCII, .wordStartASCII, .wordEndASCII,
             .wordStartHalfASCII, .wordEndHalfASCII:
            let before = i > 0 && UnicodeTables.isASCIIWordByte(hay[i - 1])
            let after = i < count && UnicodeTables.isASCIIWordByte(hay[i])
            return look.holdsBetween(wordBefore: before, wordAfter: after)!
        case .wordBoundaryUnicode, .notWordBoundaryUnicode, .wordStartUnicode, .wordEndUnicode,
             .wordStartHalfUnicode, .wordEndHalfUnicode:
            let scalarBefore = i > 0 ? UTF8Sequences.decodeBackward(hay, before: i, begin: 0) : nil
            let scalarAfter = i < count ? UTF8Sequences.decode(hay, at: i, end: count) : nil
            // As the crate: `\B` and the half assertions never hold next to invalid UTF-8
            // on the side they read (so never inside a code point); the others count
            // invalid bytes as non-word.
            let readsBefore = look == .notWordBoundaryUnicode || look == .wordStartHalfUnicode
            let readsAfter = look == .notWordBoundaryUnicode || look == .wordEndHalfUnicode
            if readsBefore && i > 0 && scalarBefore == nil { return false }
            if readsAfter && i < count && scalarAfter == nil { return false }
            let before = scalarBefore.map(UnicodeTables.isWordScalar) ?? false
            let after = scalarAfter.map(UnicodeTables.isWordScalar) ?? false
            return look.holdsBetween(wordBefore: before, wordAfter: after)!
        }
    }
}
