/// Turns a parsed `-P` pattern into a `BacktrackProgram`. A repetition of one character
/// position becomes one `repeat` instruction (no backtracking frame per character), and it
/// is made possessive when what follows it can never begin with what it repeats (PCRE2's
/// auto-possessification: `(\w+)\s+` gives nothing back to `\s+`).
struct BacktrackCompiler {
    /// Past this many instructions a pattern is refused (`(a{1000}){1000}`).
    static let maxInstructions = 1 << 20

    private var code: [BacktrackProgram.Instruction] = []
    private var literals: [UInt8] = []
    private var sets: [BacktrackProgram.CharacterSet] = []
    private var setIndex: [ScalarRanges: Int32] = [:]
    private var slotCount: Int
    /// The latest jump target: a literal emitted there must not merge into the instruction before.
    private var lastLabel = -1
    /// Each capturing group's body, for what a backreference to it can begin with.
    private var groups: [Int: PCRENode] = [:]

    static func compile(_ parsed: PCREParser.Result, unicodeWord: Bool) throws(RegexError) -> BacktrackProgram {
        var compiler = BacktrackCompiler(slotCount: 2 * (parsed.groupCount + 1))
        PCREPrefilter.collectGroups(parsed.node, into: &compiler.groups)
        compiler.emit(.save, a: 0)
        try compiler.compile(parsed.node, follow: nil)
        compiler.emit(.match)
        let start = parsed.node.startInfo
        return BacktrackProgram(code: compiler.code, literals: compiler.literals, sets: compiler.sets,
                                slotCount: compiler.slotCount, groupCount: parsed.groupCount, names: parsed.names,
                                firstBytes: start.nullable ? nil : start.leadingBytes,
                                leadingRun: leadingRun(compiler.code), unicodeWord: unicodeWord)
    }

    /// `save* repeatPossessive(set, min >= 1, unbounded) save*`: see `BacktrackProgram.leadingRun`.
    private static func leadingRun(_ code: [BacktrackProgram.Instruction]) -> BacktrackProgram.LeadingRun? {
        var i = 0
        var opened = Set<Int32>()
        while i < code.count && code[i].op == .save { opened.insert(code[i].a); i += 1 }
        guard i < code.count, code[i].op == .repeatPossessive, code[i].b >= 1, code[i].c < 0 else { return nil }
        var j = i + 1
        var group: Int32? = nil
        while j < code.count && code[j].op == .save {
            // A group opened before the run and closed right after it captures the run.
            if code[j].a % 2 == 1 && opened.contains(code[j].a - 1) { group = code[j].a / 2 }
            j += 1
        }
        return .init(repeat: i, next: j, group: group)
    }

    /// The index of the next instruction, as a jump target.
    private mutating func label() -> Int32 {
        lastLabel = code.count
        return Int32(code.count)
    }

    @discardableResult
    private mutating func emit(_ op: BacktrackProgram.Op, a: Int32 = 0, b: Int32 = 0, c: Int32 = 0) -> Int {
        code.append(.init(op: op, a: a, b: b, c: c))
        return code.count - 1
    }

    private mutating func set(_ ranges: ScalarRanges, negated: Bool) -> Int32 {
        if !negated, let i = setIndex[ranges] { return i }
        sets.append(.init(ranges, matchesInvalid: negated))
        if !negated { setIndex[ranges] = Int32(sets.count - 1) }
        return Int32(sets.count - 1)
    }

