#!/usr/bin/env python3
"""Draws compare.py's results as an SVG bar chart: one group of bars per case, one colour
per tool, seconds on the vertical axis. Python's standard library only.

    python3 Benchmarks/compare.py grep files | tee results.txt
    python3 Benchmarks/chart.py results.txt -o bench.svg [--title TEXT] [--log]
    python3 Benchmarks/chart.py < results.txt > bench.svg

It reads the per-case lines compare.py prints, e.g.

    literal            trawl 0.570s  rg 0.525s  ugrep 1.131s  | trawl/rg = 1.09  lines ...

and ignores every other line (the speed-up notes, the geomean summary, blank lines), so
a whole captured run can be piped in as it is.
"""
import argparse
import math
import re
import sys
from xml.sax.saxutils import escape

# One colour per tool, in order of first appearance; trawl is always first in compare.py.
# Enough colours for every peer of a full run; trawl's orange is used once only.
PALETTE = ["#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
           "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#6a3d9a", "#b15928", "#a6cee3", "#8dd3c7",
           "#bebada", "#80b1d3", "#fccde5", "#bc80bd"]
CELL = re.compile(r"(\S+) (\d+(?:\.\d+)?)s$")


def parse(lines):
    """Returns [(case, [(tool, seconds), ...]), ...] from compare.py's per-case lines."""
    cases = []
    for line in lines:
        if " | " not in line:
            continue
        left = line.split(" | ", 1)[0].split()
        if len(left) < 3:
            continue
        name, words = left[0], left[1:]
        cells = []
        for tool, value in zip(words[0::2], words[1::2]):
            match = CELL.match(f"{tool} {value}")
            if match:
                cells.append((match.group(1), float(match.group(2))))
        if cells:
            cases.append((name, cells))
    return cases


def nice_ticks(top, count=5):
    """Round tick values from 0 to at least `top` (1, 2 or 5 times a power of ten apart)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def log_ticks(low, high):
    """Powers of ten covering [low, high]."""
    start = math.floor(math.log10(low))
    end = math.ceil(math.log10(high))
    return [10.0 ** e for e in range(start, end + 1)]


def label(seconds):
    return f"{seconds:g}" if seconds >= 0.01 or seconds == 0 else f"{seconds:.0e}"


def render(cases, title="trawl and its peers (median wall time, lower is better)", log=False):
    tools = []
    for _, cells in cases:
        for tool, _ in cells:
            if tool not in tools:
                tools.append(tool)
    colour = {tool: PALETTE[i % len(PALETTE)] for i, tool in enumerate(tools)}

    bar, gap = 16, 18
    # Case names are drawn at -40 degrees: the longest sets the bottom margin.
    left, right = 64, 20
    bottom = 30 + int(6.5 * max(len(name) for name, _ in cases) * math.sin(math.radians(40)))
    group_widths = [len(cells) * bar for _, cells in cases]
    plot_width = max(sum(group_widths) + gap * (len(cases) + 1), 360)
    # Legend swatches flow in rows across the plot's width, above it.
    legend, lx, ly = [], left, 32
    for tool in tools:
        item = 16 + 7 * len(tool) + 18
        if lx > left and lx + item > left + plot_width:
            lx, ly = left, ly + 18
        legend.append((tool, lx, ly))
        lx += item
    top = ly + 30
    plot_height = 300
    width, height = left + plot_width + right, top + plot_height + bottom

    values = [s for _, cells in cases for _, s in cells]
    if log:
        low = min(v for v in values if v > 0) if any(v > 0 for v in values) else 0.001
        ticks = log_ticks(low, max(values + [low * 10]))
        lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])

        def y(v):
            v = max(v, ticks[0])
            return top + plot_height - (math.log10(v) - lo) / (hi - lo) * plot_height
    else:
        ticks = nice_ticks(max(values + [0.001]))

        def y(v):
            return top + plot_height - v / ticks[-1] * plot_height

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2:.1f}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>']
    # Axis, grid and tick labels.
    for t in ticks:
        ty = y(t)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_width}" y2="{ty:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{label(t)}</text>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="black"/>')
    out.append(f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" y2="{top + plot_height}" stroke="black"/>')
    out.append(f'<text transform="translate(16 {top + plot_height / 2:.1f}) rotate(-90)" text-anchor="middle">'
               f'seconds{" (log scale)" if log else ""}</text>')
    # Bars, grouped per case.
    x = left + gap
    for (name, cells), group_width in zip(cases, group_widths):
        for i, (tool, seconds) in enumerate(cells):
            bx, by = x + i * bar, y(seconds)
            h = top + plot_height - by
            out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar - 2}" height="{max(h, 0):.1f}" fill="{colour[tool]}">'
                       f'<title>{escape(name)}: {escape(tool)} {seconds:.3f} s</title></rect>')
        cx = x + group_width / 2
        ly = top + plot_height + 12
        out.append(f'<text transform="translate({cx:.1f} {ly}) rotate(-40)" text-anchor="end">{escape(name)}</text>')
        x += group_width + gap
    # Legend, one swatch per tool.
    for tool, lx, ly in legend:
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour[tool]}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly + 10}">{escape(tool)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="SVG bar chart of compare.py output")
    parser.add_argument("input", nargs="?", help="compare.py output (default: stdin)")
    parser.add_argument("-o", "--output", help="SVG file to write (default: stdout)")
    parser.add_argument("--title", default="trawl and its peers (median wall time, lower is better)")
    parser.add_argument("--log", action="store_true", help="logarithmic seconds axis (cases of very different sizes)")
    args = parser.parse_args(argv)
    if args.input:
        with open(args.input, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        lines = sys.stdin.read().splitlines()
    cases = parse(lines)
    if not cases:
        sys.exit("chart: no compare.py result lines found (expected e.g. 'literal  trawl 0.570s  rg 0.525s  | trawl/rg = 1.09')")
    svg = render(cases, args.title, args.log)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)


if __name__ == "__main__":
    main()
