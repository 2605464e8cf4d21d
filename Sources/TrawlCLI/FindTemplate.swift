/// fd's placeholder templates, for `--format` and each argument of `-x`/`-X`: `{}` the
/// path, `{/}` its name, `{//}` its parent, `{.}` the path without extension, `{/.}` the
/// name without extension; `{{` and `}}` are literal braces.
struct FindTemplate: Sendable {
    enum Token: Sendable, Equatable {
        case text([UInt8])
        case path, basename, parent, noExtension, basenameNoExtension
    }

    let tokens: [Token]

    var hasPlaceholders: Bool { tokens.contains { if case .text = $0 { return false } else { return true } } }
    var placeholderCount: Int { tokens.filter { if case .text = $0 { return false } else { return true } }.count }

    init(_ template: String) {
        let bytes = Array(template.utf8)
        let placeholders: [([UInt8], Token)] = [
            (Array("{}".utf8), .path), (Array("{/}".utf8), .basename), (Array("{//}".utf8), .parent),
            (Array("{.}".utf8), .noExtension), (Array("{/.}".utf8), .basenameNoExtension),
        ]
        var tokens: [Token] = []
        var text: [UInt8] = []
        var i = 0
        scan: while i < bytes.count {
            let byte = bytes[i]
            if (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")) && i + 1 < bytes.count && bytes[i + 1] == byte {
                text.append(byte)
                i += 2
                continue
            }
            if byte == UInt8(ascii: "{") {
                for (spelling, token) in placeholders where bytes[i...].starts(with: spelling) {
                    // `{}}` is `{}` escaped... fd reads the `}}` as a literal brace.
                    let end = i + spelling.count
                    if end < bytes.count && bytes[end] == UInt8(ascii: "}") {
                        text.append(contentsOf: spelling)
                        i = end + 1
                        continue scan
                    }
                    if !text.isEmpty { tokens.append(.text(text)); text = [] }
                    tokens.append(token)
                    i = end
                    continue scan
                }
            }
            text.append(byte)
            i += 1
        }
        if !text.isEmpty { tokens.append(.text(text)) }
        self.tokens = tokens
    }

    /// The template filled in for `path` (as printed, without a trailing `/`); `/` in the
    /// path pieces becomes `separator` when one is given.
    func render(_ path: [UInt8], separator: [UInt8]?, into out: inout [UInt8]) {
        func append<C: Collection>(_ piece: C) where C.Element == UInt8 {
            guard let separator else { out.append(contentsOf: piece); return }
            for byte in piece {
                if byte == FindPaths.slash { out.append(contentsOf: separator) } else { out.append(byte) }
            }
        }
        for token in tokens {
            switch token {
            case .text(let text): out.append(contentsOf: text)
            case .path: append(path)
            case .basename: append(FindPaths.basename(path[...]))
            case .parent: append(FindPaths.dirname(path[...]))
            case .noExtension: append(FindPaths.removingExtension(path[...]))
            case .basenameNoExtension: append(FindPaths.stem(FindPaths.basename(path[...])))
            }
        }
    }

    func render(_ path: [UInt8], separator: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        render(path, separator: separator, into: &out)
        return out
    }
}
