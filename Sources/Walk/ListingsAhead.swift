import Glibc

import Platform
import Synchronization

/// A directory of the sorted walk and, once read, what it held: its files, its
/// subdirectories (as listings of their own) and the problems met reading it, replayed by
/// the walk when it gets there so messages keep the walk's order.
///
/// Lock discipline: `state` and `readAhead` change under `ListingsAhead`'s mutex. The
/// results are written by the one thread that moved `state` to `.reading`, before it
/// moves it to `.read` under the mutex; from then on only the walk touches them (it takes
/// and clears them once it reaches the directory).
final class DirectoryListing: @unchecked Sendable {
    enum State { case waiting, reading, read }

    let work: DirectoryWork
    var state = State.waiting
    /// Read by a helper: counts against `ListingsAhead.window` until the walk takes it.
    var readAhead = false
    var files: [WalkEntry] = []
    var children: [DirectoryListing] = []
    var errors: [WalkError] = []

    init(_ work: DirectoryWork) { self.work = work }
}

/// Helper threads that read the sorted walk's directories before the walk reaches them,
/// first in path order first (the walk's own order), at most `window` directories ahead.
/// The walk reads a directory itself when no helper has started it, so it never waits for
/// a helper that the window holds back.
///
/// Why: the sorted walk's single thread read one directory after another, and on a cold
/// cache each directory read waits on the disk (DESIGN.md, "Walking").
///
/// Lock discipline: `queue`, `aheadCount`, `walkWaits`, `started` and `finished` are read
/// and written only while `lock` is held; both conditions are waited on with it.
/// `threads` belongs to the walk's thread (`start` and `finish` are called from it).
final class ListingsAhead: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Helpers wait here for a listing to read or for room in the window.
    private let helperWake: LockCondition
    /// The walk waits here for a helper to finish the listing it needs.
    private let listingRead: LockCondition
    /// Listings to read, first in path order first. Holds some the walk has claimed
    /// meanwhile: a helper skips those (cheaper than finding them in the middle).
    private var queue = ListingHeap()
    private var aheadCount = 0
    private var walkWaits = false
    /// Nothing is queued before a helper runs: with none, the queue would only grow.
    private var started = false
    private var finished = false
    private var threads: [NamedThread] = []
    /// The most directories read ahead and not yet taken by the walk: it bounds memory.
    /// 256 directories hold about 4k files of the Linux tree (15 a directory), the size
    /// of `--sort path`'s reorder window, which would hold the walk back beyond that anyway.
    let window = 256
    private let walker: Walker
    private let helpers: Int
    private let cancellation: (any WalkCancellationSignal)?

    /// Directories read by helpers, over all walks (for tests).
    static let directoriesReadAhead = Atomic<Int>(0)

    init(walker: Walker, helpers: Int, cancellation: (any WalkCancellationSignal)?) {
        self.walker = walker
        self.helpers = helpers
        self.cancellation = cancellation
        helperWake = LockCondition(on: lock)
        listingRead = LockCondition(on: lock)
    }

    /// Starts the helpers and offers them `pending`, the listings the walk has yet to reach.
    func start(offering pending: [DirectoryListing]) {
        threads = (0..<helpers).compactMap { _ in try? NamedThread(name: "trawl-walk") { [self] in helperLoop() } }
        guard !threads.isEmpty else { return }
        lock.lock()
        started = true
        lock.unlock()
        offer(pending)
    }

    private func helperLoop() {
        let sink = ListingSink()
        var worker = WalkWorker(walker: walker, onFiles: { sink.files.append(contentsOf: $0) },
                                onError: { sink.errors.append($0) })
        while let listing = claimForHelper() {
            // Cancelled: left empty, but marked read, so the walk never waits for it.
            let cancelled = cancellation?.isCancelled == true
            if !cancelled {
                sink.read(listing, with: &worker)
                Self.directoriesReadAhead.add(1, ordering: .relaxed)
            }
            helperRead(listing)
            if cancelled { return }
        }
    }

    /// Offers `listings` to the helpers, once they run.
    func offer(_ listings: [DirectoryListing]) {
        guard !listings.isEmpty else { return }
        lock.lock()
        guard started else {
            lock.unlock()
            return
        }
        for listing in listings { queue.insert(listing) }
        lock.unlock()
        wakeHelpers(for: listings.count)
    }

    /// One wake-up per listing: a broadcast woke every helper for each directory. (Bounded
    /// by `helpers`, not `threads`, which helpers must not read while `start` assigns it.)
    private func wakeHelpers(for listings: Int) {
        for _ in 0..<min(listings, helpers) { helperWake.signal() }
    }

    /// A helper's next listing, claimed for it; nil once the walk is over.
    private func claimForHelper() -> DirectoryListing? {
        lock.lock()
        defer { lock.unlock() }
        while !finished {
            while aheadCount < window, let listing = queue.popFirst() {
                guard listing.state == .waiting else { continue }  // the walk took it
                listing.state = .reading
                listing.readAhead = true
                aheadCount += 1
                return listing
            }
            helperWake.wait()
        }
        return nil
    }

    /// A helper has filled `listing` in: its children are queued in the same step, since
    /// once `.read` the walk may take them.
    private func helperRead(_ listing: DirectoryListing) {
        lock.lock()
        for child in listing.children { queue.insert(child) }
        let children = listing.children.count
        listing.state = .read
        let walkWaiting = walkWaits
        lock.unlock()
        if walkWaiting { listingRead.signal() }
        wakeHelpers(for: children)
    }

    /// True: `listing` is the walk's to read now. False: a helper has read it (waits for
    /// that helper if it is still reading).
    func claimOrWait(_ listing: DirectoryListing) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if listing.state == .waiting {
            listing.state = .reading
            return true
        }
        while listing.state != .read {
            walkWaits = true
            listingRead.wait()
        }
        walkWaits = false
        if listing.readAhead {
            // Room in a full window: one slot, one helper. (A signal per listing taken woke
            // helpers with nothing to read: warm `files -uu --sort path` 0.095 -> 0.141 s.)
            if aheadCount == window { helperWake.signal() }
            aheadCount -= 1
        }
        return false
    }

    /// Ends the helpers' loops and joins them (the walk is complete or cancelled).
    func finish() {
        lock.lock()
        finished = true
        queue = ListingHeap()
        lock.unlock()
        helperWake.broadcast()
        for thread in threads { thread.join() }
        threads = []
    }
}

