#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Walk

/// How `find` shows one result, as fd does: the walk's path (relative unless a search
/// path was absolute), `./` kept or added where fd keeps it, a trailing `/` on
/// directories, LS_COLORS on a terminal, or a `--format` template.
///
/// Thread-safety: immutable; called from every walking thread at once.
struct FindPrinter: Sendable {
    var absolute = false
    var workingDirectory: [UInt8] = []
    /// No search path was given and the output goes to -0 or -x: fd writes `./` in front,
    /// so that no name can be read as a flag.
    var addCurrentDirectoryPrefix = false
    /// `--strip-cwd-prefix`: no leading `./`.
    var stripCurrentDirectory = false
    var separator: [UInt8]?
    var terminator = UInt8(ascii: "\n")
    var format: FindTemplate?
    var colors: FindColors?

    /// The path as commands and templates see it: no trailing `/`, `/` as separator.
    func displayPath(_ entry: WalkEntry) -> [UInt8] {
        if absolute { return FindPaths.absolute(entry.path, base: workingDirectory) }
        if addCurrentDirectoryPrefix { return [FindPaths.dot, FindPaths.slash] + entry.path }
        if stripCurrentDirectory { return FindPaths.strippingCurrentDirectory(entry.path) }
        return entry.path
    }

    /// One output record: the path (or the template), then the terminator.
    func appendRecord(_ entry: WalkEntry, into out: inout [UInt8]) {
        let path = displayPath(entry)
        if let format {
            format.render(path, separator: separator, into: &out)
            out.append(terminator)
            return
        }
        let isDirectory = entry.kind == .directory
        if let colors {
            appendColored(path, entry: entry, isDirectory: isDirectory, colors: colors, into: &out)
        } else {
            appendSeparated(path[...], into: &out)
            if isDirectory { appendSeparated([FindPaths.slash][...], into: &out) }
        }
        out.append(terminator)
    }

    private func appendSeparated(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        guard let separator else { out.append(contentsOf: bytes); return }
        for byte in bytes {
            if byte == FindPaths.slash { out.append(contentsOf: separator) } else { out.append(byte) }
        }
    }

    /// The parent directories in the directory colour, the name in its own.
    private func appendColored(_ path: [UInt8], entry: WalkEntry, isDirectory: Bool, colors: FindColors, into out: inout [UInt8]) {
        let nameStart = (path.lastIndex(of: FindPaths.slash) ?? -1) + 1
        var piece: [UInt8] = []
        if nameStart > 0 {
            appendSeparated(path[..<nameStart], into: &piece)
            FindColors.paint(piece, style: colors.directoryStyle, into: &out)
            piece.removeAll(keepingCapacity: true)
        }
        let name = path[nameStart...]
        appendSeparated(name, into: &piece)
        if isDirectory { appendSeparated([FindPaths.slash][...], into: &piece) }
        var executable = false
        if entry.kind == .regular {
            if let info = entry.path.fileStatus() { executable = info.st_mode & 0o111 != 0 }
        }
        FindColors.paint(piece, style: colors.style(kind: entry.kind, name: name, path: entry.path, isExecutable: executable), into: &out)
    }
}
