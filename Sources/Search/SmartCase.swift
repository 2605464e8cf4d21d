extension CompiledRegex {
    /// ripgrep's smart-case rule: true when the pattern has a literal uppercase character,
    /// not counting escapes (`\W`, `\S`, `\D`), class and property names (`\p{Lu}`,
    /// `[:upper:]`), hex escapes, group names or flags (`(?U)`).
    public static func hasUppercaseLiteral(_ pattern: String) -> Bool {
        let chars = Array(pattern.unicodeScalars)
        var i = 0
        func isUpper(_ c: Unicode.Scalar) -> Bool { c.properties.isUppercase || c.properties.changesWhenLowercased }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { return false }
                let e = chars[i + 1]
                i += 2
                switch e {
                case "p", "P", "x", "u", "U":
                    if i < chars.count && chars[i] == "{" {
                        while i < chars.count && chars[i] != "}" { i += 1 }
                        i += 1
                    } else {
                        i += e == "p" || e == "P" ? 1 : e == "x" ? 2 : e == "u" ? 4 : 8
                    }
                default:
                    break // \W, \S, \D, \B, \A and escaped punctuation are not literal letters
                }
                continue
            }
            if c == "[" && i + 1 < chars.count && chars[i + 1] == ":" {
                // A POSIX class name: skip to ":]".
                var j = i + 2
                while j + 1 < chars.count && !(chars[j] == ":" && chars[j + 1] == "]") { j += 1 }
                if j + 1 < chars.count { i = j + 2; continue }
            }
            if c == "(" && i + 1 < chars.count && chars[i + 1] == "?" {
                // Flags `(?iU)`, `(?U:`, or a name `(?P<Name>` / `(?<Name>`.
                var j = i + 2
                if j < chars.count && chars[j] == "P" { j += 1 }
                if j < chars.count && chars[j] == "<" {
                    while j < chars.count && chars[j] != ">" { j += 1 }
                } else {
                    while j < chars.count && chars[j] != ")" && chars[j] != ":" { j += 1 }
                }
                i = j + 1
                continue
            }
            if isUpper(c) { return true }
            i += 1
        }
        return false
    }
}
