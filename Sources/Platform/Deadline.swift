#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A point on the monotonic clock, for bounded waits (`ConditionLock.wait(until:)`).
public struct Deadline: Sendable {
    public let nanoseconds: UInt64

    @inlinable
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static var now: Deadline {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Deadline(nanoseconds: UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    /// `nil` timeout means no deadline.
        public static func after(_ timeout: Duration?) -> Deadline? {
        guard let timeout else { return nil }
        let (seconds, attoseconds) = timeout.components
        let total = max(0, seconds) * 1_000_000_000 + max(0, attoseconds / 1_000_000_000)
        return Deadline(nanoseconds: now.nanoseconds &+ UInt64(total))
    }

    public var hasPassed: Bool { Deadline.now.nanoseconds >= nanoseconds }

    var absoluteTime: timespec {
        timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }
}
