#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Where the paths of an audited manifest point: DIR as given, and DIR resolved (realpath),
/// so that `hash DIR`, `hash /abs/DIR` and `cd DIR && hash` manifests all audit against
/// `--audit DIR` whichever way DIR is spelled.
public struct ManifestPlace: Sendable {
    /// DIR as given, with a trailing `/`.
    public let given: [UInt8]
    /// DIR resolved to an absolute path without symlinks, with a trailing `/`; nil if it
    /// cannot be resolved (a missing DIR is reported by the walk).
    public let resolved: [UInt8]?
    /// The working directory, resolved, with a trailing `/`.
    public let workingDirectory: [UInt8]?

    public init(directory: String) {
        given = Self.withSlash(Array(directory.utf8))
        resolved = realpath(directory, nil).map(Self.takeBytes)
        workingDirectory = getcwd(nil, 0).map(Self.takeBytes)
    }

    /// The bytes of a malloc'ed C path, which is freed, with a trailing `/`: as bytes, so a
    /// directory whose name is not UTF-8 is not rewritten with U+FFFD.
    private static func takeBytes(_ pointer: UnsafeMutablePointer<CChar>) -> [UInt8] {
        defer { free(pointer) }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
        return withSlash(Array(bytes))
    }

    private static func withSlash(_ path: [UInt8]) -> [UInt8] {
        path.last == UInt8(ascii: "/") ? path : path + [UInt8(ascii: "/")]
    }

    /// A manifest path relative to DIR: an absolute one inside DIR (either spelling) loses
    /// DIR; a relative one loses DIR as given in front of it, or, when it names a file
    /// inside DIR from the working directory (and that directory is outside DIR), is taken
    /// from there; otherwise it is already relative to DIR (a manifest made inside DIR).
    public func relative(_ path: [UInt8]) -> [UInt8] {
        let trimmed = Self.droppingDotSlash(path[...])
        if path.first == UInt8(ascii: "/") {
            if path.starts(with: given) { return Array(Self.droppingDotSlash(path.dropFirst(given.count)[...])) }
            let normal = Self.normalized(path)
            if let resolved, normal.starts(with: resolved) { return Array(normal.dropFirst(resolved.count)) }
            return path
        }
        if trimmed.starts(with: Self.droppingDotSlash(given[...])) {
            return Array(Self.droppingDotSlash(trimmed.dropFirst(Self.droppingDotSlash(given[...]).count)))
        }
        if let resolved, let workingDirectory, !workingDirectory.starts(with: resolved) {
            let absolute = Self.normalized(workingDirectory + trimmed)
            if absolute.starts(with: resolved) { return Array(absolute.dropFirst(resolved.count)) }
        }
        return Array(trimmed)
    }

    /// A walked path (DIR as given in front) relative to DIR.
    public var relativeToWalk: @Sendable ([UInt8]) -> [UInt8] {
        let prefix = given
        return { path in
            var rest = path[...]
            if rest.starts(with: prefix) { rest = rest.dropFirst(prefix.count) }
            return Array(Self.droppingDotSlash(rest))
        }
    }

    /// An absolute path without empty, `.` and `..` components (lexically: a manifest's
    /// `/tmp//d/./x` is `/tmp/d/x`).
    public static func normalized(_ path: [UInt8]) -> [UInt8] {
        var parts: [ArraySlice<UInt8>] = []
        for part in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual([UInt8(ascii: ".")]) { continue }
            if part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { _ = parts.popLast(); continue }
            parts.append(part)
        }
        var result: [UInt8] = []
        for part in parts {
            result.append(UInt8(ascii: "/"))
            result.append(contentsOf: part)
        }
        return result.isEmpty ? [UInt8(ascii: "/")] : result
    }

    private static func droppingDotSlash(_ path: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var path = path
        while path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path = path.dropFirst(2) }
        return path
    }
}
