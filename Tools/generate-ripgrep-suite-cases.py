#!/usr/bin/env python3
"""Writes Tests/TrawlCLITests/RipgrepSuiteCases.swift: the cases of ripgrep's integration
suite (tests/{feature,misc,regression,binary,multiline}.rs) that are one command and
one check (files created, arguments, stdin; expected stdout, sorted stdout, failure or an
exit status), as data for RipgrepSuiteTableTests. Cases written another way (several
commands, JSON decoding, PCRE2 only, sizes, links) are ported by hand or listed in
RIPGREP-CASES.md; so are the cases in EXCLUDED, with their reason.

Usage (ripgrep's repository as a git directory):
    python3 Tools/generate-ripgrep-suite-cases.py /work/.mirror/BurntSushi+ripgrep/repo \
        > Tests/TrawlCLITests/RipgrepSuiteCases.swift
"""
import re
import subprocess
import sys

SOURCES = ["feature", "misc", "regression", "binary", "multiline"]  # json.rs: decoded by hand
HAY_FIXTURE = "text/ripgrep/sherlock-nul.txt"
HAY_BYTES = open(__file__.rsplit("/Tools/", 1)[0] + "/Fixtures/" + HAY_FIXTURE, "rb").read()

# Cases trawl does not pass (RIPGREP-CASES.md says why).
EXCLUDED: set[str] = set()

import json, re, sys

HAY = {
    "SHERLOCK": "For the Doctor Watsons of this world, as opposed to the Sherlock\nHolmeses, success in the province of detective work must always\nbe, to a very large extent, the result of luck. Sherlock Holmes\ncan extract a clew from a wisp of straw or a flake of cigar ash;\nbut Doctor Watson has to have it taken out for him and dusted,\nand exhibited clearly, with a label attached.\n",
}
HAY["SHERLOCK_CRLF"] = HAY["SHERLOCK"].replace("\n", "\r\n")


class Unsupported(Exception):
    pass


def parse_string(src, i):
    """Parses a Rust string literal at src[i]; returns (value, next index, is_bytes)."""
    is_bytes = False
    while src[i] in " \n\t":
        i += 1
    if src.startswith("b", i) and src[i + 1] in "\"r":
        is_bytes = True
        i += 1
    if src[i] == "r":
        j = i + 1
        hashes = 0
        while src[j] == "#":
            hashes += 1
            j += 1
        assert src[j] == '"'
        end = src.index('"' + "#" * hashes, j + 1)
        return src[j + 1:end], end + 1 + hashes, is_bytes
    if src[i] != '"':
        raise Unsupported("not a string at " + src[i:i + 20])
    i += 1
    out = []
    while True:
        c = src[i]
        if c == '"':
            return "".join(out), i + 1, is_bytes
        if c == "\\":
            n = src[i + 1]
            if n == "\n":
                i += 2
                while src[i] in " \t\n":
                    i += 1
                continue
            simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
            if n in simple:
                out.append(simple[n])
                i += 2
                continue
            if n == "x":
                out.append(chr(int(src[i + 2:i + 4], 16)))
                i += 4
                continue
            if n == "u":
                end = src.index("}", i)
                out.append(chr(int(src[i + 3:end], 16)))
                i = end + 1
                continue
            raise Unsupported("escape " + n)
        out.append(c)
        i += 1


def value_at(src, i, consts):
    while src[i] in " \n\t":
        i += 1
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*\b", src[i:])
    if m and not re.match(r"(b|r|br)[\"#]", src[i:i + 3]):
        name = m.group(0)
        if name in consts:
            return consts[name], i + len(name), False
        raise Unsupported("constant " + name)
    if src[i] == "&":
        return value_at(src, i + 1, consts)
    if src.startswith("b\"", i) or src.startswith("br", i):
        v, j, _ = parse_string(src, i)
        return v.encode("latin-1"), j, True
    return parse_string(src, i)


def chain_args(chain, lets):
    """The arguments of a chain of `.arg(X)` and `.args(&[X, ...])` (or `.args(name)`)."""
    out = []
    for cm in re.finditer(r"\.\s*(arg|args)\(((?:[^()]|\([^()]*\))*)\)", chain):
        kind, inner = cm.group(1), cm.group(2).strip()
        if kind == "arg":
            out.append(value_at(inner, 0, lets)[0])
        elif inner in lets and isinstance(lets[inner], list):
            out += lets[inner]
        else:
            if not inner.startswith("&["):
                raise Unsupported("args form")
            out += list_at(inner, 2, lets)[0]
    return out


