/// Every subcommand and its flags: the one table the parser, help, man page and
/// completions are generated from.
public enum Commands {
    public static let version = "0.1.0"

    /// Worker threads when -j is not given: more than the cores, since on a cold cache each
    /// read waits on the disk and the waits overlap; more than 32 gained nothing (DESIGN.md,
    /// "Feeding the pool").
    public static let defaultThreads = 32

    static let fileTypeHint = FlagSpec.ValueKind.text("TYPE")

    /// Flags every command has.
    static let common: [FlagSpec] = [
        FlagSpec("help", short: "h", group: "Other", "Print help (-h short, --help full)."),
        FlagSpec("version", short: "V", group: "Other", "Print the version."),
        FlagSpec("no-config", group: "Other", "Ignore the config file TRAWL_CONFIG_PATH names (default arguments, one per line; each command takes only the flags it knows from it)."),
    ]

    /// How files are found: shared by files, grep, hash and dupes (one walker for every job).
    /// - Parameter sortKeys: the orders `--sort` takes; files and grep add ripgrep's time orders.
    static func walkFlags(sortDefault: String, sortKeys: [String] = ["path", "none"]) -> [FlagSpec] {
        [
            FlagSpec("files-from", value: .path("FILE"), group: "Input",
                     "Read the paths to scan from FILE ('-' for stdin), one per line (NUL-separated with -0), instead of walking."),
            FlagSpec("null", short: "0", group: "Input",
                     "NUL mode for the whole pipe: --files-from reads NUL-separated paths and every printed path ends with NUL."),
            FlagSpec("sort", value: .choice("ORDER", sortKeys), group: "Output", defaultValue: sortDefault,
                     sortKeys.count > 2
                        ? "Output order: 'path' (sorted, still walked in parallel), 'modified', 'accessed' or 'created' (oldest first; output waits for the whole walk), or 'none' (as files complete)."
                        : "Output order: 'path' (sorted, still walked in parallel) or 'none' (as files complete)."),
            FlagSpec("unrestricted", short: "u", group: "Filter",
                     "Less filtering: -u drops ignore rules, -uu also shows hidden files, -uuu also searches binary files."),
            FlagSpec("no-ignore", group: "Filter", "Don't respect .gitignore, .ignore and the other ignore files."),
            FlagSpec("no-ignore-vcs", group: "Filter", "Don't respect git's ignore files (.gitignore, info/exclude, global); .ignore still applies."),
            FlagSpec("no-ignore-parent", group: "Filter", "Don't read ignore files in the directories above the search roots."),
            FlagSpec("no-require-git", group: "Filter", "Respect .gitignore files also outside git repositories."),
            FlagSpec("require-git", group: "Filter", "Undo --no-require-git."),
            FlagSpec("no-ignore-dot", group: "Filter", "Don't respect .ignore and .rgignore files."),
            FlagSpec("ignore-dot", group: "Filter", "Undo --no-ignore-dot."),
            FlagSpec("no-ignore-exclude", group: "Filter", "Don't respect a repository's .git/info/exclude."),
            FlagSpec("ignore-exclude", group: "Filter", "Undo --no-ignore-exclude."),
            FlagSpec("no-ignore-global", group: "Filter", "Don't respect git's global excludes file (core.excludesFile)."),
            FlagSpec("ignore-global", group: "Filter", "Undo --no-ignore-global."),
            FlagSpec("ignore-file", value: .path("PATH"), group: "Filter",
                     "Also respect PATH, a gitignore-syntax file, below every other ignore file; its globs match paths relative to the current directory. Repeatable."),
            FlagSpec("no-ignore-files", group: "Filter", "Don't respect the --ignore-file files."),
            FlagSpec("ignore-files", group: "Filter", "Undo --no-ignore-files."),
            FlagSpec("ignore-file-case-insensitive", group: "Filter", "Match the globs of every ignore file case-insensitively."),
            FlagSpec("no-ignore-file-case-insensitive", group: "Filter", "Undo --ignore-file-case-insensitive."),
            FlagSpec("glob-case-insensitive", group: "Filter", "Match every -g glob case-insensitively (as --iglob)."),
            FlagSpec("no-glob-case-insensitive", group: "Filter", "Undo --glob-case-insensitive."),
            FlagSpec("max-filesize", value: .text("SIZE"), group: "Filter",
                     "Skip files found by walking that are larger than SIZE bytes (K, M or G suffixes: 1024-based)."),
            FlagSpec("hidden", group: "Filter", "Include hidden files and directories (names starting with a dot)."),
            FlagSpec("glob", short: "g", value: .text("GLOB"), group: "Filter",
                     "Include files matching GLOB (gitignore syntax, relative to the root); '!GLOB' excludes. Repeatable."),
            FlagSpec("iglob", value: .text("GLOB"), group: "Filter", "Like --glob, matched case-insensitively."),
            FlagSpec("type", short: "t", value: fileTypeHint, group: "Filter", "Only files of TYPE (see --type-list). Repeatable."),
            FlagSpec("type-not", short: "T", value: fileTypeHint, group: "Filter", "Skip files of TYPE. Repeatable."),
            FlagSpec("type-add", value: .text("TYPE:GLOB"), group: "Filter", "Define or extend a file type, e.g. 'web:*.html'."),
            FlagSpec("type-clear", value: fileTypeHint, group: "Filter", "Forget the globs of TYPE (built in or added before); --type-add may add new ones."),
            FlagSpec("type-list", group: "Filter", "Print the file types and their globs, then exit (no PATTERN needed)."),
            FlagSpec("max-depth", short: "d", value: .number("N"), group: "Filter", "Descend at most N directories below a root."),
            FlagSpec("maxdepth", value: .number("N"), group: "Filter", "Same as --max-depth."),
            FlagSpec("follow", short: "L", group: "Filter", "Follow symbolic links (loops are reported and skipped)."),
            FlagSpec("one-file-system", group: "Filter", "Don't cross file system boundaries."),
            FlagSpec("threads", short: "j", value: .number("N"), group: "Performance",
                     defaultValue: "32", "Worker threads, each waiting on one read at a time (on a cold cache reads wait on the disk, so many pay off). Directory reading uses up to 16 threads (more on more cores), at most N."),
        ]
    }

