/// Unicode classes derived from the toolchain's own tables (Unicode.Scalar.Properties):
/// general category and the binary properties \w and \s need, folded into runs.
///
/// The runs are computed once by `computedRuns()` and kept encoded in `UnicodeRunsTable`:
/// computing them at start-up took 70 ms of a `\w` search (a sixth of a whole grep of the
/// Linux tree). A test recomputes them from the toolchain and fails, printing the new
/// table, if the two ever differ.
enum UnicodeTables {
    /// General category index (0..<30) in the low 5 bits, then Alphabetic, White_Space,
    /// Join_Control.
    struct Run: Equatable { var start: UInt32; var key: UInt8 }

    private static let alphabeticBit: UInt8 = 1 << 5
    private static let whiteSpaceBit: UInt8 = 1 << 6
    private static let joinControlBit: UInt8 = 1 << 7

    static let categoryNames: [String] = [
        "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
        "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
    ]

    private static func categoryIndex(_ gc: Unicode.GeneralCategory) -> UInt8 {
        switch gc {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 5
        case .spacingMark: 6
        case .enclosingMark: 7
        case .decimalNumber: 8
        case .letterNumber: 9
        case .otherNumber: 10
        case .connectorPunctuation: 11
        case .dashPunctuation: 12
        case .openPunctuation: 13
        case .closePunctuation: 14
        case .initialPunctuation: 15
        case .finalPunctuation: 16
        case .otherPunctuation: 17
        case .mathSymbol: 18
        case .currencySymbol: 19
        case .modifierSymbol: 20
        case .otherSymbol: 21
        case .spaceSeparator: 22
        case .lineSeparator: 23
        case .paragraphSeparator: 24
        case .control: 25
        case .format: 26
        case .surrogate: 27
        case .privateUse: 28
        case .unassigned: 29
        @unknown default: 29
        }
    }

    private static let runs: [Run] = decode(UnicodeRunsTable.encoded)

    /// Runs over 0...0x10FFFF from the toolchain; planes 4-13 hold no assigned characters
    /// and are one Cn run.
    static func computedRuns() -> [Run] {
        var runs: [Run] = []
        var previous: UInt8 = 0xFF
        func visit(_ cp: UInt32, _ key: UInt8) {
            if key != previous { runs.append(Run(start: cp, key: key)); previous = key }
        }
        for cp: UInt32 in 0...0x10FFFF {
            if cp == 0x40000 { visit(cp, 29); continue }
            if cp > 0x40000 && cp < 0xE0000 { continue }
            if ScalarRanges.surrogates.contains(cp) { visit(cp, 27); continue }
            let p = Unicode.Scalar(cp)!.properties
            var key = categoryIndex(p.generalCategory)
            if p.isAlphabetic { key |= alphabeticBit }
            if p.isWhitespace { key |= whiteSpaceBit }
            if p.isJoinControl { key |= joinControlBit }
            visit(cp, key)
        }
        return runs
    }

