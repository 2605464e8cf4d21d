// libFuzzer target: the checksum manifest line parser. Whatever parses must write back
// (with coreutils' escaping) to a line that parses to the same digest and name.

import Digest
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// OutputBuffer writes only to a file descriptor: written lines come back through this pipe.
/// Its read end does not block, so reading stops at the end of what was written.
private let roundTrip: (read: Int32, write: Int32) = {
    var fds: [Int32] = [-1, -1]
    precondition(pipe(&fds) == 0, "pipe failed")
    _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    return (fds[0], fds[1])
}()

/// Writes the line through an OutputBuffer and reads back what reached the descriptor.
private func written(_ line: ManifestLine, tag: Bool) -> [UInt8] {
    let output = OutputBuffer(fd: roundTrip.write)
    ManifestLine.write(digest: line.digest, path: line.path, size: line.size ?? 0, algorithm: line.algorithm ?? .sha256,
                       tag: tag, escape: true, to: output)
    output.flush()
    precondition(!output.isBroken, "write to the round-trip pipe failed")
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(roundTrip.read, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzzTestOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let raw = Array(UnsafeRawBufferPointer(start: data, count: size))
    for line in raw.split(separator: 10, omittingEmptySubsequences: false) {
        // The pipe holds 64 KiB and the line is written before it is read: a longer line
        // (only with a -max_len far above run.sh's 512) would block.
        guard line.count < 16_384, let parsed = ManifestLine.parse(Array(line)) else { continue }
        // An empty name parses only in the BSD form (`SHA256 () = ...`), as in coreutils.
        let tag = parsed.algorithm != nil && (parsed.algorithm != .xxh3 || parsed.path.isEmpty)
        let output = written(parsed, tag: tag)
        guard let again = ManifestLine.parse(output) else {
            preconditionFailure("written line does not parse: \(output)")
        }
        precondition(again.path == parsed.path, "name changed in a round trip")
        precondition(again.digest == parsed.digest, "digest changed in a round trip")
    }
    return 0
}
