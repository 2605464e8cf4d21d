#if canImport(Glibc)
@preconcurrency import Glibc
#endif

// Paths are bytes, not Strings (a name need not be UTF-8); these give the C calls theirs.

extension Array where Element == UInt8 {
    /// Calls `body` with a NUL-terminated copy of the bytes, on the stack for one call.
    @inlinable
    public func withCPath<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try withUnsafeBytes { try CPath.with($0, body) }
    }

    /// stat(2) of the path, or lstat(2) when `followingSymlinks` is false; nil with `errno`
    /// set when the call fails.
    @inlinable
    public func fileStatus(followingSymlinks: Bool = true) -> stat? {
        var info = stat()
        let status = withCPath { followingSymlinks ? stat($0, &info) : lstat($0, &info) }
        return status == 0 ? info : nil
    }
}

extension ArraySlice where Element == UInt8 {
    /// Calls `body` with a NUL-terminated copy of the bytes, on the stack for one call.
    @inlinable
    public func withCPath<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try withUnsafeBytes { try CPath.with($0, body) }
    }
}

/// `bytes` NUL-terminated in a stack buffer, for one call that takes a C path.
@inlinable
public func withCPath<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
    try CPath.with(bytes, body)
}

/// The one implementation behind both spellings of `withCPath`: the methods above cannot
/// name the free function without the module's name, which Fuzz/run.sh (one module of all
/// sources) does not have.
public enum CPath {
    @inlinable
    public static func with<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            if bytes.count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            buffer[bytes.count] = 0
            return try body(buffer.baseAddress!)
        }
    }
}
