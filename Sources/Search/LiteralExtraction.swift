import Glibc

/// One position of a literal: a byte, or an ASCII letter in either case (`fold`: the
/// haystack byte is compared after `| 0x20`, and `byte` is the lowercase letter).
struct LiteralByte: Hashable, Sendable {
    var byte: UInt8
    var fold: Bool

    @inline(__always) func matches(_ b: UInt8) -> Bool { (fold ? b | 0x20 : b) == byte }
}

typealias Literal = [LiteralByte]

/// What a pattern says about the literal strings in its matches (RE2's and Rust's
/// "literal extraction", simplified for a line searcher).
struct LiteralInfo: Equatable {
    /// The pattern matches exactly these strings, in leftmost-first priority order.
    var exact: [Literal]?
    /// Every match contains one of these strings (the best such set found).
    var required: [Literal]?

    /// Past this many strings a set stops being useful to a multi-literal scanner.
    static let maxSetSize = 16
    static let maxLiteralLength = 64

    static func analyze(_ node: RegexNode) -> LiteralInfo {
        var info = extract(node)
        if let exact = info.exact, exact.isEmpty || exact.contains(where: { $0.isEmpty }) { info.exact = nil }
        if let req = info.required, req.isEmpty || req.contains(where: { $0.isEmpty }) { info.required = nil }
        if info.required == nil, let exact = info.exact { info.required = exact }
        return info
    }

    private static func extract(_ node: RegexNode) -> LiteralInfo {
        switch node {
        case .empty:
            return LiteralInfo(exact: [[]], required: nil)
        case .literal(let bytes):
            let lit = bytes.map { LiteralByte(byte: $0, fold: false) }
            return LiteralInfo(exact: [lit], required: [lit])
        case .unicodeClass(let set):
            return classInfo(set, isByteClass: false)
        case .byteClass(let set):
            return classInfo(set, isByteClass: true)
        case .look:
            return LiteralInfo(exact: nil, required: nil)
        case .group(let sub, _):
            return extract(sub)
        case .repetition(let sub, let min, let max, _):
            let inner = extract(sub)
            if min == 0 { return LiteralInfo(exact: nil, required: nil) }
            var out = LiteralInfo(exact: nil, required: inner.required ?? inner.exact)
            if max == min, let e = inner.exact {
                var product: [Literal]? = [[]]
                for _ in 0..<min { product = product.flatMap { cross($0, e) } }
                out.exact = product
            }
            return out
        case .alternation(let branches):
            let infos = branches.map(extract)
            var exact: [Literal]? = []
            var required: [Literal]? = []
            for info in infos {
                // Give up as soon as a set outgrows the cap: -f with 2000 words was quadratic.
                exact = exact.flatMap { e in info.exact.map { e + $0 } }.flatMap { $0.count <= 4 * maxSetSize ? $0 : nil }
                required = required.flatMap { r in (info.required ?? info.exact).map { r + $0 } }
                    .flatMap { $0.count <= 4 * maxSetSize ? $0 : nil }
                if exact == nil && required == nil { break }
            }
            return LiteralInfo(exact: exact.flatMap(limit), required: required.flatMap(limit))
        case .concat(let items):
            var candidates: [[Literal]] = []
            var run: [Literal]? = [[]]
            var allExact: [Literal]? = [[]]
            for item in items {
                let info = extract(item)
                allExact = allExact.flatMap { a in info.exact.flatMap { cross(a, $0) } }
                if let e = info.exact, let r = run, let joined = cross(r, e) {
                    run = joined
                } else {
                    if let r = run { candidates.append(r) }
                    if let req = info.required { candidates.append(req) }
                    run = info.exact ?? [[]]
                }
            }
            if let r = run { candidates.append(r) }
            return LiteralInfo(exact: allExact, required: best(candidates))
        }
    }

