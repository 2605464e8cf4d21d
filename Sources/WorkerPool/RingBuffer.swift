/// A FIFO queue over a power-of-two ring: O(1) append and removeFirst, no per-element
/// allocation once grown (the pool's work queue; `Array.removeFirst` is O(n)).
@usableFromInline
struct RingBuffer<Element> {
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    @usableFromInline var count = 0

    @inlinable
    init(capacity: Int = 64) {
        var size = 1
        while size < capacity { size <<= 1 }
        storage = Array(repeating: nil, count: size)
    }

    @inlinable
    var isEmpty: Bool { count == 0 }

    /// The oldest element, left in place.
    @inlinable
    var first: Element? { count == 0 ? nil : storage[head] }

    /// The element `offset` places after the oldest.
    @inlinable
    subscript(offset: Int) -> Element {
        precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
        return storage[(head + offset) & (storage.count - 1)]!
    }

    @inlinable
    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    @inlinable
    mutating func removeFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head].take()
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    /// Removes every element, oldest first.
    @inlinable
    mutating func removeAll() -> [Element] {
        var all: [Element] = []
        all.reserveCapacity(count)
        while let element = removeFirst() { all.append(element) }
        return all
    }

    @inlinable
    mutating func grow() {
        var bigger = [Element?](repeating: nil, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) & (storage.count - 1)].take() }
        storage = bigger
        head = 0
    }
}
