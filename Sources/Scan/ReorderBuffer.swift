import Walk

/// Records that completed ahead of their turn, handed back in sequence: the consumer side
/// of the path-order window. A ring indexed by sequence number, since at most the window's
/// capacity of numbers is ever outstanding: no hashing per file (it replaced a
/// `[Int: record]` dictionary, two hash operations per file on the consumer's thread).
///
/// Not thread-safe: the consumer's thread owns it.
@usableFromInline
struct ReorderBuffer<Record> {
    @usableFromInline
    struct Slot {
        @usableFromInline var number: Int
        @usableFromInline var entry: WalkEntry
        @usableFromInline var record: Record?

        @usableFromInline
        init(number: Int, entry: WalkEntry, record: Record?) {
            self.number = number
            self.entry = entry
            self.record = record
        }
    }

    /// A power of two, grown on demand up to the window's capacity rounded up.
    @usableFromInline var slots: [Slot?]
    /// The number the consumer hands over next.
    @usableFromInline private(set) var next = 0

    @usableFromInline
    init(capacity: Int) {
        // Start small: a window of 4096 over a tree of 10 files should not allocate 4096.
        slots = Array(repeating: nil, count: min(64, Self.powerOfTwo(atLeast: max(1, capacity))))
    }

    /// Holds a record until its turn. `number` must not be handed over yet nor held already.
    @inlinable
    mutating func insert(_ entry: WalkEntry, _ record: Record?, number: Int) {
        precondition(number >= next, "record \(number) was handed over already")
        if number - next >= slots.count { grow(toHold: number - next + 1) }
        let index = number & (slots.count - 1)
        precondition(slots[index] == nil, "two records outstanding in one slot")
        slots[index] = Slot(number: number, entry: entry, record: record)
    }

    /// The record numbered `next`, if it has come; it is then removed and `next` advances.
    @inlinable
    mutating func popNext() -> (WalkEntry, Record?)? {
        let index = next & (slots.count - 1)
        guard let slot = slots[index], slot.number == next else { return nil }
        slots[index] = nil
        next += 1
        return (slot.entry, slot.record)
    }

    @usableFromInline
    mutating func grow(toHold count: Int) {
        var larger: [Slot?] = Array(repeating: nil, count: Self.powerOfTwo(atLeast: count))
        for case let slot? in slots { larger[slot.number & (larger.count - 1)] = slot }
        slots = larger
    }

    @usableFromInline
    static func powerOfTwo(atLeast value: Int) -> Int {
        var result = 1
        while result < value { result <<= 1 }
        return result
    }
}
