import Digest
import Foundation

/// Throughput on a large file, one core per algorithm and kernel, then BLAKE3 over a file
/// descriptor on 1 and 2 threads. Each kernel's digest must equal its algorithm's.
struct DigestBench {
    private static let readSize = 1 << 20
    let path: String
    let only: Set<String>?

    init(_ options: BenchOptions) {
        path = options["file"] ?? "\(corpus)/big.txt"
        only = options.list("only").map(Set.init)
    }

    /// Reads `path` in 1 MiB read(2) calls into `hasher`; returns the hex digest.
    private func hashFile(_ hasher: any DigestHasher) -> String {
        var hasher = hasher
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.readSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer, Self.readSize)
            if count < 0 { fail("read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return Hex.encode(hasher.finalize())
    }

    func run() throws {
        var status = stat()
        guard stat(path, &status) == 0 else { fail("no \(path)") }
        let megabytes = Double(status.st_size) / 1e6
        // (name, the algorithm it computes, a fresh hasher)
        var cases: [(String, String, () -> any DigestHasher)] = Algorithm.allCases.map { algorithm in
            (algorithm.name, algorithm.name, { algorithm.makeHasher() })
        }
        cases.append(("sha256-portable", "sha256", { SHA256(kernel: .portable) }))
        cases.append(("blake3-portable", "blake3", { BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .portable) }))
        cases.append(("blake3-avx2", "blake3", { BLAKE3(key: BLAKE3.iv, flags: 0, kernel: .avx2) }))
        cases.append(("xxh3-scalar", "xxh3", { XXH3(accelerated: false) }))
        cases.append(("crc32b-tables", "crc32b", { CRC32(accelerated: false) }))
        cases.append(("crc32-tables", "crc32", { CksumCRC(accelerated: false) }))
        var digests: [String: String] = [:]
        for (name, algorithm, make) in cases where only?.contains(name) ?? true {
            var digest = ""
            let time = Elapsed.of { digest = hashFile(make()) }
            print(String(format: "bench %-18@ wall %6.0f MB/s %6.3f s | cpu %6.0f MB/s %6.3f s  %@", name as NSString,
                         megabytes / time.wall, time.wall, megabytes / time.cpu, time.cpu, digest as NSString))
            if let earlier = digests[algorithm], earlier != digest { fail("\(name) gives \(digest), \(algorithm) \(earlier)") }
            digests[algorithm] = digest
        }
        for threads in [1, 2] where only?.contains("blake3-parallel") ?? true {
            var digest = ""
            let time = try Elapsed.of {
                let fd = open(path, O_RDONLY)
                defer { close(fd) }
                var hasher = BLAKE3()
                try hasher.update(fileDescriptor: fd, threads: threads)
                digest = Hex.encode(hasher.finalize())
            }
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            print(String(format: "bench blake3-file-j%d     wall %6.0f MB/s %6.3f s | cpu %6.3f s  %@  (process max RSS %d MiB)",
                         threads, megabytes / time.wall, time.wall, time.cpu, digest as NSString, usage.ru_maxrss / 1024))
            if let earlier = digests["blake3"], earlier != digest { fail("blake3-file-j\(threads) gives \(digest), blake3 \(earlier)") }
            digests["blake3"] = digest
        }
    }
}
