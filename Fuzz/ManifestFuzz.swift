// libFuzzer target: the checksum manifest line parser. Whatever parses must write back
// (with coreutils' escaping) to a line that parses to the same digest and name.

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzzTestOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let raw = Array(UnsafeRawBufferPointer(start: data, count: size))
    for line in raw.split(separator: 10, omittingEmptySubsequences: false) {
        guard let parsed = ManifestLine.parse(Array(line)) else { continue }
        // An empty name parses only in the BSD form (`SHA256 () = ...`), as in coreutils.
        let output = OutputBuffer(fd: -1)
        let tag = parsed.algorithm != nil && (parsed.algorithm != .xxh3 || parsed.path.isEmpty)
        ManifestLine.write(digest: parsed.digest, path: parsed.path, algorithm: parsed.algorithm ?? .sha256,
                           tag: tag, escape: true, to: output)
        guard let again = ManifestLine.parse(output.contents) else {
            preconditionFailure("written line does not parse: \(output.contents)")
        }
        precondition(again.path == parsed.path, "name changed in a round trip")
        precondition(again.digest == parsed.digest, "digest changed in a round trip")
    }
    return 0
}
