/// The Unicode properties the toolchain does not expose, from the generated
/// `UnicodePropertyTable` (UCD 16.0.0, as rg 15): every binary property regex-syntax offers,
/// scripts and script extensions, Grapheme_Cluster_Break, Word_Break, Sentence_Break and Age.
/// Names are matched loosely (`UnicodeTables.canonicalName`), by long name or alias.
enum UnicodeProperties {
    enum Kind: String, Sendable {
        case binary = "bool"
        case script = "sc"
        case scriptExtensions = "scx"
        case graphemeClusterBreak = "gcb"
        case wordBreak = "wb"
        case sentenceBreak = "sb"
        case age
    }

    /// Where each class's runs lie in the table: kind -> loose name -> byte offsets. Built
    /// once, on the first `\p{...}` that needs it (a scan of 64 KB).
    private static let index: [Kind: [String: Range<Int>]] = {
        var index: [Kind: [String: Range<Int>]] = [:]
        UnicodePropertyTable.encoded.withUTF8Buffer { text in
            var lineStart = 0
            while lineStart < text.count {
                var lineEnd = lineStart
                while lineEnd < text.count && text[lineEnd] != 0x0A { lineEnd += 1 }
                let fields = text[lineStart..<lineEnd].split(separator: UInt8(ascii: "|"), maxSplits: 2,
                                                              omittingEmptySubsequences: false)
                if fields.count == 3, let kind = Kind(rawValue: String(decoding: fields[0], as: UTF8.self)) {
                    let runs = fields[2].startIndex..<fields[2].endIndex
                    for name in fields[1].split(separator: UInt8(ascii: ",")) {
                        index[kind, default: [:]][String(decoding: name, as: UTF8.self)] = runs
                    }
                }
                lineStart = lineEnd + 1
            }
        }
        return index
    }()

    /// The class named `name` (already in loose form) of `kind`, or nil if there is none.
    /// Age is cumulative, as in the crate: `age=6.0` is every code point assigned by 6.0.
    static func lookup(_ kind: Kind, _ name: String) -> ScalarRanges? {
        guard let runs = index[kind]?[name] else { return nil }
        guard kind == .age else { return decode(runs) }
        var union: [ClosedRange<UInt32>] = []
        for (_, older) in index[.age]! where older.lowerBound <= runs.lowerBound {
            union += decode(older).ranges
        }
        return ScalarRanges(union)
    }

    /// Alternating gap and run lengths, each a base-32 varint (digits `0-9a-v` continue a
    /// number, `A-Z!#$%&*` end it).
    private static func decode(_ runs: Range<Int>) -> ScalarRanges {
        var ranges: [ClosedRange<UInt32>] = []
        UnicodePropertyTable.encoded.withUTF8Buffer { text in
            var position: UInt32 = 0
            var value: UInt32 = 0
            var isGap = true
            for i in runs {
                let c = text[i]
                let (digit, final) = digitValue(c)
                value = value << 5 | digit
                guard final else { continue }
                if isGap {
                    position += value
                } else {
                    ranges.append(position...(position + value - 1))
                    position += value
                }
                isGap.toggle()
                value = 0
            }
        }
        return ScalarRanges(ranges)
    }

    private static func digitValue(_ c: UInt8) -> (UInt32, Bool) {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return (UInt32(c - UInt8(ascii: "0")), false)
        case UInt8(ascii: "a")...UInt8(ascii: "v"): return (UInt32(c - UInt8(ascii: "a")) + 10, false)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return (UInt32(c - UInt8(ascii: "A")), true)
        default:
            let finals: [UInt8] = Array("!#$%&*".utf8)
            return (UInt32(26 + (finals.firstIndex(of: c) ?? 0)), true)
        }
    }
}
