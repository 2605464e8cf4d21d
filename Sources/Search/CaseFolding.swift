/// Unicode simple case folding, derived once from the toolchain's case mappings: scalars
/// whose single-scalar lower/upper/title mappings connect them form one orbit (k, K and
/// KELVIN SIGN; s, S and LONG S). Multi-scalar mappings (ß -> SS) are full folding and
/// are left out, as in RE2 and Rust regex.
enum CaseFolding {
    private struct Table {
        /// Every scalar with a non-trivial orbit, sorted.
        var members: [UInt32]
        var orbitOf: [UInt32: [UInt32]]
    }

    private static let table: Table = {
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        func unite(_ a: UInt32, _ b: UInt32) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        func single(_ s: String) -> UInt32? {
            var it = s.unicodeScalars.makeIterator()
            guard let first = it.next(), it.next() == nil else { return nil }
            return first.value
        }
        for cp: UInt32 in 0...0x1FFFF {
            guard let scalar = Unicode.Scalar(cp) else { continue }
            let p = scalar.properties
            guard p.changesWhenCaseMapped else { continue }
            for mapped in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
                if let m = single(mapped), m != cp { unite(cp, m) }
            }
        }
        var orbits: [UInt32: [UInt32]] = [:]
        for key in parent.keys { orbits[find(key), default: []].append(key) }
        var orbitOf: [UInt32: [UInt32]] = [:]
        for (_, members) in orbits where members.count > 1 {
            let sorted = members.sorted()
            for m in sorted { orbitOf[m] = sorted }
        }
        return Table(members: orbitOf.keys.sorted(), orbitOf: orbitOf)
    }()

    /// All scalars equal to `c` under simple case folding, `c` included, sorted.
    static func orbit(_ c: UInt32) -> [UInt32] {
        table.orbitOf[c] ?? [c]
    }

    /// The set closed under simple case folding.
    static func fold(_ set: ScalarRanges) -> ScalarRanges {
        var extra: [ClosedRange<UInt32>] = []
        for m in table.members where set.contains(m) {
            for o in table.orbitOf[m]! { extra.append(o...o) }
        }
        return extra.isEmpty ? set : set.union(ScalarRanges(extra))
    }

    /// ASCII-only folding for `(?-u)`.
    static func foldASCII(_ set: ScalarRanges) -> ScalarRanges {
        var extra: [ClosedRange<UInt32>] = []
        for c: UInt32 in 0x41...0x5A where set.contains(c) { extra.append((c + 32)...(c + 32)) }
        for c: UInt32 in 0x61...0x7A where set.contains(c) { extra.append((c - 32)...(c - 32)) }
        return extra.isEmpty ? set : set.union(ScalarRanges(extra))
    }
}