def list_at(src, k, lets):
    """The values of a Rust slice literal whose first element is at src[k]; and the index of its `]`."""
    values = []
    while True:
        while src[k] in " \n\t,":
            k += 1
        if src[k] == "]":
            return values, k
        v, k, _ = value_at(src, k, lets)
        values.append(v)


def split_cases(src):
    for m in re.finditer(r"^rgtest!\(\s*(\w+),\s*\|([^|]*)\|\s*\{", src, re.M):
        name = m.group(1)
        start = m.end()
        depth = 1
        i = start
        while depth:
            c = src[i]
            if c == '"' or (c == "r" and src[i + 1] in '"#' and not src[i - 1].isalnum()) or (c == "b" and src[i + 1] == '"'):
                try:
                    _, i, _ = parse_string(src, i)
                    continue
                except Exception:
                    pass
            if c == "/" and src[i + 1] == "/":
                i = src.index("\n", i)
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        yield name, src[start:i - 1]


def extract(name, body):
    consts = dict(HAY)
    consts["HAY"] = HAY_BYTES
    files, dirs, args, stdin = [], [], [], None
    cwd = None
    runs = []

    def finish_run(expect):
        # The tree as it is at this command (a later `dir.create` may rewrite a file).
        runs.append({"args": list(args), "stdin": stdin, "cwd": cwd, "expect": expect,
                     "files": list(files), "dirs": list(dirs)})
    lets = {}
    bound = {}  # `let got = cmd....stdout();`: the command each name holds
    body = re.sub(r"//[^\n]*", "", body)
    pos = 0
    while pos < len(body):
        rest = body[pos:]
        s = rest.lstrip()
        pos += len(rest) - len(s)
        if not s:
            break
        m = re.match(r"dir\.create\(", s)
        if m:
            p, j, _ = parse_string(s, m.end())
            v, j, b = value_at(s, s.index(",", j) + 1, {**consts, **lets})
            files.append((p, (v.encode("latin-1") if b or isinstance(v, bytes) else v.encode()).hex() if not isinstance(v, bytes) else v.hex()))
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"dir\.create_bytes\(", s)
        if m:
            p, j, _ = parse_string(s, m.end())
            v, j, b = value_at(s, s.index(",", j) + 1, {**consts, **lets})
            files.append((p, v.hex() if isinstance(v, bytes) else v.encode("latin-1").hex()))
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"let (\w+)\s*=\s*(?:cmd|(dir\.command\(\)))((?:\s*\.\s*(?:arg|args|current_dir)\((?:[^()]|\([^()]*\))*\))*)\s*\.\s*stdout\(\)\s*;", s)
        if m:
            saved, saved_cwd = args, cwd
            if m.group(2):
                args, cwd = [], None
            for cm in re.finditer(r"\.\s*current_dir\(([^()]*)\)", m.group(3)):
                cwd = parse_string(cm.group(1).strip(), 0)[0]
            args = args + chain_args(m.group(3), lets)
            bound[m.group(1)] = (list(args), cwd)
            if m.group(2):
                args, cwd = saved, saved_cwd
            pos += m.end()
            continue
        m = re.match(r"eqnice!\(\s*((?:[^()]|\([^()]*\))*?)\s*,\s*(\w+)\s*\)\s*;", s)
        if m and m.group(2) in bound:
            exp, _, _ = value_at(m.group(1), 0, lets)
            saved, saved_cwd = args, cwd
            args, cwd = bound[m.group(2)]
            finish_run(("stdout", exp))
            args, cwd = saved, saved_cwd
            pos += m.end()
            continue
        m = re.match(r"let (\w+)\s*=\s*&\[", s)
        if m:
            values, k = list_at(s, m.end(), lets)
            lets[m.group(1)] = values
            pos += s.index(";", k) + 1
            continue
        m = re.match(r"dir\.create_size\(", s)
        if m:
            p, j, _ = parse_string(s, m.end())
            size = int(re.match(r"\s*,\s*(\d+)", s[j:]).group(1))
            files.append((p, "size:%d" % size))
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"dir\.link_(?:dir|file)\(", s)
        if m:
            target, j, _ = parse_string(s, m.end())
            link, j, _ = parse_string(s, s.index(",", j) + 1)
            files.append((link, "link:" + target))
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"assert!\(\s*cmd\.stdout\(\)\.is_empty\(\)\s*\)\s*;", s)
        if m:
            finish_run(("stdout", ""))
            pos += m.end()
            continue
        m = re.match(r"assert!\(\s*!cmd\.stdout\(\)\.is_empty\(\)\s*\)\s*;", s)
        if m:
            finish_run(("nonEmptyStdout",))
            pos += m.end()
            continue
        m = re.match(r"cmd\.assert_non_empty_stderr\(\)\s*;", s)
        if m:
            finish_run(("failureWithMessage",))
            pos += m.end()
            continue
        m = re.match(r"(?:let mut )?cmd\s*=\s*dir\.command\(\)\s*;", s)
        if m:
            args, cwd, stdin = [], None, None
            pos += m.end()
            continue
        if s.startswith("{") or s.startswith("}"):
            pos += 1
            continue
        m = re.match(r"dir\.command\(\)((?:\s*\.\s*(?:arg|args|current_dir)\((?:[^()]|\([^()]*\))*\))*)\s*\.\s*(assert_err\(\)|assert_exit_code\((\d+)\))\s*;", s)
        if m:
            saved, saved_cwd = args, cwd
            args, cwd = [], None
            for cm in re.finditer(r"\.\s*current_dir\(([^()]*)\)", m.group(1)):
                cwd = parse_string(cm.group(1).strip(), 0)[0]
            args += chain_args(m.group(1), lets)
            finish_run(("status", int(m.group(3))) if m.group(3) else ("failure",))
            args, cwd = saved, saved_cwd
            pos += m.end()
            continue
        m = re.match(r"dir\.remove\(", s)
        if m:
            p, j, _ = parse_string(s, m.end())
            files = [f for f in files if f[0] != p]
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"cmd((?:\s*\.\s*(?:arg|args)\((?:[^()]|\([^()]*\))*\))*)\s*\.\s*(assert_err\(\)|assert_exit_code\((\d+)\))\s*;", s)
        if m:
            args += chain_args(m.group(1), lets)
            finish_run(("status", int(m.group(3))) if m.group(3) else ("failure",))
            pos += m.end()
            continue
        m = re.match(r"dir\.create_dir\(", s)
        if m:
            p, j, _ = parse_string(s, m.end())
            dirs.append(p)
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"let (?:mut )?(\w+)\s*=\s*(?=[\"r]|b\")", s)
        if m:
            v, j, _ = parse_string(s, m.end())
            rest2 = s[j:].lstrip()
            if not rest2.startswith(";"):
                raise Unsupported("let with more")
            lets[m.group(1)] = v
            pos += s.index(";", j) + 1
            continue
        m = re.match(r"cmd((?:\s*\.\s*(?:arg|args|current_dir)\((?:[^()]|\([^()]*\))*\))+)\s*;", s)
        if m:
            chain = m.group(1)
            for cm in re.finditer(r"\.\s*(arg|args|current_dir)\(((?:[^()]|\([^()]*\))*)\)", chain):
                kind, inner = cm.group(1), cm.group(2)
                if kind == "current_dir":
                    cwd, _, _ = parse_string(inner.strip(), 0)
                    continue
                args += chain_args("." + kind + "(" + inner + ")", lets)
            pos += m.end()
            continue
        m = re.match(r"(?:eqnice|assert_eq)!\(\s*(sort_lines\()?\s*(&?)", s)
        if m:
            sorted_ = bool(m.group(1))
            j = m.end()
            exp, j, _ = value_at(s, j, lets)
            if sorted_:
                j = s.index(")", j) + 1
            r = s[j:]
            mm = re.match(r"\s*,\s*(sort_lines\(\s*&?)?\s*(?:cmd|(dir\.command\(\)))((?:\s*\.\s*(?:arg|args)\((?:[^()]|\([^()]*\))*\))*)\s*\.\s*(stdout\(\)|pipe\((b?\"(?:[^\"\\\\]|\\\\.)*\")\))\s*\)?\s*\)\s*;", r)
            if not mm:
                raise Unsupported("eqnice form")
            if sorted_ != bool(mm.group(1)):
                raise Unsupported("sort mismatch")
            saved = args
            if mm.group(2):  # dir.command(): a fresh command
                args = []
            args += chain_args(mm.group(3), lets)
            if mm.group(5):
                stdin = parse_string(mm.group(5), 0)[0]
            finish_run(("sorted", exp) if sorted_ else ("stdout", exp))
            if mm.group(5):
                stdin = None
            if mm.group(2):
                args = saved
            pos += j + mm.end()
            continue

        raise Unsupported("statement: " + s[:60].replace("\n", " "))
    if not runs:
        raise Unsupported("no assertion")
    return {"name": name, "files": files, "dirs": dirs, "runs": runs}




