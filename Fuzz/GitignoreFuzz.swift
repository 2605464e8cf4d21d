// libFuzzer target: the gitignore parser, then matching a few paths.
// Input: byte 0 = flags (bit 0: case-insensitive), then the ignore file up to the first
// NUL, then NUL-separated paths (or a fixed set when there are none).

import Walk

@_cdecl("LLVMFuzzerTestOneInput")
public func gitignoreFuzzTestOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let parts = bytes[1...].split(separator: 0, omittingEmptySubsequences: false)
    let rules = Gitignore(contents: parts.first.map { Array($0) } ?? [], caseInsensitive: bytes[0] & 1 != 0)
    var paths: [[UInt8]] = parts.dropFirst().map { Array($0) }
    if paths.isEmpty {
        paths = ["a", "a/b", "src/main.c", ".git", "x/y/z.o", "build/", "deep/a/b/c/d"].map { Array($0.utf8) }
    }
    for path in paths {
        var trimmed = path
        while trimmed.last == UInt8(ascii: "/") { trimmed.removeLast() }
        while trimmed.first == UInt8(ascii: "/") { trimmed.removeFirst() }
        let nameStart = (trimmed.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        for isDirectory in [false, true] {
            _ = trimmed.withUnsafeBytes { rules.matched(path: $0, nameStart: nameStart, isDirectory: isDirectory) }
        }
    }
    return 0
}
