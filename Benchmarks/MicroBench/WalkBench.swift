import Foundation
import Synchronization
import Walk

/// The walk of the Linux tree at several thread counts: defaults (ignore files, no hidden),
/// `--no-require-git` over the top-level directories (the tree's 306 .gitignore files: the
/// glob hot path) and `-uu`. Best wall time of the runs, and CPU time per run (user +
/// system, all threads: on a shared machine it shows contention wall time hides).
/// CorpusCountTests checks the same walks' counts against `rg --files` and `find -type f`.
struct WalkBench {
    let tree: String
    let threadCounts: [Int]
    let runs: Int

    init(_ options: BenchOptions) {
        tree = options["tree"] ?? "\(corpus)/linux"
        threadCounts = options.integers("threads", default: [1, 2, 4])
        runs = options.integers("runs", default: [5]).first ?? 5
    }

    private func count(_ options: WalkOptions, roots: [String]) throws -> (files: Int, seconds: Double, cpu: Double) {
        let walker = try Walker(options: options)
        let files = Atomic<Int>(0)
        var best = Double.infinity, total = 0
        let cpuBefore = cpuSeconds()
        for _ in 0..<runs {
            files.store(0, ordering: .relaxed)
            best = min(best, Elapsed.of {
                walker.walk(roots, onEntry: { _ in files.add(1, ordering: .relaxed) }, onError: { _ in })
            }.wall)
            total = files.load(ordering: .relaxed)
        }
        return (total, best, (cpuSeconds() - cpuBefore) / Double(runs))
    }

    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    private var topLevelDirectories: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tree)) ?? []
        return names.sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(tree)/\(name)", isDirectory: &isDirectory) && isDirectory.boolValue
        }.map { "\(tree)/\($0)/" }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: tree) else { fail("no tree at \(tree) (Benchmarks/run-all.sh makes it)") }
        for threads in threadCounts {
            var options = WalkOptions()
            options.threads = threads
            let defaults = try count(options, roots: [tree])
            options.noRequireGit = true
            let gitignored = try count(options, roots: topLevelDirectories)
            options.noRequireGit = false
            options.noIgnore = true
            options.hidden = true
            let everything = try count(options, roots: [tree])
            print("walk threads=\(threads): default \(defaults.files) files in \(defaults.seconds) s (cpu \(defaults.cpu)); "
                  + "--no-require-git \(gitignored.files) files in \(gitignored.seconds) s (cpu \(gitignored.cpu)); "
                  + "-uu \(everything.files) files in \(everything.seconds) s (cpu \(everything.cpu))")
        }
    }
}
