import Digest

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
        FlagSpec(.help, short: "h", group: "Other", "Print help (-h short, --help full)."),
        FlagSpec(.version, short: "V", group: "Other", "Print the version."),
        FlagSpec(.noConfig, group: "Other", "Ignore the config file TRAWL_CONFIG_PATH names (default arguments, one per line; each command takes only the flags it knows from it)."),
    ]

    /// How files are found: shared by files, grep, hash and dupes (one walker for every job).
    /// - Parameter sortKeys: the orders `--sort` takes; files and grep add ripgrep's time orders.
    static func walkFlags(sortDefault: String, sortKeys: [String] = ["path", "none"]) -> [FlagSpec] {
        [
            FlagSpec(.filesFrom, value: .path("FILE"), group: "Input",
                     "Read the paths to scan from FILE ('-' for stdin), one per line (NUL-separated with -0), instead of walking."),
            FlagSpec(.null, short: "0", group: "Input",
                     "NUL mode for the whole pipe: --files-from reads NUL-separated paths and every printed path ends with NUL."),
            FlagSpec(.sort, value: .choice("ORDER", sortKeys), group: "Output", defaultValue: sortDefault,
                     sortKeys.count > 2
                        ? "Output order: 'path' (sorted, still walked in parallel), 'modified', 'accessed' or 'created' (oldest first; output waits for the whole walk), or 'none' (as files complete)."
                        : "Output order: 'path' (sorted, still walked in parallel) or 'none' (as files complete)."),
            FlagSpec(.unrestricted, short: "u", group: "Filter",
                     "Less filtering: -u drops ignore rules, -uu also shows hidden files, -uuu also searches binary files."),
            FlagSpec(.noIgnore, group: "Filter", "Don't respect .gitignore, .ignore and the other ignore files."),
            FlagSpec(.noIgnoreVcs, group: "Filter", "Don't respect git's ignore files (.gitignore, info/exclude, global); .ignore still applies."),
            FlagSpec(.noIgnoreParent, group: "Filter", "Don't read ignore files in the directories above the search roots."),
            FlagSpec(.noRequireGit, group: "Filter", "Respect .gitignore files also outside git repositories."),
            FlagSpec(.requireGit, group: "Filter", "Undo --no-require-git."),
            FlagSpec(.noIgnoreDot, group: "Filter", "Don't respect .ignore and .rgignore files."),
            FlagSpec(.ignoreDot, group: "Filter", "Undo --no-ignore-dot."),
            FlagSpec(.noIgnoreExclude, group: "Filter", "Don't respect a repository's .git/info/exclude."),
            FlagSpec(.ignoreExclude, group: "Filter", "Undo --no-ignore-exclude."),
            FlagSpec(.noIgnoreGlobal, group: "Filter", "Don't respect git's global excludes file (core.excludesFile)."),
            FlagSpec(.ignoreGlobal, group: "Filter", "Undo --no-ignore-global."),
            FlagSpec(.ignoreFile, value: .path("PATH"), group: "Filter",
                     "Also respect PATH, a gitignore-syntax file, below every other ignore file; its globs match paths relative to the current directory. Repeatable."),
            FlagSpec(.noIgnoreFiles, group: "Filter", "Don't respect the --ignore-file files."),
            FlagSpec(.ignoreFiles, group: "Filter", "Undo --no-ignore-files."),
            FlagSpec(.ignoreFileCaseInsensitive, group: "Filter", "Match the globs of every ignore file case-insensitively."),
            FlagSpec(.noIgnoreFileCaseInsensitive, group: "Filter", "Undo --ignore-file-case-insensitive."),
            FlagSpec(.globCaseInsensitive, group: "Filter", "Match every -g glob case-insensitively (as --iglob)."),
            FlagSpec(.noGlobCaseInsensitive, group: "Filter", "Undo --glob-case-insensitive."),
            FlagSpec(.maxFilesize, value: .text("SIZE"), group: "Filter",
                     "Skip files found by walking that are larger than SIZE bytes (K, M or G suffixes: 1024-based)."),
            FlagSpec(.hidden, group: "Filter", "Include hidden files and directories (names starting with a dot)."),
            FlagSpec(.glob, short: "g", value: .text("GLOB"), group: "Filter",
                     "Include files matching GLOB (gitignore syntax with {a,b} alternatives, relative to the root); '!GLOB' excludes. Repeatable."),
            FlagSpec(.iglob, value: .text("GLOB"), group: "Filter", "Like --glob, matched case-insensitively."),
            FlagSpec(.type, short: "t", value: fileTypeHint, group: "Filter", "Only files of TYPE (see --type-list). Repeatable."),
            FlagSpec(.typeNot, short: "T", value: fileTypeHint, group: "Filter", "Skip files of TYPE. Repeatable."),
            FlagSpec(.typeAdd, value: .text("TYPE:GLOB"), group: "Filter", "Define or extend a file type, e.g. 'web:*.html'."),
            FlagSpec(.typeClear, value: fileTypeHint, group: "Filter", "Forget the globs of TYPE (built in or added before); --type-add may add new ones."),
            FlagSpec(.typeList, group: "Filter", "Print the file types and their globs, then exit (no PATTERN needed)."),
            FlagSpec(.maxDepth, short: "d", value: .number("N"), group: "Filter", "Descend at most N directories below a root."),
            FlagSpec(.maxdepth, value: .number("N"), group: "Filter", "Same as --max-depth."),
            FlagSpec(.follow, short: "L", group: "Filter", "Follow symbolic links (loops are reported and skipped)."),
            FlagSpec(.oneFileSystem, group: "Filter", "Don't cross file system boundaries."),
            FlagSpec(.threads, short: "j", value: .number("N"), group: "Performance",
                     defaultValue: "32", "Worker threads, each waiting on one read at a time (on a cold cache reads wait on the disk, so many pay off). Directory reading uses up to 16 threads (more on more cores), at most N."),
        ]
    }

    /// `--shard I/N`: for the commands whose outputs add up across shards (not dupes, whose
    /// duplicates may lie in different shards).
    static let shard = FlagSpec(.shard, value: .text("I/N"), group: "Filter",
                                "Only the files (with find: entries) of shard I of N (1 <= I <= N): those whose path relative to its root (a root that is a file, or a --files-from path: the path as given) has a 64-bit FNV-1a hash equal to I-1 modulo N. N runs, one per shard, on as many machines or processes, cover every file once; their sorted outputs merge (sort -m) into the unsharded output.")

    /// IO concurrency beyond the threads: the second knob, for the commands that read whole
    /// files through a scan (grep, hash, check --audit; dupes reads only what it compares).
    static let readAhead = FlagSpec(.readAhead, value: .number("N"), group: "Performance", defaultValue: "32; 0 with -j 1",
                                    "While reads wait on the disk, each worker first reads up to N files of a directory ahead in one io_uring submission, so they wait together and neighbouring files merge into few disk requests. 0 or 1: none, every read waits alone (-j 1 then reads one file at a time, as rg -j 1). At most 32.")

    /// Every `-a` value, as hash and check list them.
    static let algorithmNames = Algorithm.allCases.map(\.name)
    /// check's "128 hex digits sha512; 64 sha256 or blake3; ...": each hex length's candidates.
    static let candidatesByLength: String = {
        let lengths = Set(Algorithm.allCases.map { $0.digestLength * 2 }).sorted(by: >)
        return lengths.enumerated().map { index, length in
            "\(length)\(index == 0 ? " hex digits" : "") "
                + Algorithm.candidates(forHexLength: length).map(\.name).joined(separator: " or ")
        }.joined(separator: "; ")
    }()
    /// ripgrep's reversed and deprecated sort flags, for the commands that take its time orders.
    static let ripgrepSortFlags: [FlagSpec] = [
        FlagSpec(.sortr, value: .choice("ORDER", ripgrepSortKeys), group: "Output",
                 "Like --sort, in reverse order (newest first for the times)."),
        FlagSpec(.sortFiles, group: "Output", "Same as --sort path (ripgrep's older spelling)."),
        FlagSpec(.noSortFiles, group: "Output", "Undo --sort-files."),
    ]
    static let ripgrepSortKeys = ["path", "modified", "accessed", "created", "none"]

    public static let files = CommandSpec(
        name: "files", summary: "List the files a scan would read (ripgrep's --files)",
        usage: "trawl files [OPTIONS] [PATH...]",
        flags: [
            FlagSpec(.quiet, short: "q", group: "Output", "Print nothing; exit 0 when a file would be listed, 1 when none."),
        ] + walkFlags(sortDefault: "none", sortKeys: ripgrepSortKeys) + ripgrepSortFlags + [shard] + common,
        details: "Walks each PATH (default: the current directory) with ripgrep's rules: .gitignore, .ignore and git's exclude files are respected, hidden files skipped. Paths are printed as given; with no PATH, without a ./ prefix.",
        run: FilesCommand.run)

    public static let grep = CommandSpec(
        name: "grep", summary: "Search files for lines matching a regular expression (ripgrep's job)",
        usage: "trawl grep [OPTIONS] PATTERN [PATH...]\n       trawl grep [OPTIONS] -e PATTERN... [PATH...]",
        flags: [
            FlagSpec(.regexp, short: "e", value: .text("PATTERN"), group: "Pattern", "A pattern to search for. Repeatable: a line matching any of them matches. A regex holding invalid UTF-8 is refused: write a byte as (?-u:\\xFF), or use -F."),
            FlagSpec(.file, short: "f", value: .path("FILE"), group: "Pattern", "Read patterns from FILE, one per line ('-' for stdin)."),
            FlagSpec(.fixedStrings, short: "F", group: "Pattern", "Treat patterns as literal strings, matched byte for byte (invalid UTF-8 included)."),
            FlagSpec(.ignoreCase, short: "i", group: "Pattern", "Match case-insensitively (Unicode simple case folding)."),
            FlagSpec(.caseSensitive, short: "s", group: "Pattern", "Match case-sensitively (the default; overrides -i and -S)."),
            FlagSpec(.smartCase, short: "S", group: "Pattern", "Case-insensitive unless a pattern has an uppercase letter."),
            FlagSpec(.wordRegexp, short: "w", group: "Pattern", "Only matches surrounded by word boundaries."),
            FlagSpec(.lineRegexp, short: "x", group: "Pattern", "Only matches spanning whole lines."),
            FlagSpec(.invertMatch, short: "v", group: "Pattern", "Select lines that do not match."),
            FlagSpec(.multiline, short: "U", group: "Pattern", "Let matches span lines (reads each file whole)."),
            FlagSpec(.crlf, group: "Pattern", "Treat CRLF as a line terminator: $ matches before \\r\\n."),
            FlagSpec(.engine, value: .choice("ENGINE", ["default", "auto", "swift", "pcre2"]), group: "Pattern", defaultValue: "default",
                     "Regex engine: trawl's own (linear time); 'pcre2' (trawl's backtracking engine, PCRE2 syntax: look-around, backreferences, atomic groups; 'swift' is the same); 'auto': trawl's, or the backtracking one for a pattern that needs it."),
            FlagSpec(.pcre2, short: "P", group: "Pattern", "Same as --engine pcre2: PCRE2 syntax with look-around and backreferences, matched by trawl's backtracking engine, a line at a time."),
            FlagSpec(.swiftRegex, group: "Pattern", "Same as --engine pcre2."),
            FlagSpec(.noPcre2, group: "Pattern", "Undo -P: trawl's own engine."),
            FlagSpec(.autoHybridRegex, group: "Pattern", "Same as --engine auto."),
            FlagSpec(.noAutoHybridRegex, group: "Pattern", "Undo --auto-hybrid-regex."),
            FlagSpec(.noUnicode, group: "Pattern", "ASCII semantics: \\w, \\d, \\s, \\b and case folding see ASCII only, . matches any byte."),
            FlagSpec(.unicode, group: "Pattern", "Undo --no-unicode."),
            FlagSpec(.multilineDotall, group: "Pattern", "With -U, let . match a newline too."),
            FlagSpec(.noMultilineDotall, group: "Pattern", "Undo --multiline-dotall."),
            FlagSpec(.regexSizeLimit, value: .text("SIZE"), group: "Pattern",
                     "Fail when the compiled pattern is bigger than SIZE bytes (K, M or G suffixes)."),
            FlagSpec(.dfaSizeLimit, value: .text("SIZE"), group: "Pattern",
                     "Accepted for rg's configs (SIZE checked); trawl's lazy DFA manages its own cache."),
            FlagSpec(.text, short: "a", group: "Pattern", "Search binary files as if they were text."),
            FlagSpec(.noText, group: "Pattern", "Undo -a."),
            FlagSpec(.binary, group: "Pattern", "Search binary files found by walking as named ones are: report \"binary file matches\" instead of stopping at the first NUL."),
            FlagSpec(.noBinary, group: "Pattern", "Undo --binary."),
            FlagSpec(.searchZip, short: "z", group: "Input",
                     "Search compressed files (gz, bz2, xz, lz4, lzma, br, zst, Z) through their decompressor on PATH (gzip, bzip2, xz, lz4, brotli, zstd, uncompress), as rg."),
            FlagSpec(.noSearchZip, group: "Input", "Undo -z."),
            FlagSpec(.pre, value: .path("COMMAND"), group: "Input",
                     "Search the output of 'COMMAND PATH' (the file also on its stdin) instead of each file; never for stdin."),
            FlagSpec(.noPre, group: "Input", "Undo --pre."),
            FlagSpec(.preGlob, value: .text("GLOB"), group: "Input", "Run --pre only for files whose name matches GLOB. Repeatable."),
            FlagSpec(.encoding, short: "E", value: .text("ENCODING"), group: "Input", defaultValue: "auto",
                     "Read files as ENCODING: auto (UTF-8, or UTF-16 by its BOM), utf-8, utf-16le, utf-16be, a WHATWG single-byte encoding (latin1/windows-1252, iso-8859-2...16, koi8-r, windows-1250...1258, ...), a WHATWG multi-byte encoding (shift_jis/sjis, euc-jp, iso-2022-jp, euc-kr, gbk, gb18030, big5), or none (raw bytes, no BOM sniffing). As rg, a UTF-16 BOM wins over the label and a UTF-8 BOM is dropped."),
            FlagSpec(.noEncoding, group: "Input", "Undo -E: auto."),
            FlagSpec(.nullData, group: "Input", "NUL ends lines instead of newline, in the input and the output (implies -a)."),
            FlagSpec(.mmap, group: "Performance", "Map every file bigger than one read instead of reading it (default: files of 16 MiB or more, and up to 10 files named on the command line, as rg). A mapped file is checked for NUL in its first 64 KiB and in the lines printed."),
            FlagSpec(.noMmap, group: "Performance", "Never map a file: read every one (a big file is then searched on one thread)."),
            FlagSpec(.count, short: "c", group: "Output", "Print the number of matching lines per file."),
            FlagSpec(.filesWithMatches, short: "l", group: "Output", "Print only the paths of files with a match."),
            FlagSpec(.filesWithoutMatch, group: "Output", "Print only the paths of files without a match (-L is --follow, as in ripgrep)."),
            FlagSpec(.onlyMatching, short: "o", group: "Output", "Print each match on its own line, not the whole line."),
            FlagSpec(.lineNumber, short: "n", group: "Output", defaultValue: "on for a terminal", "Show line numbers."),
            FlagSpec(.noLineNumber, short: "N", group: "Output", "Hide line numbers."),
            FlagSpec(.column, group: "Output", "Show the column (1-based byte offset) of the first match; implies -n."),
            FlagSpec(.afterContext, short: "A", value: .number("N"), group: "Output", "Show N lines after each match."),
            FlagSpec(.beforeContext, short: "B", value: .number("N"), group: "Output", "Show N lines before each match."),
            FlagSpec(.context, short: "C", value: .number("N"), group: "Output", "Show N lines before and after each match."),
            FlagSpec(.maxCount, short: "m", value: .number("N"), group: "Output", "Stop reading a file after N matching lines."),
            FlagSpec(.quiet, short: "q", group: "Output", "Print nothing; exit 0 at the first match."),
            FlagSpec(.json, group: "Output", "JSON Lines in ripgrep's --json schema."),
            FlagSpec(.color, value: .choice("WHEN", ["auto", "always", "never"]), group: "Output", defaultValue: "auto",
                     "Colour matches, paths and line numbers (auto: on a terminal, unless NO_COLOR or TERM=dumb; ansi: as always)."),
            FlagSpec(.heading, group: "Output", defaultValue: "on for a terminal", "Print each file's path once above its matches."),
            FlagSpec(.noHeading, group: "Output", "Print the path on every line."),
            FlagSpec(.withFilename, short: "H", group: "Output", "Print the path with each match, even for one file."),
            FlagSpec(.noFilename, short: "I", group: "Output", "Never print paths with matches."),
            FlagSpec(.stats, group: "Output", "Print totals (files, matches, bytes, time) at the end."),
            FlagSpec(.replace, short: "r", value: .text("TEXT"), group: "Output",
                     "Print each match replaced by TEXT: $0 the match, $1 or ${1} a group, $name or ${name} a named group, $$ a dollar."),
            FlagSpec(.passthru, group: "Output", "Print every line: matches as usual, the others as context lines."),
            FlagSpec(.passthrough, group: "Output", "Same as --passthru."),
            FlagSpec(.vimgrep, group: "Output", "One line per match: path:line:column:line (as vim's grepformat reads), even several per line."),
            FlagSpec(.byteOffset, short: "b", group: "Output", "Print the 0-based byte offset of each line (of each match with -o) before it."),
            FlagSpec(.maxColumns, short: "M", value: .number("N"), group: "Output",
                     "Don't print lines longer than N bytes: print that they were omitted. 0: no limit."),
            FlagSpec(.maxColumnsPreview, group: "Output", "With -M, print the first N bytes of a long line and what was left out."),
            FlagSpec(.noByteOffset, group: "Output", "Undo -b."),
            FlagSpec(.noColumn, group: "Output", "Undo --column (also under --vimgrep)."),
            FlagSpec(.noIncludeZero, group: "Output", "Undo --include-zero."),
            FlagSpec(.noLineBuffered, group: "Output", "Undo --line-buffered."),
            FlagSpec(.noBlockBuffered, group: "Output", "Undo --block-buffered."),
            FlagSpec(.pretty, short: "p", group: "Output", "Same as --color always --heading --line-number."),
            FlagSpec(.noMaxColumnsPreview, group: "Output", "Undo --max-columns-preview."),
            FlagSpec(.trim, group: "Output", "Leave out the ASCII whitespace at the start of each printed line."),
            FlagSpec(.noTrim, group: "Output", "Undo --trim."),
            FlagSpec(.countMatches, group: "Output", "Print the number of matches per file (not of matching lines)."),
            FlagSpec(.includeZero, group: "Output", "With -c or --count-matches, also print the files with no match (count 0)."),
            FlagSpec(.contextSeparator, value: .text("SEP"), group: "Output", defaultValue: "--",
                     "The line between non-adjacent context groups (escapes such as \\t and \\x7F are read)."),
            FlagSpec(.noContextSeparator, group: "Output", "Print nothing between context groups."),
            FlagSpec(.fieldMatchSeparator, value: .text("SEP"), group: "Output", defaultValue: ":",
                     "Between the path, line number, column and text of a matching line."),
            FlagSpec(.fieldContextSeparator, value: .text("SEP"), group: "Output", defaultValue: "-",
                     "Between the path, line number and text of a context line."),
            FlagSpec(.pathSeparator, value: .text("SEP"), group: "Output", "Print paths with this byte in place of '/'."),
            FlagSpec(.lineBuffered, group: "Output", defaultValue: "on for a terminal",
                     "Write each line as it is found (tail -f log | trawl grep ERROR)."),
            FlagSpec(.blockBuffered, group: "Output", "Write output in blocks, also to a terminal."),
            FlagSpec(.colors, value: .text("SPEC"), group: "Output",
                     "Change a colour, as ripgrep's TYPE:ATTRIBUTE:VALUE: path, line, column or match; fg, bg (a name, 0-255 or R,G,B) or style (bold, intense, underline, italic and their no- forms); 'match:none' clears. Repeatable."),
            FlagSpec(.noMessages, group: "Output", "Don't print messages about files that cannot be read (the exit status still tells)."),
            FlagSpec(.messages, group: "Output", "Undo --no-messages."),
            FlagSpec(.stopOnNonmatch, group: "Output", "Stop reading a file at the first non-matching line after a match."),
        ] + walkFlags(sortDefault: "none", sortKeys: ripgrepSortKeys) + ripgrepSortFlags + [shard, readAhead] + common,
        details: "Searches every file under each PATH (default: the current directory, or stdin when it is not a terminal). Exit status: 0 a match, 1 no match, 2 an error.",
        run: GrepCommand.run)

    public static let hash = CommandSpec(
        name: "hash", summary: "Checksum every file of a tree (sha256sum, b3sum, hashdeep)",
        usage: "trawl hash [OPTIONS] [PATH...]",
        flags: [
            FlagSpec(.algo, short: "a", value: .choice("NAME", algorithmNames),
                     group: "Digest", defaultValue: "sha256", "Algorithm; repeat or give a comma list for several digests in one read. crc32 is POSIX cksum's CRC, printed as cksum does (CRC SIZE NAME); crc32b is zlib's, 8 hex digits."),
            FlagSpec(.tag, group: "Output", "BSD-style lines: SHA256 (path) = HEX."),
            FlagSpec(.zero, short: "z", group: "Output", "End each line with NUL instead of newline, without escaping names."),
            FlagSpec(.json, group: "Output", "JSON Lines records: path, size, algorithm, digest."),
            FlagSpec(.output, short: "o", value: .path("FILE"), group: "Output", "Write the manifest to FILE atomically (temporary file + rename)."),
            FlagSpec(.quiet, short: "q", group: "Output", "No progress line (otherwise shown on a terminal's stderr once a run takes a second)."),
            FlagSpec(.includeGit, group: "Filter", "Hash the files inside .git directories too (skipped otherwise)."),
        ] + walkFlags(sortDefault: "path") + [shard, readAhead] + common,
        details: "Every regular file is hashed by default, hidden and ignored ones too (a checksum that skips files loses data), except what is inside .git directories (--include-git hashes those too); the filter flags opt into filtering. "
            + "'-' hashes standard input, printed as '-'; with no PATH, stdin is hashed when it is a file or a pipe, else the current directory is walked (grep's rule). "
            + "Output is coreutils' format (sha256sum, b3sum, xxhsum; crc32 as cksum: CRC SIZE NAME), in path order, which 'trawl check' and the tools' -c read. "
            + "With -z or -0 each line ends with NUL and names are not escaped: such a manifest is for 'trawl check' (which tells it by its NULs); coreutils' -c cannot read NUL-separated lines. "
            + "-0 also reads --files-from as NUL-separated paths (find -print0).",
        run: HashCommand.run)

    public static let check = CommandSpec(
        name: "check", summary: "Verify files against checksum manifests (sha256sum -c)",
        usage: "trawl check [OPTIONS] MANIFEST...",
        flags: [
            FlagSpec(.algo, short: "a", value: .choice("NAME", algorithmNames),
                     group: "Digest", "Algorithm of every line, instead of telling it from each line (see above)."),
            FlagSpec(.quiet, group: "Output", "Don't print OK for each verified file."),
            FlagSpec(.status, group: "Output", "Print nothing; the exit status tells."),
            FlagSpec(.strict, group: "Output", "Exit non-zero for improperly formatted lines."),
            FlagSpec(.warn, short: "w", group: "Output", "Warn about improperly formatted lines."),
            FlagSpec(.ignoreMissing, group: "Output", "Don't fail or report status for missing files."),
            FlagSpec(.audit, value: .path("DIR"), group: "Audit", "Compare the manifest with the tree DIR: changed, moved, new, missing."),
            FlagSpec(.threads, short: "j", value: .number("N"), group: "Performance", defaultValue: "32", "Worker threads, each waiting on one read at a time."),
            readAhead,
        ] + common,
        details: "Reads manifests of trawl hash (plain, --tag, -z and --json), sha*sum/md5sum (GNU and --tag lines), b3sum, xxhsum and cksum; several at once, and '-' (or none) for stdin. "
            + "Which algorithm: the one a line names (a --tag label, xxhsum's XXH3_ prefix, a JSON record's, cksum's CRC SIZE NAME form), else every algorithm whose digest has the line's length, all computed in the one read of the file, and the line is OK when one matches (once one has matched, later lines of that length are hashed with it, and with the others in a second read only if it does not match): "
            + candidatesByLength + "; a decimal number also cksum's crc32. -a names one for every line instead. "
            + "Algorithms: " + algorithmNames.joined(separator: ", ") + ". "
            + "Names print as the manifest wrote them; one that holds a newline behind a leading backslash, with \\\\, \\n and \\r for backslash, newline and carriage return (coreutils' rule). A FIFO, socket or directory named in a manifest is reported as unreadable, never read. "
            + "Exit status as sha256sum -c: 0 all OK, 1 a mismatch or unreadable file; 130/143 when interrupted.",
        run: CheckCommand.run)

    public static let dupes = CommandSpec(
        name: "dupes", summary: "Find files with identical content (jdupes, fdupes)",
        usage: "trawl dupes [OPTIONS] [PATH...]",
        flags: [
            FlagSpec(.hardlinks, group: "Dupes", "Report hard links to the same file as duplicates too."),
            FlagSpec(.verify, group: "Dupes", "Confirm each group byte by byte."),
            FlagSpec(.empty, group: "Dupes", "Include empty files."),
            FlagSpec(.minSize, value: .number("BYTES"), group: "Dupes", "Ignore files smaller than BYTES."),
            FlagSpec(.link, group: "Action", "Replace every duplicate but the file kept with a hard link to it (jdupes -L). Not across file systems: those are left alone with a warning."),
            FlagSpec(.symlink, group: "Action", "Replace every duplicate but the file kept with a relative symbolic link to it (jdupes -l)."),
            FlagSpec(.reflink, group: "Action", "Replace every duplicate but the file kept with a copy-on-write clone of it (FICLONE; btrfs, XFS), keeping the duplicate's owner, mode and times (not its extended attributes). An error naming the file where the file system cannot."),
            FlagSpec(.delete, group: "Action", "Delete every duplicate but the file kept (jdupes -d -N)."),
            FlagSpec(.keep, value: .choice("WHICH", KeepRule.allCases.map(\.rawValue)), group: "Action", defaultValue: "first",
                     "The file an action keeps in each group: the first or last in the listing's order (--order), or the newest or oldest by modification time."),
            FlagSpec(.dryRun, group: "Action", "Print what the action would do, after the same byte-for-byte checks; change nothing."),
            FlagSpec(.json, group: "Output", "JSON Lines, one record per group (with an action: the file kept and the paths acted on)."),
            FlagSpec(.size, short: "S", group: "Output", "Print the size of each group's files above it (jdupes -S)."),
            FlagSpec(.summarize, short: "m", group: "Output", "Print a summary instead of the groups: duplicate files, sets, bytes reclaimable (jdupes -m)."),
            FlagSpec(.order, short: "o", value: .choice("BY", GroupOrder.allCases.map(\.rawValue)), group: "Output", defaultValue: "name",
                     "Order of the paths in a group: path order, or modification time, oldest first (jdupes -o). --keep first keeps the first in this order."),
            FlagSpec(.stats, group: "Output", "Print a summary on stderr: files, groups, bytes reclaimable."),
        ] + walkFlags(sortDefault: "path") + common,
        details: "Groups by size, drops repeated hard links, compares the first and last blocks, then a full hash. Changes nothing unless an action is given (--link, --symlink, --reflink, --delete); then each duplicate is compared with the file kept byte for byte at that moment, one that changed is left alone with a warning, and a replacement is made under a temporary name and renamed over the duplicate, so an interruption leaves the old file or the new link, never neither. Hard links of the file kept are left alone.",
        run: DupesCommand.run)

    /// fd's interface: its own flag table, since -t, -e, -H, -I, -g, -x mean what fd means.
    public static let find = CommandSpec(
        name: "find", summary: "Find entries by name, type, size or time; run commands on them (fd)",
        usage: "trawl find [OPTIONS] [PATTERN] [PATH...]\n       trawl find [OPTIONS] [PATTERN] [PATH...] -x COMMAND [ARG...] [;]",
        flags: [
            FlagSpec(.fullPath, short: "p", group: "Pattern", "Match the pattern against the whole absolute path, not only the file name."),
            FlagSpec(.glob, short: "g", group: "Pattern", "PATTERN is a glob (* ? [..] {a,b} **), matched against the whole file name."),
            FlagSpec(.regex, group: "Pattern", defaultValue: "on", "PATTERN is a regular expression (trawl's engine; overrides an earlier --glob)."),
            FlagSpec(.fixedStrings, short: "F", group: "Pattern", "PATTERN is a literal string, found anywhere in the name."),
            FlagSpec(.exact, group: "Pattern", "PATTERN is a literal string that must equal the whole name."),
            FlagSpec(.caseSensitive, short: "s", group: "Pattern", "Match case-sensitively (default: smart case, insensitive unless PATTERN has an uppercase letter)."),
            FlagSpec(.ignoreCase, short: "i", group: "Pattern", "Match case-insensitively. The last of -s and -i wins."),
            FlagSpec(.and, value: .text("PATTERN"), group: "Pattern", "Another pattern every result must match too. Repeatable."),
            FlagSpec(.hidden, short: "H", group: "Filter", "Include hidden files and directories (names starting with a dot)."),
            FlagSpec(.noHidden, group: "Filter", "Skip hidden names again (overrides an earlier -H)."),
            FlagSpec(.noIgnore, short: "I", group: "Filter", "Don't respect .gitignore, .ignore, .fdignore or the global ignore files (--ignore-file still applies)."),
            FlagSpec(.ignore, group: "Filter", "Respect ignore files again (overrides an earlier -I or -u)."),
            FlagSpec(.noIgnoreVcs, group: "Filter", "Don't respect git's ignore files (.gitignore, info/exclude, git's global excludes)."),
            FlagSpec(.ignoreVcs, group: "Filter", "Respect git's ignore files again (overrides an earlier --no-ignore-vcs)."),
            FlagSpec(.noRequireGit, group: "Filter", "Respect .gitignore files also outside git repositories."),
            FlagSpec(.requireGit, group: "Filter", "Respect .gitignore only inside git repositories (the default; overrides --no-require-git)."),
            FlagSpec(.noIgnoreParent, group: "Filter", "Don't read ignore files in the directories above the search paths."),
            FlagSpec(.unrestricted, short: "u", group: "Filter", "Search everything: hidden and ignored files (same as -HI)."),
            FlagSpec(.ignoreFile, value: .path("FILE"), group: "Filter", "Add an ignore file in .gitignore syntax, applied after the others. Repeatable."),
            FlagSpec(.noGlobalIgnoreFile, group: "Filter", "Don't read the global ignore file ($XDG_CONFIG_HOME/fd/ignore, else ~/.config/fd/ignore)."),
            FlagSpec(.type, short: "t", value: .choice("TYPE", ["f", "file", "d", "dir", "directory", "l", "symlink", "x", "executable", "e", "empty", "s", "socket", "p", "pipe", "b", "block-device", "c", "char-device"]),
                     group: "Filter", "Only entries of TYPE: f file, d directory, l symlink, x executable, e empty, s socket, p pipe, b block device, c char device. Repeatable."),
            FlagSpec(.`extension`, short: "e", value: .text("EXT"), group: "Filter", "Only names ending in .EXT (case-insensitive). Repeatable."),
            FlagSpec(.exclude, short: "E", value: .text("GLOB"), group: "Filter", "Skip entries matching GLOB (gitignore syntax, relative to the search path), and what lies below. Repeatable."),
            FlagSpec(.size, short: "S", value: .text("SIZE"), group: "Filter", "Only files of SIZE: [+-]N with unit b, k, m, g, t (1000s) or ki, mi, gi, ti (1024s); + at least, - at most. Repeatable."),
            FlagSpec(.changedWithin, value: .text("TIME"), group: "Filter", "Only entries modified within TIME (a duration: 10h, 1d, 2weeks) or after a date (2018-10-27 10:00:00, @unix seconds)."),
            FlagSpec(.changedBefore, value: .text("TIME"), group: "Filter", "Only entries modified before TIME (a duration ago, or a date)."),
            FlagSpec(.owner, short: "o", value: .text("USER:GROUP"), group: "Filter", "Only entries owned by USER and/or GROUP (names or ids; '!' negates either part)."),
            FlagSpec(.maxDepth, short: "d", value: .number("N"), group: "Filter", "Descend at most N levels (the search path's entries are level 1)."),
            FlagSpec(.minDepth, value: .number("N"), group: "Filter", "Only results at least N levels deep."),
            FlagSpec(.exactDepth, value: .number("N"), group: "Filter", "Only results exactly N levels deep."),
            FlagSpec(.prune, group: "Filter", "Don't descend into matching directories."),
            FlagSpec(.follow, short: "L", group: "Filter", "Follow symbolic links (types and sizes are then the targets')."),
            FlagSpec(.noFollow, group: "Filter", "Don't follow symbolic links (overrides an earlier -L)."),
            FlagSpec(.oneFileSystem, group: "Filter", "Don't cross file system boundaries."),
            FlagSpec(.maxResults, value: .number("N"), group: "Output", "Stop after N results (0: no limit)."),
            FlagSpec(.maxOneResult, short: "1", group: "Output", "Stop after the first result (--max-results 1)."),
            FlagSpec(.quiet, short: "q", group: "Output", "Print nothing; exit 0 when something matched, 1 otherwise."),
            FlagSpec(.absolutePath, short: "a", group: "Output", "Print absolute paths."),
            FlagSpec(.relativePath, group: "Output", "Print paths relative to the current directory (overrides an earlier -a)."),
            FlagSpec(.listDetails, short: "l", group: "Output", "A long listing of each result (ls -lhd)."),
            FlagSpec(.format, value: .text("TEMPLATE"), group: "Output", "Print each result through TEMPLATE: {} path, {/} name, {//} parent, {.} path without extension, {/.} name without extension; {{ and }} for braces."),
            FlagSpec(.print0, short: "0", group: "Output", "End each result with NUL instead of newline (paths then keep ./)."),
            FlagSpec(.color, short: "c", value: .choice("WHEN", ["auto", "always", "never"]), group: "Output", defaultValue: "auto",
                     "Colour paths with LS_COLORS (auto: on a terminal, unless NO_COLOR or TERM=dumb)."),
            FlagSpec(.stripCwdPrefix, group: "Output", "Print paths under the current directory without ./ even with -0, -x or an explicit '.'."),
            FlagSpec(.pathSeparator, value: .text("SEP"), group: "Output", "Print SEP between path components instead of /."),
            FlagSpec(.showErrors, group: "Output", "Report unreadable directories and other file system errors (hidden by default, as fd)."),
            FlagSpec(.searchPath, value: .path("PATH"), group: "Input", "A path to search (like a positional PATH, when PATTERN looks like a path). Repeatable."),
            FlagSpec(.baseDirectory, value: .path("DIR"), group: "Input", "Change to DIR first: paths are then relative to it."),
            FlagSpec(.exec, short: "x", value: .text("COMMAND"), group: "Exec",
                     "Run COMMAND for each result, in parallel on the -j pool; the rest of the line (up to ';') is its arguments, with {} {/} {//} {.} {/.} replaced (the path is appended when none is given). Each command's output is printed whole. Repeatable: several commands per result."),
            FlagSpec(.execBatch, short: "X", value: .text("COMMAND"), group: "Exec",
                     "Run COMMAND once with all results as arguments (split when too long for one command line), after the search; one placeholder allowed."),
            FlagSpec(.batchSize, value: .number("N"), group: "Exec", "With -X: at most N results per command (0: as many as fit)."),
            shard,
            FlagSpec(.threads, short: "j", value: .number("N"), group: "Performance",
                     defaultValue: "16 directory readers; one command per core", "Threads: directory readers and -x commands running at once."),
        ] + common,
        details: "Lists entries whose name matches PATTERN (a regex; all entries without one) under each PATH (default: the current directory), with fd's rules: .gitignore, .ignore and .fdignore respected, hidden names skipped, symlinks listed as entries, directories printed with a trailing /. Exit status: 0, also when nothing matched; 1 on an error or when a command of -x/-X failed.",
        run: FindCommand.run)

    public static let all: [CommandSpec] = [grep, files, find, hash, check, dupes]

    public static func named(_ name: String) -> CommandSpec? { all.first { $0.name == name } }
}
