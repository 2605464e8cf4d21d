#!/bin/sh
# Builds trawl's libFuzzer targets from the module sources with swiftc and runs each one.
#   Fuzz/run.sh [SECONDS] [TARGET...]     targets: regex gitignore manifest (default: all)
# SECONDS (default 60) is per target. Findings land in Fuzz/findings/TARGET/, the corpus in
# Fuzz/corpus/TARGET/ (kept between runs). Build products go to .build/fuzz/. FUZZ_TIMEOUT
# (default 30 s) is the time one input may take before it counts as a hang: 10 s gave a
# false alarm (a 0.2 s input) while this 2-core machine was loaded by other builds.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-regex gitignore manifest}
root=$(pwd)
out=$root/.build/fuzz
mkdir -p "$out"
flags="-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -Xcc -D_GNU_SOURCE"

# C modules: a module map per C target, objects compiled with clang (ASan, no fuzzer
# coverage needed for libc shims and CPU kernels).
mkdir -p "$out/modules/CShims" "$out/modules/CDigest"
printf 'module CShims {\n  header "%s"\n  export *\n}\n' "$root/Sources/CShims/include/CShims.h" > "$out/modules/CShims/module.modulemap"
printf 'module CDigest {\n  header "%s"\n  export *\n}\n' "$root/Sources/CDigest/include/CDigest.h" > "$out/modules/CDigest/module.modulemap"
clang -c -O1 -fsanitize=address -I Sources/CShims/include Sources/CShims/shims.c -o "$out/shims.o"
cdigest=""
for c in Sources/CDigest/*.c; do
    clang -c -O1 -fsanitize=address -I Sources/CDigest/include "$c" -o "$out/$(basename "$c" .c).o"
    cdigest="$cdigest $out/$(basename "$c" .c).o"
done

# Sources of several modules compiled as one: their `import Module` lines go.
gather() {
    name=$1; shift
    rm -rf "$out/src-$name"; mkdir -p "$out/src-$name"
    for f in "$@"; do
        sed -E '/^(@preconcurrency )?import (WorkerPool|Walk|Search|Digest|Scan)$/d' "$f" > "$out/src-$name/$(echo "$f" | tr / _)"
    done
}

build() {
    name=$1
    case $name in
        regex)
            gather regex Sources/Search/*.swift Fuzz/RegexFuzz.swift
            objects="$out/shims.o" ;;
        gitignore)
            gather gitignore Sources/WorkerPool/*.swift Sources/Walk/*.swift Fuzz/GitignoreFuzz.swift
            objects="$out/shims.o" ;;
        manifest)
            gather manifest Sources/Digest/*.swift Sources/TrawlCLI/ManifestLine.swift Sources/TrawlCLI/OutputBuffer.swift Fuzz/ManifestFuzz.swift
            objects="$cdigest" ;;
        *) echo "unknown target $name" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    swiftc $flags -module-name "Fuzz_$name" -I "$out/modules/CShims" -I "$out/modules/CDigest" \
        "$out/src-$name"/*.swift $objects -o "$out/fuzz-$name" 2>&1 |
        grep -v "Cannot export local symbol '__asan" || true   # ld.gold noise about ASan thunks
    [ -x "$out/fuzz-$name" ] || { echo "build of $name failed" >&2; exit 2; }
}

for name in $targets; do
    echo "== building $name"
    rm -f "$out/fuzz-$name"
    build "$name"
done
for name in $targets; do
    mkdir -p "Fuzz/corpus/$name" "Fuzz/findings/$name"
    echo "== fuzzing $name for ${seconds}s"
    "$out/fuzz-$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=2048 -max_len=512 \
        -artifact_prefix="Fuzz/findings/$name/" -print_final_stats=1 "Fuzz/corpus/$name" || echo "== $name: FINDING (see Fuzz/findings/$name/)"
done
