import Glibc
import Platform

/// Finds git's global excludes file without running git: `core.excludesFile` from
/// `$XDG_CONFIG_HOME/git/config` (or `~/.config/git/config`) and then `~/.gitconfig`
/// (the later file wins, as in git), else the default `$XDG_CONFIG_HOME/git/ignore`
/// or `~/.config/git/ignore`.
public enum GlobalExcludes {
    /// The path of the global excludes file for `environment` (HOME, XDG_CONFIG_HOME),
    /// or nil when neither HOME nor XDG_CONFIG_HOME is set.
    public static func path(environment: [String: String]) -> String? {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let xdgGit = xdg.map { "\($0)/git" } ?? home.map { "\($0)/.config/git" }
        var configured: String?
        var configFiles: [String] = []
        if let global = environment["GIT_CONFIG_GLOBAL"], !global.isEmpty {
            configFiles = [global]  // git reads it instead of ~/.gitconfig and the XDG file
        } else {
            if let xdgGit { configFiles.append("\(xdgGit)/config") }
            if let home { configFiles.append("\(home)/.gitconfig") }
        }
        for file in configFiles {
            guard let bytes = readWholeFile(file) else { continue }
            if let value = excludesFile(inConfig: String(decoding: bytes, as: UTF8.self)) { configured = value }
        }
        if let configured {
            if configured.hasPrefix("~/"), let home { return home + configured.dropFirst(1) }
            return configured
        }
        return xdgGit.map { "\($0)/ignore" }
    }

    /// The value of `core.excludesFile` in git config text (section and key names are
    /// case-insensitive; the last assignment wins; quotes and inline comments stripped).
    static func excludesFile(inConfig text: String) -> String? {
        var section = ""
        var value: String?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingSpaces()
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix { $0 != "]" && $0 != " " && $0 != "\"" }
                section = name.lowercased()
                continue
            }
            guard section == "core", let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingSpaces().lowercased()
            guard key == "excludesfile" else { continue }
            var rest = String(line[line.index(after: equals)...].trimmingSpaces())
            if rest.hasPrefix("\"") {
                rest.removeFirst()
                rest = String(rest.prefix { $0 != "\"" })
            } else if let comment = rest.firstIndex(where: { $0 == "#" || $0 == ";" }) {
                rest = String(rest[..<comment].trimmingSpaces())
            }
            value = rest
        }
        return value
    }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        let text = self[...]
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return Substring() }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return Substring(text[start...end])
    }
}

/// Reads a whole (small) file: ignore files and git config. Nil when it cannot be opened.
func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return readAll(fd: fd)
}

func readWholeFile(bytes path: [UInt8]) -> (contents: [UInt8]?, errno: Int32) {
    let fd = path.withCPath { open($0, O_RDONLY | O_CLOEXEC) }
    guard fd >= 0 else { return (nil, errno) }
    defer { close(fd) }
    guard let contents = readAll(fd: fd) else { return (nil, errno) }
    return (contents, 0)
}

func readAll(fd: Int32) -> [UInt8]? {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if got < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if got == 0 { return result }
        result.append(contentsOf: chunk[0..<got])
    }
}
