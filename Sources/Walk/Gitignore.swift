/// The verdict of ignore rules on one path.
public enum IgnoreMatch: Sendable, Equatable {
    /// No rule matched.
    case none
    /// The last matching rule excludes the path.
    case ignore
    /// The last matching rule is a negation (`!pattern`): the path is re-included.
    case whitelist
}

/// The rules of one gitignore-syntax file (`.gitignore`, `.ignore`, `info/exclude`, the
/// global excludes file, or `-g` globs), matched with git's semantics:
/// `#` comments, `\#` and `\!` escapes, trailing spaces trimmed unless escaped with `\`,
/// `!` negation, a leading or middle `/` anchors the pattern to the file's directory
/// (otherwise it matches the name at any depth), a trailing `/` matches directories only,
/// and the last matching rule wins.
/// Thread-safety: immutable value, safe to share.
public struct Gitignore: Sendable {
    struct Rule: Sendable {
        let glob: ByteGlob
        let negated: Bool
        let directoryOnly: Bool
        /// No `/` in the pattern: matched against the last path component only.
        let matchesName: Bool
    }

    let rules: [Rule]
    let index: RuleIndex
    /// Some rule looks at more than the name (anchored): callers must pass the whole path.
    let needsPath: Bool
    public var isEmpty: Bool { rules.isEmpty }
    /// Lines left out because their glob does not parse (see `init(contents:)`).
    public private(set) var malformedLines: [MalformedLine] = []

    /// An ignore-file line whose glob does not parse.
    public struct MalformedLine: Sendable, Equatable {
        public let line: Int
        public let glob: String
        public let error: GlobSyntaxError
    }

    public var ruleCount: Int { rules.count }

