// 01 — Threads and pools.
// Teaches: why blocking calls (disk reads, network, sleeps) belong on a pool of threads;
// a ThreadPoolExecutor starts named threads lazily, up to maxWorkers, and reuses them.
// Run: swift run Example01ThreadsAndPools
import Foundation
import WorkerPool

/// The name the kernel shows for the calling thread (as `top -H` and /proc show it).
nonisolated func currentThreadName() -> String {
    let name = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
    return name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
}

/// Stands for any blocking call: a read from a slow disk, a DNS lookup, a database query.
/// The thread sleeps in the kernel meanwhile; it uses no CPU, but it can do nothing else.
nonisolated func blockingCall(milliseconds: Int) -> String {
    usleep(UInt32(milliseconds * 1000))
    return currentThreadName()
}

nonisolated func seconds(_ duration: Duration) -> String {
    String(format: "%.2f s", Double(duration.components.attoseconds) / 1e18 + Double(duration.components.seconds))
}

// Thread work lives in nonisolated functions: a closure written directly in main.swift's
// top-level code is main-actor isolated, and running it on a worker thread would trap.
nonisolated func runExample() throws {
    let clock = ContinuousClock()

    print("1. One thread: eight blocking calls run one after another.")
    let sequential = clock.measure { for _ in 0..<8 { _ = blockingCall(milliseconds: 50) } }
    print("   8 calls of 50 ms took \(seconds(sequential))")

    print("2. A pool of 4 threads named io_N runs four calls at a time.")
    let pool = ThreadPoolExecutor(maxWorkers: 4, name: "io")
    print("   threads before any work: \(pool.threadCount)")
    var futures: [Future<String>] = []
    let pooled = try clock.measure {
        futures = try (0..<8).map { _ in try pool.submit { blockingCall(milliseconds: 50) } }
        for future in futures { _ = try future.result() }   // result() blocks until done
    }
    let names = Set(try futures.map { try $0.result() }).sorted()
    print("   8 calls of 50 ms took \(seconds(pooled)) on threads: \(names.joined(separator: ", "))")
    print("   threads started: \(pool.threadCount) (never more than maxWorkers = \(pool.maxWorkers))")

    print("3. Threads are reused: eight more calls start no new thread.")
    for future in try (0..<8).map({ _ in try pool.submit { blockingCall(milliseconds: 10) } }) { _ = try future.result() }
    print("   threads started: \(pool.threadCount)")

    print("4. shutdown() lets queued work finish, then joins the threads.")
    pool.shutdown(wait: true)
    print("   threads after shutdown: \(pool.threadCount)")
    do {
        _ = try pool.submit { 1 }
    } catch {
        print("   submit after shutdown: \(error)")
    }
}

try runExample()