    /// IO concurrency beyond the threads: the second knob, for the commands that read whole
    /// files through a scan (grep, hash, check --audit; dupes reads only what it compares).
    static let readAhead = FlagSpec("read-ahead", value: .number("N"), group: "Performance", defaultValue: "32; 0 with -j 1",
                                    "While reads wait on the disk, each worker first reads up to N files of a directory ahead in one io_uring submission, so they wait together and neighbouring files merge into few disk requests. 0 or 1: none, every read waits alone (-j 1 then reads one file at a time, as rg -j 1). At most 32.")

    /// ripgrep's reversed and deprecated sort flags, for the commands that take its time orders.
    static let ripgrepSortFlags: [FlagSpec] = [
        FlagSpec("sortr", value: .choice("ORDER", ripgrepSortKeys), group: "Output",
                 "Like --sort, in reverse order (newest first for the times)."),
        FlagSpec("sort-files", group: "Output", "Same as --sort path (ripgrep's older spelling)."),
        FlagSpec("no-sort-files", group: "Output", "Undo --sort-files."),
    ]
    static let ripgrepSortKeys = ["path", "modified", "accessed", "created", "none"]

    public static let files = CommandSpec(
        name: "files", summary: "List the files a scan would read (ripgrep's --files, fd, find)",
        usage: "trawl files [OPTIONS] [PATH...]",
        flags: [
            FlagSpec("quiet", short: "q", group: "Output", "Print nothing; exit 0 when a file would be listed, 1 when none."),
        ] + walkFlags(sortDefault: "none", sortKeys: ripgrepSortKeys) + ripgrepSortFlags + common,
        details: "Walks each PATH (default: the current directory) with ripgrep's rules: .gitignore, .ignore and git's exclude files are respected, hidden files skipped. Paths are printed as given; with no PATH, without a ./ prefix.")