    /// Parses the contents of an ignore file. Never fails: a line that is no valid
    /// pattern (for example only `!`) is skipped, as git does; one whose glob does not parse
    /// (an unclosed `{`, a trailing `\`) is skipped and kept in `malformedLines`, for the
    /// walk to report as rg does. An unclosed `[` is a literal `[`.
    public init(contents: [UInt8], caseInsensitive: Bool = false) {
        var rules: [Rule] = []
        var malformed: [MalformedLine] = []
        var lineStart = 0
        var lineNumber = 1
        let count = contents.count
        while lineStart < count {
            var lineEnd = lineStart
            while lineEnd < count && contents[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            do {
                if let rule = try Gitignore.parseLine(contents[lineStart..<lineEnd], caseInsensitive: caseInsensitive,
                                                      allowUnclosedClass: true) {
                    rules.append(rule)
                }
            } catch {
                let glob = String(decoding: contents[lineStart..<lineEnd], as: UTF8.self)
                malformed.append(MalformedLine(line: lineNumber, glob: glob, error: error))
            }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        self.init(rules: rules)
        malformedLines = malformed
    }

    /// Rules from single patterns (one per element) rather than file lines: `-g` globs,
    /// which must parse (`trawl: error parsing glob '[abc': ...`, as rg).
    init(validating patterns: [[UInt8]], caseInsensitive: [Bool]) throws(WalkError) {
        var rules: [Rule] = []
        for (pattern, fold) in zip(patterns, caseInsensitive) {
            do {
                if let rule = try Gitignore.parseLine(pattern[...], caseInsensitive: fold, allowUnclosedClass: false) {
                    rules.append(rule)
                }
            } catch {
                throw .invalidGlob(glob: String(decoding: pattern, as: UTF8.self), reason: error)
            }
        }
        self.init(rules: rules)
    }

    init(rules: [Rule]) {
        self.rules = rules
        self.index = RuleIndex(rules)
        self.needsPath = rules.contains { !$0.matchesName }
    }

    public init(_ text: String, caseInsensitive: Bool = false) {
        self.init(contents: Array(text.utf8), caseInsensitive: caseInsensitive)
    }

    static func parseLine(_ line: ArraySlice<UInt8>, caseInsensitive: Bool,
                          allowUnclosedClass: Bool) throws(GlobSyntaxError) -> Rule? {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }  // CRLF files, as git does
        guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
        // Trailing spaces go unless escaped: `foo\ ` keeps one space (the `\ ` stays and
        // the glob reads it as a literal space).
        while line.last == UInt8(ascii: " ") {
            let beforeSpace = line.index(before: line.endIndex)
            var backslashes = 0
            var scan = beforeSpace
            while scan > line.startIndex && line[line.index(before: scan)] == UInt8(ascii: "\\") {
                backslashes += 1
                scan = line.index(before: scan)
            }
            if backslashes % 2 == 1 { break }
            line = line.dropLast()
        }
        var negated = false
        if line.first == UInt8(ascii: "!") {
            negated = true
            line = line.dropFirst()
        }
        var directoryOnly = false
        if line.last == UInt8(ascii: "/") {
            directoryOnly = true
            line = line.dropLast()
            // `foo\/`: the escaped slash still marks a directory (rg's #2236).
            if line.last == UInt8(ascii: "\\") { line = line.dropLast() }
        }
        guard !line.isEmpty else { return nil }
        // A `/` anywhere but the end anchors the pattern; the leading one is dropped.
        let anchored = line.contains(UInt8(ascii: "/"))
        if line.first == UInt8(ascii: "/") { line = line.dropFirst() }
        guard !line.isEmpty else { return nil }
        var pattern = Array(line)
        // `**/name` (no other `/`) is the same as an unanchored `name`: cheaper to match by name.
        var matchesName = !anchored
        if anchored, pattern.count > 3, pattern[0] == UInt8(ascii: "*"), pattern[1] == UInt8(ascii: "*"),
           pattern[2] == UInt8(ascii: "/"), !pattern[3...].contains(UInt8(ascii: "/")),
           !pattern[3...].starts(with: [UInt8(ascii: "*"), UInt8(ascii: "*")]) {
            pattern.removeFirst(3)
            matchesName = true
        }
        let glob = try ByteGlob(validating: pattern, caseInsensitive: caseInsensitive, allowUnclosedClass: allowUnclosedClass)
        return Rule(glob: glob, negated: negated,
                    directoryOnly: directoryOnly, matchesName: matchesName)
    }

    /// Matches `path` (relative to this file's directory, no leading `/`), whose last
    /// component starts at `nameStart`. The last matching rule decides.
    /// Cost: a hash of the name, its extension and the path, plus the rules that no
    /// table covers (see `RuleIndex`), never a scan of every rule.
    public func matched(path: UnsafeRawBufferPointer, nameStart: Int, isDirectory: Bool) -> IgnoreMatch {
        let name = UnsafeRawBufferPointer(rebasing: path[nameStart...])
        var best = -1
        @inline(__always) func consider(_ candidates: [Int32]) {
            var position = candidates.count - 1
            while position >= 0 {
                let ruleIndex = Int(candidates[position])
                if ruleIndex <= best { return }
                if ruleMatches(ruleIndex, path, name, isDirectory) {
                    best = ruleIndex
                    return
                }
                position -= 1
            }
        }
        if !index.nameLiterals.isEmpty, let candidates = index.nameLiterals[RuleIndex.hash(name)] { consider(candidates) }
        if !index.extensions.isEmpty, let dot = RuleIndex.extensionStart(name),
           let candidates = index.extensions[RuleIndex.hash(UnsafeRawBufferPointer(rebasing: name[dot...]))] {
            consider(candidates)
        }
        if !index.pathLiterals.isEmpty, let candidates = index.pathLiterals[RuleIndex.hash(path)] { consider(candidates) }
        consider(index.others)
        if best < 0 { return .none }
        return rules[best].negated ? .whitelist : .ignore
    }

    @inline(__always)
    private func ruleMatches(_ index: Int, _ path: UnsafeRawBufferPointer, _ name: UnsafeRawBufferPointer,
                             _ isDirectory: Bool) -> Bool {
        let rule = rules[index]
        if rule.directoryOnly && !isDirectory { return false }
        return rule.glob.matches(rule.matchesName ? name : path)
    }

    /// Convenience for tests and callers holding a String path relative to the file's directory.
    public func matched(_ path: String, isDirectory: Bool) -> IgnoreMatch {
        let bytes = Array(path.utf8)
        let nameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        return bytes.withUnsafeBytes { matched(path: $0, nameStart: nameStart, isDirectory: isDirectory) }
    }
}

/// Rules bucketed so that matching a path looks at few of them (ignore files run to a
/// hundred rules, mostly names, extensions and anchored literals: Linux's top-level
/// .gitignore). Buckets hold rule indices in ascending order; a hash collision only costs
/// a glob match, which verifies. Case-insensitive rules all go to `others`.
struct RuleIndex: Sendable {
    var nameLiterals: [UInt64: [Int32]] = [:]
    /// `*.ext` (and `*.tar.gz`, keyed by `.gz`) rules, keyed by the name's last `.suffix`.
    var extensions: [UInt64: [Int32]] = [:]
    var pathLiterals: [UInt64: [Int32]] = [:]
    var others: [Int32] = []

    init(_ rules: [Gitignore.Rule]) {
        for (position, rule) in rules.enumerated() {
            let index = Int32(position)
            switch rule.glob.form {
            case .literal(let literal) where !rule.glob.caseInsensitive:
                let key = literal.withUnsafeBytes { RuleIndex.hash($0) }
                if rule.matchesName { nameLiterals[key, default: []].append(index) } else { pathLiterals[key, default: []].append(index) }
            case .suffix(let suffix) where rule.matchesName && !rule.glob.caseInsensitive:
                if let dot = suffix.lastIndex(of: UInt8(ascii: ".")), !suffix[dot...].isEmpty {
                    let key = Array(suffix[dot...]).withUnsafeBytes { RuleIndex.hash($0) }
                    extensions[key, default: []].append(index)
                } else {
                    others.append(index)
                }
            default:
                others.append(index)
            }
        }
    }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// Offset of the last `.` in a name (the extension including its dot), if any.
    @inline(__always)
    static func extensionStart(_ name: UnsafeRawBufferPointer) -> Int? {
        var index = name.count - 1
        while index >= 0 {
            if name[index] == UInt8(ascii: ".") { return index }
            index -= 1
        }
        return nil
    }
}
