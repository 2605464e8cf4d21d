/// Named file types (`-t rust`, `-T js`), each a list of globs matched against the file
/// name, with ripgrep's common definitions built in and `--type-add "name:*.ext"` on top.
/// Thread-safety: value type; build it, then share it read-only.
public struct FileTypes: Sendable {
    /// name -> globs, in the order they were defined.
    public private(set) var definitions: [String: [String]]

    public init() {
        var table: [String: [String]] = [:]
        for (name, globs) in FileTypes.builtIn { table[name] = globs }
        definitions = table
    }

    /// Adds a definition: `name:glob` appends one glob (`"web:*.html"`); `name:include:a,b`
    /// appends the globs of existing types a and b, as ripgrep's `--type-add` does.
    /// Throws `WalkError.invalidTypeDefinition` for text without a name and a glob.
    public mutating func add(_ definition: String) throws {
        let parts = definition.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw WalkError.invalidTypeDefinition(definition)
        }
        let name = String(parts[0])
        let rest = parts[1]
        if rest.hasPrefix("include:") {
            for included in rest.dropFirst("include:".count).split(separator: ",") {
                guard let globs = definitions[String(included)] else {
                    throw WalkError.unknownFileType(String(included))
                }
                definitions[name, default: []].append(contentsOf: globs)
            }
        } else {
            definitions[name, default: []].append(String(rest))
        }
    }

    /// `--type-clear`: forgets `name` and its globs, as rg (a later `--type-add` defines it anew).
    public mutating func clear(_ name: String) {
        definitions[name] = nil
    }

    /// `--type-list`: one `name: glob, glob` line per type, sorted by name, globs sorted.
    public func listing() -> [String] {
        definitions.keys.sorted().map { name in
            "\(name): " + definitions[name]!.sorted().joined(separator: ", ")
        }
    }

    /// Compiles the selection: files must match a selected type (when any is selected) and
    /// must not match a negated one. Throws `WalkError.unknownFileType` for unknown names.
    func selection(select: [String], negate: [String]) throws -> TypeSelection? {
        if select.isEmpty && negate.isEmpty { return nil }
        var globs: [(ByteGlob, Bool)] = []
        for (names, negated) in [(select, false), (negate, true)] {
            for name in names {
                if name == "all" {
                    for key in definitions.keys.sorted() { globs += try definitions[key]!.map { (try Self.compile($0), negated) } }
                    continue
                }
                guard let definition = definitions[name] else { throw WalkError.unknownFileType(name) }
                globs += try definition.map { (try Self.compile($0), negated) }
            }
        }
        return TypeSelection(globs: globs.map(\.0), negated: globs.map(\.1), hasSelected: !select.isEmpty)
    }
}

extension FileTypes {
    /// A type's glob; one that does not parse ends the command (rg's error).
    static func compile(_ glob: String) throws(WalkError) -> ByteGlob {
        do { return try ByteGlob(validating: Array(glob.utf8)) } catch { throw .invalidGlob(glob: glob, reason: error) }
    }
}

/// A compiled `-t`/`-T` selection. The last matching glob decides (as in ripgrep).
struct TypeSelection: Sendable {
    let globs: [ByteGlob]
    let negated: [Bool]
    let hasSelected: Bool

    /// Directories are never filtered by type.
    func matched(name: UnsafeRawBufferPointer) -> IgnoreMatch {
        var index = globs.count - 1
        while index >= 0 {
            if globs[index].matches(name) { return negated[index] ? .ignore : .whitelist }
            index -= 1
        }
        return hasSelected ? .ignore : .none
    }
}