    public static let grep = CommandSpec(
        name: "grep", summary: "Search files for lines matching a regular expression (ripgrep's job)",
        usage: "trawl grep [OPTIONS] PATTERN [PATH...]\n       trawl grep [OPTIONS] -e PATTERN... [PATH...]",
        flags: [
            FlagSpec("regexp", short: "e", value: .text("PATTERN"), group: "Pattern", "A pattern to search for. Repeatable: a line matching any of them matches."),
            FlagSpec("file", short: "f", value: .path("FILE"), group: "Pattern", "Read patterns from FILE, one per line ('-' for stdin)."),
            FlagSpec("fixed-strings", short: "F", group: "Pattern", "Treat patterns as literal strings."),
            FlagSpec("ignore-case", short: "i", group: "Pattern", "Match case-insensitively (Unicode simple case folding)."),
            FlagSpec("case-sensitive", short: "s", group: "Pattern", "Match case-sensitively (the default; overrides -i and -S)."),
            FlagSpec("smart-case", short: "S", group: "Pattern", "Case-insensitive unless a pattern has an uppercase letter."),
            FlagSpec("word-regexp", short: "w", group: "Pattern", "Only matches surrounded by word boundaries."),
            FlagSpec("line-regexp", short: "x", group: "Pattern", "Only matches spanning whole lines."),
            FlagSpec("invert-match", short: "v", group: "Pattern", "Select lines that do not match."),
            FlagSpec("multiline", short: "U", group: "Pattern", "Let matches span lines (reads each file whole)."),
            FlagSpec("crlf", group: "Pattern", "Treat CRLF as a line terminator: $ matches before \\r\\n."),
            FlagSpec("engine", value: .choice("ENGINE", ["default", "auto", "swift", "pcre2"]), group: "Pattern", defaultValue: "default",
                     "Regex engine: trawl's own (linear time); 'swift' (Swift Regex: look-around and backreferences, slow; 'pcre2' is the same, for rg's configs); 'auto': trawl's, or Swift's for a pattern trawl's cannot read."),
            FlagSpec("pcre2", short: "P", group: "Pattern", "Same as --engine swift (rg's -P: Swift Regex stands in for PCRE2)."),
            FlagSpec("swift-regex", group: "Pattern", "Same as --engine swift."),
            FlagSpec("no-pcre2", group: "Pattern", "Undo -P: trawl's own engine."),
            FlagSpec("auto-hybrid-regex", group: "Pattern", "Same as --engine auto."),
            FlagSpec("no-auto-hybrid-regex", group: "Pattern", "Undo --auto-hybrid-regex."),
            FlagSpec("no-unicode", group: "Pattern", "ASCII semantics: \\w, \\d, \\s, \\b and case folding see ASCII only, . matches any byte."),
            FlagSpec("unicode", group: "Pattern", "Undo --no-unicode."),
            FlagSpec("multiline-dotall", group: "Pattern", "With -U, let . match a newline too."),
            FlagSpec("no-multiline-dotall", group: "Pattern", "Undo --multiline-dotall."),
            FlagSpec("regex-size-limit", value: .text("SIZE"), group: "Pattern",
                     "Fail when the compiled pattern is bigger than SIZE bytes (K, M or G suffixes)."),
            FlagSpec("dfa-size-limit", value: .text("SIZE"), group: "Pattern",
                     "Accepted for rg's configs (SIZE checked); trawl's lazy DFA manages its own cache."),
            FlagSpec("text", short: "a", group: "Pattern", "Search binary files as if they were text."),
            FlagSpec("no-text", group: "Pattern", "Undo -a."),
            FlagSpec("binary", group: "Pattern", "Search binary files found by walking as named ones are: report \"binary file matches\" instead of stopping at the first NUL."),
            FlagSpec("no-binary", group: "Pattern", "Undo --binary."),
            FlagSpec("search-zip", short: "z", group: "Input",
                     "Search compressed files (gz, bz2, xz, lz4, lzma, br, zst, Z) through their decompressor on PATH (gzip, bzip2, xz, lz4, brotli, zstd, uncompress), as rg."),
            FlagSpec("no-search-zip", group: "Input", "Undo -z."),
            FlagSpec("pre", value: .path("COMMAND"), group: "Input",
                     "Search the output of 'COMMAND PATH' (the file also on its stdin) instead of each file; never for stdin."),
            FlagSpec("no-pre", group: "Input", "Undo --pre."),
            FlagSpec("pre-glob", value: .text("GLOB"), group: "Input", "Run --pre only for files whose name matches GLOB. Repeatable."),
            FlagSpec("encoding", short: "E", value: .text("ENCODING"), group: "Input", defaultValue: "auto",
                     "Read files as ENCODING: auto (UTF-8, or UTF-16 by its BOM), utf-8, utf-16le, utf-16be, a WHATWG single-byte encoding (latin1/windows-1252, iso-8859-2...16, koi8-r, windows-1250...1258, ...), or none (raw bytes, no BOM sniffing). A BOM wins over the label, as rg."),
            FlagSpec("no-encoding", group: "Input", "Undo -E: auto."),
            FlagSpec("null-data", group: "Input", "NUL ends lines instead of newline, in the input and the output (implies -a)."),
            FlagSpec("mmap", group: "Performance", "Accepted for rg's configs: trawl decides itself when to map a file."),
            FlagSpec("no-mmap", group: "Performance", "Accepted for rg's configs: trawl decides itself when to map a file."),
            FlagSpec("count", short: "c", group: "Output", "Print the number of matching lines per file."),
            FlagSpec("files-with-matches", short: "l", group: "Output", "Print only the paths of files with a match."),
            FlagSpec("files-without-match", group: "Output", "Print only the paths of files without a match (-L is --follow, as in ripgrep)."),
            FlagSpec("only-matching", short: "o", group: "Output", "Print each match on its own line, not the whole line."),
            FlagSpec("line-number", short: "n", group: "Output", defaultValue: "on for a terminal", "Show line numbers."),
            FlagSpec("no-line-number", short: "N", group: "Output", "Hide line numbers."),
            FlagSpec("column", group: "Output", "Show the column (1-based byte offset) of the first match; implies -n."),
            FlagSpec("after-context", short: "A", value: .number("N"), group: "Output", "Show N lines after each match."),
            FlagSpec("before-context", short: "B", value: .number("N"), group: "Output", "Show N lines before each match."),
            FlagSpec("context", short: "C", value: .number("N"), group: "Output", "Show N lines before and after each match."),
            FlagSpec("max-count", short: "m", value: .number("N"), group: "Output", "Stop reading a file after N matching lines."),
            FlagSpec("quiet", short: "q", group: "Output", "Print nothing; exit 0 at the first match."),
            FlagSpec("json", group: "Output", "JSON Lines in ripgrep's --json schema."),
            FlagSpec("color", value: .choice("WHEN", ["auto", "always", "never"]), group: "Output", defaultValue: "auto",
                     "Colour matches, paths and line numbers (auto: on a terminal, unless NO_COLOR or TERM=dumb; ansi: as always)."),
            FlagSpec("heading", group: "Output", defaultValue: "on for a terminal", "Print each file's path once above its matches."),
            FlagSpec("no-heading", group: "Output", "Print the path on every line."),
            FlagSpec("with-filename", short: "H", group: "Output", "Print the path with each match, even for one file."),
            FlagSpec("no-filename", short: "I", group: "Output", "Never print paths with matches."),
            FlagSpec("stats", group: "Output", "Print totals (files, matches, bytes, time) at the end."),
            FlagSpec("replace", short: "r", value: .text("TEXT"), group: "Output",
                     "Print each match replaced by TEXT: $0 the match, $1 or ${1} a group, $name or ${name} a named group, $$ a dollar."),
            FlagSpec("passthru", group: "Output", "Print every line: matches as usual, the others as context lines."),
            FlagSpec("passthrough", group: "Output", "Same as --passthru."),
            FlagSpec("vimgrep", group: "Output", "One line per match: path:line:column:line (as vim's grepformat reads), even several per line."),
            FlagSpec("byte-offset", short: "b", group: "Output", "Print the 0-based byte offset of each line (of each match with -o) before it."),
            FlagSpec("max-columns", short: "M", value: .number("N"), group: "Output",
                     "Don't print lines longer than N bytes: print that they were omitted. 0: no limit."),
            FlagSpec("max-columns-preview", group: "Output", "With -M, print the first N bytes of a long line and what was left out."),
            FlagSpec("no-byte-offset", group: "Output", "Undo -b."),
            FlagSpec("no-column", group: "Output", "Undo --column (also under --vimgrep)."),
            FlagSpec("no-include-zero", group: "Output", "Undo --include-zero."),
            FlagSpec("no-line-buffered", group: "Output", "Undo --line-buffered."),
            FlagSpec("no-block-buffered", group: "Output", "Undo --block-buffered."),
            FlagSpec("pretty", short: "p", group: "Output", "Same as --color always --heading --line-number."),
            FlagSpec("no-max-columns-preview", group: "Output", "Undo --max-columns-preview."),
            FlagSpec("trim", group: "Output", "Leave out the ASCII whitespace at the start of each printed line."),
            FlagSpec("no-trim", group: "Output", "Undo --trim."),
            FlagSpec("count-matches", group: "Output", "Print the number of matches per file (not of matching lines)."),
            FlagSpec("include-zero", group: "Output", "With -c or --count-matches, also print the files with no match (count 0)."),
            FlagSpec("context-separator", value: .text("SEP"), group: "Output", defaultValue: "--",
                     "The line between non-adjacent context groups (escapes such as \\t and \\x7F are read)."),
            FlagSpec("no-context-separator", group: "Output", "Print nothing between context groups."),
            FlagSpec("field-match-separator", value: .text("SEP"), group: "Output", defaultValue: ":",
                     "Between the path, line number, column and text of a matching line."),
            FlagSpec("field-context-separator", value: .text("SEP"), group: "Output", defaultValue: "-",
                     "Between the path, line number and text of a context line."),
            FlagSpec("path-separator", value: .text("SEP"), group: "Output", "Print paths with this byte in place of '/'."),
            FlagSpec("line-buffered", group: "Output", defaultValue: "on for a terminal",
                     "Write each line as it is found (tail -f log | trawl grep ERROR)."),
            FlagSpec("block-buffered", group: "Output", "Write output in blocks, also to a terminal."),
            FlagSpec("colors", value: .text("SPEC"), group: "Output",
                     "Change a colour, as ripgrep's TYPE:ATTRIBUTE:VALUE: path, line, column or match; fg, bg (a name, 0-255 or R,G,B) or style (bold, intense, underline, italic and their no- forms); 'match:none' clears. Repeatable."),
            FlagSpec("no-messages", group: "Output", "Don't print messages about files that cannot be read (the exit status still tells)."),
            FlagSpec("messages", group: "Output", "Undo --no-messages."),
            FlagSpec("stop-on-nonmatch", group: "Output", "Stop reading a file at the first non-matching line after a match."),
        ] + walkFlags(sortDefault: "none", sortKeys: ripgrepSortKeys) + ripgrepSortFlags + [readAhead] + common,
        details: "Searches every file under each PATH (default: the current directory, or stdin when it is not a terminal). Exit status: 0 a match, 1 no match, 2 an error.")

