#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import WorkerPool

/// Entry point of the command line: parses argv, runs a subcommand, returns the exit status
/// (0 success/match, 1 nothing found, 2 an error, 130/143 interrupted).
public enum Trawl {
    /// - Parameter environment: read for TRAWL_CONFIG_PATH (tests pass their own).
    public static func main(_ arguments: [String],
                            environment: [String: String] = ProcessEnvironment.current) -> Int32 {
        // SIGPIPE would kill us mid-write; EPIPE is handled where we write (DESIGN.md).
        signal(SIGPIPE, SIG_IGN)
        guard let first = arguments.first else {
            Diagnostics.error("missing command\nUsage: trawl COMMAND [OPTIONS] [ARGS...]; commands: "
                              + Commands.all.map(\.name).joined(separator: ", ") + "\nRun 'trawl --help' for more.")
            return 2
        }
        let output = OutputBuffer()
        switch first {
        case "-h", "--help":
            output.append(Help.topLevel())
            return finish(output, status: 0)
        case "-V", "--version":
            output.append("trawl \(Commands.version)\n")
            return finish(output, status: 0)
        case "--generate":
            guard arguments.count > 1 else {
                Diagnostics.error("flag --generate needs a value: one of \(Generator.kinds.joined(separator: ", "))")
                return 2
            }
            return generate(arguments[1], output: output)
        case let flag where flag.hasPrefix("--generate="):
            return generate(String(flag.dropFirst("--generate=".count)), output: output)
        case "help":
            if arguments.count > 1, arguments[1] != "help" {
                guard let command = Commands.named(arguments[1]) else {
                    Diagnostics.error(ArgumentError.unknownCommand(arguments[1], suggestion: suggestCommand(arguments[1])).description)
                    return 2
                }
                output.append(Help.command(command, full: true))
            } else {
                output.append(Help.topLevel())
            }
            return finish(output, status: 0)
        default:
            break
        }
        guard let command = Commands.named(first) else {
            if first.hasPrefix("-") {
                let suggestion = ArgumentParser.nearest(to: String(first.drop { $0 == "-" }), among: ["help", "version", "generate"])
                Diagnostics.error(ArgumentError.unknownFlag(first, suggestion: suggestion.map { "--" + $0 }).description
                                  + "\nUsage: trawl COMMAND [OPTIONS] [ARGS...]; run 'trawl --help' for the commands.")
                return 2
            }
            Diagnostics.error(ArgumentError.unknownCommand(first, suggestion: suggestCommand(first)).description
                              + "\nUsage: trawl COMMAND [OPTIONS] [ARGS...]; commands: " + Commands.all.map(\.name).joined(separator: ", "))
            return 2
        }
        var signals: SignalWatcher?
        do {
            var commandLine = Array(arguments.dropFirst())
            if command.name == Commands.find.name { commandLine = FindArguments.foldingCommands(commandLine) }
            // Help and version first, from the command line alone: a broken config file must
            // not hide the help that explains it.
            let typed = try ArgumentParser.parse(commandLine, for: command)
            if typed.has(.help) {
                output.append(Help.command(command, full: commandLine.contains("--help")))
                return finish(output, status: 0)
            }
            if typed.has(.version) {
                output.append("trawl \(Commands.version)\n")
                return finish(output, status: 0)
            }
            var parsed = typed
            // TRAWL_CONFIG_PATH, else ripgrep's RIPGREP_CONFIG_PATH: one file for both tools.
            let variable = ["TRAWL_CONFIG_PATH", "RIPGREP_CONFIG_PATH"].first { !(environment[$0] ?? "").isEmpty }
            if !typed.has(.noConfig), let variable, let path = environment[variable] {
                var defaults: [String] = []
                var skipped: [ConfigError] = []
                do {
                    let lines = try ConfigFile.load(path: path, variable: variable).arguments(for: command, skipped: &skipped)
                    defaults = command.name == Commands.find.name ? FindArguments.foldingCommands(lines) : lines
                } catch .unreadable(let path, let variable, let reason) {
                    // As rg: a config file that cannot be read is a warning; the search goes on.
                    Diagnostics.error(ConfigError.unreadable(path: path, variable: variable, reason: reason).description)
                } catch {
                    Diagnostics.error(error.description)
                    return 2
                }
                for warning in skipped { Diagnostics.error(warning.description + " (skipped)") }
                // Config first, so the command line's flags come later and win.
                if !defaults.isEmpty { parsed = try ArgumentParser.parse(defaults + commandLine, for: command) }
            }
            let watcher = SignalWatcher()
            signals = watcher
            let status = try run(command, parsed, output: output, interrupt: watcher.token)
            output.flush()
            // Interrupted: 128 + the signal, as shells report it (130 for Ctrl-C, 143 for TERM).
            if let number = watcher.signal { return 128 + number }
            // check's 1 says a file did not verify, which scripts test for: a write error
            // must not turn it into 2 (sha256sum -c exits 1 either way).
            let verificationFailed = command.name == Commands.check.name && status == 1
            return finish(output, status: status, failedStatus: verificationFailed ? 1 : 2)
        } catch let error as ArgumentError {
            Diagnostics.error(error.description + otherCommands(having: error, besides: command) + "\n\nUsage: " + command.usage + "\nRun 'trawl \(command.name) --help' for more.")
            return 2
        } catch {
            // An interrupt that ended a blocking step (the open of a FIFO given to -o).
            if let number = signals?.signal { return 128 + number }
            Diagnostics.error("\(error)")
            return 2
        }
    }

