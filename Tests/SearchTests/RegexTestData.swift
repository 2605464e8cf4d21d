import Foundation

/// The Rust regex crate's test data (`Fixtures/regex-testdata/*.toml`, its `testdata/`
/// directory): one `RegexTestCase` per `[[test]]` table. The files are the specification;
/// this reads the small part of TOML they use (tables of arrays, strings of all four
/// kinds, integers, booleans, arrays and inline tables, comments).
struct RegexTestCase {
    /// `file/name`, e.g. `iter/empty2`.
    var name: String
    var regexes: [String]
    /// Whether `regex` was an array (a regex set) rather than one string.
    var isSet: Bool
    var haystack: [UInt8]
    /// Expected matches, each the list of group spans (nil for a group that did not take
    /// part); the first is the whole match.
    var matches: [[Range<Int>?]]
    var matchLimit: Int?
    var compiles = true
    var anchored = false
    var caseInsensitive = false
    var unicode = true
    var utf8 = true
    var lineTerminator: [UInt8] = [0x0A]
    var bounds: Range<Int>?
    var searchKind = "leftmost"
    var matchKind = "leftmost-first"
}

enum RegexTestData {
    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    /// Every test of every `.toml` file under `directory` (recursively), in file order.
    static func load(directory: String) throws -> [RegexTestCase] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
        var tests: [RegexTestCase] = []
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            let file = String(name.dropLast(5))
            for table in try TOMLSubset.parseTestTables(text) {
                tests.append(try testCase(table, file: file))
            }
        }
        return tests
    }

    static func testCase(_ table: [String: TOMLSubset.Value], file: String) throws -> RegexTestCase {
        func fail(_ why: String) -> FormatError { FormatError(description: "\(file)/\(table["name"]?.string ?? "?"): \(why)") }
        guard let name = table["name"]?.string, let hay = table["haystack"]?.string else { throw fail("no name or haystack") }
        let regexes: [String]
        var isSet = false
        switch table["regex"] {
        case .string(let s)?: regexes = [s]
        case .array(let items)?: regexes = items.compactMap(\.string); isSet = true
        default: throw fail("no regex")
        }
        let unescape = table["unescape"]?.bool ?? false
        var test = RegexTestCase(name: "\(file)/\(name)", regexes: regexes, isSet: isSet,
                                 haystack: unescape ? unescapeBytes(hay) : Array(hay.utf8), matches: [])
        guard case .array(let matches)? = table["matches"] else { throw fail("no matches") }
        for m in matches { test.matches.append(try groups(of: m, fail: fail)) }
        test.matchLimit = table["match-limit"]?.int
        test.compiles = table["compiles"]?.bool ?? true
        test.anchored = table["anchored"]?.bool ?? false
        test.caseInsensitive = table["case-insensitive"]?.bool ?? false
        test.unicode = table["unicode"]?.bool ?? true
        test.utf8 = table["utf8"]?.bool ?? true
        if let t = table["line-terminator"]?.string { test.lineTerminator = unescapeBytes(t) }
        switch table["bounds"] {
        case .array(let b)?: if let lo = b.first?.int, let hi = b.last?.int { test.bounds = lo..<hi }
        case .table(let t)?: if let lo = t["start"]?.int, let hi = t["end"]?.int { test.bounds = lo..<hi }
        default: break
        }
        test.searchKind = table["search-kind"]?.string ?? "leftmost"
        test.matchKind = table["match-kind"]?.string ?? "leftmost-first"
        return test
    }

    /// One expected match: `[s, e]` (the whole match), `[[s, e], [], ...]` (captures), or
    /// `{ id = N, span = [s, e] }` / `{ id = N, spans = [...] }` (a set's match).
    private static func groups(of value: TOMLSubset.Value, fail: (String) -> FormatError) throws -> [Range<Int>?] {
        func span(_ v: TOMLSubset.Value) throws -> Range<Int>? {
            guard case .array(let pair) = v else { throw fail("span is not an array") }
            if pair.isEmpty { return nil }
            guard pair.count == 2, let s = pair[0].int, let e = pair[1].int else { throw fail("bad span") }
            return s..<e
        }
        switch value {
        case .array(let items):
            if let first = items.first, case .array = first { return try items.map(span) }
            return [try span(value)]
        case .table(let t):
            if let s = t["span"] { return [try span(s)] }
            if case .array(let spans)? = t["spans"] { return try spans.map(span) }
            throw fail("match table without span")
        default:
            throw fail("bad match")
        }
    }

    /// The crate's haystack unescaping (bstr's): `\xNN` is a byte, `\n`, `\r`, `\t`, `\0`
    /// and `\\` what they are in Rust; anything else stays as written.
    static func unescapeBytes(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count else { out.append(bytes[i]); i += 1; continue }
            switch bytes[i + 1] {
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "0"): out.append(0); i += 2
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); i += 2
            case UInt8(ascii: "x") where i + 3 < bytes.count:
                if let b = UInt8(String(decoding: bytes[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                    out.append(b); i += 4
                } else {
                    out.append(bytes[i]); i += 1
                }
            default: out.append(bytes[i]); i += 1
            }
        }
        return out
    }
}

