#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `--help` and `-h` text, generated from the command table.
enum Help {
    static func topLevel() -> String {
        var text = "trawl \(Commands.version): a parallel file scanner\n\nUSAGE:\n    trawl COMMAND [OPTIONS] [ARGS...]\n\nCOMMANDS:\n"
        for command in Commands.all {
            text += "    " + command.name.padded(to: 8) + command.summary + "\n"
        }
        text += "    help    Print a command's flags: trawl help COMMAND\n"
        text += "\nOPTIONS:\n"
        text += "    -h, --help           Print this help\n"
        text += "    -V, --version        Print the version\n"
        text += "    --generate KIND      Print the man page or a shell completion script, then exit\n"
        text += "                         [possible values: \(Generator.kinds.joined(separator: ", "))]\n"
        text += "\nRun 'trawl help COMMAND' or 'trawl COMMAND --help' for a command's flags with their\n"
        text += "defaults ('-h' for a one-line-per-flag summary).\n"
        text += "\nCONFIG FILE:\n" + wrap(configText, indent: 4)
        text += "\nEXIT STATUS:\n    0 found something, 1 found nothing, 2 an error, 130 interrupted (Ctrl-C).\n"
        return text
    }

    /// What the config file is, for the top-level help and the man page.
    static let configText = "TRAWL_CONFIG_PATH names a file of default arguments, one per line (e.g. --smart-case, or --threads=8); lines starting with # and blank lines are ignored. They go before the command line's own arguments. Each command takes only the flags it knows from the file and skips the others (so --hidden applies to grep and files, not to check). A flag no command knows is an error naming the file and line. --no-config ignores the file."

    /// Short help (`-h`): usage and one line per flag. Full help (`--help`): details, flags
    /// grouped by topic, each with its default and possible values.
    static func command(_ command: CommandSpec, full: Bool) -> String {
        var text = "trawl \(command.name): \(command.summary)\n\nUSAGE:\n"
        for usage in command.usage.split(separator: "\n") {
            text += "    " + usage.trimmingWhitespace() + "\n"
        }
        if full { text += "\n" + wrap(command.details, indent: 4) }
        for group in groups(of: command) {
            text += "\n\(group.uppercased()) OPTIONS:\n"
            for flag in command.flags where flag.group == group {
                if full {
                    text += "    " + flag.synopsis + "\n"
                    text += wrap(fullHelp(flag), indent: 12)
                } else {
                    let synopsis = "    " + flag.synopsis
                    let summary = firstSentence(flag.help)
                    // The summary wraps in its own column; a long synopsis pushes it to the next line.
                    let column = wrap(summary, indent: 32)
                    if synopsis.count < 32 {
                        text += synopsis + column.dropFirst(synopsis.count)
                    } else {
                        text += synopsis + "\n" + column
                    }
                }
            }
        }
        if !full { text += "\nUse --help for details and defaults.\n" }
        return text
    }

    /// The flag groups of a command, in the order the table first names them.
    static func groups(of command: CommandSpec) -> [String] {
        var groups: [String] = []
        for flag in command.flags where !groups.contains(flag.group) { groups.append(flag.group) }
        return groups
    }

    /// A flag's help with its default and possible values, as `--help` and the man page show it.
    static func fullHelp(_ flag: FlagSpec) -> String {
        var help = flag.help
        if let value = flag.defaultValue { help += " [default: \(value)]" }
        if case .choice(_, let choices) = flag.value { help += " [possible values: \(choices.joined(separator: ", "))]" }
        return help
    }

    /// The text up to the first sentence end (". "), without its full stop; "e.g." does not end one.
    static func firstSentence(_ help: String) -> String {
        var searchFrom = help.startIndex
        while let range = help[searchFrom...].firstRange(of: ". ") {
            let before = help[..<range.lowerBound]
            if before.hasSuffix("e.g") || before.hasSuffix("i.e") {
                searchFrom = range.upperBound
                continue
            }
            return String(before)
        }
        return help.hasSuffix(".") ? String(help.dropLast()) : help
    }

    static func wrap(_ text: String, indent: Int, width: Int = 80) -> String {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, pad.count + line.count + 1 + word.count > width {
                lines.append(pad + line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(pad + line) }
        return lines.joined(separator: "\n") + "\n"
    }
}