    /// `follow`: the scalars that can begin whatever comes after `node`, when known.
    private mutating func compile(_ node: PCRENode, follow: StartInfo?) throws(RegexError) {
        if code.count > Self.maxInstructions {
            throw RegexError(kind: .sizeLimit, message: "the -P pattern compiles to more than \(Self.maxInstructions) instructions", column: 0)
        }
        switch node {
        case .empty:
            break
        case .char(let c):
            // Runs of literal scalars merge into one `bytes` instruction.
            let encoded = Array(String(Unicode.Scalar(c)!).utf8)
            if lastLabel != code.count, let last = code.last, last.op == .bytes, Int(last.a + last.b) == literals.count {
                code[code.count - 1].b += Int32(encoded.count)
            } else {
                emit(.bytes, a: Int32(literals.count), b: Int32(encoded.count))
            }
            literals.append(contentsOf: encoded)
        case .set(let ranges, let negated):
            emit(.set, a: set(ranges, negated: negated))
        case .any(let dotAll):
            emit(dotAll ? .anyScalar : .anyButNewline)
        case .assertion(let kind):
            emit(.assertion, a: Int32(kind.rawValue))
        case .keep:
            emit(.save, a: 0)
        case .group(let sub, let capture):
            if let n = capture { emit(.save, a: Int32(2 * n)) }
            try compile(sub, follow: follow)
            if let n = capture { emit(.save, a: Int32(2 * n + 1)) }
        case .concat(let items):
            // What can follow each item: the start of the items after it, computed backwards once.
            var follows = [StartInfo?](repeating: nil, count: items.count)
            var after = follow
            for i in items.indices.reversed() {
                follows[i] = after
                let info = startInfo(items[i])
                after = after.map { info.then($0) } ?? (info.nullable ? nil : info)
            }
            for (i, item) in items.enumerated() { try compile(item, follow: follows[i]) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i == branches.count - 1 {
                    try compile(branch, follow: follow)
                } else {
                    let split = emit(.split)
                    code[split].a = label()
                    try compile(branch, follow: follow)
                    jumps.append(emit(.jump))
                    code[split].b = label()
                }
            }
            let end = label()
            for j in jumps { code[j].a = end }
        case .atomic(let sub):
            try mark(.atomic, length: 0) { (c: inout BacktrackCompiler) throws(RegexError) in try c.compile(sub, follow: nil) }
        case .look(let sub, let behind, let negative):
            let kind: BacktrackProgram.MarkKind = behind ? (negative ? .negativeLookBehind : .lookBehind)
                                                         : (negative ? .negativeLookAhead : .lookAhead)
            try mark(kind, length: sub.fixedLength ?? 0) { (c: inout BacktrackCompiler) throws(RegexError) in
                try c.compile(sub, follow: nil)
            }
        case .backreference(let n, let caseless):
            emit(.backreference, a: Int32(n), b: caseless ? 1 : 0)
        case .repetition(let sub, let min, let max, var kind):
            if let (ranges, negated) = sub.singleScalarSet {
                if kind == .greedy, let follow, follow.isDisjoint(from: ranges, negated: negated) { kind = .possessive }
                let which: Int32
                switch sub {
                case .any(let dotAll): which = dotAll ? -2 : -1
                default: which = set(ranges, negated: negated)
                }
                let op: BacktrackProgram.Op = kind == .greedy ? .repeatGreedy : kind == .lazy ? .repeatLazy : .repeatPossessive
                emit(op, a: which, b: Int32(min), c: Int32(max ?? -1))
            } else if kind == .possessive {
                try compile(.atomic(.repetition(sub, min: min, max: max, kind: .greedy)), follow: follow)
            } else {
                try repetition(sub, min: min, max: max, lazy: kind == .lazy)
            }
        }
    }

    /// `node.startInfo`, except that a case-sensitive backreference begins as its group
    /// does (it matches only text the group matched): `(\w+)\s+\1` makes `\s+` possessive.
    private func startInfo(_ node: PCRENode) -> StartInfo {
        if case .backreference(let n, false) = node, let group = groups[n] { return group.startInfo }
        return node.startInfo
    }

    private mutating func mark(_ kind: BacktrackProgram.MarkKind, length: Int,
                               _ body: (inout BacktrackCompiler) throws(RegexError) -> Void) throws(RegexError) {
        let start = emit(.markStart, a: kind.rawValue, c: Int32(length))
        try body(&self)
        emit(.markEnd)
        code[start].b = label()
    }