/// Just enough TOML for the test data.
enum TOMLSubset {
    indirect enum Value {
        case string(String)
        case int(Int)
        case bool(Bool)
        case array([Value])
        case table([String: Value])

        var string: String? { if case .string(let s) = self { return s }; return nil }
        var int: Int? { if case .int(let n) = self { return n }; return nil }
        var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    }

    /// The `[[test]]` tables of a file, each as its keys and values.
    static func parseTestTables(_ text: String) throws -> [[String: Value]] {
        var parser = Parser(chars: Array(text.unicodeScalars))
        var tables: [[String: Value]] = []
        while true {
            parser.skipBlankAndComments()
            guard let c = parser.peek else { break }
            if c == "[" {
                guard parser.consume("[[test]]") else { throw RegexTestData.FormatError(description: "unexpected table header at \(parser.i)") }
                tables.append([:])
                continue
            }
            let key = parser.bareKey()
            parser.skipSpaces()
            guard !key.isEmpty, parser.consume("="), !tables.isEmpty else {
                throw RegexTestData.FormatError(description: "expected key = value at \(parser.i)")
            }
            tables[tables.count - 1][key] = try parser.value()
        }
        return tables
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        var peek: Unicode.Scalar? { i < chars.count ? chars[i] : nil }

        mutating func consume(_ s: String) -> Bool {
            let want = Array(s.unicodeScalars)
            guard i + want.count <= chars.count, Array(chars[i..<(i + want.count)]) == want else { return false }
            i += want.count
            return true
        }

        mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { i += 1 } }

        /// Whitespace, newlines and `#` comments.
        mutating func skipBlankAndComments() {
            while let c = peek {
                if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," { i += 1 }
                else if c == "#" { while let d = peek, d != "\n" { i += 1 } }
                else { break }
            }
        }

        mutating func bareKey() -> String {
            var key = ""
            while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" {
                key.unicodeScalars.append(c)
                i += 1
            }
            return key
        }

        mutating func value() throws -> Value {
            skipSpaces()
            guard let c = peek else { throw RegexTestData.FormatError(description: "value expected at end") }
            switch c {
            case "'":
                if consume("'''") { return .string(try raw(until: "'''", trimFirstNewline: true)) }
                i += 1
                return .string(try raw(until: "'", trimFirstNewline: false))
            case "\"":
                if consume("\"\"\"") { return .string(try basic(until: "\"\"\"", trimFirstNewline: true)) }
                i += 1
                return .string(try basic(until: "\"", trimFirstNewline: false))
            case "[":
                i += 1
                var items: [Value] = []
                while true {
                    skipBlankAndComments()
                    if consume("]") { return .array(items) }
                    items.append(try value())
                }
            case "{":
                i += 1
                var table: [String: Value] = [:]
                while true {
                    skipBlankAndComments()
                    if consume("}") { return .table(table) }
                    let key = bareKey()
                    skipSpaces()
                    guard consume("=") else { throw RegexTestData.FormatError(description: "= expected at \(i)") }
                    table[key] = try value()
                }
            default:
                if consume("true") { return .bool(true) }
                if consume("false") { return .bool(false) }
                var digits = ""
                while let d = peek, ("0"..."9").contains(d) || d == "-" || d == "_" {
                    if d != "_" { digits.unicodeScalars.append(d) }
                    i += 1
                }
                guard let n = Int(digits) else { throw RegexTestData.FormatError(description: "bad value at \(i)") }
                return .int(n)
            }
        }

        private mutating func raw(until end: String, trimFirstNewline: Bool) throws -> String {
            if trimFirstNewline { _ = consume("\n") }
            var s = ""
            while !consume(end) {
                guard let c = peek else { throw RegexTestData.FormatError(description: "unterminated string") }
                s.unicodeScalars.append(c)
                i += 1
            }
            return s
        }

        private mutating func basic(until end: String, trimFirstNewline: Bool) throws -> String {
            if trimFirstNewline { _ = consume("\n") }
            var s = ""
            while !consume(end) {
                guard let c = peek else { throw RegexTestData.FormatError(description: "unterminated string") }
                i += 1
                guard c == "\\", let e = peek else { s.unicodeScalars.append(c); continue }
                i += 1
                switch e {
                case "n": s += "\n"
                case "r": s += "\r"
                case "t": s += "\t"
                case "\\": s += "\\"
                case "\"": s += "\""
                case "0": s += "\0"
                case "u", "U", "x":
                    let width = e == "u" ? 4 : e == "U" ? 8 : 2
                    guard i + width <= chars.count,
                          let v = UInt32(String(String.UnicodeScalarView(chars[i..<(i + width)])), radix: 16),
                          let scalar = Unicode.Scalar(v) else {
                        throw RegexTestData.FormatError(description: "bad \\\(e) escape at \(i)")
                    }
                    s.unicodeScalars.append(scalar)
                    i += width
                default: throw RegexTestData.FormatError(description: "unknown escape \\\(e) at \(i)")
                }
            }
            return s
        }
    }
}
