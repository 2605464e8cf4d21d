// libFuzzer target: the checksum manifest line parser. Whatever parses must write back
// (with coreutils' escaping) to a line that parses to the same digest and name.

import Digest
import Manifest

/// The line as `trawl hash` writes it (coreutils' escaping), without its terminator.
private func written(_ line: ManifestLine, tag: Bool) -> [UInt8] {
    var output: [UInt8] = []
    ManifestLine.write(digest: line.digest, path: line.path, size: line.size ?? 0, algorithm: line.algorithm ?? .sha256,
                       tag: tag, escape: true, to: &output)
    return output
}

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzzTestOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let raw = Array(UnsafeRawBufferPointer(start: data, count: size))
    for line in raw.split(separator: 10, omittingEmptySubsequences: false) {
        guard let parsed = ManifestLine.parse(Array(line)) else { continue }
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
