import Search

/// The name patterns of `trawl find`: PATTERN and every `--and`, each a regex (trawl's
/// engine), a glob, a fixed string or an exact name, all of which must match. Smart case
/// as fd: case-insensitive unless a pattern (in its regex form) has an uppercase letter.
///
/// Thread-safety: immutable; `CompiledRegex` hands out scratch memory under its own lock.
struct FindPattern: Sendable {
    enum Syntax { case regex, glob, fixed, exact }

    /// Empty patterns match everything and are left out.
    let regexes: [CompiledRegex]
    /// Matched against the absolute path instead of the name (`-p`).
    let fullPath: Bool
    /// The regex forms, for the checks made before the walk.
    let sources: [String]

    /// - Parameter caseSensitive: -s (true), -i (false), nil for smart case.
    init(patterns: [String], syntax: Syntax, fullPath: Bool, caseSensitive: Bool?) throws(FindError) {
        sources = patterns.map { Self.regexSource($0, syntax: syntax) }
        let sensitive = caseSensitive ?? sources.contains { CompiledRegex.hasUppercaseLiteral($0) }
        var regexes: [CompiledRegex] = []
        for (pattern, source) in zip(patterns, sources) where !source.isEmpty {
            do {
                regexes.append(try CompiledRegex(source, options: RegexOptions(caseInsensitive: !sensitive, dotMatchesNewline: true)))
            } catch {
                throw FindError.message("invalid pattern '\(pattern)': \(error)")
            }
        }
        self.regexes = regexes
        self.fullPath = fullPath
    }

    var matchesEverything: Bool { regexes.isEmpty }

    /// True when every pattern is found in `text` (the name, or the absolute path with -p).
    @inline(__always)
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        for regex in regexes where regex.find(in: text, from: 0) == nil { return false }
        return true
    }

    /// True when some pattern can only match names starting with a dot (fd refuses those
    /// without --hidden, since hidden names are never searched).
    var onlyMatchesHiddenNames: Bool {
        sources.contains { $0.hasPrefix("^\\.") || $0.hasPrefix("\\A\\.") }
    }

    static func regexSource(_ pattern: String, syntax: Syntax) -> String {
        switch syntax {
        case .regex: return pattern
        case .fixed: return CompiledRegex.escape(pattern)
        case .exact: return pattern.isEmpty ? "" : "^" + CompiledRegex.escape(pattern) + "$"
        case .glob: return pattern.isEmpty ? "" : "^" + globRegex(Array(pattern.unicodeScalars)) + "$"
        }
    }

    /// A glob as a regex (globset's translation with a literal separator): `*` and `?`
    /// stay within one path component, `**` spans components, `[...]` and `{a,b}` as in
    /// a shell, `\` escapes the next character.
    static func globRegex(_ glob: [Unicode.Scalar]) -> String {
        var out = ""
        var i = 0
        var braceDepth = 0
        func literal(_ c: Unicode.Scalar) {
            if "\\.+*?()|[]{}^$#&-~".unicodeScalars.contains(c) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        while i < glob.count {
            let c = glob[i]
            switch c {
            case "*":
                if i + 1 < glob.count && glob[i + 1] == "*" {
                    let atStart = i == 0 || glob[i - 1] == "/"
                    let beforeSlash = i + 2 < glob.count && glob[i + 2] == "/"
                    let atEnd = i + 2 == glob.count
                    if atStart && beforeSlash {
                        out += "(?:[^/]*/)*"  // `**/`: any number of leading components
                        i += 3
                        continue
                    }
                    if atStart && atEnd {
                        out += ".*"
                        i += 2
                        continue
                    }
                }
                out += "[^/]*"
                while i + 1 < glob.count && glob[i + 1] == "*" { i += 1 }
            case "?":
                out += "[^/]"
            case "[":
                // A class up to the closing `]` (a `]` first in the class is literal).
                var j = i + 1
                var negated = false
                if j < glob.count && (glob[j] == "!" || glob[j] == "^") { negated = true; j += 1 }
                var members = ""
                var first = true
                var closed = false
                while j < glob.count {
                    let m = glob[j]
                    if m == "]" && !first { closed = true; break }
                    if m == "\\" || m == "[" || m == "]" || m == "^" || m == "&" || m == "~" { members.unicodeScalars.append("\\") }
                    members.unicodeScalars.append(m)
                    first = false
                    j += 1
                }
                if closed {
                    out += "[" + (negated ? "^" : "") + members + "]"
                    i = j
                } else {
                    literal(c)
                }
            case "{":
                braceDepth += 1
                out += "(?:"
            case "}" where braceDepth > 0:
                braceDepth -= 1
                out += ")"
            case "," where braceDepth > 0:
                out += "|"
            case "\\" where i + 1 < glob.count:
                i += 1
                literal(glob[i])
            default:
                literal(c)
            }
            i += 1
        }
        while braceDepth > 0 { out += ")"; braceDepth -= 1 }
        return out
    }
}

/// A failure of `trawl find` after its flags were read: printed, exit status 1 (fd's).
enum FindError: Error, CustomStringConvertible {
    case message(String)
    var description: String {
        switch self { case .message(let text): return text }
    }
}
