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

    /// The class for `\p{name}` or `\p{property=value}`, or nil if unknown. As regex-syntax
    /// resolves a bare name: a binary property first (except `cf`, `sc` and `lc`, which are
    /// general categories), then a general category, then a script.
    static func property(named raw: String) -> ScalarRanges? {
        if let eq = raw.firstIndex(where: { $0 == "=" || $0 == ":" || $0 == "!" }) {
            guard raw[eq] != "!" else { return nil }
            let key = canonicalName(String(raw[raw.index(after: eq)...]))
            switch canonicalName(String(raw[..<eq])) {
            case "gc", "generalcategory": return generalCategory(key)
            case "sc", "script": return UnicodeProperties.lookup(.script, key)
            case "scx", "scriptextensions": return UnicodeProperties.lookup(.scriptExtensions, key)
            case "gcb", "graphemeclusterbreak": return UnicodeProperties.lookup(.graphemeClusterBreak, key)
            case "wb", "wordbreak": return UnicodeProperties.lookup(.wordBreak, key)
            case "sb", "sentencebreak": return UnicodeProperties.lookup(.sentenceBreak, key)
            case "age": return UnicodeProperties.lookup(.age, key)
            default: return nil
            }
        }
        let key = canonicalName(raw)
        switch key {
        case "any": return ScalarRanges([0...ScalarRanges.maxScalar])
        case "ascii": return ScalarRanges([0...0x7F])
        case "assigned": return generalCategories([29]).inverted(maxValue: ScalarRanges.maxScalar)
        default: break
        }
        if key != "cf" && key != "sc" && key != "lc", let binary = UnicodeProperties.lookup(.binary, key) { return binary }
        if let category = generalCategory(key) { return category }
        if let script = UnicodeProperties.lookup(.script, key) { return script }
        switch key {
        case "word", "w": return word
        default: return nil
        }
    }

    private static func generalCategory(_ key: String) -> ScalarRanges? {
        guard let cats = categoryGroups[key] else { return nil }
        return generalCategories(Set(cats.map { UInt8(categoryNames.firstIndex(of: $0)!) }))
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
