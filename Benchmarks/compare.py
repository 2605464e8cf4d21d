#!/usr/bin/env python3
"""Times trawl side by side with its peers on the same work, in one run.

    python3 Benchmarks/compare.py grep bigfile pcre files find hash bighash check dupes cold \
        --trawl .build/release/trawl [--runs 5] [--only NAME]

Run Benchmarks/setup.sh first (peers + corpus; `cold` needs root to drop the page
cache). Every command's stdout goes through a pipe and is counted, never to /dev/null
(some tools stop early there). Runs are interleaved (a b c a b c ...) and the median
wall time is kept, so a noisy neighbour hurts every tool alike. For each case it prints
the times, the ratio trawl / fastest peer (below 1.0 means trawl is faster) and whether
trawl's output line count equals the reference tool's (same work). Last line: geometric
mean and worst ratio over the cases that ran against peers.

Two lines are not peer comparisons and stay out of the geometric mean: `read_floor`
(grep suite) times `readfloor`, which opens, reads and closes every file of the tree on
one thread per core with no walk and no work on the bytes, against trawl's literal
search; `dupes_link` compares `trawl dupes --link --dry-run` with `jdupes -r`, the work
jdupes does to find what `jdupes -L` would link (it has no dry run for linking).
"""
import argparse, math, os, shutil, statistics, subprocess, sys, tempfile, time

CORPUS = os.environ.get("TRAWL_CORPUS", "/var/tmp/trawl-corpus")
LINUX = os.path.join(CORPUS, "linux")
BIG = os.path.join(CORPUS, "big.txt")
HERE = os.path.dirname(os.path.abspath(__file__))
CORES = os.cpu_count()
# Cases timed against something other than a peer: printed, not in the geometric mean.
NOT_PEERS = {"read_floor", "dupes_link"}

# ripgrep's own benchsuite patterns for the Linux tree, plus one output-heavy case.
# Peers that take over 10x longer than the fastest one on a case are left out of it
# (ugrep and GNU grep on the patterns without a literal), to keep a run short.
SLOW = {"re_literal_suffix": {"ugrep"}, "no_literal": {"ugrep"},
        "big_re_suffix": {"ugrep"}, "big_no_literal": {"ugrep", "grep"}}
GREP_CASES = [
    ("literal", [], "PM_RESUME"),
    ("literal_casei", ["-i"], "PM_RESUME"),
    ("re_literal_suffix", [], "[A-Z]+_RESUME"),
    ("word", ["-w"], "PM_RESUME"),
    ("unicode_greek", [], r"\p{Greek}"),
    ("unicode_word", [], r"\wAh"),
    ("no_literal", [], r"\w{5}\s+\w{5}\s+\w{5}\s+\w{5}\s+\w{5}"),
    ("alternates", [], "ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT"),
    ("alternates_casei", ["-i"], "ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT"),
    ("many_matches", [], "return"),
]
BIG_CASES = [
    ("big_literal", [], "PM_RESUME"),
    ("big_literal_casei", ["-i"], "pm_resume"),
    ("big_re_suffix", [], "[A-Z]+_RESUME"),
    ("big_alternates", [], "ERR_SYS|PME_TURN_OFF|LINK_REQ_RST|CFG_BME_EVT"),
    ("big_no_literal", [], r"\w{5}\s+\w{5}\s+\w{5}\s+\w{5}\s+\w{5}"),
]

# grep -P: patterns only a backtracking engine takes (backreference, look-behind,
# look-ahead) over the Linux tree, against GNU grep -rP (and rg -P when rg has PCRE2).
PCRE_CASES = [
    ("pcre_backref", r"(\w+)\s+\1\b"),
    ("pcre_lookbehind", r"(?<=struct )\w+_ops\b"),
    ("pcre_lookahead", r"\w+(?=\(void\))"),
]


def sh(cmd):
    return ["bash", "-c", cmd]


