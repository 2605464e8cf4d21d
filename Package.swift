// swift-tools-version:6.0
// trawl: a parallel file scanner. The toolchain only: no package dependencies (DEVELOPERS.md).
import PackageDescription

// Generic library code not specialized in its callers spent a third of its time in metadata
// lookups (DESIGN.md); cross-module optimization lets release builds specialize it.
// Dynamic exclusivity checks on class properties showed in every hot-path profile
// (swift::runtime::AccessSet::insert); debug builds and tests keep them on.
let optimize: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"],
                                             .when(configuration: .release))]

let package = Package(
    name: "trawl",
    products: [
        .executable(name: "trawl", targets: ["trawl"]),
        .library(name: "WorkerPool", targets: ["WorkerPool"]),
    ],
    targets: [
        // C for what Swift cannot reach: libc symbols behind _GNU_SOURCE (thread names, gettid,
        // memmem, memrchr, sched_getaffinity, statx), raw syscalls (getdents64, io_uring
        // read-ahead, cachestat), per-thread getrusage, the SIGBUS guard of file maps, and the
        // CPU's spin-wait hint.
        .target(name: "CShims"),
        // CPU-instruction kernels (SHA-NI, SSE4/AVX2) behind runtime detection; portable Swift stays.
        .target(name: "CDigest"),
        // The Teddy multi-literal prefilter (AVX2 behind runtime detection), Search's alone.
        .target(name: "CTeddy"),
        // No unsafeFlags here nor in Platform or CShims: SwiftPM refuses to build a dependency
        // whose targets use them, and WorkerPool is a library others depend on by version
        // (Tests/WorkerPoolTests/DependencyTests.swift builds one that does).
        // Platform: the thread primitives (locks, named threads, thread-local slots) and the
        // byte-path stat every other module shares; its hot calls are @inlinable instead.
        .target(name: "Platform", dependencies: ["CShims"]),
        .target(name: "WorkerPool", dependencies: ["Platform", "CShims"]),
        .target(name: "Walk", dependencies: ["WorkerPool", "Platform", "CShims"], swiftSettings: optimize),
        .target(name: "Search", dependencies: ["CShims", "CTeddy"], swiftSettings: optimize),
        .target(name: "Digest", dependencies: ["CDigest", "CShims"], swiftSettings: optimize),
        .target(name: "Scan", dependencies: ["WorkerPool", "Platform", "Walk", "CShims"], swiftSettings: optimize),
        // The formats of a checksum manifest, read and written; no files, no threads.
        .target(name: "Manifest", dependencies: ["Digest"], swiftSettings: optimize),
        // A file's digests, read once for every algorithm (hash, check, dupes).
        .target(name: "FileHashing", dependencies: ["Digest", "Platform", "Scan", "Walk", "WorkerPool"], swiftSettings: optimize),
        // grep's printers (ripgrep's grep-printer): records in, bytes out; no walk, no files.
        .target(name: "Printer", dependencies: ["Search"], swiftSettings: optimize),
        .target(name: "TrawlCLI", dependencies: ["WorkerPool", "Platform", "Walk", "Search", "Printer", "Digest", "Manifest", "FileHashing", "Scan", "CShims"],
                swiftSettings: optimize),
        // Release links the Swift runtime in: start-up 5 -> 3 ms (`trawl --version`; fd 2 ms), a
        // twentieth of `trawl files` on the Linux tree. Debug builds and tests stay dynamic.
        .executableTarget(name: "trawl", dependencies: ["TrawlCLI"], swiftSettings: optimize,
                          linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]),
        // Built as a dependent package builds WorkerPool: without `optimize`.
        .executableTarget(name: "WorkerPoolBench", dependencies: ["WorkerPool"], path: "Benchmarks/WorkerPoolBench", exclude: ["run.sh"]),
        // A process that exits with pool work queued, for the exit-hook tests (CPython's
        // test_interpreter_shutdown and friends run a child interpreter likewise).
        .executableTarget(name: "WorkerPoolExitProbe", dependencies: ["WorkerPool"], path: "Tests/WorkerPoolExitProbe"),
        .executableTarget(name: "MicroBench", dependencies: ["Digest", "Search", "Walk"], path: "Benchmarks/MicroBench", swiftSettings: optimize),

        .testTarget(name: "PlatformTests", dependencies: ["Platform"]),
        .testTarget(name: "WorkerPoolTests", dependencies: ["WorkerPool", "CShims"], exclude: ["CPYTHON.md"]),
        .testTarget(name: "WalkTests", dependencies: ["Walk", "WorkerPool", "Platform"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "CTeddy"], exclude: ["REGEX-TESTDATA.md"]),
        .testTarget(name: "PrinterTests", dependencies: ["Printer", "Search"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "CDigest"]),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "Digest"]),
        .testTarget(name: "FileHashingTests", dependencies: ["FileHashing", "Manifest", "Digest", "Scan", "Walk", "WorkerPool"]),
        .testTarget(name: "ScanTests", dependencies: ["Scan", "Walk", "WorkerPool"]),
        .testTarget(name: "TrawlCLITests", dependencies: ["TrawlCLI", "Digest"], exclude: ["RIPGREP-CASES.md"]),
    ],
    swiftLanguageModes: [.v6]
)

// The WorkerPool guide: seven runnable examples, one topic each (Examples/README.md).
// ExamplesTests runs each built binary and checks its output, so they never rot.
for (name, folder) in [
    ("Example01ThreadsAndPools", "01-ThreadsAndPools"),
    ("Example02ConfiguringAPool", "02-ConfiguringAPool"),
    ("Example03Map", "03-Map"),
    ("Example04Submit", "04-Submit"),
    ("Example05QueryingFutures", "05-QueryingFutures"),
    ("Example06CollectionsOfFutures", "06-CollectionsOfFutures"),
    ("Example07CaseStudy", "07-CaseStudy"),
] {
    package.targets.append(.executableTarget(name: name, dependencies: ["WorkerPool"], path: "Examples/\(folder)"))
}
