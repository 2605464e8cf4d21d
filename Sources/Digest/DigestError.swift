#if canImport(Glibc)
import Glibc
#endif

/// Why hashing a file failed; `description` is a message a user can act on.
public enum DigestError: Error, Equatable, CustomStringConvertible {
    /// read(2)/pread(2)/fstat(2) failed with this errno.
    case readFailed(errno: Int32)
    /// The file ended before the length fstat(2) reported: it shrank while being hashed.
    case fileShrank(expectedLength: Int, readLength: Int)

    public var description: String {
        switch self {
        case .readFailed(let code):
            return "read error: \(String(cString: strerror(code)))"
        case .fileShrank(let expected, let read):
            return "file changed while hashing: expected \(expected) bytes, could read only \(read)"
        }
    }
}
