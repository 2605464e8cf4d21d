#!/usr/bin/env python3
"""Random-pattern differential of `trawl grep` against ripgrep 15.

Usage: Tools/regex-differential.py [--trawl PATH] [--count N] [--seed S]

Generates N random patterns over a small alphabet (literals, classes, Unicode classes, word
and line assertions, groups, alternation, greedy and lazy repetition) and a random
haystack file mixing ASCII with multi-byte letters, then compares the outputs of
`grep -o -n`, `grep -c`, `grep -i -o` and `grep -w -n` between the two tools.

One difference is expected and counted apart, not as a failure: rg 15 builds its regex
with UTF-8 empty matches off, so `-o` prints empty matches inside a multi-byte character;
the Rust regex crate's default, and its test data (which wins where they disagree), never
split a code point, and neither does trawl. A difference that vanishes once empty `-o`
lines are dropped is counted as that. Anything else is a failure: the script prints the
pattern, the mode and both outputs, and exits 1.

CI need not run it (it needs rg 15 on PATH); RegexTestDataTests is the engine's suite.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

ATOMS = ["a", "b", "c", "x", "ab", "ba", ".", r"\w", r"\W", r"\d", r"\s", r"\S", "[a-c]", "[^ab]",
         "[[:alpha:]]", r"\pL", r"\p{Greek}", "é", "δ", "K", r"\.", "_", "-", " "]
ASSERTIONS = [r"\b", r"\B", "^", "$", r"\b{start}", r"\b{end}", r"\<", r"\>", r"\b{start-half}",
              r"\b{end-half}"]
QUANTIFIERS = ["*", "+", "?", "{1,2}", "{2}", "*?", "+?", "??", "{0,3}"]
FLAGS = ["", "", "", "(?i)", "(?-u)", "(?U)"]
HAYSTACK_ALPHABET = list("abcxyzK _-.01") + ["é", "δ", "ſ", "ab", "ba", "aa", "  "]


def pattern(rng, depth=0):
    kind = rng.random()
    if depth > 2 or kind < 0.35:
        node = rng.choice(ATOMS) if rng.random() < 0.8 else rng.choice(ASSERTIONS)
    elif kind < 0.6:
        node = "".join(pattern(rng, depth + 1) for _ in range(rng.randint(2, 3)))
    elif kind < 0.8:
        node = "|".join(pattern(rng, depth + 1) for _ in range(rng.randint(2, 3)))
        node = rng.choice(["(", "(?:"]) + node + ")"
    else:
        node = "(?:" + pattern(rng, depth + 1) + ")" + rng.choice(QUANTIFIERS)
    if rng.random() < 0.25 and not node.endswith(tuple("*+?}")):
        node += rng.choice(QUANTIFIERS)
    return node


def run(tool, args, path):
    p = subprocess.run(tool + args + ["--", path], capture_output=True, timeout=30)
    return p.returncode, p.stdout


def matches_with_offsets(out):
    """(offset, text) of each `-o -b` line (`N:OFFSET:text` or `OFFSET:text`)."""
    found = []
    for line in out.split(b"\n")[:-1]:
        fields = line.split(b":", 2)
        if len(fields) == 3:
            found.append((int(fields[1]), fields[2]))
        else:
            found.append((int(fields[0]), fields[1]))
    return found


def only_splits_code_points(trawl, mode, p, path):
    """Whether the two `-o` outputs differ only by empty matches inside a multi-byte
    character (rerun with `-b` to see where each match lies)."""
    data = open(path, "rb").read()
    ours = matches_with_offsets(run([trawl, "grep", "--color=never"], mode + ["-b", "-e", p], path)[1])
    theirs = matches_with_offsets(run(["rg", "--no-config", "--color=never"], mode + ["-b", "-e", p], path)[1])
    inside = lambda m: m[1] == b"" and m[0] < len(data) and data[m[0]] & 0xC0 == 0x80
    return [m for m in ours if not inside(m)] == [m for m in theirs if not inside(m)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--trawl", default=os.path.join(here, "..", ".build", "release", "trawl"))
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    if not os.path.exists(args.trawl):
        args.trawl = os.path.join(here, "..", ".build", "debug", "trawl")
    rng = random.Random(args.seed)

    lines = ["".join(rng.choice(HAYSTACK_ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(120)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        path = f.name

    modes = [["-o", "-n"], ["-c"], ["-i", "-o"], ["-w", "-n"]]
    agreed = split_code_points = rg_refused = failures = 0
    try:
        for _ in range(args.count):
            p = pattern(rng)
            p = rng.choice(FLAGS) + p
            for mode in modes:
                rg_status, rg_out = run(["rg", "--no-config", "--color=never"], mode + ["-e", p], path)
                if rg_status == 2:
                    rg_refused += 1  # not a pattern rg 15 handles: nothing to compare
                    continue
                status, out = run([args.trawl, "grep", "--color=never"], mode + ["-e", p], path)
                if (status, out) == (rg_status, rg_out):
                    agreed += 1
                elif "-o" in mode and only_splits_code_points(args.trawl, mode, p, path):
                    split_code_points += 1
                else:
                    failures += 1
                    print(f"DIFF {' '.join(mode)} -e {p!r}: trawl {status}, rg {rg_status}")
                    print("  trawl:", out[:400])
                    print("  rg:   ", rg_out[:400])
    finally:
        os.unlink(path)
    print(f"{agreed} agreed, {split_code_points} differ only by empty matches inside a code point "
          f"(rg 15 splits them, the crate's test data does not), {rg_refused} refused by rg, {failures} failed")
    sys.exit(1 if failures else 0)


main()