    public static let hash = CommandSpec(
        name: "hash", summary: "Checksum every file of a tree (sha256sum, b3sum, hashdeep)",
        usage: "trawl hash [OPTIONS] [PATH...]",
        flags: [
            FlagSpec("algo", short: "a", value: .choice("NAME", ["sha256", "sha512", "sha1", "md5", "blake3", "xxh3", "xxh128", "xxh64", "crc32", "crc32b"]),
                     group: "Digest", defaultValue: "sha256", "Algorithm; repeat or give a comma list for several digests in one read."),
            FlagSpec("tag", group: "Output", "BSD-style lines: SHA256 (path) = HEX."),
            FlagSpec("zero", short: "z", group: "Output", "End each line with NUL instead of newline, without escaping names."),
            FlagSpec("json", group: "Output", "JSON Lines records: path, size, algorithm, digest."),
            FlagSpec("output", short: "o", value: .path("FILE"), group: "Output", "Write the manifest to FILE atomically (temporary file + rename)."),
            FlagSpec("quiet", short: "q", group: "Output", "No progress line (otherwise shown on a terminal's stderr once a run takes a second)."),
        ] + walkFlags(sortDefault: "path") + [readAhead] + common,
        details: "Every regular file is hashed by default, hidden and ignored ones too (a checksum that skips files loses data); the filter flags opt into filtering. Output is coreutils' format, in path order.")

