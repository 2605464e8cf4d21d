#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Platform
import Walk

/// LS_COLORS, as `ls` and fd read it: `di=01;34:ln=01;36:*.tar=01;31:...`. fd paints the
/// parent directories in the directory colour and the name in the colour of its kind, or
/// of its extension for a plain file.
struct FindColors: Sendable {
    private var byKey: [String: [UInt8]] = [:]
    /// `*.ext` / `*suffix` entries, longest first so the most specific wins.
    private var suffixes: [(suffix: [UInt8], style: [UInt8])] = []

    /// GNU dircolors' defaults for the kinds, used when LS_COLORS is unset or empty.
    static let defaults = "rs=0:di=01;34:ln=01;36:pi=40;33:so=01;35:do=01;35:bd=40;33;01:cd=40;33;01:or=40;31;01:ex=01;32"

    init(_ specification: String) {
        for item in specification.split(separator: ":") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals], value = Array(item[item.index(after: equals)...].utf8)
            if key.hasPrefix("*") {
                suffixes.append((Array(key.dropFirst().utf8), value))
            } else {
                byKey[String(key)] = value
            }
        }
        suffixes.sort { $0.suffix.count > $1.suffix.count }
    }

    /// The style code for an entry: by kind first, then by name for files.
    func style(kind: FileKind, name: ArraySlice<UInt8>, path: [UInt8], isExecutable: Bool) -> [UInt8]? {
        switch kind {
        case .directory: return byKey["di"]
        case .symlink:
            if byKey["ln"] == [UInt8]("target".utf8) { return byKey["fi"] }
            if byKey["or"] != nil && path.fileStatus() == nil { return byKey["or"] }
            return byKey["ln"]
        case .fifo: return byKey["pi"]
        case .socket: return byKey["so"]
        case .blockDevice: return byKey["bd"]
        case .characterDevice: return byKey["cd"]
        case .regular, .unknown:
            if isExecutable, let style = byKey["ex"] { return style }
            for (suffix, style) in suffixes where name.count >= suffix.count {
                if zip(name.suffix(suffix.count), suffix).allSatisfy({ Self.lower($0) == Self.lower($1) }) { return style }
            }
            return byKey["fi"]
        }
    }

    var directoryStyle: [UInt8]? { byKey["di"] }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    /// `text` wrapped in the escape sequences of `style` (as is when there is none).
    static func paint<C: Collection>(_ text: C, style: [UInt8]?, into out: inout [UInt8]) where C.Element == UInt8 {
        guard let style, !style.isEmpty, style != [UInt8(ascii: "0")] else { out.append(contentsOf: text); return }
        out.append(contentsOf: [0x1b, UInt8(ascii: "[")])
        out.append(contentsOf: style)
        out.append(UInt8(ascii: "m"))
        out.append(contentsOf: text)
        out.append(contentsOf: [0x1b, UInt8(ascii: "["), UInt8(ascii: "0"), UInt8(ascii: "m")])
    }
}