    /// Flushes `output` and returns `status`, or `failedStatus` with `trawl: error writing
    /// to standard output: REASON` when a write failed (a broken pipe is not a failure:
    /// ripgrep stops quietly with 0 too).
    static func finish(_ output: OutputBuffer, status: Int32, failedStatus: Int32 = 2) -> Int32 {
        output.flush()
        guard let message = output.writeErrorMessage else { return status }
        Diagnostics.error(message)
        return failedStatus
    }

    static func run(_ command: CommandSpec, _ arguments: ParsedArguments, output: OutputBuffer,
                    interrupt: CancellationToken) throws -> Int32 {
        // --type-list answers alone, before a pattern or paths are asked for (as rg).
        if arguments.accepts(.typeList) && arguments.has(.typeList) {
            for line in try WalkFlags(arguments, sortDefault: .completion).options.fileTypes.listing() {
                output.append(line + "\n")
            }
            return 0
        }
        return try command.run(arguments, output, interrupt)
    }

    /// `--generate KIND`: prints the man page or a completion script.
    static func generate(_ kind: String, output: OutputBuffer) -> Int32 {
        guard let document = Generator.document(kind) else {
            let suggestion = ArgumentParser.nearest(to: kind, among: Generator.kinds)
            Diagnostics.error(ArgumentError.invalidValue(flag: "--generate", value: kind,
                                                         reason: "expected one of \(Generator.kinds.joined(separator: ", "))"
                                                             + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")).description)
            return 2
        }
        output.append(document)
        return finish(output, status: 0)
    }

    /// ` (a flag of trawl grep)` when an unknown flag without a nearer suggestion belongs to
    /// other commands: `trawl files -i` is a grep habit, not a typo.
    static func otherCommands(having error: ArgumentError, besides command: CommandSpec) -> String {
        guard case .unknownFlag(let flag, nil) = error else { return "" }
        // sha256sum's habit: `-c` verifies there; here that is a command of its own.
        if command.name == "hash" && (flag == "-c" || flag == "--check") { return " (did you mean `trawl check`?)" }
        let owners = Commands.all.filter { other in
            other.name != command.name && (flag.hasPrefix("--")
                ? other.flag(long: String(flag.dropFirst(2))) != nil
                : flag.count == 2 && other.flag(short: flag.last!) != nil)
        }
        guard !owners.isEmpty else { return "" }
        return " (a flag of " + owners.map { "trawl \($0.name)" }.joined(separator: ", ") + ")"
    }

    static func suggestCommand(_ name: String) -> String? {
        ArgumentParser.nearest(to: name, among: Commands.all.map(\.name) + ["help"])
    }
}
