// 04 — submit for one-off tasks.
// Teaches: pool.submit { work } returns a Future at once; the work's value or error comes
// back through result() or `await future.value`; submit(cancellation:) ties work to a
// token of yours; a Promise makes a future for work that no pool runs (a callback API).
// Run: swift run Example04Submit
import Foundation
import WorkerPool

struct FileMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "no such file: \(path)" }
}

/// A blocking read: the kind of one-off job submit is for.
nonisolated func size(of path: String) throws -> Int {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          let size = attributes[.size] as? Int else { throw FileMissing(path: path) }
    return size
}

/// Work that polls its token between steps, so cancelling it stops it early.
nonisolated func countSteps(upTo limit: Int) -> Int {
    var steps = 0
    while steps < limit {
        if CancellationToken.current?.isCancelled == true { break }
        usleep(1_000)
        steps += 1
    }
    return steps
}

/// A callback-style API, as many C and Foundation APIs are.
nonisolated func lookUp(_ name: String, completion: @escaping @Sendable (Result<String, any Error>) -> Void) {
    Thread.detachNewThread { completion(.success("\(name) -> 192.0.2.1")) }
}

nonisolated func runExample() async throws {
    let pool = ThreadPoolExecutor(maxWorkers: 4, name: "submit")
    defer { pool.shutdown() }
    let file = NSTemporaryDirectory() + "worker-pool-example-04.txt"
    try "twelve bytes".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }

    print("1. submit returns a future at once; result() waits for the value.")
    let future = try pool.submit { try size(of: file) }
    print("   size = \(try future.result()) bytes")

    print("2. An error thrown by the work is rethrown by result().")
    let missing = try pool.submit { try size(of: "/no/such/file") }
    do { _ = try missing.result() } catch { print("   \(error)") }

    print("3. From async code, await the value without blocking a thread.")
    let awaited = try await pool.submit { try size(of: file) * 2 }.value
    print("   twice the size = \(awaited)")

    print("4. submit(cancellation:) lets you stop running work through your own token.")
    let token = CancellationToken()
    let long = try pool.submit(cancellation: token) { countSteps(upTo: 10_000) }
    usleep(20_000)
    token.cancel()
    let steps = try long.result()
    print("   cancelled after \(steps < 10_000 ? "fewer than 10000" : "all") steps")

    print("5. A Promise turns a callback API into a future.")
    let promise = Promise<String>()
    lookUp("example.org") { outcome in
        switch outcome {
        case .success(let address): try? promise.succeed(address)
        case .failure(let error): try? promise.fail(error)
        }
    }
    print("   \(try promise.future.result(timeout: .seconds(5)))")
}

try await runExample()
