/// Unicode simple case folding, derived from the toolchain's case mappings: scalars
/// whose single-scalar lower/upper/title mappings connect them form one orbit (k, K and
/// KELVIN SIGN; s, S and LONG S). Multi-scalar mappings (ß -> SS) are full folding and
/// are left out, as in RE2 and Rust regex.
///
/// The orbits are computed by `computedOrbits()` and kept encoded in `CaseFoldingTable`:
/// computing them at start-up cost 7 ms of every `-i` search. A test recomputes them and
/// writes a new table if the toolchain's ever differ.
enum CaseFolding {
    private struct Table {
        /// Every scalar with a non-trivial orbit, sorted.
        var members: [UInt32]
        var orbitOf: [UInt32: [UInt32]]
    }

    private static let table: Table = {
        var orbitOf: [UInt32: [UInt32]] = [:]
        for orbit in decode(CaseFoldingTable.encoded) {
            for m in orbit { orbitOf[m] = orbit }
        }
        return Table(members: orbitOf.keys.sorted(), orbitOf: orbitOf)
    }()

    /// The orbits of two or more scalars, each sorted, ordered by their first scalar.
    static func computedOrbits() -> [[UInt32]] {
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
        return orbits.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Orbits as hex scalars joined by `,`, one orbit per `;`; line breaks are ignored.
    static func encode(_ orbits: [[UInt32]]) -> String {
        var lines: [String] = []
        var line = ""
        for orbit in orbits {
            line += orbit.map { String($0, radix: 16) }.joined(separator: ",") + ";"
            if line.count >= 90 { lines.append(line); line = "" }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    static func decode(_ text: StaticString) -> [[UInt32]] {
        var orbits: [[UInt32]] = []
        var orbit: [UInt32] = []
        var value: UInt32 = 0
        var inNumber = false
        text.withUTF8Buffer { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
                    inNumber = true
                case UInt8(ascii: "a")...UInt8(ascii: "f"):
                    value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
                    inNumber = true
                case UInt8(ascii: ","), UInt8(ascii: ";"):
                    if inNumber { orbit.append(value) }
                    value = 0
                    inNumber = false
                    if byte == UInt8(ascii: ";") {
                        orbits.append(orbit)
                        orbit = []
                    }
                default:
                    continue
                }
            }
        }
        return orbits
    }

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
