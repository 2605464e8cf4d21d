// 02 — Configuring a pool.
// Teaches: the three knobs of ThreadPoolExecutor (maxWorkers, name, initializer), the
// default worker count, what a failing initializer does, and scoped pools with `with`.
// Run: swift run Example02ConfiguringAPool
import Foundation
import Synchronization
import WorkerPool

nonisolated func currentThreadName() -> String {
    let name = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
    return name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
}

/// Counts initializer runs: one per thread the pool starts.
final class InitializerCount: Sendable {
    let value = Atomic<Int>(0)
}

struct SetupFailed: Error, CustomStringConvertible {
    var description: String { "no database connection" }
}

nonisolated func runExample() throws {
    // maxWorkers: how many calls may block at once. The default is Python's min(32, cores + 4):
    // IO-bound work wants more threads than cores, and 32 caps the memory of idle stacks.
    print("1. Default worker count on this machine: min(32, \(ThreadPoolExecutor.activeProcessorCount) cores + 4) = \(ThreadPoolExecutor.defaultMaxWorkers)")

    // name: each thread is called <name>_<n> (Python's scheme); Linux shows 15 bytes of it in top -H and /proc.
    // initializer: runs once on each new thread before it takes work (open a connection,
    // allocate a per-thread buffer). It runs on the worker, so it sees the thread's name.
    let count = InitializerCount()
    let pool = ThreadPoolExecutor(maxWorkers: 3, name: "hasher", initializer: {
        count.value.add(1, ordering: .relaxed)
        print("   initializer ran on \(currentThreadName())")
    })
    print("2. A pool of at most 3 threads named hasher_N, each set up by an initializer:")
    let futures = try (0..<6).map { _ in try pool.submit { usleep(20_000); return currentThreadName() } }
    let names = Set(try futures.map { try $0.result() })
    pool.shutdown()
    print("   6 tasks ran on \(names.count) threads; the initializer ran \(count.value.load(ordering: .relaxed)) times")

    // A throwing initializer breaks the pool: queued futures fail and later submits throw,
    // rather than running work on a thread that was never set up.
    print("3. An initializer that throws breaks the pool:")
    let broken = ThreadPoolExecutor(maxWorkers: 2, name: "db", initializer: { throw SetupFailed() })
    let doomed = try broken.submit { "never runs" }
    do {
        _ = try doomed.result()
    } catch {
        print("   the queued future failed: \(error)")
    }
    do {
        _ = try broken.submit { "never runs" }
    } catch {
        print("   a later submit threw: \(error)")
    }
    broken.shutdown()

    // `with` scopes a pool to a block: it shuts down and waits even when the block throws.
    print("4. A scoped pool with ThreadPoolExecutor.with:")
    let total = try ThreadPoolExecutor.with(maxWorkers: 2, name: "scoped") { pool in
        try (1...4).map { n in try pool.submit { n * n } }.reduce(0) { try $0 + $1.result() }
    }
    print("   sum of squares 1...4 = \(total); the pool is already shut down")
}

try runExample()
