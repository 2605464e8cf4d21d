/// `--help` and `-h` text, generated from the command table.
enum Help {
    static func topLevel() -> String {
        var text = "trawl \(Commands.version): a parallel file scanner\n\nUSAGE:\n    trawl COMMAND [OPTIONS] [ARGS...]\n\nCOMMANDS:\n"
        for command in Commands.all {
            text += "    " + command.name.padding(toLength: 8, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text += "\nRun 'trawl help COMMAND' or 'trawl COMMAND --help' for a command's flags.\n"
        text += "Ctrl-C stops cleanly: records already complete are printed whole, the exit status is 130.\n"
        return text
    }

    /// Short help (`-h`): usage and one line per flag. Full help (`--help`): grouped, with
    /// defaults and the command's details.
    static func command(_ command: CommandSpec, full: Bool) -> String {
        var text = "trawl \(command.name): \(command.summary)\n\nUSAGE:\n    \(command.usage)\n"
        if full { text += "\n" + wrap(command.details, indent: 4) }
        var groups: [String] = []
        for flag in command.flags where !groups.contains(flag.group) { groups.append(flag.group) }
        for group in groups {
            text += "\n\(group.uppercased()) OPTIONS:\n"
            for flag in command.flags where flag.group == group {
                if full {
                    text += "    " + flag.synopsis + "\n"
                    var help = flag.help
                    if let value = flag.defaultValue { help += " [default: \(value)]" }
                    if case .choice(_, let choices) = flag.value { help += " [possible values: \(choices.joined(separator: ", "))]" }
                    text += wrap(help, indent: 12)
                } else {
                    let firstSentence = flag.help.split(separator: ".", maxSplits: 1).first.map(String.init) ?? flag.help
                    text += "    " + flag.synopsis.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + firstSentence + "\n"
                }
            }
        }
        return text
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
