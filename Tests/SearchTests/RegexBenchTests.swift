import XCTest
import Glibc
@testable import Search

/// Throughput on ripgrep's benchmark patterns, counting matching lines like `rg -c`.
/// Skipped unless REGEX_BENCH=1; run with
/// `REGEX_BENCH=1 swift test -c release --filter RegexBenchTests`.
/// REGEX_BENCH_FILE overrides the corpus (default /var/tmp/trawl-corpus/big.txt).
final class RegexBenchTests: XCTestCase {
    static let patterns: [(String, Bool)] = [
        ("PM_RESUME", false), ("PM_RESUME", true), ("[A-Z]+_RESUME", false), ("\\p{Greek}", false),
        ("\\wAh", false), ("\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}", false),
        ("ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT", false),
        ("ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT", true), ("return", false),
    ]

    func testBenchmarkPatterns() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["REGEX_BENCH"] == "1", "set REGEX_BENCH=1 to measure")
        let path = env["REGEX_BENCH_FILE"] ?? "/var/tmp/trawl-corpus/big.txt"
        let only = env["REGEX_BENCH_ONLY"].flatMap(Int.init)
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var st = stat()
        fstat(fd, &st)
        let size = Int(st.st_size)
        let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)!
        defer { munmap(map, size); close(fd) }
        madvise(map, size, MADV_SEQUENTIAL)
        let hay = UnsafeRawBufferPointer(start: map, count: size)
        if let list = env["REGEX_BENCH_WORDLIST"] {
            // grep -f WORDS: one alternation of many literals, over the first 100 MB.
            let words = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let regex = try Regex(patterns: words.map(Regex.escape), options: RegexOptions(caseInsensitive: env["REGEX_BENCH_I"] == "1"))
            let compiled = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let part = UnsafeRawBufferPointer(start: map, count: min(size, 100_000_000))
            var lines = 0, pos = 0
            while pos <= part.count, let end = regex.firstMatchEnd(in: part, from: pos) {
                lines += 1
                guard end < part.count, let nl = memchr(map + end, 0x0A, part.count - end) else { break }
                pos = map.distance(to: nl) + 1
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 - compiled
            print(String(format: "bench %d words: compile %.3f s, %d lines, %.3f s, %.0f MB/s", words.count, compiled, lines,
                         seconds, Double(part.count) / seconds / 1e6))
            return
        }
        for (k, (pattern, ci)) in Self.patterns.enumerated() where only == nil || only == k {
            let regex = try Regex(pattern, options: RegexOptions(caseInsensitive: ci))
            let t0 = DispatchTime.now().uptimeNanoseconds
            var lines = 0
            var pos = 0
            while pos <= size, let end = regex.firstMatchEnd(in: hay, from: pos) {
                lines += 1
                guard end < size, let nl = memchr(map + end, 0x0A, size - end) else { break }
                pos = map.distance(to: nl) + 1
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            print(String(format: "bench %@%@: %d lines, %.3f s, %.0f MB/s", ci ? "-i " : "", pattern, lines, seconds,
                         Double(size) / seconds / 1e6))
            if env["REGEX_BENCH_DFA"] == "1" {
                // The DFA alone over the whole file: its raw throughput and state count.
                let cache = DFACache(dfa: regex.dfa)
                let t1 = DispatchTime.now().uptimeNanoseconds
                var pos = 0, hits = 0
                while pos < size, case .match(let end) = regex.dfa.earliestMatchEnd(hay, from: pos, to: size, cache: cache) {
                    hits += 1
                    guard end < size, let nl = memchr(map + end, 0x0A, size - end) else { break }
                    pos = map.distance(to: nl) + 1
                }
                let s1 = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
                print(String(format: "  dfa only: %d lines, %.3f s, %.0f MB/s, %d states, %d classes", hits, s1,
                             Double(size) / s1 / 1e6, cache.stateCount, regex.dfa.classCount))
            }
        }
    }
}
