#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CShims
import Platform
import Walk

/// ripgrep's `--sort modified|accessed|created` and `--sortr`: orders the scan cannot give
/// as it walks. Every record waits until the walk is over, then they are printed sorted
/// (as rg, which also searches on one thread then). Files whose time cannot be read sort
/// first, as rg's do.
struct DeferredSort: Sendable, Equatable {
    enum Key: Sendable, Equatable { case path, modified, accessed, created }

    let key: Key
    let reversed: Bool

    /// `items` in this order; stable, so equal times keep path order.
    /// - Parameter recordedTime: the time taken before the file was read (reading it moves
    ///   its access time); nil reads it now.
    func sorted<Record>(_ items: [(entry: WalkEntry, record: Record)], recordedTime: (Record) -> Int? = { _ in nil })
        -> [(entry: WalkEntry, record: Record)] {
        // Path order first: the tie-break for equal times, and the whole order for `path`.
        var ordered = items.sorted { pathPrecedes($0.entry.path, $1.entry.path) }
        if key != .path {
            let times = ordered.map { recordedTime($0.record) ?? time(of: $0.entry.path) }
            let indices = times.indices.sorted { a, b in
                switch (times[a], times[b]) {
                case (nil, nil): return a < b
                case (nil, _): return true
                case (_, nil): return false
                case (let x?, let y?): return x != y ? x < y : a < b
                }
            }
            ordered = indices.map { ordered[$0] }
        }
        return reversed ? ordered.reversed() : ordered
    }

    /// The chosen time in nanoseconds, or nil when it cannot be read.
    /// The path's bytes go to the system as they are: a name that is not UTF-8 has its times too.
    func time(of path: [UInt8]) -> Int? {
        if key == .created {
            var nanoseconds: Int64 = 0
            return path.withCPath { trawl_birth_time($0, &nanoseconds) } == 0 ? Int(nanoseconds) : nil
        }
        guard let info = path.fileStatus() else { return nil }
        let time = key == .modified ? info.st_mtim : info.st_atim
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    /// The order `--sort`/`--sortr`/`--sort-files` ask for, the last given winning: nil for
    /// `none` and for an order the scan gives itself (`--sort path`).
    static func requested(_ arguments: ParsedArguments) throws -> (scanOrder: String?, deferred: DeferredSort?) {
        guard let last = arguments.last(of: .sort, .sortr, .sortFiles, .noSortFiles), last.flag != .noSortFiles else {
            return (nil, nil)
        }
        if last.flag == .sortFiles { return ("path", nil) }
        let name = last.value ?? ""
        let reversed = last.flag == .sortr
        let key: Key
        switch name {
        case "none": return ("none", nil)
        case "path":
            if !reversed { return ("path", nil) }
            key = .path
        case "modified": key = .modified
        case "accessed": key = .accessed
        case "created": key = .created
        default:
            throw ArgumentError.invalidValue(flag: "--" + last.flag.rawValue, value: name,
                                             reason: "expected one of path, modified, accessed, created, none")
        }
        return ("none", DeferredSort(key: key, reversed: reversed))
    }
}