/// A min-heap of listings in path order (of their prefixes), the walk's own order.
/// Why not a stack: helpers popping the newest listing ran deep into subtrees the walk
/// would reach last, filled the window with them and left the walk to read 3.8k of the
/// Linux tree's 5.1k directories itself (cold `files --sort path` 0.62 -> 0.49 s only).
struct ListingHeap {
    private var items: [DirectoryListing] = []

    var count: Int { items.count }

    private func precedes(_ a: Int, _ b: Int) -> Bool { pathPrecedes(items[a].work.prefix, items[b].work.prefix) }

    mutating func insert(_ listing: DirectoryListing) {
        items.append(listing)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> DirectoryListing? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && precedes(left, smallest) { smallest = left }
            if right < items.count && precedes(right, smallest) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}

/// What one thread's `WalkWorker` reports while it reads a directory, gathered for the
/// listing. Written and read only by that thread; `@unchecked Sendable` only because the
/// worker's callbacks are `@Sendable`.
final class ListingSink: @unchecked Sendable {
    var files: [WalkEntry] = []
    var errors: [WalkError] = []

    /// Reads `listing`'s directory with `worker` (whose callbacks feed this sink) and fills
    /// the listing in.
    func read(_ listing: DirectoryListing, with worker: inout WalkWorker) {
        var children: [DirectoryWork] = []
        worker.read(listing.work, into: &children)
        listing.files = files
        listing.errors = errors
        listing.children = children.map(DirectoryListing.init)
        files = []
        errors = []
    }
}
