// Micro-benchmarks of trawl's modules on the benchmark corpus: hashing, the regex engine, the
// line searcher and the walk. They print figures only (no timed assertions: the machine is
// shared); a result that is wrong (a count, a digest disagreeing with its peer) fails the run.
// Usage: swift run -c release MicroBench <digest|regex|searcher|walk> [--option value...]
//   digest    [--file PATH] [--only NAME,...]          throughput per algorithm and kernel
//   regex     [--file PATH] [--only INDEX] [--dfa] [--words FILE [--ignore-case]]
//   searcher  [--file PATH] [--only buffers,matches,single-line,newlines]
//   walk      [--tree PATH] [--threads 1,2,4] [--runs 5]
// The corpus (/var/tmp/trawl-corpus: big.txt, linux/) comes from Benchmarks/run-all.sh.
#if canImport(Glibc)
import Glibc
#endif

let corpus = "/var/tmp/trawl-corpus"
let usage = "usage: MicroBench <digest|regex|searcher|walk> [--option value...] (see Benchmarks/MicroBench/main.swift)"

let arguments = Array(CommandLine.arguments.dropFirst())
guard let benchmark = arguments.first else { fail(usage) }
let options = BenchOptions(Array(arguments.dropFirst()))

switch benchmark {
case "digest": try DigestBench(options).run()
case "regex": try RegexBench(options).run()
case "searcher": SearcherBench(options).run()
case "walk": try WalkBench(options).run()
default: fail("unknown benchmark \(benchmark)\n\(usage)")
}