    private mutating func repetition(_ sub: PCRENode, min: Int, max: Int?, lazy: Bool) throws(RegexError) {
        for _ in 0..<min { try compile(sub, follow: nil) }
        if let max {
            guard max > min else { return }
            var splits: [Int] = []
            for _ in min..<max {
                splits.append(emit(.split))
                try compile(sub, follow: nil)
            }
            let end = label()
            for s in splits {
                code[s].a = lazy ? end : Int32(s + 1)
                code[s].b = lazy ? Int32(s + 1) : end
            }
            return
        }
        // Unbounded: a loop; an iteration that matched nothing ends it (as in PCRE2).
        let nullable = sub.startInfo.nullable
        _ = label()
        let loop = emit(.split)
        let progress = Int32(slotCount)
        if nullable {
            slotCount += 1
            emit(.progressSave, a: progress)
        }
        try compile(sub, follow: nil)
        var check: Int? = nil
        if nullable { check = emit(.progressCheck, a: progress) }
        emit(.jump, a: Int32(loop))
        let exit = label()
        if let check { code[check].b = exit }
        code[loop].a = lazy ? exit : Int32(loop + 1)
        code[loop].b = lazy ? Int32(loop + 1) : exit
    }
}

/// What can begin a match of a node: a set of scalars, whether an invalid UTF-8 byte can,
/// and whether the node can match empty (then what follows it can begin the match too).
struct StartInfo {
    var scalars: ScalarRanges
    var invalid: Bool
    var nullable: Bool

    static let everything = StartInfo(scalars: ScalarRanges([0...ScalarRanges.maxScalar]), invalid: true, nullable: true)
    static let nothing = StartInfo(scalars: ScalarRanges(), invalid: false, nullable: true)

    func union(_ other: StartInfo) -> StartInfo {
        StartInfo(scalars: scalars.union(other.scalars), invalid: invalid || other.invalid, nullable: nullable || other.nullable)
    }

    /// What can begin this node followed by `next`.
    func then(_ next: StartInfo) -> StartInfo {
        guard nullable else { return self }
        return StartInfo(scalars: scalars.union(next.scalars), invalid: invalid || next.invalid, nullable: next.nullable)
    }

    func isDisjoint(from set: ScalarRanges, negated: Bool) -> Bool {
        !nullable && scalars.intersection(set).isEmpty && !(invalid && negated)
    }

    /// The first bytes of the UTF-8 encodings of `scalars` (and every non-ASCII byte when
    /// invalid input can begin a match), as a 256-bit map.
    var leadingBytes: [UInt64] {
        var map = [UInt64](repeating: 0, count: 4)
        func add(_ b: Int) { map[b >> 6] |= 1 << UInt64(b & 63) }
        for r in scalars.ranges {
            let lo = Int(r.lowerBound), hi = Int(r.upperBound)
            if lo < 0x80 { for b in lo...min(hi, 0x7F) { add(b) } }
            if hi >= 0x80 {
                let first = Int(String(Unicode.Scalar(UInt32(max(lo, 0x80)))!).utf8.first!)
                let upper = hi >= 0xD800 && hi <= 0xDFFF ? 0xD7FF : hi
                let last = Int(String(Unicode.Scalar(UInt32(max(upper, 0x80)))!).utf8.first!)
                for b in first...max(first, last) { add(b) }
                if lo <= 0xDFFF && hi >= 0xE000 { for b in 0xED...0xEF { add(b) } }
            }
        }
        if invalid { for b in 0x80...0xFF { add(b) } }
        return map
    }
}

extension PCRENode {
    var startInfo: StartInfo {
        switch self {
        case .empty, .assertion, .look, .keep: return .nothing
        case .char(let c): return StartInfo(scalars: ScalarRanges([c...c]), invalid: false, nullable: false)
        case .set(let s, let negated): return StartInfo(scalars: s, invalid: negated, nullable: false)
        case .any(let dotAll):
            let all = ScalarRanges([0...ScalarRanges.maxScalar])
            return StartInfo(scalars: dotAll ? all : all.removing(0x0A), invalid: true, nullable: false)
        case .group(let sub, _), .atomic(let sub): return sub.startInfo
        case .concat(let items):
            var info = StartInfo.nothing
            for item in items {
                let next = item.startInfo
                info = StartInfo(scalars: info.scalars.union(next.scalars), invalid: info.invalid || next.invalid,
                                 nullable: next.nullable)
                if !next.nullable { return info }
            }
            return info
        case .alternation(let branches):
            var info = StartInfo(scalars: ScalarRanges(), invalid: false, nullable: false)
            for branch in branches { info = info.union(branch.startInfo) }
            return info
        case .repetition(let sub, let min, _, _):
            var info = sub.startInfo
            if min == 0 { info.nullable = true }
            return info
        case .backreference: return .everything
        }
    }
}
