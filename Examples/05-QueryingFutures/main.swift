// 05 — Querying futures.
// Teaches: a future's state (pending, running, cancelled, finished), reading its result or
// error, waiting with a timeout, callbacks with whenDone, and cancel(), which only stops
// work that has not started yet.
// Run: swift run Example05QueryingFutures
import Foundation
import Synchronization
import WorkerPool

struct Overheated: Error, CustomStringConvertible {
    var description: String { "sensor overheated" }
}

/// Blocks until `gate` opens: lets the example hold a task in the running state.
final class Gate: Sendable {
    private let open = Atomic<Bool>(false)
    func release() { open.store(true, ordering: .releasing) }
    func wait() { while !open.load(ordering: .acquiring) { usleep(1_000) } }
}

nonisolated func state<T>(_ future: Future<T>) -> String {
    if future.isCancelled { return "cancelled" }
    if future.isRunning { return "running" }
    return future.isDone ? "finished" : "pending"
}

nonisolated func readSensor(failing: Bool) throws -> Double {
    if failing { throw Overheated() }
    return 21.5
}

nonisolated func runExample() throws {
    // One worker, so the second task must wait behind the first.
    let pool = ThreadPoolExecutor(maxWorkers: 1, name: "futures")
    defer { pool.shutdown() }

    print("1. States: a busy worker keeps the next future pending.")
    let gate = Gate()
    let first = try pool.submit { gate.wait(); return "first" }
    let second = try pool.submit { "second" }
    while !first.isRunning { usleep(1_000) }
    print("   first: \(state(first)), second: \(state(second))")

    print("2. result(timeout:) gives up with ExecutorError.timeout; the work goes on.")
    do {
        _ = try first.result(timeout: .milliseconds(50))
    } catch ExecutorError.timeout {
        print("   no result within 50 ms; first is still \(state(first))")
    }

    print("3. whenDone runs a callback once the future is done (at once if it already is).")
    let told = Promise<String>()
    first.whenDone { done in try told.succeed("callback saw: \(try done.result())") }
    gate.release()
    print("   \(try told.future.result())")
    _ = try second.result()
    print("   first: \(state(first)), second: \(state(second))")

    print("4. error() returns the work's error instead of throwing it; nil on success.")
    let good = try pool.submit { try readSensor(failing: false) }
    let bad = try pool.submit { try readSensor(failing: true) }
    print("   good: value \(try good.result()), error \(try good.error().map { "\($0)" } ?? "nil")")
    print("   bad: error \(try bad.error().map { "\($0)" } ?? "nil")")

    print("5. cancel() stops a future that has not started; a running one cannot be cancelled.")
    let blocker = Gate()
    let running = try pool.submit { blocker.wait(); return 1 }
    let queued = try pool.submit { 2 }
    while !running.isRunning { usleep(1_000) }
    print("   cancel running: \(running.cancel()), cancel queued: \(queued.cancel())")
    blocker.release()
    print("   running finished with \(try running.result()); queued is \(state(queued))")
    do { _ = try queued.result() } catch { print("   queued.result() throws: \(error)") }
}

try runExample()
