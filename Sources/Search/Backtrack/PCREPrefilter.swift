/// A pattern for trawl's own (linear-time) engine that matches every line a `-P` pattern
/// matches, and maybe more: look-arounds become empty (a look-ahead that ends the pattern
/// and a look-behind that begins it become their bodies, since the line holds them next to
/// the match), a backreference becomes a copy of its group, atomic and possessive
/// constructs become plain ones. Its lazy DFA and literal scanners then pick the candidate
/// lines, and the backtracker runs only on those.
enum PCREPrefilter {
    static let maxLength = 100_000

    static func pattern(for node: PCRENode) -> String {
        var groups: [Int: PCRENode] = [:]
        collectGroups(node, into: &groups)
        var items: [PCRENode]
        if case .concat(let list) = node { items = list } else { items = [node] }
        if case .look(let body, true, false)? = items.first { items[0] = .group(body, capture: nil) }
        if case .look(let body, false, false)? = items.last { items[items.count - 1] = .group(body, capture: nil) }
        var out = ""
        for item in items { write(item, groups: groups, inside: [], to: &out) }
        return out
    }

    static func collectGroups(_ node: PCRENode, into groups: inout [Int: PCRENode]) {
        switch node {
        case .group(let sub, let capture):
            if let n = capture { groups[n] = sub }
            collectGroups(sub, into: &groups)
        case .concat(let items), .alternation(let items): for item in items { collectGroups(item, into: &groups) }
        case .repetition(let sub, _, _, _), .atomic(let sub), .look(let sub, _, _): collectGroups(sub, into: &groups)
        default: break
        }
    }

    /// `inside`: the groups being written, so a reference within its own group becomes `.*`.
    private static func write(_ node: PCRENode, groups: [Int: PCRENode], inside: Set<Int>, to out: inout String) {
        switch node {
        case .empty, .assertion, .look, .keep:
            out += "(?:)"
        case .char(let c):
            out += "\\x{\(String(c, radix: 16))}"
        case .set(let ranges, _):
            // Invalid UTF-8 bytes a negated class takes are not in the approximation: a
            // line holding them may be missed, as trawl's engine skips them too.
            if ranges.isEmpty { out += "[^\\x{0}-\\x{10ffff}]"; return }
            out += "["
            for r in ranges.ranges {
                out += "\\x{\(String(r.lowerBound, radix: 16))}"
                if r.upperBound != r.lowerBound { out += "-\\x{\(String(r.upperBound, radix: 16))}" }
            }
            out += "]"
        case .any(let dotAll):
            out += dotAll ? "(?s:.)" : "."
        case .group(let sub, let capture):
            var inner = inside
            if let n = capture { inner.insert(n) }
            out += "(?:"
            write(sub, groups: groups, inside: inner, to: &out)
            out += ")"
        case .atomic(let sub):
            out += "(?:"
            write(sub, groups: groups, inside: inside, to: &out)
            out += ")"
        case .concat(let items):
            for item in items { write(item, groups: groups, inside: inside, to: &out) }
        case .alternation(let branches):
            out += "(?:"
            for (i, branch) in branches.enumerated() {
                if i > 0 { out += "|" }
                write(branch, groups: groups, inside: inside, to: &out)
            }
            out += ")"
        case .repetition(let sub, let min, let max, _):
            out += "(?:"
            write(sub, groups: groups, inside: inside, to: &out)
            out += max.map { "){\(min),\($0)}" } ?? "){\(min),}"
        case .backreference(let n, let caseless):
            // Past a size, copies of copies stop: `(a)(\1\1)(\2\2)...` doubles each time.
            guard let group = groups[n], !inside.contains(n), out.utf8.count < maxLength else { out += "(?s:.)*"; return }
            out += caseless ? "(?i:" : "(?:"
            write(group, groups: groups, inside: inside.union([n]), to: &out)
            out += ")"
        }
    }
}