def scratch(name):
    """A path for generated inputs (the file list, the manifest, readfloor): the corpus
    folder when writable, else a folder under the system's temporary directory."""
    folder = CORPUS if os.access(CORPUS, os.W_OK) else os.path.join(tempfile.gettempdir(), "trawl-bench")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def file_list():
    """NUL-separated paths of the tree's regular files, relative to it (readfloor's input)."""
    path = scratch("linux.files0")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as out:
            subprocess.run(["find", ".", "-type", "f", "-print0"], cwd=LINUX, stdout=out, check=True)
        os.replace(path + ".tmp", path)
    return path


def readfloor():
    """Benchmarks/readfloor.c built once with the system's C compiler; None without one."""
    binary = scratch("readfloor")
    source = os.path.join(HERE, "readfloor.c")
    if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(source):
        return binary
    compiler = shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")
    if not compiler:
        return None
    subprocess.run([compiler, "-O2", "-pthread", source, "-o", binary], check=True)
    return binary


def sha256_manifest():
    """The tree's SHA-256 manifest (absolute paths), written by sha256sum once."""
    path = scratch("linux.sha256")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as out:
            subprocess.run(["bash", "-c", f"find {LINUX} -type f -print0 | LC_ALL=C sort -z | "
                            f"xargs -0 -P{CORES} -n 2000 sha256sum"], stdout=out, check=True)
        os.replace(path + ".tmp", path)
    return path


def small_files_tree(count=10_000):
    """`count` empty files, 100 to a directory: the tree `find -x` runs a command on."""
    root = scratch(f"files-{count}")
    if not os.path.isdir(root):
        for i in range(count):
            folder = os.path.join(root, f"d{i // 100:03}")
            os.makedirs(folder, exist_ok=True)
            open(os.path.join(folder, f"f{i % 100:02}"), "w").close()
    return root


def trawl_has(trawl, command, *flags):
    """True when `trawl COMMAND --help` lists every flag (a case for a flag still to come)."""
    text = subprocess.run([trawl, command, "--help"], capture_output=True, text=True).stdout
    return all(flag in text for flag in flags)


