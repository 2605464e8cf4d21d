#if canImport(Glibc)
import Glibc
#endif

/// Wall and CPU time of a piece of work. The machine is shared, so CPU time is the steadier
/// figure for single-threaded runs; the two apart show contention.
struct Elapsed {
    var wall: Double
    var cpu: Double

    static func of(_ body: () throws -> Void) rethrows -> Elapsed {
        let wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID)
        try body()
        return Elapsed(wall: seconds(CLOCK_MONOTONIC) - wall, cpu: seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu)
    }

    static func seconds(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// A file mapped read-only for the whole run.
struct MappedFile {
    let bytes: UnsafeRawBufferPointer

    init(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        let size = Int(status.st_size)
        guard size > 0, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            fail("cannot map \(path)")
        }
        madvise(map, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: map, count: size)
    }
}
