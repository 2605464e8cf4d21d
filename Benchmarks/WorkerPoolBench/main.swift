// Task throughput of WorkerPool with trivial tasks, to compare in one run with Python's and
// Java's executors (Benchmarks/reference/tpe.py, Tpe.java): Benchmarks/WorkerPoolBench/run.sh.
// Each worker runs one task at a time (no batching inside the pool).
// Usage: swift run -c release WorkerPoolBench [N] [WORKERS] [ROUNDS]
import Foundation
import WorkerPool

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1])! : 2_000_000
let workers = arguments.count > 2 ? Int(arguments[2])! : 4
let rounds = arguments.count > 3 ? Int(arguments[3])! : 3

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func report(_ label: String, _ count: Int, _ start: ContinuousClock.Instant) {
    let rate = Double(count) / seconds(since: start)
    print("swift \(label) \(Int(rate).formatted()) tasks/s")
}

nonisolated func runBenchmarks() async throws {
    let pool = ThreadPoolExecutor(maxWorkers: workers, name: "bench")
    for _ in 0..<rounds {
        // As Tpe.java: submit every task, then take them in completion order.
        var start = ContinuousClock.now
        var futures: [Future<Int>] = []
        futures.reserveCapacity(n)
        for i in 0..<n { futures.append(try pool.submit { i }) }
        var total = 0
        for try await future in Futures.completed(futures) { total &+= try future.result() }
        report("submit+completed", n, start)
        precondition(total == n * (n - 1) / 2)
        futures.removeAll(keepingCapacity: true)

        // Submit every task, then read each result in submission order.
        start = ContinuousClock.now
        for i in 0..<n { futures.append(try pool.submit { i }) }
        total = 0
        for future in futures { total &+= try future.result() }
        report("submit+result", n, start)
        precondition(total == n * (n - 1) / 2)
        futures.removeAll(keepingCapacity: true)

        start = ContinuousClock.now
        total = 0
        for try await value in pool.map(0..<n / 10, chunkSize: 1, { $0 }) { total &+= value }
        report("map (chunkSize 1)", n / 10, start)

        start = ContinuousClock.now
        total = 0
        for try await value in pool.map(0..<n, chunkSize: 1024, { $0 }) { total &+= value }
        report("map (chunkSize 1024)", n, start)
    }
    pool.shutdown()
}

try await runBenchmarks()
