#!/usr/bin/env python3
"""Writes Sources/Walk/FileTypesTable.swift from ripgrep's built-in types.

Usage: rg --type-list | python3 Tools/generate-file-types.py "$(rg --version | head -1)" \
           > Sources/Walk/FileTypesTable.swift
"""
import sys


def quote(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main():
    version = sys.argv[1] if len(sys.argv) > 1 else "ripgrep"
    rows = []
    for line in sys.stdin.read().splitlines():
        name, globs = line.split(": ", 1)
        rows.append("        (%s, [%s])," % (quote(name), ", ".join(quote(g) for g in globs.split(", "))))
    print("// Generated from ripgrep's built-in file types; do not edit by hand. Regenerate with:")
    print('//   rg --type-list | python3 Tools/generate-file-types.py "$(rg --version | head -1)" \\')
    print("//       > Sources/Walk/FileTypesTable.swift")
    print("// (%s; %d types)" % (version, len(rows)))
    print()
    print("extension FileTypes {")
    print("    /// ripgrep's built-in type definitions, as `rg --type-list` prints them (globs sorted).")
    print("    static let builtIn: [(String, [String])] = [")
    print("\n".join(rows))
    print("    ]")
    print("}")


main()
