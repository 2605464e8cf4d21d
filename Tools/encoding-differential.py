#!/usr/bin/env python3
"""Random-input differential of `trawl grep -E` against ripgrep 15 (rg decodes with
encoding_rs): the WHATWG multi-byte encodings, UTF-8, UTF-16 and two single-byte ones.

Usage: Tools/encoding-differential.py [--trawl PATH] [--count N] [--seed S]

For each encoding, writes N random files weighted toward its lead bytes and sequences
(gb18030's four-byte forms, ISO-2022-JP's escapes, invalid bytes everywhere), a third of
them behind a UTF-8 or UTF-16 BOM, prints every line of each with `grep -a --no-filename
''` in both tools and compares the decoded output; then every two-byte pair after each
byte 0x80-0xFF.

Each file ends with a newline: rg 15 drops a Shift_JIS, EUC-KR or Big5 lead byte that ends
the input after other bytes, where the Encoding Standard (and trawl) write U+FFFD.
A difference prints the encoding and the first differing bytes and makes the exit status 1.
CI need not run it (it needs rg 15 on PATH); MultiByteDecodingTests is the decoders' suite.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

ENCODINGS = ["sjis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "gb18030", "big5", "utf-8", "utf-16le", "utf-16be",
             "latin1", "koi8-r"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]
ESCAPES = [b"\x1b$B", b"\x1b$@", b"\x1b(B", b"\x1b(J", b"\x1b(I", b"\x1b(", b"\x1b$", b"\x1b", b"\x1b(X"]


def piece(encoding, rng):
    if encoding in ("gbk", "gb18030") and rng.random() < 0.3:
        sequence = [rng.randrange(0x81, 0xFF), rng.randrange(0x30, 0x3A), rng.randrange(0x81, 0xFF),
                    rng.randrange(0x30, 0x3A)]
        if rng.random() < 0.5:
            sequence[0] = rng.choice([0x81, 0x82, 0x84, 0x90, 0xE3, 0xFE])
        if rng.random() < 0.2:
            sequence[rng.randrange(1, 4)] = rng.randrange(1, 256)
        return bytes(sequence[:rng.randrange(1, 5)] if rng.random() < 0.2 else sequence)
    if encoding == "iso-2022-jp" and rng.random() < 0.3:
        return rng.choice(ESCAPES)
    r = rng.random()
    if r < 0.15:
        return bytes([rng.choice(b"abc\n 0189\\~")])
    if r < 0.2:
        return bytes([rng.randrange(1, 256)])
    return bytes(rng.randrange(0x80, 0x100) if rng.random() < 0.8 else rng.randrange(0x21, 0x80)
                 for _ in range(rng.randrange(1, 5)))


def decoded(tool, encoding, path):
    return subprocess.run(tool + ["-a", "--no-filename", "-E", encoding, "", path], capture_output=True).stdout


def compare(trawl, encoding, data, directory, label):
    path = os.path.join(directory, "input")
    with open(path, "wb") as f:
        f.write(data)
    expected = decoded(["rg"], encoding, path)
    actual = decoded([trawl, "grep"], encoding, path)
    if expected == actual:
        return True
    at = next((i for i in range(min(len(expected), len(actual))) if expected[i] != actual[i]),
              min(len(expected), len(actual)))
    print("%s %s: differ at output byte %d\n  rg:    %r\n  trawl: %r" % (
        encoding, label, at, expected[max(0, at - 24):at + 24], actual[max(0, at - 24):at + 24]))
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trawl", default=".build/release/trawl")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        for encoding in ENCODINGS:
            for n in range(args.count):
                data = b"".join(piece(encoding, rng) for _ in range(300)).replace(b"\0", b"x") + b"\n"
                if rng.random() < 0.3:
                    data = rng.choice(BOMS) + data
                failures += not compare(args.trawl, encoding, data, directory, "file %d" % n)
            pairs = b"\n".join(bytes([0x41, lead, trail, 0x41]) for lead in range(0x80, 0x100)
                               for trail in range(1, 0x100) if trail != 0x0A) + b"\n"
            failures += not compare(args.trawl, encoding, pairs, directory, "pairs")
            print("%s: %d random files and every pair compared" % (encoding, args.count))
    sys.exit(1 if failures else 0)


main()
