import Foundation
import Search

/// Throughput on ripgrep's benchmark patterns, counting matching lines like `rg -c`; with
/// --dfa also the lazy DFA alone (its raw speed and state count); with --words FILE one
/// alternation of every word in FILE (`grep -f`) over the first 100 MB.
struct RegexBench {
    static let patterns: [(String, Bool)] = [
        ("PM_RESUME", false), ("PM_RESUME", true), ("[A-Z]+_RESUME", false), ("\\p{Greek}", false),
        ("\\wAh", false), ("\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}\\s+\\w{5}", false),
        ("ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT", false),
        ("ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT", true), ("return", false),
    ]
    let path: String
    let only: Int?
    let dfaAlone: Bool
    let wordList: String?
    let ignoreCase: Bool

    init(_ options: BenchOptions) {
        path = options["file"] ?? "\(corpus)/big.txt"
        only = options["only"].map { integer($0, for: "only") }
        dfaAlone = options.has("dfa")
        wordList = options["words"]
        ignoreCase = options.has("ignore-case")
    }

    /// Lines with a match: after each match, the search goes on from the next line.
    private func matchingLines(_ hay: UnsafeRawBufferPointer, _ matchEnd: (Int) -> Int?) -> Int {
        var lines = 0, position = 0
        while position <= hay.count, let end = matchEnd(position) {
            lines += 1
            guard end < hay.count, let newline = memchr(hay.baseAddress! + end, 0x0A, hay.count - end) else { break }
            position = hay.baseAddress!.distance(to: newline) + 1
        }
        return lines
    }

    func run() throws {
        let hay = MappedFile(path).bytes
        if let wordList {
            let words = try String(contentsOfFile: wordList, encoding: .utf8).split(separator: "\n").map(String.init)
            var regex: CompiledRegex?
            let compile = try Elapsed.of {
                regex = try CompiledRegex(patterns: words.map(CompiledRegex.escape), options: RegexOptions(caseInsensitive: ignoreCase))
            }
            let part = UnsafeRawBufferPointer(rebasing: hay[..<min(hay.count, 100_000_000)])
            var lines = 0
            let search = Elapsed.of { lines = matchingLines(part) { regex!.firstMatchEnd(in: part, from: $0) } }
            print(String(format: "bench %d words: compile %.3f s, %d lines, %.3f s, %.0f MB/s", words.count, compile.wall,
                         lines, search.wall, Double(part.count) / search.wall / 1e6))
            return
        }
        for (index, (pattern, caseInsensitive)) in Self.patterns.enumerated() where only == nil || only == index {
            let regex = try CompiledRegex(pattern, options: RegexOptions(caseInsensitive: caseInsensitive))
            var lines = 0
            let time = Elapsed.of { lines = matchingLines(hay) { regex.firstMatchEnd(in: hay, from: $0) } }
            print(String(format: "bench %@%@: %d lines, %.3f s, %.0f MB/s", caseInsensitive ? "-i " : "", pattern, lines,
                         time.wall, Double(hay.count) / time.wall / 1e6))
            guard dfaAlone else { continue }
            let cache = DFACache(dfa: regex.dfa)
            var hits = 0
            let dfaTime = Elapsed.of {
                hits = matchingLines(hay) { position in
                    guard position < hay.count,
                          case .match(let end) = regex.dfa.earliestMatchEnd(hay, from: position, to: hay.count, cache: cache)
                    else { return nil }
                    return end
                }
            }
            print(String(format: "  dfa only: %d lines, %.3f s, %.0f MB/s, %d states, %d classes", hits, dfaTime.wall,
                         Double(hay.count) / dfaTime.wall / 1e6, cache.stateCount, regex.dfa.classCount))
        }
    }
}
