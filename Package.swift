// swift-tools-version:6.0
// trawl: a parallel file scanner. The toolchain only: no package dependencies (DEVELOPERS.md).
import PackageDescription

let package = Package(
    name: "trawl",
    products: [
        .executable(name: "trawl", targets: ["trawl"]),
        .library(name: "WorkerPool", targets: ["WorkerPool"]),
    ],
    targets: [
        // libc symbols Swift cannot reach without _GNU_SOURCE (thread names, gettid, memmem, memrchr).
        .target(name: "CShims"),
        // CPU-instruction kernels (SHA-NI, SSE4/AVX2) behind runtime detection; portable Swift stays.
        .target(name: "CDigest"),
        .target(name: "WorkerPool", dependencies: ["CShims"]),
        .target(name: "Walk", dependencies: ["WorkerPool", "CShims"]),
        .target(name: "Search", dependencies: ["CShims"]),
        .target(name: "Digest", dependencies: ["CDigest"]),
        .target(name: "Scan", dependencies: ["WorkerPool", "Walk", "CShims"]),
        .target(name: "TrawlCLI", dependencies: ["WorkerPool", "Walk", "Search", "Digest", "Scan", "CShims"]),
        .executableTarget(name: "trawl", dependencies: ["TrawlCLI"]),
        .executableTarget(name: "WorkerPoolBench", dependencies: ["WorkerPool"], path: "Benchmarks/WorkerPoolBench"),

        .testTarget(name: "WorkerPoolTests", dependencies: ["WorkerPool"]),
        .testTarget(name: "WalkTests", dependencies: ["Walk", "WorkerPool"]),
        .testTarget(name: "SearchTests", dependencies: ["Search"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "CDigest"]),
        .testTarget(name: "ScanTests", dependencies: ["Scan", "Walk", "WorkerPool"]),
        .testTarget(name: "TrawlCLITests", dependencies: ["TrawlCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
