/// A set of code points (or bytes) as sorted, disjoint, non-adjacent closed ranges: the
/// value behind every character class. Set operations are linear merges.
struct ScalarRanges: Hashable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF
    static let surrogates: ClosedRange<UInt32> = 0xD800...0xDFFF

    init() { ranges = [] }

    init<S: Sequence>(_ unsorted: S) where S.Element == ClosedRange<UInt32> {
        var rs = Array(unsorted).sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(rs.count)
        for r in rs {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        rs = out
        ranges = rs
    }

    init(scalars: [UInt32]) { self.init(scalars.map { $0...$0 }) }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = ranges[mid]
            if c < r.lowerBound { hi = mid } else if c > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// The single member, when the set has exactly one.
    var singleMember: UInt32? {
        ranges.count == 1 && ranges[0].lowerBound == ranges[0].upperBound ? ranges[0].lowerBound : nil
    }

    var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    func union(_ other: ScalarRanges) -> ScalarRanges { ScalarRanges(ranges + other.ranges) }

    /// Everything in 0...maxValue not in the set.
    func inverted(maxValue: UInt32) -> ScalarRanges {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        var done = false
        for r in ranges {
            if r.lowerBound > maxValue { break }
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= maxValue { done = true; break }
            next = r.upperBound + 1
        }
        if !done && next <= maxValue { out.append(next...maxValue) }
        return ScalarRanges(out)
    }

    func intersection(_ other: ScalarRanges) -> ScalarRanges {
        var out: [ClosedRange<UInt32>] = []
        var i = 0, j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i], b = other.ranges[j]
            let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
            if lo <= hi { out.append(lo...hi) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return ScalarRanges(out)
    }

    func subtracting(_ other: ScalarRanges) -> ScalarRanges {
        intersection(other.inverted(maxValue: UInt32.max))
    }

    func symmetricDifference(_ other: ScalarRanges) -> ScalarRanges {
        union(other).subtracting(intersection(other))
    }

    func removing(_ c: UInt32) -> ScalarRanges { subtracting(ScalarRanges([c...c])) }
}
