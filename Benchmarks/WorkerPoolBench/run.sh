#!/bin/sh
# WorkerPool next to Java's ThreadPoolExecutor and Python's concurrent.futures in one run,
# with the same task count and worker count. Usage: Benchmarks/WorkerPoolBench/run.sh [N] [WORKERS]
set -e
cd "$(dirname "$0")/../.."
N=${1:-2000000}
WORKERS=${2:-4}
REFERENCE=${REFERENCE:-Benchmarks/reference}
swift build -c release --product WorkerPoolBench >/dev/null
uptime
.build/release/WorkerPoolBench "$N" "$WORKERS" 3
java "$REFERENCE/Tpe.java" "$N" "$WORKERS"
# Python is about 40x slower: a tenth of the tasks keeps its run short.
python3 "$REFERENCE/tpe.py" $((N / 10)) "$WORKERS"
