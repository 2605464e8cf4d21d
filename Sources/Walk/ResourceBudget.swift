import CShims
import Glibc

/// How many descriptors a run may hold at once, from the soft RLIMIT_NOFILE less a few
/// kept for stdio and the like; thread and read-ahead counts are sized down to it so a
/// tight limit means fewer files open at a time, not failed opens.
public enum DescriptorBudget {
    /// Descriptors beyond those open at startup (stdio, an output file, the signal thread's).
    public static let spare: Int = {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {  // rlim_t.max: RLIM_INFINITY
            return Int.max
        }
        return max(1, Int(min(UInt64(limit.rlim_cur), UInt64(Int32.max))) - 8)
    }()

    /// `wanted` threads, or fewer when each holding `perThread` descriptors would not fit.
    public static func threads(_ wanted: Int, holding perThread: Int) -> Int {
        max(1, min(wanted, spare / max(1, perThread)))
    }
}

/// What an address-space limit (`ulimit -v`) leaves for threads. Each thread reserves
/// its stack and, in glibc, may get a malloc arena of 64 MiB reserved: with the default
/// counts trawl crashed below 1.5 GB (rg runs at 50 MB). Under a limit, arenas are capped
/// at two and threads sized to what remains; without one nothing changes.
public enum AddressSpaceBudget {
    /// Bytes of address space the process may use, nil when unlimited.
    public static let limit: Int? = {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {  // rlim_t.max: RLIM_INFINITY
            return nil
        }
        return Int(min(UInt64(limit.rlim_cur), UInt64(Int.max)))
    }()

    /// The program, its libraries and the main thread's buffers, measured at about 40 MiB.
    static let base = 48 << 20
    /// A thread's stack (8 MiB by default), its search buffers and DFA cache, and its share
    /// of the two arenas: 12 MiB crashed at 200 MB, 32 MiB ran from 50 MB up.
    static let perThread = 32 << 20

    /// `wanted` threads, or as many as fit under the limit (at least one). Under a limit,
    /// also caps glibc's malloc arenas at two (mallopt M_ARENA_MAX), once.
    public static func threads(_ wanted: Int) -> Int {
        guard let limit else { return wanted }
        _ = cappedArenas
        return max(1, min(wanted, (limit - base) / perThread))
    }

    private static let cappedArenas: Bool = trawl_cap_malloc_arenas(2) == 1
}
