/// What `dupes` does to every duplicate but the file kept: jdupes' -L, -l, -B and -d -N.
enum DupesAction: String, Sendable, CaseIterable {
    case link, symlink, reflink, delete

    /// The flag that asks for it.
    var flag: Flag {
        switch self {
        case .link: return .link
        case .symlink: return .symlink
        case .reflink: return .reflink
        case .delete: return .delete
        }
    }

    /// jdupes' marker before each duplicate acted on (after `[SRC] kept`); delete lists
    /// `   [+] kept` and `   [-] duplicate` instead.
    var marker: String {
        switch self {
        case .link: return "----> "
        case .symlink: return "-@@-> "
        case .reflink: return "-##-> "
        case .delete: return "   [-] "
        }
    }

    var keptMarker: String { self == .delete ? "   [+] " : "[SRC] " }

    /// The one action flag given; nil for none, an error for two.
    static func from(_ arguments: ParsedArguments) throws -> DupesAction? {
        let given = allCases.filter { arguments.has($0.flag) }
        if given.count > 1 {
            throw CommandError.message("--\(given[0].flag.rawValue) and --\(given[1].flag.rawValue) cannot be used together: one action at a time")
        }
        return given.first
    }
}

/// Which member of a group stays when the others are acted on.
enum KeepRule: String, Sendable, CaseIterable {
    /// The first in the listing's order (`--order`; path order by default), as jdupes.
    case first
    /// The last in the listing's order.
    case last
    /// The latest modification time (ties: the first in order).
    case newest
    /// The earliest modification time (ties: the first in order).
    case oldest
}

/// The order of paths within a group (jdupes -o).
enum GroupOrder: String, Sendable, CaseIterable {
    /// Path order (byte-wise, as every trawl listing).
    case name
    /// Modification time, oldest first; ties in path order.
    case time
}

/// What became of one duplicate.
enum DupesOutcome: Sendable, Equatable {
    /// Replaced (a dry run: would be).
    case done
    /// Already the kept file under another name (a hard link of it): left alone.
    case sameFile
    /// No longer identical to the kept file, or replaced meanwhile: left alone.
    case changed
    /// On another file system than the kept file, where a hard link or reflink cannot reach: left alone.
    case otherFileSystem
    /// The action failed (the message says why); the duplicate is as it was.
    case failed(String)
    /// Not reached: the run was interrupted first.
    case notReached
}
