#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Path pieces on bytes (names may be invalid UTF-8), as fd's placeholders and -a see them.
enum FindPaths {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The last component: `c.foo` of `one/two/c.foo`.
    static func basename(_ path: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let last = path.lastIndex(of: slash) else { return path }
        return path[(last + 1)...]
    }

    /// The parent, `.` for a bare name, `/` for a child of the root.
    static func dirname(_ path: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let last = path.lastIndex(of: slash) else { return [dot][...] }
        if last == path.startIndex { return [slash][...] }
        return path[..<last]
    }

    /// The name without its extension (Rust's file_stem): `.foo` and `..` stay whole.
    static func stem(_ name: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if name.count == 2 && name.first == dot && name.last == dot { return name }
        guard let lastDot = name.lastIndex(of: dot), lastDot != name.startIndex else { return name }
        return name[..<lastDot]
    }

    /// The path without the extension of its name, without a leading `./`.
    static func removingExtension(_ path: ArraySlice<UInt8>) -> [UInt8] {
        let stemmed = stem(basename(path))
        var joined: [UInt8]
        if path.lastIndex(of: slash) == nil {
            joined = Array(stemmed)
        } else {
            let parent = dirname(path)
            joined = Array(parent)
            if parent.last != slash { joined.append(slash) }
            joined.append(contentsOf: stemmed)
        }
        return strippingCurrentDirectory(joined)
    }

    /// `./a` -> `a` (repeatedly: `././a` -> `a`).
    static func strippingCurrentDirectory(_ path: [UInt8]) -> [UInt8] {
        var start = 0
        while path.count - start > 2 && path[start] == dot && path[start + 1] == slash { start += 2 }
        return start == 0 ? path : Array(path[start...])
    }

    /// `path` made absolute against `base` (the working directory) and normalized without
    /// touching the file system: `.` components dropped, `..` removes its parent.
    static func absolute(_ path: [UInt8], base: [UInt8]) -> [UInt8] {
        let full = path.first == slash ? path : base + [slash] + path
        var components: [ArraySlice<UInt8>] = []
        for component in full.split(separator: slash, omittingEmptySubsequences: true) {
            if component.count == 1 && component.first == dot { continue }
            if component.count == 2 && component.first == dot && component.last == dot {
                if !components.isEmpty { components.removeLast() }
                continue
            }
            components.append(component)
        }
        var result: [UInt8] = []
        for component in components {
            result.append(slash)
            result.append(contentsOf: component)
        }
        return result.isEmpty ? [slash] : result
    }

    /// The working directory, or nil when it was removed.
    static func currentDirectory() -> [UInt8]? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return Array(UnsafeRawBufferPointer(start: cwd, count: strlen(cwd)))
    }
}
