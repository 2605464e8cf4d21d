#!/usr/bin/env bash
# Runs every benchmark trawl records in BENCHMARKS.md in one go and keeps the raw output:
# compare.py's suites against the peers, the cold-cache suite, and WorkerPool's task
# throughput next to Python's and Java's executors. Then draws the chart.
#   Benchmarks/setup.sh                  once, as root: the peers and the corpus
#   Benchmarks/run-all.sh [OUT_DIR]      (root for the cold-cache suite)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-Benchmarks/results}
mkdir -p "$out"
bench=Benchmarks
swift build -c release --product trawl
swift build -c release --product WorkerPoolBench
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  python3 "$bench/compare.py" files find grep bigfile pcre hash bighash check dupes --trawl .build/release/trawl
} | tee "$out/compare.txt"
if [ "$(id -u)" = 0 ]; then
  python3 "$bench/compare.py" cold --trawl .build/release/trawl | tee "$out/cold.txt"
fi
{
  .build/release/WorkerPoolBench 2000000 4
  python3 "$bench/reference/tpe.py" 200000 4
  if command -v java >/dev/null; then java "$bench/reference/Tpe.java" 2000000 4; fi
} | tee "$out/workerpool.txt"
cat "$out/compare.txt" "$out"/cold.txt 2>/dev/null | python3 Benchmarks/chart.py --log -o Benchmarks/chart.svg
echo "chart: Benchmarks/chart.svg"
