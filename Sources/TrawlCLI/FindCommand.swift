#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Scan
import Walk
import WorkerPool

/// `trawl find`: fd's job on trawl's walker. Entries are filtered on the walking threads;
/// results are printed whole, or handed to commands run on the worker pool.
enum FindCommand {
    static func run(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        do {
            return try search(arguments, output: output, interrupt: interrupt)
        } catch let error as FindError {
            output.flush()
            Diagnostics.error(error.description)
            return 1
        }
    }

    private static func search(_ arguments: ParsedArguments, output: OutputBuffer, interrupt: CancellationToken) throws -> Int32 {
        if let base = arguments.value(.baseDirectory), chdir(base) != 0 {
            throw FindError.message("cannot change to the base directory '\(base)': \(String(cString: strerror(errno)))")
        }
        let settings = try FindSettings(arguments)
        let workingDirectory = FindPaths.currentDirectory()
        if (settings.absolute || settings.fullPath) && workingDirectory == nil {
            throw FindError.message("cannot read the current directory, which -a and -p need")
        }
        var filter = settings.filter
        filter.workingDirectory = workingDirectory ?? []

        // Search paths that are not directories are reported and skipped (fd's rule).
        var roots: [[UInt8]] = []
        for path in settings.paths {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                Diagnostics.error("search path '\(path)' is not a directory")
                continue
            }
            // `-` would read as stdin or a flag to a command: fd prints `./-`.
            roots.append(Array((path.hasPrefix("-") ? "./" + path : path).utf8))
        }
        if !settings.paths.isEmpty && roots.isEmpty { throw FindError.message("no valid search paths given") }

        var printer = settings.printer
        printer.workingDirectory = workingDirectory ?? []
        if settings.paths.isEmpty && !settings.stripCurrentDirectory && (settings.nullSeparated || settings.runsCommands) {
            printer.addCurrentDirectoryPrefix = true
        }

        let stop = CancellationToken(parent: interrupt)
        let sink = FindOutput(output: output, sortFirstResults: !settings.runsCommands,
                              maxResults: settings.quiet ? 1 : settings.maxResults, limitReached: { stop.cancel() })
        let execution = settings.runsCommands
            ? FindExecution(perResult: settings.perResult, batch: settings.batch, batchSize: settings.batchSize,
                            threads: settings.commandThreads, separator: settings.printer.separator,
                            nullSeparated: settings.nullSeparated, output: sink)
            : nil

        var options = settings.walkOptions
        if settings.prune {
            let pruneFilter = filter
            options.descendInto = { !pruneFilter.matches($0) }
        }
        let walker: Walker
        do { walker = try Walker(options: options) } catch { throw FindError.message("\(error)") }
        let finalFilter = filter
        let finalPrinter = printer
        let quiet = settings.quiet
        let showErrors = settings.showErrors
        walker.walk(roots: roots, runner: WalkThreads(), cancellation: stop, onFiles: { entries in
            if let execution {
                // Nobody reads the output any more (`| head`): no more commands.
                if sink.isBroken { stop.cancel(); return }
                for entry in entries where finalFilter.matches(entry) {
                    guard sink.count() else { return }
                    execution.submit(finalPrinter.displayPath(entry), interrupt: interrupt)
                }
                return
            }
            if quiet {
                if entries.contains(where: finalFilter.matches) { _ = sink.count() }
                return
            }
            var keys: [[UInt8]] = []
            var records: [[UInt8]] = []
            for entry in entries where finalFilter.matches(entry) {
                var record: [UInt8] = []
                finalPrinter.appendRecord(entry, into: &record)
                keys.append(entry.path)
                records.append(record)
            }
            if !records.isEmpty {
                sink.add(keys: keys, records: records)
                if sink.isBroken { stop.cancel() }
            }
        }, onError: { error in
            if showErrors { sink.error(error.description) }
        })
        sink.finish()
        if quiet { return sink.resultCount > 0 ? 0 : 1 }
        if let execution {
            let succeeded = execution.finish(interrupt: interrupt)
            sink.finish()
            return succeeded ? 0 : 1
        }
        return 0
    }
}
