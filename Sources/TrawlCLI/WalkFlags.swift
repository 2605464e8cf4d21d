#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Scan
import Walk
import WorkerPool

/// The walker flags every scanning command shares, turned into a scan source.
struct WalkFlags {
    var options = WalkOptions()
    var nullSeparated = false
    var filesFrom: String?
    var order: ScanOrder
    var threads: Int

    /// - Parameter everything: hash and dupes start from every regular file (hidden and
    ///   ignored too); ignore rules apply there only when asked for.
    init(_ arguments: ParsedArguments, sortDefault: ScanOrder, everything: Bool = false) throws {
        options.environment = ProcessEnvironment.current
        let unrestricted = arguments.count("unrestricted")
        options.noIgnore = everything || unrestricted >= 1 || arguments.has("no-ignore")
        options.hidden = everything || unrestricted >= 2 || arguments.has("hidden")
        options.noIgnoreVcs = arguments.has("no-ignore-vcs")
        options.noIgnoreParent = arguments.has("no-ignore-parent")
        options.noRequireGit = arguments.has("no-require-git")
        for occurrence in arguments.occurrences {
            if occurrence.flag == "glob" { options.globs.append(OverrideGlob(occurrence.value!)) }
            if occurrence.flag == "iglob" { options.globs.append(OverrideGlob(occurrence.value!, caseInsensitive: true)) }
        }
        for definition in arguments.values("type-add") {
            do { try options.fileTypes.add(definition) } catch {
                throw ArgumentError.invalidValue(flag: "--type-add", value: definition, reason: "expected NAME:GLOB, e.g. 'web:*.html'")
            }
        }
        options.selectTypes = arguments.values("type")
        options.negateTypes = arguments.values("type-not")
        if let depth = arguments.value("max-depth") {
            options.maxDepth = try Self.number(depth, flag: "--max-depth")
        }
        options.followSymlinks = arguments.has("follow")
        options.oneFileSystem = arguments.has("one-file-system")
        nullSeparated = arguments.has("null")
        filesFrom = arguments.value("files-from")
        switch arguments.value("sort") {
        case nil: order = sortDefault
        case "path": order = .path
        case "none": order = .completion
        case let other?: throw ArgumentError.invalidValue(flag: "--sort", value: other, reason: "expected 'path' or 'none'")
        }
        threads = try arguments.value("threads").map { try Self.number($0, flag: "--threads", minimum: 1) }
            ?? Commands.defaultThreads
        // Directory reading is CPU-bound on a warm cache: one loop per core, at most the
        // worker count users asked for.
        options.threads = max(1, min(threads, ThreadPoolExecutor.activeProcessorCount))
    }

    static func number(_ text: String, flag: String, minimum: Int = 0) throws -> Int {
        guard let value = Int(text), value >= minimum else {
            throw ArgumentError.invalidValue(flag: flag, value: text, reason: "expected a whole number of at least \(minimum)")
        }
        return value
    }

    /// The byte that ends every printed path.
    var pathTerminator: UInt8 { nullSeparated ? 0 : UInt8(ascii: "\n") }

    /// Where the files come from: `--files-from`, or a walk of `paths`.
    func source(paths: [String]) throws -> ScanSource {
        if let filesFrom {
            return .pathList(path: Array(filesFrom.utf8), separator: pathTerminator)
        }
        let walker: Walker
        do {
            walker = try Walker(options: options)
        } catch let error as WalkError {
            throw CommandError.message(error.description)
        }
        return .walk(walker, roots: paths.map { Array($0.utf8) })
    }
}

/// A failure that ends a command before it starts, with exit status 2.
enum CommandError: Error, CustomStringConvertible {
    case message(String)
    var description: String {
        switch self { case .message(let text): return text }
    }
}
