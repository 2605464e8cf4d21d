#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Walk
import WorkerPool

/// The flags of `find`, read and checked before the walk.
struct FindSettings {
    var paths: [String] = []
    var filter: FindFilter
    var printer = FindPrinter()
    var walkOptions = WalkOptions()
    var fullPath = false
    var absolute = false
    var stripCurrentDirectory = false
    var nullSeparated = false
    var quiet = false
    var prune = false
    var showErrors = false
    var maxResults: Int?
    var perResult: [FindCommandLine] = []
    var batch: [FindCommandLine] = []
    var batchSize = 0
    var commandThreads = ThreadPoolExecutor.activeProcessorCount
    var runsCommands: Bool { !perResult.isEmpty || !batch.isEmpty }

    init(_ arguments: ParsedArguments) throws {
        let pattern = arguments.positionals.first ?? ""
        paths = Array(arguments.positionals.dropFirst()) + arguments.values(.searchPath)
        let patterns = [pattern] + arguments.values(.and)

        var syntax = FindPattern.Syntax.regex
        if arguments.lastOf(.glob, .regex) == .glob { syntax = .glob }
        else if arguments.has(.exact) { syntax = .exact }
        else if arguments.has(.fixedStrings) { syntax = .fixed }
        fullPath = arguments.has(.fullPath)
        if !fullPath, let withSlash = patterns.first(where: { $0.contains("/") }) {
            throw FindError.message("the search pattern '\(withSlash)' contains a path separator and will not lead to any results: "
                                    + "to search inside that directory, use 'trawl find . \(withSlash)'; to match whole paths, use 'trawl find --full-path \(withSlash)'")
        }
        let caseSensitive: Bool? = switch arguments.lastOf(.caseSensitive, .ignoreCase) {
        case .caseSensitive: true
        case .ignoreCase: false
        default: nil
        }
        let namePattern = try FindPattern(patterns: patterns, syntax: syntax, fullPath: fullPath, caseSensitive: caseSensitive)
        filter = FindFilter(pattern: namePattern)

        // The switches and their opposites: the last one given wins (fd's rule), -u sets two.
        var hidden = false, noIgnore = false, noIgnoreVcs = false, requireGit = true, follow = false
        for occurrence in arguments.occurrences {
            switch occurrence.flag {
            case .hidden: hidden = true
            case .noHidden: hidden = false
            case .noIgnore: noIgnore = true
            case .ignore: noIgnore = false
            case .unrestricted: hidden = true; noIgnore = true
            case .noIgnoreVcs: noIgnoreVcs = true
            case .ignoreVcs: noIgnoreVcs = false
            case .noRequireGit: requireGit = false
            case .requireGit: requireGit = true
            case .follow: follow = true
            case .noFollow: follow = false
            case .absolutePath: absolute = true
            case .relativePath: absolute = false
            default: break
            }
        }
        if !hidden && namePattern.onlyMatchesHiddenNames {
            throw FindError.message("the pattern seems to only match names with a leading dot, but hidden files are skipped: add -H/--hidden to search them")
        }

        walkOptions.environment = ProcessEnvironment.current
        walkOptions.yieldEveryKind = true
        walkOptions.customIgnoreName = ".fdignore"
        walkOptions.hidden = hidden
        walkOptions.includeGit = hidden  // fd lists `.git` with --hidden too
        walkOptions.noIgnore = noIgnore
        walkOptions.noIgnoreVcs = noIgnoreVcs
        walkOptions.noRequireGit = !requireGit
        walkOptions.noIgnoreParent = arguments.has(.noIgnoreParent)
        walkOptions.followSymlinks = follow
        walkOptions.oneFileSystem = arguments.has(.oneFileSystem)
        walkOptions.shard = try WalkFlags.shard(arguments)
        walkOptions.globs = arguments.values(.exclude).map { OverrideGlob("!" + $0) }
        if !noIgnore && !arguments.has(.noGlobalIgnoreFile), let global = Self.globalIgnoreFile(walkOptions.environment),
           let contents = Self.read(global) {
            walkOptions.explicitIgnores.append(contents)
        }
        for file in arguments.values(.ignoreFile) {
            guard let contents = Self.read(file) else {
                throw FindError.message("cannot read the ignore file '\(file)': \(String(cString: strerror(errno)))")
            }
            walkOptions.explicitIgnores.append(contents)
        }

        let depth = try arguments.number(.exactDepth)
        if let maxDepth = try arguments.number(.maxDepth) ?? depth {
            walkOptions.maxDepth = maxDepth
        }
        filter.minDepth = try arguments.number(.minDepth) ?? depth ?? 0
        filter.follow = follow
        prune = arguments.has(.prune)

        let typeNames = arguments.values(.type)
        if !typeNames.isEmpty { filter.types = try FindTypes(typeNames) }
        try filter.setExtensions(arguments.values(.`extension`))
        filter.sizes = try arguments.values(.size).map { try FindSizeLimit($0) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowSeconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        filter.times = try arguments.values(.changedWithin).map { try FindTimeLimit($0, after: true, flag: "--changed-within", now: nowSeconds) }
            + arguments.values(.changedBefore).map { try FindTimeLimit($0, after: false, flag: "--changed-before", now: nowSeconds) }
        if let owner = arguments.value(.owner) {
            let constraint = try FindOwner(owner)
            if constraint.constrains { filter.owner = constraint }
        }

        let threads = try arguments.number(.threads, minimum: 1)
        walkOptions.threads = WalkFlags.directoryThreads(workers: threads ?? Commands.defaultThreads)
        if let threads { commandThreads = threads }

        quiet = arguments.has(.quiet)
        showErrors = arguments.has(.showErrors)
        if let limit = try arguments.number(.maxResults) {
            maxResults = limit == 0 ? nil : limit
        }
        if arguments.has(.maxOneResult) { maxResults = 1 }
        perResult = try arguments.values(.exec).map { try FindCommandLine(FindArguments.words($0), batch: false) }
        batch = try arguments.values(.execBatch).map { try FindCommandLine(FindArguments.words($0), batch: true) }
        batchSize = try arguments.number(.batchSize) ?? 0

        nullSeparated = arguments.has(.print0)
        stripCurrentDirectory = arguments.has(.stripCwdPrefix)
        let colorWhen = arguments.value(.color) ?? "auto"
        guard ["auto", "always", "never"].contains(colorWhen) else {
            throw ArgumentError.invalidValue(flag: "--color", value: colorWhen, reason: "expected auto, always or never")
        }
        let colored = colorWhen == "always" || (colorWhen == "auto" && isatty(1) == 1 && Self.terminalAllowsColor())
        if arguments.has(.listDetails) {
            batch.append(try FindCommandLine(["ls", "-lhd", "--color=" + (colored ? "always" : "never")], batch: true))
        }
        if !perResult.isEmpty && !batch.isEmpty {
            throw ArgumentError.invalidValue(flag: "--exec-batch", value: batch[0].program, reason: "cannot be used with --exec (or -l with --exec)")
        }
        if runsCommands && (maxResults != nil || arguments.has(.maxResults)) {
            throw ArgumentError.invalidValue(flag: "--max-results", value: arguments.value(.maxResults) ?? "1",
                                             reason: "cannot be used with --exec, --exec-batch or --list-details")
        }

        printer.absolute = absolute
        printer.stripCurrentDirectory = stripCurrentDirectory
        printer.terminator = nullSeparated ? 0 : UInt8(ascii: "\n")
        if let separator = arguments.value(.pathSeparator), separator != "/" { printer.separator = Array(separator.utf8) }
        if let format = arguments.value(.format) { printer.format = FindTemplate(format) }
        if colored {
            let specification = walkOptions.environment["LS_COLORS"].flatMap { $0.isEmpty ? nil : $0 } ?? FindColors.defaults
            printer.colors = FindColors(specification)
        }
    }

    /// fd's global ignore file: `$XDG_CONFIG_HOME/fd/ignore`, else `~/.config/fd/ignore`.
    static func globalIgnoreFile(_ environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/fd/ignore" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/fd/ignore" }
        return nil
    }

    static func terminalAllowsColor() -> Bool {
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 { if errno == EINTR { continue }; return nil }
            if got == 0 { return contents }
            contents.append(contentsOf: chunk[0..<got])
        }
    }
}
