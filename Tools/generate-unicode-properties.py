#!/usr/bin/env python3
"""Generates Sources/Search/UnicodePropertyTable.swift from the Unicode Character Database.

Usage: Tools/generate-unicode-properties.py UCD_DIR > Sources/Search/UnicodePropertyTable.swift

UCD_DIR holds the UCD files of the version ripgrep 15's regex-syntax uses (16.0.0; its
unicode_tables say "ucd-generate ... ucd-16.0.0"), laid out as on unicode.org:
Scripts.txt, ScriptExtensions.txt, PropList.txt, DerivedCoreProperties.txt, DerivedAge.txt,
PropertyAliases.txt, PropertyValueAliases.txt, auxiliary/{Grapheme,Word,Sentence}BreakProperty.txt,
emoji/emoji-data.txt, extracted/DerivedBinaryProperties.txt.

The table is one string, a line per class: `kind<TAB>names<TAB>runs`, where kind is bool, sc,
scx, gcb, wb, sb or age; names are the canonical name then its aliases, comma-separated, in
loose form (lower case, no spaces, `_` or `-`); runs alternate the length of a gap and of a
run of members from code point 0, each number a base-32 varint (continuation digits
0-9a-v, final digits A-Z and !#$%&*). Kept as text so it costs its bytes once, not a
Swift array literal's type-checking and initialisation code.
"""
import os
import re
import sys

# The binary properties regex-syntax 0.8 (rg 15) offers, by their long names.
BOOLEAN_PROPERTIES = """ASCII_Hex_Digit Alphabetic Bidi_Control Bidi_Mirrored Case_Ignorable Cased
Changes_When_Casefolded Changes_When_Casemapped Changes_When_Lowercased Changes_When_Titlecased
Changes_When_Uppercased Dash Default_Ignorable_Code_Point Deprecated Diacritic Emoji Emoji_Component
Emoji_Modifier Emoji_Modifier_Base Emoji_Presentation Extended_Pictographic Extender Grapheme_Base
Grapheme_Extend Grapheme_Link Hex_Digit Hyphen IDS_Binary_Operator IDS_Trinary_Operator IDS_Unary_Operator
ID_Compat_Math_Continue ID_Compat_Math_Start ID_Continue ID_Start Ideographic InCB Join_Control
Logical_Order_Exception Lowercase Math Modifier_Combining_Mark Noncharacter_Code_Point Other_Alphabetic
Other_Default_Ignorable_Code_Point Other_Grapheme_Extend Other_ID_Continue Other_ID_Start Other_Lowercase
Other_Math Other_Uppercase Pattern_Syntax Pattern_White_Space Prepended_Concatenation_Mark Quotation_Mark
Radical Regional_Indicator Sentence_Terminal Soft_Dotted Terminal_Punctuation Unified_Ideograph Uppercase
Variation_Selector White_Space XID_Continue XID_Start""".split()

CONTINUE = "0123456789abcdefghijklmnopqrstuv"
FINAL = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*"


def loose(name):
    return re.sub(r"[ _\-]", "", name).lower()


