#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform

/// The duplicate groups as listed and acted on: each group's members in `--order`, and
/// the member `--keep` chose. Groups come sorted by size, then by their first path.
struct DupesListing {
    typealias Member = DupesCommand.Candidate

    private(set) var groups: [[Member]] = []
    /// Per group, the index of the member kept.
    private(set) var kept: [Int] = []

    /// `groups` in path order within each. Modification times are read (stat, only for the
    /// members of groups) when the order or the rule needs them.
    init(groups pathOrdered: [[Member]], order: GroupOrder, keep: KeepRule) {
        let needsTimes = order == .time || keep == .newest || keep == .oldest
        for var group in pathOrdered {
            var times = needsTimes ? group.map { Self.modificationTime($0.path) } : []
            if order == .time {
                // Stable: equal times stay in path order; an unreadable time sorts last.
                let sorted = times.indices.sorted { a, b in
                    let (x, y) = (times[a] ?? .max, times[b] ?? .max)
                    return x != y ? x < y : a < b
                }
                group = sorted.map { group[$0] }
                times = sorted.map { times[$0] }
            }
            let choice: Int
            switch keep {
            case .first: choice = 0
            case .last: choice = group.count - 1
            case .newest: choice = times.indices.min { (times[$0] ?? .min) > (times[$1] ?? .min) } ?? 0
            case .oldest: choice = times.indices.min { (times[$0] ?? .max) < (times[$1] ?? .max) } ?? 0
            }
            groups.append(group)
            kept.append(choice)
        }
    }

    var fileCount: Int { groups.reduce(0) { $0 + $1.count } }
    /// Files beyond the first of each group (jdupes -m's "duplicate files").
    var duplicateCount: Int { fileCount - groups.count }
    /// Bytes freed if every group shrank to one file.
    var reclaimableBytes: Int { groups.reduce(0) { $0 + $1[0].size * ($1.count - 1) } }

    /// Nanoseconds since the epoch of the last modification; nil when stat fails (the
    /// action then finds the file changed or gone).
    static func modificationTime(_ path: [UInt8]) -> Int? {
        guard let info = path.fileStatus() else { return nil }
        return info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }
}