def cases(suite, trawl):
    """Yields (case, ref, [(tool, argv), ...]); trawl first, ref names the line-count
    reference (None: the outputs are not comparable line for line)."""
    if suite == "grep":
        for name, flags, pat in GREP_CASES:
            yield name, "rg", [
                ("trawl", [trawl, "grep", "-n", *flags, pat, LINUX]),
                ("rg", ["rg", "-n", *flags, pat, LINUX]),
                ("ugrep", ["ugrep", "-rn", "--ignore-files", *flags, pat, LINUX]),
            ]
        floor = readfloor()
        if floor is None:
            print(f"{'read_floor':18} skipped: no C compiler to build Benchmarks/readfloor.c", flush=True)
        else:
            yield "read_floor", None, [
                ("trawl", [trawl, "grep", "-n", GREP_CASES[0][2], LINUX]),
                ("readfloor", [floor, str(CORES), file_list(), LINUX]),
            ]
        if trawl_has(trawl, "grep", "--replace", "--vimgrep"):
            yield "replace", "rg", [
                ("trawl", [trawl, "grep", "-n", "-r", "RETURN", "return", LINUX]),
                ("rg", ["rg", "-n", "-r", "RETURN", "return", LINUX]),
            ]
            yield "vimgrep", "rg", [
                ("trawl", [trawl, "grep", "--vimgrep", "return", LINUX]),
                ("rg", ["rg", "--vimgrep", "return", LINUX]),
            ]
    elif suite == "bigfile":
        for name, flags, pat in BIG_CASES:
            yield name, "rg", [
                ("trawl", [trawl, "grep", "-n", *flags, pat, BIG]),
                ("rg", ["rg", "-n", *flags, pat, BIG]),
                ("ugrep", ["ugrep", "-n", *flags, pat, BIG]),
                ("grep", ["grep", "-En" if not flags else "-Eni", pat.replace(r"\w", "[[:alnum:]_]").replace(r"\s", "[[:space:]]"), BIG]),
            ]
    elif suite == "pcre":
        rg_pcre = shutil.which("rg") and subprocess.run(["rg", "--pcre2-version"], capture_output=True).returncode == 0
        for name, pat in PCRE_CASES:
            tools = [
                ("trawl", [trawl, "grep", "-n", "-P", pat, LINUX]),
                ("grep", ["grep", "-rnP", pat, LINUX]),
            ]
            if rg_pcre:
                tools.append(("rg", ["rg", "-n", "-P", pat, LINUX]))
            yield name, "grep", tools
    elif suite == "files":
        yield "files", "rg", [
            ("trawl", [trawl, "files", LINUX]),
            ("rg", ["rg", "--files", LINUX]),
            ("fd", ["fdfind", "--type", "f", ".", LINUX]),
        ]
        yield "files_all", "find", [
            ("trawl", [trawl, "files", "-uu", LINUX]),
            ("find", ["find", LINUX, "-type", "f"]),
            ("fd", ["fdfind", "-u", "--type", "f", ".", LINUX]),
        ]
    elif suite == "find":
        # fd's interface on both sides; fd prints paths under the root as given, as trawl find does.
        for name, args in [("find_ext", ["-e", "c"]), ("find_regex", [r"_(init|exit)\.c$"]),
                           ("find_dirs", ["-t", "d"])]:
            pattern = [] if args[0].startswith("-") else [args[0]]
            flags = args if args[0].startswith("-") else []
            yield name, "fd", [
                ("trawl", [trawl, "find", *flags, *(pattern or ["."]), LINUX]),
                ("fd", ["fdfind", *flags, *(pattern or ["."]), LINUX]),
            ]
        tree = small_files_tree()
        yield "find_exec", "fd", [
            ("trawl", [trawl, "find", "-t", "f", ".", tree, "-x", "echo"]),  # -x takes the rest
            ("fd", ["fdfind", "-t", "f", ".", tree, "-x", "echo"]),
        ]
    elif suite == "hash":
        x = f"find {LINUX} -type f -print0 | xargs -0 -P{os.cpu_count()} -n 2000"
        yield "tree_sha256", "count:find", [
            ("trawl", [trawl, "hash", "-a", "sha256", LINUX]),
            ("count:find", ["find", LINUX, "-type", "f"]),  # line-count reference only: every regular file
            ("rhash", ["rhash", "-r", "--sha256", LINUX]),
            ("hashdeep", ["hashdeep", "-r", "-c", "sha256", LINUX]),
            ("sha256sum", sh(f"{x} sha256sum")),
        ]
        yield "tree_blake3", "count:find", [
            ("trawl", [trawl, "hash", "-a", "blake3", LINUX]),
            ("count:find", ["find", LINUX, "-type", "f"]),
            ("b3sum", sh(f"{x} b3sum")),
        ]
        yield "tree_xxh3", "count:find", [
            ("trawl", [trawl, "hash", "-a", "xxh3", LINUX]),
            ("count:find", ["find", LINUX, "-type", "f"]),
            ("xxhsum", sh(f"{x} xxhsum -H3")),
        ]
        yield "tree_md5", "count:find", [
            ("trawl", [trawl, "hash", "-a", "md5", LINUX]),
            ("count:find", ["find", LINUX, "-type", "f"]),
            ("md5sum", sh(f"{x} md5sum")),
        ]
    elif suite == "bighash":
        for algo, peers in [("sha256", [("rhash", ["rhash", "--sha256", BIG]), ("openssl", ["openssl", "dgst", "-sha256", BIG]), ("sha256sum", ["sha256sum", BIG])]),
                            ("blake3", [("b3sum", ["b3sum", BIG])]),
                            ("xxh3", [("xxhsum", ["xxhsum", "-H3", BIG])])]:
            yield f"big_{algo}", peers[0][0], [("trawl", [trawl, "hash", "-a", algo, BIG]), *peers]
    elif suite == "check":
        manifest = sha256_manifest()
        # sha256sum -c on one core per process: xargs hands each a slice of the manifest.
        yield "check_sha256", "sha256sum", [
            ("trawl", [trawl, "check", manifest]),
            ("sha256sum", sh(f"xargs -P{CORES} -n 2000 -d '\\n' -a {manifest} "
                             "sh -c 'printf \"%s\\n\" \"$@\" | sha256sum -c' _")),
        ]
    elif suite == "dupes":
        yield "dupes", "jdupes", [
            ("trawl", [trawl, "dupes", LINUX]),
            ("jdupes", ["jdupes", "-r", "-q", LINUX]),
            ("fdupes", ["fdupes", "-r", "-q", LINUX]),
            ("rdfind", ["rdfind", "-dryrun", "true", "-outputname", "/dev/null", LINUX]),
        ]
        # jdupes -L has no dry run: it links at once, so a run needs a fresh copy of the
        # tree each time. Its finding work, `jdupes -r`, is the part a dry run repeats.
        if trawl_has(trawl, "dupes", "--link", "--dry-run"):
            yield "dupes_link", None, [
                ("trawl", [trawl, "dupes", "--link", "--dry-run", LINUX]),
                ("jdupes", ["jdupes", "-r", "-q", LINUX]),
            ]
        else:
            print(f"{'dupes_link':18} skipped: this trawl has no `dupes --link --dry-run` yet", flush=True)
    elif suite == "cold":
        yield "cold_literal", "rg", [
            ("trawl", [trawl, "grep", "-n", "PM_RESUME", LINUX]),
            ("rg", ["rg", "-n", "PM_RESUME", LINUX]),
            ("trawl-j1", [trawl, "grep", "-j", "1", "-n", "PM_RESUME", LINUX]),
        ]


