#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Walk

/// Paths put in path order (`PathSort`) with bounded memory: held in memory up to
/// `memoryLimit` bytes, then sorted and written to an unlinked temporary file as a run;
/// `forEachSorted` merges the runs. For `--sort path` over a `--files-from` list, which
/// comes unsorted and may be longer than memory should hold (10M paths of 60 bytes).
///
/// When a run cannot be written
/// (no temporary directory, disk full) the paths stay in memory: slower to fail than to lose.
/// Not thread-safe.
struct ExternalPathSort: ~Copyable {
    let memoryLimit: Int
    private var held: [[UInt8]] = []
    private var heldBytes = 0
    private var runs: [SpilledRun] = []

    /// Sorted runs written to disk so far.
    var runCount: Int { runs.count }

    init(memoryLimit: Int = 32 << 20) {
        self.memoryLimit = max(1, memoryLimit)
    }

    deinit {
        for run in runs { close(run.fd) }
    }

    mutating func add(_ path: [UInt8]) {
        held.append(path)
        // An array's header and allocation rounding: about 32 bytes beside the path.
        heldBytes += path.count + 32
        if heldBytes >= memoryLimit, let run = SpilledRun.write(sorted(held)) {
            runs.append(run)
            held.removeAll()
            heldBytes = 0
        }
    }

    /// Calls `body` with every path in path order until it returns false.
    mutating func forEachSorted(_ body: ([UInt8]) -> Bool) {
        let last = sorted(held)
        held = []
        if runs.isEmpty {
            for path in last where !body(path) { return }
            return
        }
        var sources: [RunReader] = runs.map { RunReader(fd: $0.fd) }
        var tail = last.makeIterator()
        var heads: [[UInt8]?] = sources.indices.map { sources[$0].next() } + [tail.next()]
        var heap = MergeHeap(heads: heads)
        while let source = heap.popMin(heads) {
            guard body(heads[source]!) else { return }
            heads[source] = source < sources.count ? sources[source].next() : tail.next()
            if heads[source] != nil { heap.push(source, heads) }
        }
    }

    private func sorted(_ paths: [[UInt8]]) -> [[UInt8]] {
        PathSort.order(of: paths).map { paths[$0] }
    }
}

/// One sorted run on disk: length-prefixed paths (UInt32 little-endian, then the bytes).
private struct SpilledRun {
    let fd: Int32

    /// Writes `paths` to a new unlinked file in $TMPDIR (or /tmp); nil when that fails.
    static func write(_ paths: [[UInt8]]) -> SpilledRun? {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/trawl-sort-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func drain() -> Bool {
            let ok = buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 { if errno == EINTR { continue }; return false }
                    offset += written
                }
                return true
            }
            buffer.removeAll(keepingCapacity: true)
            return ok
        }
        for path in paths {
            let count = UInt32(truncatingIfNeeded: path.count)
            for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
            buffer.append(contentsOf: path)
            if buffer.count >= 1 << 16, !drain() { close(fd); return nil }
        }
        guard drain(), lseek(fd, 0, SEEK_SET) == 0 else { close(fd); return nil }
        return SpilledRun(fd: fd)
    }
}

/// Reads a run's paths back in 64 KiB pieces.
private struct RunReader {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0

    init(fd: Int32) {
        self.fd = fd
    }

    /// The next path; nil at the end of the run (or on a read error, which ends it).
    mutating func next() -> [UInt8]? {
        guard let header = take(4) else { return nil }
        let count = header.enumerated().reduce(0) { $0 | Int($1.element) << ($1.offset * 8) }
        return take(count)
    }

    private mutating func take(_ count: Int) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if start == end {
                let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return nil }
                start = 0
                end = got
            }
            let piece = min(count - result.count, end - start)
            result.append(contentsOf: buffer[start..<start + piece])
            start += piece
        }
        return result
    }
}

/// A binary min-heap of source indices ordered by their head paths (`pathPrecedes`), ties
/// to the lower index.
private struct MergeHeap {
    private var items: [Int] = []

    init(heads: [[UInt8]?]) {
        for index in heads.indices where heads[index] != nil { push(index, heads) }
    }

    private static func precedes(_ a: Int, _ b: Int, _ heads: [[UInt8]?]) -> Bool {
        let x = heads[a]!, y = heads[b]!
        if pathPrecedes(x, y) { return true }
        if pathPrecedes(y, x) { return false }
        return a < b
    }

    mutating func push(_ source: Int, _ heads: [[UInt8]?]) {
        items.append(source)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(items[child], items[parent], heads) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin(_ heads: [[UInt8]?]) -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, Self.precedes(items[left], items[smallest], heads) { smallest = left }
                if right < items.count, Self.precedes(items[right], items[smallest], heads) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