def records(path):
    """(first, last, fields) for each data line of a UCD file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            cps = fields[0].split("..")
            yield int(cps[0], 16), int(cps[-1], 16), fields[1:]


def add(table, key, first, last):
    table.setdefault(key, set()).update(range(first, last + 1))


def runs(members):
    """Gap and run lengths from code point 0."""
    out = []
    pos = 0
    cps = sorted(members)
    i = 0
    while i < len(cps):
        start = cps[i]
        while i + 1 < len(cps) and cps[i + 1] == cps[i] + 1:
            i += 1
        end = cps[i]
        out += [start - pos, end - start + 1]
        pos = end + 1
        i += 1
    return out


def varint(n):
    digits = []
    while True:
        digits.append(n & 31)
        n >>= 5
        if n == 0:
            break
    digits.reverse()
    return "".join(CONTINUE[d] for d in digits[:-1]) + FINAL[digits[-1]]


def main():
    ucd = sys.argv[1]
    p = lambda name: os.path.join(ucd, name)

    # Aliases: property long name -> short names; (property, value long name) -> aliases.
    property_aliases = {}
    with open(p("PropertyAliases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names = [x.strip() for x in line.split(";")]
                property_aliases[names[1]] = [names[0]] + names[2:]
    value_aliases = {}
    with open(p("PropertyValueAliases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            prop = fields[0].lower()
            if prop == "age":
                value_aliases[(prop, fields[2])] = [fields[1]]
            elif prop == "ccc":
                continue
            else:
                value_aliases[(prop, fields[2])] = [fields[1]] + fields[3:]

    booleans = {}
    for name in ["PropList.txt", "DerivedCoreProperties.txt", "emoji/emoji-data.txt",
                 "extracted/DerivedBinaryProperties.txt"]:
        for first, last, fields in records(p(name)):
            if fields[0] in BOOLEAN_PROPERTIES:
                add(booleans, fields[0], first, last)
    missing = [b for b in BOOLEAN_PROPERTIES if b not in booleans]
    if missing:
        sys.exit("no data for " + ", ".join(missing))

    scripts = {}
    for first, last, fields in records(p("Scripts.txt")):
        add(scripts, fields[0], first, last)
    short_to_long = {}
    for (prop, long), aliases in value_aliases.items():
        if prop == "sc":
            short_to_long[aliases[0]] = long
    extensions = {k: set(v) for k, v in scripts.items()}
    for first, last, fields in records(p("ScriptExtensions.txt")):
        for cp in range(first, last + 1):
            for members in extensions.values():
                members.discard(cp)
        for short in fields[0].split():
            add(extensions, short_to_long[short], first, last)

    breaks = {}
    for kind, name in [("gcb", "auxiliary/GraphemeBreakProperty.txt"), ("wb", "auxiliary/WordBreakProperty.txt"),
                       ("sb", "auxiliary/SentenceBreakProperty.txt")]:
        table = {}
        for first, last, fields in records(p(name)):
            add(table, fields[0], first, last)
        breaks[kind] = table

    ages = {}
    for first, last, fields in records(p("DerivedAge.txt")):
        add(ages, "V" + fields[0].replace(".", "_"), first, last)

    lines = []

    def emit(kind, names, members):
        seen = []
        for n in names:
            n = loose(n)
            if n and n not in seen:
                seen.append(n)
        lines.append(kind + "\t" + ",".join(seen) + "\t" + "".join(varint(n) for n in runs(members)))

    for name in BOOLEAN_PROPERTIES:
        emit("bool", [name] + property_aliases.get(name, []), booleans[name])
    for kind, table in [("sc", scripts), ("scx", extensions)]:
        for name in sorted(table):
            emit(kind, [name] + value_aliases.get(("sc", name), []), table[name])
    for kind in ["gcb", "wb", "sb"]:
        for name in sorted(breaks[kind]):
            emit(kind, [name] + value_aliases.get((kind, name), []), breaks[kind][name])
    for name in sorted(ages, key=lambda v: [int(x) for x in v[1:].split("_")]):
        emit("age", [name] + value_aliases.get(("age", name), []), ages[name])

    out = sys.stdout
    out.write("// Generated by Tools/generate-unicode-properties.py from the Unicode Character Database\n")
    out.write("// 16.0.0 (the version ripgrep 15's regex-syntax uses). Do not edit.\n\n")
    out.write("/// Binary properties, scripts, script extensions, grapheme/word/sentence break values and\n")
    out.write("/// ages, as text read once by `UnicodeProperties` (format in the generator).\n")
    out.write("enum UnicodePropertyTable {\n")
    out.write("    static let unicodeVersion = \"16.0.0\"\n")
    out.write("    static let encoded: StaticString = \"\"\"\n")
    for line in lines:
        out.write("        " + line.replace("\t", "|") + "\n")
    out.write("        \"\"\"\n}\n")


main()
