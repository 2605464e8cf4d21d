#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Times how long the consumer of a path-ordered scan has waited for the same record,
/// so a stall is reported once, and only after `delay` seconds without progress.
///
/// Not thread-safe: the consumer's thread owns it.
@usableFromInline
struct StallWatch {
    @usableFromInline let delay: Double
    @usableFromInline var waitingFor = -1
    @usableFromInline var since = 0.0
    /// Set once the stall was reported: never again in this scan.
    @usableFromInline var reported = false

    @usableFromInline
    init(delay: Double) {
        self.delay = delay
    }

    /// Whether the consumer has waited `delay` seconds for record `next` (one clock read).
    @inlinable
    mutating func isDue(next: Int) -> Bool {
        if reported { return false }
        let now = Self.monotonicSeconds()
        if next != waitingFor {
            waitingFor = next
            since = now
        }
        return now - since >= delay
    }

    @usableFromInline
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
