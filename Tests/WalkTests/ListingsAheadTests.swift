import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Walk

/// The sorted walk's helpers (`ListingsAhead`): directories read ahead on other threads,
/// files and messages still in path order, as the walk on one thread gives them.
final class ListingsAheadTests: XCTestCase {
    /// Entries and messages of a sorted walk, in the order they came.
    private func sortedWalk(_ root: String, threads: Int, followSymlinks: Bool = false,
                            cancellation: WalkCancellation? = nil, stopAfter: Int = .max) throws -> [String] {
        var options = WalkOptions()
        options.threads = threads
        options.followSymlinks = followSymlinks
        let walker = try Walker(options: options)
        let messages = Mutex<[String]>([])
        var events: [String] = []
        walker.walkSorted(roots: [Array(root.utf8)], cancellation: cancellation, helpersFromStart: true, onEntry: { entry in
            events += messages.withLock { taken in defer { taken = [] }; return taken }
            events.append(entry.pathString)
            if events.count >= stopAfter { cancellation?.cancel() }
        }, onError: { error in messages.withLock { $0.append("error: \(error)") } })
        return events + messages.withLock { $0 }
    }

    func testHelpersReadAheadYetFilesComeInPathOrder() throws {
        let tree = TestTree()
        for i in 0..<400 { tree.file("d\(i % 9)/e\(i % 4)/g\(i % 3)/f\(i).txt") }
        for name in ["a-b", "a/z", "a/b/c", "a.c", "A", "a/b-", "c/d/e"] { tree.file(name) }
        let alone = try sortedWalk(tree.root, threads: 1)
        XCTAssertEqual(alone.count, 407)
        XCTAssertEqual(alone, alone.sorted { pathPrecedes(Array($0.utf8), Array($1.utf8)) })
        for threads in [2, 8] {
            // Whether a helper gets a directory before the walk reaches it is up to the
            // scheduler: on a loaded machine the walk can finish before a helper runs at
            // all (2 of 5 runs here with 2 threads). Walk again until one has.
            let before = ListingsAhead.directoriesReadAhead.load(ordering: .relaxed)
            for _ in 0..<50 where ListingsAhead.directoriesReadAhead.load(ordering: .relaxed) == before {
                XCTAssertEqual(try sortedWalk(tree.root, threads: threads), alone, "\(threads) threads")
            }
            XCTAssertGreaterThan(ListingsAhead.directoriesReadAhead.load(ordering: .relaxed), before,
                                 "\(threads) threads: helpers read some of the 100-odd directories in 50 walks")
        }
    }

    /// A helper meets the loop; the walk reports it where it reaches that directory.
    func testMessagesFromHelpersComeWhereTheWalkReachesTheirDirectory() throws {
        let tree = TestTree()
        for directory in ["b", "d", "f"] {
            tree.file("\(directory)/x")
            tree.symlink("\(directory)/loop", to: "..")
        }
        tree.file("a")
        tree.file("e")
        let alone = try sortedWalk(tree.root, threads: 1, followSymlinks: true)
        XCTAssertEqual(alone.filter { $0.hasPrefix("error: ") }.count, 3, "\(alone)")
        for threads in [2, 8] {
            XCTAssertEqual(try sortedWalk(tree.root, threads: threads, followSymlinks: true), alone, "\(threads) threads")
        }
    }

    func testCancellingTheWalkStopsItAndItsHelpers() throws {
        let tree = TestTree()
        for i in 0..<2000 { tree.file("d\(i % 40)/e\(i % 7)/f\(i)") }
        let cancellation = WalkCancellation()
        let events = try sortedWalk(tree.root, threads: 8, cancellation: cancellation, stopAfter: 10)
        XCTAssertEqual(events.count, 10, "no entry after the cancel")
    }

    func testListingHeapGivesListingsInPathOrder() {
        let root = RootContext(prefixLength: 0, device: 0)
        let prefixes = ["src/", "src-old/", "src/lib/", "a/", "A/", "src/lib-x/", "b/c/", "b/", "src.d/"]
        var heap = ListingHeap()
        for prefix in prefixes.shuffled() {
            heap.insert(DirectoryListing(DirectoryWork(prefix: Array(prefix.utf8), depth: 1, level: nil, root: root, ancestors: nil)))
        }
        var popped: [String] = []
        while let listing = heap.popFirst() { popped.append(String(decoding: listing.work.prefix, as: UTF8.self)) }
        XCTAssertEqual(popped, ["A/", "a/", "b/", "b/c/", "src/", "src/lib/", "src/lib-x/", "src-old/", "src.d/"])
    }
}