    /// A class becomes literals when it is a handful of characters; an ASCII letter and its
    /// other case become one folding position.
    private static func classInfo(_ set: ScalarRanges, isByteClass: Bool) -> LiteralInfo {
        guard set.count <= 4 else { return LiteralInfo(exact: nil, required: nil) }
        var members: [UInt32] = []
        for r in set.ranges { for c in r { members.append(c) } }
        var lits: [Literal] = []
        var used = Set<UInt32>()
        for c in members where !used.contains(c) {
            let lower = c | 0x20
            if c < 0x80, lower >= 0x61, lower <= 0x7A, members.contains(lower), members.contains(lower & ~0x20) {
                used.insert(lower); used.insert(lower & ~0x20)
                lits.append([LiteralByte(byte: UInt8(lower), fold: true)])
            } else {
                used.insert(c)
                let bytes = isByteClass ? [UInt8(c)] : UTF8Sequences.encode(c)
                lits.append(bytes.map { LiteralByte(byte: $0, fold: false) })
            }
        }
        return LiteralInfo(exact: lits, required: lits)
    }

    private static func cross(_ a: [Literal], _ b: [Literal]) -> [Literal]? {
        guard a.count * b.count <= maxSetSize else { return nil }
        var out: [Literal] = []
        for x in a { for y in b { out.append(x + y) } }
        if out.contains(where: { $0.count > maxLiteralLength }) { return nil }
        return limit(out)
    }

    /// Drops later duplicates (they can never win under leftmost-first); nil past the size cap.
    private static func limit(_ set: [Literal]) -> [Literal]? {
        var seen = Set<Literal>()
        let unique = set.filter { seen.insert($0).inserted }
        return unique.count <= maxSetSize ? unique : nil
    }

    /// The candidate set whose weakest member is rarest: long strings of rare bytes, few
    /// alternatives.
    private static func best(_ candidates: [[Literal]]) -> [Literal]? {
        var bestSet: [Literal]? = nil
        var bestScore = 0
        for set in candidates where !set.isEmpty && !set.contains(where: \.isEmpty) {
            let weakest = set.map(score).min()!
            // Each extra alternative roughly doubles the candidates: one bit (8) each.
            let score = weakest - 8 * (set.count - 1)
            if bestSet == nil || score > bestScore { bestSet = set; bestScore = score }
        }
        return bestSet
    }

    static func score(_ lit: Literal) -> Int {
        lit.reduce(0) { $0 + ByteFrequency.rarity($1) }
    }
}

/// How rare a byte is, as 8 x -log2(frequency), measured on the first 64 MiB of the
/// benchmark corpus (C source): `_` (35) is as common as `e` (33) there, which a guessed
/// table got wrong. Bytes >= 0x80 are rare in code but not in text: a flat 160.
enum ByteFrequency {
    static let asciiRarity: [UInt8] = [
        208, 208, 208, 208, 208, 208, 208, 208, 208, 37, 38, 208, 157, 208, 208, 208,
        208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208, 208,
        26, 84, 62, 62, 111, 80, 72, 90, 50, 50, 50, 79, 50, 59, 59, 58,
        45, 57, 59, 62, 62, 70, 63, 72, 67, 74, 71, 53, 72, 58, 64, 104,
        93, 54, 66, 54, 59, 52, 64, 65, 70, 54, 104, 73, 59, 58, 59, 59,
        55, 85, 55, 54, 56, 64, 70, 78, 68, 78, 88, 77, 60, 77, 115, 35,
        132, 40, 55, 42, 43, 33, 47, 52, 52, 38, 93, 61, 46, 49, 39, 43,
        46, 73, 39, 39, 36, 46, 55, 64, 49, 62, 77, 67, 79, 67, 103, 208,
    ]

    static func rarity(_ b: UInt8) -> Int {
        b < 0x80 ? Int(asciiRarity[Int(b)]) : 160
    }

    /// A folding position matches either case: its frequency is the sum of both.
    static func rarity(_ lb: LiteralByte) -> Int {
        guard lb.fold else { return rarity(lb.byte) }
        let a = Double(rarity(lb.byte)), b = Double(rarity(lb.byte & ~0x20))
        return Int(-8 * log2(exp2(-a / 8) + exp2(-b / 8)))
    }
}
