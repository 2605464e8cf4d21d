#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// An input read to its end in one array: config files, and the inputs `-E` and
/// `--null-data` transform before searching.
enum WholeInput {
    /// The bytes of `fd` from its current offset to its end, or the errno of a failed read.
    static func read(_ fd: Int32) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let got = piece.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(errno: errno))
            }
            if got == 0 { return .success(bytes) }
            bytes += piece[..<got]
        }
    }

    struct Failure: Error {
        let errno: Int32
    }
}
