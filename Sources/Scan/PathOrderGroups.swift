/// How many consecutive files go to the pool as one task: files in path order, or one
/// directory's files in a walk in completion order.
///
/// One task per file made the walk's thread wake a sleeping worker for nearly every file
/// (futex wake-ups and context switches; DESIGN.md, "Feeding the pool", has the figures).
/// Groups start at one file and grow with the count, so the first results and trees of a
/// few big files still get one worker per file; and stay well under the window so several
/// groups are always in flight.
@usableFromInline
struct PathOrderGroups: Sendable {
    /// The most files in one task (32: the measured knee, DESIGN.md).
    @usableFromInline static let largest = 32
    /// Files walked before each step up in group size.
    @usableFromInline static let filesPerStep = 256

    @usableFromInline let cap: Int

    @usableFromInline
    init(window capacity: Int) {
        // A window of 4096 allows 32; a window of 16 (tests) one file per task.
        cap = max(1, min(Self.largest, capacity / 64))
    }

    /// The group size once file `number` (0-based, in path order) has been walked.
    @inlinable
    func size(forFile number: Int) -> Int {
        min(cap, 1 + number / Self.filesPerStep)
    }
}