def swift_string(text):
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append("\\u{%X}" % code)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def swift_content(encoded):
    if encoded.startswith("size:"):
        return ".size(%s)" % encoded[5:]
    if encoded.startswith("link:"):
        return ".symlink(to: %s)" % swift_string(encoded[5:])
    data = bytes.fromhex(encoded)
    if data == HAY["SHERLOCK"].encode():
        return ".sherlock"
    if data == HAY["SHERLOCK_CRLF"].encode():
        return ".sherlockCRLF"
    if data == HAY_BYTES:
        return ".fixture(%s)" % swift_string(HAY_FIXTURE)
    try:
        return ".text(%s)" % swift_string(data.decode("utf-8"))
    except UnicodeDecodeError:
        return ".bytes([%s])" % ", ".join(str(b) for b in data)


def swift_case(case):
    rows = []
    for index, run in enumerate(case["runs"]):
        latest = {}
        for path, data in run["files"]:
            latest.pop(path, None)
            latest[path] = data
        files = ", ".join("(%s, %s)" % (swift_string(path), swift_content(data)) for path, data in latest.items())
        kind = run["expect"][0]
        if kind == "failure":
            expect = ".failure"
        elif kind == "failureWithMessage":
            expect = ".failureWithMessage"
        elif kind == "nonEmptyStdout":
            expect = ".nonEmptyStdout"
        elif kind == "status":
            expect = ".status(%d)" % run["expect"][1]
        elif kind == "sorted":
            expect = ".sortedStdout(%s)" % swift_string(run["expect"][1])
        else:
            expect = ".stdout(%s)" % swift_string(run["expect"][1])
        name = case["name"] if len(case["runs"]) == 1 else "%s#%d" % (case["name"], index + 1)
        parts = [swift_string(name), "files: [%s]" % files]
        if run["dirs"]:
            parts.append("directories: [%s]" % ", ".join(swift_string(d) for d in run["dirs"]))
        parts.append("arguments: [%s]" % ", ".join(swift_string(a) for a in run["args"]))
        if run["stdin"] is not None:
            parts.append("stdin: %s" % swift_string(run["stdin"]))
        if run["cwd"]:
            parts.append("directory: %s" % swift_string(run["cwd"]))
        parts.append("expect: %s" % expect)
        rows.append("        RipgrepCase(" + ", ".join(parts) + "),")
    return "\n".join(rows)


def main():
    git_dir = sys.argv[1]
    print("// Generated from ripgrep's tests/*.rs; do not edit by hand. Regenerate with:")
    print("//   python3 Tools/generate-ripgrep-suite-cases.py RIPGREP_GIT_DIR > Tests/TrawlCLITests/RipgrepSuiteCases.swift")
    print()
    print("extension RipgrepCase {")
    total = 0
    for source in SOURCES:
        text = subprocess.run(["git", "--git-dir=" + git_dir, "show", "HEAD:tests/%s.rs" % source],
                              capture_output=True, text=True, check=True).stdout
        rows = []
        cases = 0
        for name, body in split_cases(text):
            if name in EXCLUDED:
                continue
            try:
                case = extract(name, body)
            except Exception:  # written another way: ported by hand or listed
                continue
            rows.append(swift_case(case))
            cases += 1
        total += len(rows)
        print("    /// tests/%s.rs: %d cases." % (source, cases))
        print("    static let %s: [RipgrepCase] = [" % ("json" if source == "json" else source))
        print("\n".join(rows))
        print("    ]")
        print()
    print("    static let count = %d" % total)
    print("}")


main()
