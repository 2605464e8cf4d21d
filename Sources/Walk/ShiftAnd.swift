/// A glob's token list as a bit-parallel position automaton (Shift-And).
///
/// Bit i set in the state word means "tokens 0..<i have matched a prefix of the input";
/// bit `tokenCount` means a full match. Per input byte:
/// `next = ((state & advance[b]) << 1) | (state & stay[b])`, then epsilon moves
/// are closed: `*` and `**` may always pass on to the next position (`(next & optional) << 1`);
/// `**/` only when just entered, since once it has consumed a byte it must end with `/`.
/// No backtracking: O(n) in the candidate, one 4 KiB table pair per glob.
struct ShiftAnd: Sendable {
    /// advance[b]: positions whose token consumes byte b and moves on.
    private let advance: [UInt64]
    /// stay[b]: positions whose token consumes byte b and stays (star loops).
    private let stay: [UInt64]
    /// Positions that may pass on without consuming (`*`, `**`), even after looping.
    private let optional: UInt64
    /// Positions that may pass on only when just entered (`**/`).
    private let optionalOnEntry: UInt64
    private let acceptBit: UInt64
    private let initial: UInt64

    /// Returns nil for more than 63 tokens (one word holds the positions plus the accept bit).
    init?(_ tokens: [ByteGlob.Token]) {
        guard tokens.count <= 63 else { return nil }
        var advance = [UInt64](repeating: 0, count: 256)
        var stay = [UInt64](repeating: 0, count: 256)
        var optional: UInt64 = 0
        var optionalOnEntry: UInt64 = 0
        let slash = Int(UInt8(ascii: "/"))
        for (position, token) in tokens.enumerated() {
            let bit = UInt64(1) << UInt64(position)
            switch token {
            case .byte(let byte):
                advance[Int(byte)] |= bit
            case .anyButSlash:
                for byte in 0..<256 where byte != slash { advance[byte] |= bit }
            case .byteClass(let set):
                for byte in 0..<256 where set.contains(UInt8(byte)) { advance[byte] |= bit }
            case .star:
                for byte in 0..<256 where byte != slash { stay[byte] |= bit }
                optional |= bit
            case .anything:
                for byte in 0..<256 { stay[byte] |= bit }
                optional |= bit
            case .directories:
                for byte in 0..<256 { stay[byte] |= bit }
                advance[slash] |= bit
                optionalOnEntry |= bit
            }
        }
        self.advance = advance
        self.stay = stay
        self.optional = optional
        self.optionalOnEntry = optionalOnEntry
        self.acceptBit = UInt64(1) << UInt64(tokens.count)
        self.initial = ShiftAnd.close(entered: 1, state: 1, optional, optionalOnEntry)
    }

    @inline(__always)
    private static func close(entered: UInt64, state: UInt64, _ optional: UInt64, _ optionalOnEntry: UInt64) -> UInt64 {
        var entered = entered, state = state
        while true {
            let passed = ((state & optional) | (entered & optionalOnEntry)) << 1
            if passed & ~state == 0 { return state }
            entered |= passed
            state |= passed
        }
    }

    func matches(_ candidate: UnsafeRawBufferPointer, caseInsensitive: Bool) -> Bool {
        var state = initial
        advance.withUnsafeBufferPointer { advance in
            stay.withUnsafeBufferPointer { stay in
                for var byte in candidate {
                    if caseInsensitive { byte = asciiLower(byte) }
                    let index = Int(byte)  // < 256 == table size
                    let entered = (state & advance[index]) << 1
                    let next = entered | (state & stay[index])
                    if (next & optional) | (entered & optionalOnEntry) != 0 {
                        state = ShiftAnd.close(entered: entered, state: next, optional, optionalOnEntry)
                    } else {
                        state = next
                    }
                    if state == 0 { break }
                }
            }
        }
        return state & acceptBit != 0
    }
}