    /// Eight hex digits a run (six of start, two of key); line breaks are ignored.
    static func encode(_ runs: [Run]) -> String {
        var lines: [String] = []
        var line = ""
        for run in runs {
            let start = String(run.start, radix: 16), key = String(run.key, radix: 16)
            line += String(repeating: "0", count: 6 - start.count) + start + (key.count < 2 ? "0" : "") + key
            if line.count >= 96 { lines.append(line); line = "" }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func decode(_ text: StaticString) -> [Run] {
        var runs: [Run] = []
        var value: UInt32 = 0
        var digits = 0
        text.withUTF8Buffer { bytes in
            for byte in bytes {
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                default: continue
                }
                value = value << 4 | digit
                digits += 1
                if digits == 8 {
                    runs.append(Run(start: value >> 8, key: UInt8(value & 0xFF)))
                    value = 0
                    digits = 0
                }
            }
        }
        return runs
    }

    private static func collect(_ predicate: (UInt8) -> Bool) -> ScalarRanges {
        var out: [ClosedRange<UInt32>] = []
        for (i, run) in runs.enumerated() where predicate(run.key) {
            let end = i + 1 < runs.count ? runs[i + 1].start - 1 : ScalarRanges.maxScalar
            out.append(run.start...end)
        }
        return ScalarRanges(out)
    }

    static func generalCategories(_ indices: Set<UInt8>) -> ScalarRanges {
        collect { indices.contains($0 & 0x1F) }
    }

    static let word: ScalarRanges = collect { key in
        let gc = key & 0x1F
        return key & alphabeticBit != 0 || (5...7).contains(gc) || gc == 8 || gc == 11 || key & joinControlBit != 0
    }
    static let digit: ScalarRanges = generalCategories([8])
    static let whiteSpace: ScalarRanges = collect { $0 & whiteSpaceBit != 0 }

    /// Binary properties outside the packed runs, each built by its own pass on first use.
    static let uppercase = scan { $0.isUppercase }
    static let lowercase = scan { $0.isLowercase }
    static let emoji = scan { $0.isEmoji }
    static let math = scan { $0.isMath }

    private static func scan(_ predicate: (Unicode.Scalar.Properties) -> Bool) -> ScalarRanges {
        var out: [ClosedRange<UInt32>] = []
        var runStart: UInt32? = nil
        for cp: UInt32 in 0...0x10FFFF {
            let inside = (cp < 0x40000 || cp >= 0xE0000) && Unicode.Scalar(cp).map { predicate($0.properties) } ?? false
            if inside, runStart == nil { runStart = cp }
            if !inside, let s = runStart { out.append(s...(cp - 1)); runStart = nil }
        }
        if let s = runStart { out.append(s...0x10FFFF) }
        return ScalarRanges(out)
    }

    static func isWordScalar(_ c: UInt32) -> Bool {
        if c < 0x80 { return isASCIIWordByte(UInt8(c)) }
        return word.contains(c)
    }

    @inline(__always)
    static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    // MARK: names

    /// Rust's loose matching (UAX44-LM3): case, spaces, `_` and `-` do not matter.
    static func canonicalName(_ name: String) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
    }

