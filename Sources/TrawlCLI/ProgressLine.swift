#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// `hash`'s progress on stderr: files and bytes done and throughput, redrawn in place at
/// most 5 times a second once a run has taken a second. The walk runs alongside the
/// hashing, so the files found so far are not the total: the ETA shows only once the walk
/// is done (`sourceDone`), and an earlier one would promise an end long before it comes.
/// Only when stderr is a terminal and not with -q: a pipe or a log never sees it.
/// Workers count (`fileStarted`, `fileDone`), the consumer thread draws (`redraw`, `finish`).
final class ProgressLine: Sendable {
    private let started = ContinuousClock.now
    private let filesStarted = Atomic<Int>(0)
    private let filesDone = Atomic<Int>(0)
    private let bytesDone = Atomic<Int>(0)
    private let totalFiles = Atomic<Int>(-1)  // -1: the walk is not done, no total yet
    private let lastDrawn = Atomic<Int>(0)  // milliseconds since `started`; 0: never drawn
    let enabled: Bool

    init(quiet: Bool) {
        enabled = !quiet && isatty(2) == 1
    }

    func fileStarted() { if enabled { filesStarted.add(1, ordering: .relaxed) } }

    func fileDone() {
        if enabled { filesDone.add(1, ordering: .relaxed) }
    }

    /// The walk is done: `files` is the total, and the line shows an ETA from now on.
    /// Called on the scan's producer thread.
    func sourceDone(files: Int) {
        totalFiles.store(files, ordering: .relaxed)
    }

    /// Bytes hashed, counted as each piece is read so one huge file shows progress too.
    func bytesRead(_ count: Int) {
        bytesDone.add(count, ordering: .relaxed)
    }

    private var elapsedMilliseconds: Int {
        let elapsed = ContinuousClock.now - started
        return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Draws the line if the run is past a second and the last draw is 200 ms old.
    func redraw() {
        guard enabled else { return }
        let now = elapsedMilliseconds
        let last = lastDrawn.load(ordering: .relaxed)
        guard now >= 1000, now - last >= 200 else { return }
        lastDrawn.store(now, ordering: .relaxed)
        let done = filesDone.load(ordering: .relaxed)
        let reading = max(0, filesStarted.load(ordering: .relaxed) - done)
        let megabytes = Double(bytesDone.load(ordering: .relaxed)) / 1e6
        let seconds = Double(now) / 1000
        write("\rtrawl: \(done) files, \(megabytes.fixed(1)) MB, \((megabytes / seconds).fixed(1)) MB/s, \(reading) reading"
              + Self.eta(done: done, total: totalFiles.load(ordering: .relaxed), seconds: seconds) + "\u{1b}[K")
    }

    /// ", 1 of 3 files left, ETA 0:42" once the total is known (`total` >= 0), from the rate of
    /// files so far; "" before.
    static func eta(done: Int, total: Int, seconds: Double) -> String {
        guard total >= 0, done > 0 else { return "" }
        let left = max(0, total - done)
        let remaining = Int((seconds * Double(left) / Double(done)).rounded(.up))
        let clock = "\(remaining / 60):" + (remaining % 60 < 10 ? "0" : "") + "\(remaining % 60)"
        return ", \(left) of \(total) files left, ETA \(clock)"
    }

    /// Clears the line, if one was drawn, so the shell prompt starts clean.
    func finish() {
        guard enabled, lastDrawn.load(ordering: .relaxed) > 0 else { return }
        write("\r\u{1b}[K")
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = InterruptibleWrite.all(2, UnsafeRawBufferPointer($0)) }
    }
}
