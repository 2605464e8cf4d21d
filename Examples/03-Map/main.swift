// 03 — map over a collection.
// Teaches: pool.map(items) { transform } runs the transform on the pool and yields the
// results in input order as an async sequence; it is lazy (a bounded window of work in
// flight), chunks cheap work, rethrows the first error at its position and stops early.
// Run: swift run Example03Map
import Foundation
import WorkerPool

/// Pretends to fetch a page: slower for some items, so they finish out of order.
nonisolated func fetchLength(of word: String) -> Int {
    usleep(UInt32(word.count % 3) * 20_000)
    return word.count
}

struct NotANumber: Error, CustomStringConvertible {
    let text: String
    var description: String { "'\(text)' is not a number" }
}

nonisolated func parse(_ text: String) throws -> Int {
    guard let value = Int(text) else { throw NotANumber(text: text) }
    return value
}

nonisolated func runExample() async throws {
    let pool = ThreadPoolExecutor(maxWorkers: 4, name: "map")
    defer { pool.shutdown() }

    print("1. Results come back in input order, whichever finishes first:")
    let words = ["pool", "future", "map", "thread", "io", "wait"]
    var lengths: [Int] = []
    for try await length in pool.map(words, { fetchLength(of: $0) }) { lengths.append(length) }
    print("   \(zip(words, lengths).map { "\($0)=\($1)" }.joined(separator: " "))")

    // One future per item costs about a microsecond; for trivial transforms, group items.
    print("2. Cheap transforms: chunkSize groups items into one task each.")
    var sum = 0
    for try await square in pool.map(1...100_000, chunkSize: 1_000, { $0 * $0 }) { sum &+= square }
    print("   sum of squares 1...100000 = \(sum)")

    // The map is lazy: at most 2 * maxWorkers chunks are in flight, so an endless or huge
    // sequence works, and breaking out cancels chunks not yet started.
    print("3. Lazy: stop after the first three results of an endless sequence.")
    var firstThree: [Int] = []
    for try await value in pool.map(1..., { $0 * 10 }) {
        firstThree.append(value)
        if firstThree.count == 3 { break }
    }
    print("   \(firstThree)")

    print("4. The first error is thrown at its position; earlier results arrive first.")
    var parsed: [Int] = []
    do {
        for try await value in pool.map(["1", "2", "three", "4"], { try parse($0) }) { parsed.append(value) }
    } catch {
        print("   got \(parsed), then the error: \(error)")
    }
}

try await runExample()
