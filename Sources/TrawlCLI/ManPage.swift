#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `trawl --generate man`: the trawl.1 page in roff (man macros), generated from the command
/// table so it lists exactly the flags the parser accepts. `man -l trawl.1` renders it;
/// `groff -man -ww -z trawl.1` reports no warnings (checked by ManPage tests when man exists).
enum ManPage {
    static func render(commands: [CommandSpec] = Commands.all) -> String {
        var page = ""
        func line(_ text: String) { page += text + "\n" }
        line(".TH TRAWL 1 \"\" \"trawl \(Commands.version)\" \"User Commands\"")
        // No hyphenation, ragged right: flags and paths must not break across lines.
        line(".nh")
        line(".ad l")
        line(".SH NAME")
        line("trawl \\- a parallel file scanner: search, list, checksum, verify and deduplicate files")
        line(".SH SYNOPSIS")
        for command in commands {
            for usage in command.usage.split(separator: "\n") {
                line(".br")
                line(synopsis(usage.trimmingWhitespace()))
            }
        }
        line(".br")
        line("\\fBtrawl\\fR \\fBhelp\\fR [\\fICOMMAND\\fR]")
        line(".br")
        line("\\fBtrawl\\fR \\fB\\-\\-generate\\fR \\fIKIND\\fR")
        line(".SH DESCRIPTION")
        line(text("trawl walks a tree in parallel with ripgrep's rules (.gitignore, .ignore and git's exclude files, hidden files skipped), hands every blocking file read to a pool of worker threads and streams each file's result as it completes. Ctrl-C stops cleanly: records already complete are printed whole and the exit status is 130."))
        line(".SH COMMANDS")
        for command in commands {
            line(".SS \"trawl \(command.name)\"")
            line(text(command.summary + "."))
            line(".PP")
            line(".nf")
            for usage in command.usage.split(separator: "\n") { line(escape(usage.trimmingWhitespace())) }
            line(".fi")
            line(".PP")
            line(text(command.details))
            for group in Help.groups(of: command) {
                line(".PP")
                line("\\fB\(escape(group)) options\\fR")
                for flag in command.flags where flag.group == group {
                    line(".TP")
                    line(flagTerm(flag))
                    line(text(Help.fullHelp(flag)))
                }
            }
        }
        line(".SH \"GENERATED FILES\"")
        line(".TP")
        line("\\fB\\-\\-generate\\fR \\fIKIND\\fR")
        line(text("Print this page (man) or a shell completion script (complete-bash, complete-zsh, complete-fish) and exit. For example, in ~/.bashrc: source <(trawl --generate complete-bash); for fish: trawl --generate complete-fish > ~/.config/fish/completions/trawl.fish; for zsh, save the script as _trawl in a folder on $fpath."))
        line(".SH \"CONFIG FILE\"")
        line(text(Help.configText))
        line(".SH ENVIRONMENT")
        line(".TP")
        line("\\fBTRAWL_CONFIG_PATH\\fR")
        line(text("A file of default arguments, one per line (see CONFIG FILE)."))
        line(".TP")
        line("\\fBNO_COLOR\\fR")
        line(text("When set (to anything), --color auto prints no colour."))
        line(".TP")
        line("\\fBTERM\\fR")
        line(text("TERM=dumb turns --color auto off."))
        line(".SH \"EXIT STATUS\"")
        line(text("0 when something was found (a match, a listed file, every checksum OK), 1 when nothing was (or a checksum did not match), 2 on an error (the rest of the work still completes), 130 after Ctrl-C, 143 after SIGTERM. Error messages start with 'trawl:'."))
        line(".SH EXAMPLES")
        for (example, meaning) in examples {
            line(".TP")
            line(escape(example))
            line(text(meaning))
        }
        line(".SH \"SEE ALSO\"")
        line("\\fBrg\\fR(1), \\fBfind\\fR(1), \\fBsha256sum\\fR(1), \\fBb3sum\\fR(1), \\fBjdupes\\fR(1)")
        return page
    }

    static let examples: [(String, String)] = [
        ("trawl grep -i todo src", "Search src for 'todo' in any case."),
        ("trawl files -t swift -g '!Tests/**'", "List the Swift files outside Tests."),
        ("trawl hash -a blake3 -o MANIFEST .", "Write a BLAKE3 manifest of the tree, hidden and ignored files included."),
        ("trawl check MANIFEST", "Verify the tree against it."),
        ("git ls-files -z | trawl grep --files-from - -0 -l FIXME", "Search only tracked files."),
    ]

    /// `trawl grep [OPTIONS] PATTERN [PATH...]` with the command in bold, the rest as given.
    static func synopsis(_ usage: String) -> String {
        let words = usage.split(separator: " ").map(String.init)
        return words.enumerated().map { index, word in
            index < 2 ? "\\fB\(escape(word))\\fR" : escape(word)
        }.joined(separator: " ")
    }

    /// `\fB\-i\fR, \fB\-\-ignore\-case\fR \fIPATTERN\fR`
    static func flagTerm(_ flag: FlagSpec) -> String {
        var term = ""
        if let short = flag.short { term += "\\fB\\-\(escape(String(short)))\\fR, " }
        term += "\\fB\\-\\-\(escape(flag.long))\\fR"
        if let value = flag.valueName { term += " \\fI\(escape(value))\\fR" }
        return term
    }

    /// A paragraph of prose; roff joins and fills the words itself.
    static func text(_ prose: String) -> String {
        let escaped = escape(prose)
        // A line starting with . or ' would be read as a request.
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    /// Backslashes print as themselves (\e), dashes as ASCII minus (\-) so flags copy-paste.
    static func escape(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.count)
        for character in raw {
            switch character {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case "\n": out += "\n.br\n"
            default: out.append(character)
            }
        }
        return out
    }
}