def run(argv, cold=False):
    """Returns (seconds, output lines, max RSS in KiB, exit status)."""
    if cold:
        subprocess.run(["sync"])
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = 0
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, lines, usage.ru_maxrss, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("suites", nargs="+")
    ap.add_argument("--trawl", default=".build/release/trawl")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default=None, help="run only the case with this name")
    a = ap.parse_args()
    trawl = os.path.abspath(a.trawl)
    if not os.access(trawl, os.X_OK):
        sys.exit(f"compare: no trawl binary at {trawl} (swift build -c release first)")
    if not os.path.isdir(LINUX):
        sys.exit(f"compare: no corpus at {CORPUS}: run Benchmarks/setup.sh first")
    ratios = []
    for suite in a.suites:
        for name, ref, tools in cases(suite, trawl):
            if a.only and name != a.only:
                continue
            tools = [(t, argv) for t, argv in tools if shutil.which(argv[0]) and t not in SLOW.get(name, ())]
            cold = suite == "cold"
            runs = 1 if cold else a.runs
            times = {t: [] for t, _ in tools}
            first = {}
            for i in range(runs + (0 if cold else 1)):  # one warm-up round unless cold
                for t, argv in tools:
                    if t.startswith("count:") and t in first:
                        continue
                    dt, lines, rss, rc = run(argv, cold)
                    first.setdefault(t, (lines, rss, rc))
                    if t.startswith("count:"):
                        continue
                    if cold or i > 0:
                        times[t].append(dt)
            med = {t: statistics.median(v) for t, v in times.items() if v}
            # peers: every timed tool but trawl itself; 'count:' entries only give the reference line count
            peers = {t: s for t, s in med.items() if not t.startswith(("trawl", "count:"))}
            best = min(peers, key=peers.get) if peers else None
            same = first["trawl"][0] == first.get(ref, (None,))[0]
            ratio = med["trawl"] / peers[best] if best else float("nan")
            if best and first["trawl"][2] in (0, 1) and name not in NOT_PEERS:
                ratios.append((ratio, name))
            cells = "  ".join(f"{t} {med[t]:.3f}s" for t, _ in tools if t in med)
            lines = (f"lines {first['trawl'][0]} vs {ref} {first.get(ref, ('-',))[0]} {'same' if same else 'DIFFERENT'}"
                     if ref else f"lines {first['trawl'][0]} (no line-count reference)")
            print(f"{name:18} {cells}  | trawl/{best} = {ratio:.2f}  {lines}  "
                  f"rss {first['trawl'][1] // 1024} MiB  exit {first['trawl'][2]}", flush=True)
            if "trawl-j1" in med:
                print(f"{'':18} speed-up of trawl's default over its own -j 1: {med['trawl-j1'] / med['trawl']:.1f}x", flush=True)
    if ratios:
        g = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios))
        worst = max(ratios)
        print(f"geomean trawl/best-peer {g:.2f}  worst {worst[0]:.2f} ({worst[1]})  cases {len(ratios)}")


if __name__ == "__main__":
    main()
