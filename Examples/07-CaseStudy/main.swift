// 07 — Case study: a slow sequential loop of blocking reads, made pooled.
// Teaches: how to move an existing loop onto a pool without changing its per-item code,
// check the result did not change, and measure the speed-up; then stream results as
// they complete. Each read waits 2 ms first, standing in for a network file system or a
// cold disk; pass a directory to read real files instead (try it after dropping caches).
// Run: swift run -c release Example07CaseStudy [DIRECTORY]
import Foundation
import WorkerPool

/// What we learn about one file: its size and a cheap checksum of its bytes.
struct FileSummary: Sendable {
    var bytes = 0
    var checksum: UInt64 = 0
}

/// The per-file code, unchanged between the sequential and the pooled version: open,
/// read to the end in 64 KiB pieces, close. Every call blocks in the kernel.
nonisolated func summarize(_ path: String, latencyMicroseconds: UInt32) -> FileSummary {
    if latencyMicroseconds > 0 { usleep(latencyMicroseconds) }
    var summary = FileSummary()
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return summary }
    defer { close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let count = read(fd, buffer.baseAddress, buffer.count)
        if count <= 0 { break }
        summary.bytes += count
        for byte in buffer[0..<count] { summary.checksum = summary.checksum &* 31 &+ UInt64(byte) }
    }
    return summary
}

/// Files are combined in input order, so both versions must give the same totals.
nonisolated func combine(_ summaries: [FileSummary]) -> FileSummary {
    summaries.reduce(into: FileSummary()) { total, next in
        total.bytes += next.bytes
        total.checksum = total.checksum &* 1_000_003 &+ next.checksum
    }
}

nonisolated func makeCorpus(files: Int) throws -> (folder: String, paths: [String]) {
    let folder = NSTemporaryDirectory() + "worker-pool-case-study-\(getpid())"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var paths: [String] = []
    for index in 0..<files {
        let path = folder + "/file-\(index).txt"
        let line = "line of file \(index): the quick brown fox jumps over the lazy dog\n"
        try String(repeating: line, count: 50 + index % 50).write(toFile: path, atomically: false, encoding: .utf8)
        paths.append(path)
    }
    return (folder, paths)
}

nonisolated func regularFiles(under directory: String) -> [String] {
    guard let walk = FileManager.default.enumerator(atPath: directory) else { return [] }
    var paths: [String] = []
    while let relative = walk.nextObject() as? String {
        if walk.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(directory + "/" + relative) }
    }
    return paths.sorted()
}

nonisolated func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

nonisolated func runExample(arguments: [String]) async throws {
    let paths: [String]
    var cleanup: String?
    let latency: UInt32
    if let directory = arguments.first {
        paths = regularFiles(under: directory)
        latency = 0
        print("Reading \(paths.count) files under \(directory).")
    } else {
        let corpus = try makeCorpus(files: 200)
        paths = corpus.paths
        cleanup = corpus.folder
        latency = 2_000
        print("Reading \(paths.count) files, each read waiting 2 ms first.")
    }
    defer { if let cleanup { try? FileManager.default.removeItem(atPath: cleanup) } }
    let clock = ContinuousClock()

    // Before: one thread does every read; the CPU idles while each one waits.
    var before = FileSummary()
    let sequential = clock.measure {
        before = combine(paths.map { summarize($0, latencyMicroseconds: latency) })
    }
    print(String(format: "before (a for loop):         %.3f s, %d bytes", seconds(sequential), before.bytes))

    // After: the same function, on 16 threads, results still in input order. The loop body
    // moved into the map's transform; nothing else changed.
    let pool = ThreadPoolExecutor(maxWorkers: 16, name: "reader")
    defer { pool.shutdown() }
    var after = FileSummary()
    let start = clock.now
    var summaries: [FileSummary] = []
    summaries.reserveCapacity(paths.count)
    for try await summary in pool.map(paths, { summarize($0, latencyMicroseconds: latency) }) { summaries.append(summary) }
    after = combine(summaries)
    let pooled = clock.now - start
    print(String(format: "after (pool.map, 16 threads): %.3f s, %d bytes", seconds(pooled), after.bytes))
    print("same result: \(before.bytes == after.bytes && before.checksum == after.checksum ? "yes" : "NO")")
    print(String(format: "speed-up: %.1fx", seconds(sequential) / max(seconds(pooled), 1e-9)))

    // Streaming: when order does not matter, handle each file the moment it is read.
    let futures = try paths.map { path in try pool.submit { summarize(path, latencyMicroseconds: latency) } }
    var streamed = 0
    var streamedBytes = 0
    for try await future in Futures.completed(futures) {
        streamedBytes += try future.result().bytes
        streamed += 1
    }
    print("streamed (submit + Futures.completed): \(streamed) files, \(streamedBytes) bytes, in completion order")
}

try await runExample(arguments: Array(CommandLine.arguments.dropFirst()))