    private static let categoryGroups: [String: [String]] = {
        var table: [String: [String]] = [:]
        for name in categoryNames { table[name.lowercased()] = [name] }
        let long: [(String, [String])] = [
            ("l", ["Lu", "Ll", "Lt", "Lm", "Lo"]), ("letter", ["Lu", "Ll", "Lt", "Lm", "Lo"]),
            ("lc", ["Lu", "Ll", "Lt"]), ("casedletter", ["Lu", "Ll", "Lt"]),
            ("uppercaseletter", ["Lu"]), ("lowercaseletter", ["Ll"]), ("titlecaseletter", ["Lt"]),
            ("modifierletter", ["Lm"]), ("otherletter", ["Lo"]),
            ("m", ["Mn", "Mc", "Me"]), ("mark", ["Mn", "Mc", "Me"]), ("combiningmark", ["Mn", "Mc", "Me"]),
            ("nonspacingmark", ["Mn"]), ("spacingmark", ["Mc"]), ("enclosingmark", ["Me"]),
            ("n", ["Nd", "Nl", "No"]), ("number", ["Nd", "Nl", "No"]),
            ("decimalnumber", ["Nd"]), ("digit", ["Nd"]), ("letternumber", ["Nl"]), ("othernumber", ["No"]),
            ("p", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]), ("punctuation", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]),
            ("punct", ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]),
            ("connectorpunctuation", ["Pc"]), ("dashpunctuation", ["Pd"]), ("openpunctuation", ["Ps"]),
            ("closepunctuation", ["Pe"]), ("initialpunctuation", ["Pi"]), ("finalpunctuation", ["Pf"]),
            ("otherpunctuation", ["Po"]),
            ("s", ["Sm", "Sc", "Sk", "So"]), ("symbol", ["Sm", "Sc", "Sk", "So"]),
            ("mathsymbol", ["Sm"]), ("currencysymbol", ["Sc"]), ("modifiersymbol", ["Sk"]), ("othersymbol", ["So"]),
            ("z", ["Zs", "Zl", "Zp"]), ("separator", ["Zs", "Zl", "Zp"]),
            ("spaceseparator", ["Zs"]), ("lineseparator", ["Zl"]), ("paragraphseparator", ["Zp"]),
            ("c", ["Cc", "Cf", "Cs", "Co", "Cn"]), ("other", ["Cc", "Cf", "Cs", "Co", "Cn"]),
            ("control", ["Cc"]), ("cntrl", ["Cc"]), ("format", ["Cf"]), ("surrogate", ["Cs"]),
            ("privateuse", ["Co"]), ("unassigned", ["Cn"]),
        ]
        for (k, v) in long { table[k] = v }
        return table
    }()

    /// The class for `\p{name}` (also `gc=`, `sc=`/`script=` forms), or nil if unknown.
    static func property(named raw: String) -> ScalarRanges? {
        var name = raw
        var kind: String? = nil
        if let eq = raw.firstIndex(where: { $0 == "=" || $0 == ":" }) {
            kind = canonicalName(String(raw[..<eq]))
            name = String(raw[raw.index(after: eq)...])
        }
        let key = canonicalName(name)
        if kind == nil || kind == "gc" || kind == "generalcategory" {
            if let cats = categoryGroups[key] {
                return generalCategories(Set(cats.map { UInt8(categoryNames.firstIndex(of: $0)!) }))
            }
        }
        if kind == nil || kind == "sc" || kind == "script" || kind == "scx" || kind == "scriptextensions" {
            if let script = scriptRanges(key) { return script }
        }
        if kind == nil {
            switch key {
            case "any": return ScalarRanges([0...ScalarRanges.maxScalar])
            case "ascii": return ScalarRanges([0...0x7F])
            case "alphabetic", "alpha": return collect { $0 & alphabeticBit != 0 }
            case "whitespace", "wspace", "space": return whiteSpace
            case "word", "w": return word
            case "assigned": return generalCategories([29]).inverted(maxValue: ScalarRanges.maxScalar)
            case "uppercase", "upper": return uppercase
            case "lowercase", "lower": return lowercase
            case "emoji": return emoji
            case "math": return math
            default: break
            }
        }
        return nil
    }

    // MARK: scripts

    /// Swift exposes no Script property, so common scripts come from a small hand-kept table
    /// of their main blocks (intersected with assigned code points); rarer scripts are
    /// reported as unknown properties rather than matched wrongly.
    private static let scriptTable: [String: [ClosedRange<UInt32>]] = [
        "latin": [0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2B8,
                  0x2E0...0x2E4, 0x1D00...0x1D25, 0x1D2C...0x1D5C, 0x1D62...0x1D65, 0x1D6B...0x1D77,
                  0x1D79...0x1DBE, 0x1E00...0x1EFF, 0x2071...0x2071, 0x207F...0x207F, 0x2090...0x209C,
                  0x212A...0x212B, 0x2132...0x2132, 0x214E...0x214E, 0x2160...0x2188, 0x2C60...0x2C7F,
                  0xA722...0xA787, 0xA78B...0xA7FF, 0xAB30...0xAB5A, 0xAB5C...0xAB64, 0xAB66...0xAB69,
                  0xFB00...0xFB06, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x10780...0x107BA, 0x1DF00...0x1DF2A],
        "greek": [0x370...0x373, 0x375...0x377, 0x37A...0x37D, 0x37F...0x37F, 0x384...0x384, 0x386...0x386,
                  0x388...0x38A, 0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3E1, 0x3F0...0x3FF, 0x1D26...0x1D2A,
                  0x1D5D...0x1D61, 0x1D66...0x1D6A, 0x1DBF...0x1DBF, 0x1F00...0x1FFE, 0x2126...0x2126,
                  0xAB65...0xAB65, 0x10140...0x1018E, 0x101A0...0x101A0, 0x1D200...0x1D245],
        "cyrillic": [0x400...0x484, 0x487...0x52F, 0x1C80...0x1C88, 0x1D2B...0x1D2B, 0x1D78...0x1D78,
                     0x2DE0...0x2DFF, 0xA640...0xA69F, 0xFE2E...0xFE2F, 0x1E030...0x1E08F],
        "armenian": [0x531...0x556, 0x559...0x58A, 0x58D...0x58F, 0xFB13...0xFB17],
        "hebrew": [0x591...0x5C7, 0x5D0...0x5EA, 0x5EF...0x5F4, 0xFB1D...0xFB4F],
        "arabic": [0x600...0x604, 0x606...0x60B, 0x60D...0x61A, 0x61C...0x61E, 0x620...0x63F, 0x641...0x64A,
                   0x656...0x66F, 0x671...0x6DC, 0x6DE...0x6FF, 0x750...0x77F, 0x870...0x8E1, 0x8E3...0x8FF,
                   0xFB50...0xFD3D, 0xFD40...0xFDFF, 0xFE70...0xFEFC, 0x10E60...0x10E7E, 0x1EE00...0x1EEFF],
        "devanagari": [0x900...0x950, 0x955...0x963, 0x966...0x97F, 0xA8E0...0xA8FF],
        "bengali": [0x980...0x9FE],
        "thai": [0xE01...0xE3A, 0xE40...0xE5B],
        "georgian": [0x10A0...0x10FA, 0x10FC...0x10FF, 0x1C90...0x1CBF, 0x2D00...0x2D2D],
        "hangul": [0x1100...0x11FF, 0x302E...0x302F, 0x3131...0x318E, 0x3200...0x321E, 0x3260...0x327E,
                   0xA960...0xA97C, 0xAC00...0xD7A3, 0xD7B0...0xD7FB, 0xFFA0...0xFFDC],
        "hiragana": [0x3041...0x3096, 0x309D...0x309F, 0x1B001...0x1B11F, 0x1F200...0x1F200],
        "katakana": [0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357,
                     0xFF66...0xFF6F, 0xFF71...0xFF9D, 0x1B000...0x1B000],
        "han": [0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007,
                0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D,
                0xFA70...0xFAD9, 0x20000...0x2A6DF, 0x2A700...0x2EBE0, 0x2F800...0x2FA1D, 0x30000...0x3134A],
    ]

    private static let scriptAliases: [String: String] = [
        "latn": "latin", "grek": "greek", "cyrl": "cyrillic", "armn": "armenian", "hebr": "hebrew",
        "arab": "arabic", "deva": "devanagari", "beng": "bengali", "geor": "georgian", "hang": "hangul",
        "hira": "hiragana", "kana": "katakana", "hani": "han",
    ]

    static func scriptRanges(_ key: String) -> ScalarRanges? {
        guard let ranges = scriptTable[scriptAliases[key] ?? key] else { return nil }
        return ScalarRanges(ranges).intersection(generalCategories([29]).inverted(maxValue: ScalarRanges.maxScalar))
    }

    // MARK: ASCII classes

    static let asciiDigit = ScalarRanges([0x30...0x39])
    static let asciiWord = ScalarRanges([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let asciiSpace = ScalarRanges([0x09...0x0D, 0x20...0x20])

    /// `[[:name:]]`, ASCII only as in RE2 and Rust.
    static func posixClass(_ name: String) -> ScalarRanges? {
        switch name {
        case "alnum": return ScalarRanges([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
        case "alpha": return ScalarRanges([0x41...0x5A, 0x61...0x7A])
        case "ascii": return ScalarRanges([0...0x7F])
        case "blank": return ScalarRanges([0x09...0x09, 0x20...0x20])
        case "cntrl": return ScalarRanges([0...0x1F, 0x7F...0x7F])
        case "digit": return asciiDigit
        case "graph": return ScalarRanges([0x21...0x7E])
        case "lower": return ScalarRanges([0x61...0x7A])
        case "print": return ScalarRanges([0x20...0x7E])
        case "punct": return ScalarRanges([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
        case "space": return asciiSpace
        case "upper": return ScalarRanges([0x41...0x5A])
        case "word": return asciiWord
        case "xdigit": return ScalarRanges([0x30...0x39, 0x41...0x46, 0x61...0x66])
        default: return nil
        }
    }
}