    public static let check = CommandSpec(
        name: "check", summary: "Verify files against checksum manifests (sha256sum -c)",
        usage: "trawl check [OPTIONS] MANIFEST...",
        flags: [
            FlagSpec("algo", short: "a", value: .choice("NAME", ["sha256", "sha512", "sha1", "md5", "blake3", "xxh3", "xxh128", "xxh64", "crc32b"]),
                     group: "Digest", "Algorithm of the manifest (default: from the tag or the digest length)."),
            FlagSpec("quiet", group: "Output", "Don't print OK for each verified file."),
            FlagSpec("status", group: "Output", "Print nothing; the exit status tells."),
            FlagSpec("strict", group: "Output", "Exit non-zero for improperly formatted lines."),
            FlagSpec("warn", short: "w", group: "Output", "Warn about improperly formatted lines."),
            FlagSpec("ignore-missing", group: "Output", "Don't fail or report status for missing files."),
            FlagSpec("audit", value: .path("DIR"), group: "Audit", "Compare the manifest with the tree DIR: changed, moved, new, missing."),
            FlagSpec("threads", short: "j", value: .number("N"), group: "Performance", defaultValue: "32", "Worker threads, each waiting on one read at a time."),
            readAhead,
        ] + common,
        details: "Reads manifests of trawl hash, sha*sum/md5sum (GNU and --tag lines), b3sum and xxhsum. Exit status as sha256sum -c: 0 all OK, 1 a mismatch or unreadable file.")

    public static let dupes = CommandSpec(
        name: "dupes", summary: "Find files with identical content (jdupes, fdupes)",
        usage: "trawl dupes [OPTIONS] [PATH...]",
        flags: [
            FlagSpec("hardlinks", group: "Dupes", "Report hard links to the same file as duplicates too."),
            FlagSpec("verify", group: "Dupes", "Confirm each group byte by byte."),
            FlagSpec("empty", group: "Dupes", "Include empty files."),
            FlagSpec("min-size", value: .number("BYTES"), group: "Dupes", "Ignore files smaller than BYTES."),
            FlagSpec("json", group: "Output", "JSON Lines, one record per group."),
            FlagSpec("stats", group: "Output", "Print a summary on stderr: files, groups, bytes reclaimable."),
        ] + walkFlags(sortDefault: "path") + common,
        details: "Groups by size, drops repeated hard links, compares the first and last blocks, then a full hash. Never deletes anything.")

    public static let all: [CommandSpec] = [grep, files, hash, check, dupes]

    public static func named(_ name: String) -> CommandSpec? { all.first { $0.name == name } }
}
