import Foundation
import XCTest
@testable import Digest

/// Throughput on a large file, one core per algorithm plus parallel BLAKE3. Skipped unless
/// DIGEST_BENCH=1; run with `swift test -c release --filter DigestTests.DigestBenchmarkTests`.
/// DIGEST_BENCH_FILE overrides the file (default /var/tmp/trawl-corpus/big.txt). Prints
/// figures only: no timed assertions.
final class DigestBenchmarkTests: XCTestCase {
    private static let readSize = 1 << 20

    private func clock(_ id: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(id, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// (wall seconds, CPU seconds of this process). The machine is shared, so CPU time is
    /// the steadier figure for single-threaded runs.
    private func seconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let wall = clock(CLOCK_MONOTONIC), cpu = clock(CLOCK_PROCESS_CPUTIME_ID)
        try body()
        return (clock(CLOCK_MONOTONIC) - wall, clock(CLOCK_PROCESS_CPUTIME_ID) - cpu)
    }

    /// Reads `path` in 1 MiB read(2) calls into `hasher`; returns the hex digest.
    private func hashFile(_ path: String, _ hasher: any Digest.Hasher) throws -> String {
        var h = hasher
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DigestError.readFailed(errno: errno) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.readSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, Self.readSize)
            if n < 0 { throw DigestError.readFailed(errno: errno) }
            if n == 0 { break }
            h.update(UnsafeRawBufferPointer(start: buffer, count: n))
        }
        return Hex.encode(h.finalize())
    }

    func testThroughputOnLargeFile() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["DIGEST_BENCH"] == "1", "set DIGEST_BENCH=1 to run")
        let path = environment["DIGEST_BENCH_FILE"] ?? "/var/tmp/trawl-corpus/big.txt"
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let megabytes = Double(size) / 1e6
        let only = environment["DIGEST_BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }

        var cases: [(String, () -> any Digest.Hasher)] = Algorithm.allCases.map { a in (a.name, { a.makeHasher() }) }
        cases.append(("sha256-portable", { SHA256(kernel: .portable) }))
        cases.append(("blake3-portable", { BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .portable) }))
        cases.append(("blake3-avx2", { BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .avx2) }))
        cases.append(("xxh3-scalar", { XXH3(accelerated: false) }))
        cases.append(("crc32b-tables", { CRC32(accelerated: false) }))
        cases.append(("crc32-tables", { CksumCRC(accelerated: false) }))
        for (name, make) in cases where only?.contains(name) ?? true {
            var digest = ""
            let t = try seconds { digest = try hashFile(path, make()) }
            print(String(format: "bench %-18@ wall %6.0f MB/s %6.3f s | cpu %6.0f MB/s %6.3f s  %@", name as NSString,
                         megabytes / t.wall, t.wall, megabytes / t.cpu, t.cpu, digest as NSString))
        }
        for threads in [1, 2] where only?.contains("blake3-parallel") ?? true {
            var digest = ""
            let t = try seconds {
                let fd = open(path, O_RDONLY)
                defer { close(fd) }
                var hasher = BLAKE3()
                try hasher.update(fileDescriptor: fd, threads: threads)
                digest = Hex.encode(hasher.finalize())
            }
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            print(String(format: "bench blake3-file-j%d     wall %6.0f MB/s %6.3f s | cpu %6.3f s  %@  (process max RSS %d MiB)",
                         threads, megabytes / t.wall, t.wall, t.cpu, digest as NSString, usage.ru_maxrss / 1024))
        }
    }
}
