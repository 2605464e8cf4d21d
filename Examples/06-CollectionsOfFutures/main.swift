// 06 — Managing collections of futures.
// Teaches: Futures.wait with its three modes (.allCompleted, .firstCompleted, .firstError)
// and a timeout, and Futures.completed, which yields futures in the order they finish
// (Python's as_completed): handle each result as soon as it exists.
// Run: swift run Example06CollectionsOfFutures
import Foundation
import WorkerPool

struct Unreachable: Error, CustomStringConvertible {
    let host: String
    var description: String { "\(host) is unreachable" }
}

/// Pretends to ping a host: each takes its own time, one fails.
nonisolated func ping(_ host: String, milliseconds: Int) throws -> String {
    usleep(UInt32(milliseconds * 1000))
    if host == "gamma" { throw Unreachable(host: host) }
    return "\(host) answered in \(milliseconds) ms"
}

nonisolated func submitPings(_ pool: ThreadPoolExecutor) throws -> [Future<String>] {
    try [("alpha", 300), ("beta", 20), ("gamma", 120), ("delta", 600)].map { host, delay in
        try pool.submit { try ping(host, milliseconds: delay) }
    }
}

nonisolated func runExample() async throws {
    let pool = ThreadPoolExecutor(maxWorkers: 4, name: "ping")
    defer { pool.shutdown() }

    print("1. wait(returnWhen: .firstCompleted): go on as soon as anything is done.")
    var futures = try submitPings(pool)
    var (done, notDone) = Futures.wait(futures, returnWhen: .firstCompleted)
    print("   done: \(done.count) (\(try done[0].result())), still running: \(notDone.count)")

    print("2. wait(returnWhen: .firstError): stop early on a failure, cancel the rest.")
    (done, notDone) = Futures.wait(futures, returnWhen: .firstError)
    let failure = done.compactMap { try? $0.error() }.first
    print("   failed: \(failure.map { "\($0)" } ?? "none"); \(notDone.count) not done yet")
    for future in notDone { future.cancel() }   // no effect on running work: it finishes

    print("3. wait(timeout:): the split as it stands when time runs out.")
    futures = try submitPings(pool)
    (done, notDone) = Futures.wait(futures, timeout: .milliseconds(200))
    print("   after 200 ms: \(done.count) done, \(notDone.count) not done")

    print("4. wait() with the default .allCompleted: every future is done.")
    (done, notDone) = Futures.wait(futures)
    print("   \(done.count) done, \(notDone.count) not done")

    print("5. Futures.completed: handle results in the order they finish.")
    futures = try submitPings(pool)
    for try await future in Futures.completed(futures) {
        do {
            print("   \(try future.result())")
        } catch {
            print("   error: \(error)")
        }
    }
}

try await runExample()
