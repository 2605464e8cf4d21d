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

    var hasUnicodeWordBoundary: Bool { looks.contains(.wordBoundaryUnicode) || looks.contains(.notWordBoundaryUnicode) }
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
        case .wordBoundaryASCII, .notWordBoundaryASCII:
            let before = i > 0 && UnicodeTables.isASCIIWordByte(hay[i - 1])
            let after = i < count && UnicodeTables.isASCIIWordByte(hay[i])
            return (before != after) == (look == .wordBoundaryASCII)
        case .wordBoundaryUnicode, .notWordBoundaryUnicode:
            let before = UTF8Sequences.decodeBackward(hay, before: i, begin: 0).map(UnicodeTables.isWordScalar) ?? false
            let after = i < count ? (UTF8Sequences.decode(hay, at: i, end: count).map(UnicodeTables.isWordScalar) ?? false) : false
            return (before != after) == (look == .wordBoundaryUnicode)
        }
    }
}
