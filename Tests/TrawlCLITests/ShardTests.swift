import XCTest

/// `--shard I/N`: shards 1..N are disjoint, their union is the unsharded run, each shard's
/// manifest is valid on its own, and they merge back in order.
final class ShardTests: TrawlTestCase {
    /// 120 files over a few directories, names with spaces and dots included.
    private func writeTree() throws {
        for i in 0..<40 {
            try write("src/a\(i).txt", "a \(i)\n")
            try write("src/deep/b \(i)", "b \(i)\n")
            try write("top.\(i)", "t \(i)\n")
        }
    }

    private func lines(_ arguments: [String], in directory: String? = nil) throws -> [String] {
        let result = try trawl(arguments, in: directory)
        XCTAssertTrue(result.status == 0 || result.status == 1, result.err)
        return result.lines
    }

    func testShardsAreDisjointAndTheirUnionIsTheUnshardedRun() throws {
        try writeTree()
        for command in [["files"], ["hash"], ["hash", "-a", "md5"], ["grep", "-H", "."]] {
            let whole = try lines(command + ["."])
            XCTAssertEqual(whole.count, 120)
            for count in 1...5 {
                var union: [String] = []
                for index in 1...count {
                    let shard = try lines(command + ["--shard", "\(index)/\(count)", "."])
                    XCTAssertLessThan(shard.count, count == 1 ? 121 : 120, "\(command) \(index)/\(count)")
                    union += shard
                }
                XCTAssertEqual(union.count, whole.count, "\(command) N=\(count): a file in two shards or none")
                XCTAssertEqual(Set(union), Set(whole), "\(command) N=\(count)")
            }
        }
    }

    func testFindShardsEntriesDirectoriesIncludedAndStillWalksEveryDirectory() throws {
        try writeTree()
        let whole = try lines(["find", "-H"])
        XCTAssertEqual(whole.count, 122, "120 files and the directories src/ and src/deep/")
        for count in [2, 3, 7] {
            var union: [String] = []
            for index in 1...count { union += try lines(["find", "-H", "--shard", "\(index)/\(count)"]) }
            XCTAssertEqual(union.sorted(), whole.sorted(), "N=\(count): every entry in exactly one shard")
        }
        XCTAssertEqual(try trawl(["find", "--shard", "4/3"]).status, 2)
    }

    func testEachShardKeepsThePathOrderAndSortMergeGivesTheWhole() throws {
        try writeTree()
        let whole = try lines(["hash", "."])
        var shards: [[String]] = []
        for index in 1...3 {
            let shard = try lines(["hash", "--shard", "\(index)/3", "."])
            // In the unsharded run's order: the shard is that run with the other shards' files left out.
            let members = Set(shard)
            XCTAssertEqual(shard, whole.filter { members.contains($0) })
            shards.append(shard)
        }
        // `LC_ALL=C sort -m` of the sorted shards is the sorted unsharded output.
        let sorted = shards.map { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        for (index, shard) in sorted.enumerated() { try write("s\(index)", shard.joined(separator: "\n") + "\n") }
        let merged = try tool("sort", ["-m", "s0", "s1", "s2"])
        XCTAssertEqual(merged.lines, whole.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    func testEachShardsManifestIsValidAndCheckTakesThemAllAtOnce() throws {
        try writeTree()
        for index in 1...3 {
            try write("m\(index)", bytes: try trawl(["hash", "-a", "blake3", "--shard", "\(index)/3", "src", "top.1"]).stdout)
            let alone = try trawl(["check", "m\(index)"])
            XCTAssertEqual(alone.status, 0, alone.err)
        }
        let all = try trawl(["check", "m1", "m2", "m3"])
        XCTAssertEqual(all.status, 0, all.err)
        XCTAssertEqual(all.lines.count, 81)
    }

    func testAPathsShardDoesNotDependOnWhereTheRootIs() throws {
        try writeTree()
        let fromAbove = try lines(["files", "--shard", "2/4", "src"]).map { String($0.dropFirst("src/".count)) }
        let fromInside = try lines(["files", "--shard", "2/4"], in: root + "/src")
        XCTAssertEqual(Set(fromAbove), Set(fromInside))
        XCTAssertFalse(fromInside.isEmpty)
    }

    func testFilesFromPathsAreShardedByThePathAsListed() throws {
        try writeTree()
        let listed = try trawl(["files", "."]).stdout
        var union: [String] = []
        for index in 1...3 {
            let shard = try trawl(["hash", "--files-from", "-", "--shard", "\(index)/3"], stdin: .bytes(listed))
            XCTAssertEqual(shard.status, 0, shard.err)
            union += shard.lines
        }
        XCTAssertEqual(Set(union), Set(try lines(["hash", "."])))
        XCTAssertEqual(union.count, 120)
    }

    func testInvalidShardIsAnErrorNamingTheFlag() throws {
        for value in ["0/3", "4/3", "1/0", "x", "1/2/3", "-1/2"] {
            let result = try trawl(["files", "--shard", value])
            XCTAssertEqual(result.status, 2, value)
            XCTAssertTrue(result.err.hasPrefix("trawl: "), result.err)
            XCTAssertTrue(result.err.contains("--shard"), result.err)
        }
    }
}
