#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The order of paths for `--sort path`: component by component (`a/b` before `a-b`), as
/// `Walk.pathPrecedes` defines it, computed on keys where `/` becomes 0x00 so a plain
/// memcmp decides. Sorting 78k records by pathPrecedes directly took 8% of `hash`'s time
/// (byte loops and record copies); keys + indices + memcmp leave the records in place.
public enum PathSort {
    /// Indices of `paths` in path order; stable for equal paths.
    public static func order(of paths: [[UInt8]]) -> [Int] {
        let keys: [[UInt8]] = paths.map { path in path.map { $0 == UInt8(ascii: "/") ? 0 : $0 } }
        return keys.withUnsafeBufferPointer { keys in
            Array(keys.indices).sorted { a, b in
                let comparison = keys[a].withUnsafeBytes { x in
                    keys[b].withUnsafeBytes { y in
                        memcmp(x.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, y.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!,
                               min(x.count, y.count))
                    }
                }
                if comparison != 0 { return comparison < 0 }
                if keys[a].count != keys[b].count { return keys[a].count < keys[b].count }
                return a < b
            }
        }
    }
}
