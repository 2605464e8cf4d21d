#!/bin/sh
# Builds trawl's libFuzzer targets from the module sources with swiftc and runs each one.
#   Fuzz/run.sh [SECONDS] [TARGET...]     targets: regex gitignore manifest (default: all)
# SECONDS (default 60) is per target. Findings land in Fuzz/findings/TARGET/, the corpus in
# Fuzz/corpus/TARGET/ (kept between runs). Build products go to .build/fuzz/. FUZZ_TIMEOUT
# (default 30 s) is the time one input may take before it counts as a hang: 10 s gave a
# false alarm (a 0.2 s input) while this 2-core machine was loaded by other builds.
# Exit status: 0 when every target built and ran clean, 1 on a finding, 2 when a build failed.
# .ci/run runs this for a few seconds per target, so a source move that breaks a target fails CI.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-regex gitignore manifest}
root=$(pwd)
out=$root/.build/fuzz
mkdir -p "$out"
flags="-sanitize=fuzzer,address -parse-as-library -package-name trawl -O -g -swift-version 6 -Xcc -D_GNU_SOURCE"

# Every C target (a Sources/ folder with an include/ folder and no Swift): a module map over
# its headers, and its objects compiled with clang (ASan; no fuzzer coverage needed for libc
# shims and CPU kernels). Discovered rather than listed, so a new or split C target links.
cobjects=""
includes=""
for dir in Sources/*/; do
    dir=${dir%/}; name=$(basename "$dir")
    [ -d "$dir/include" ] || continue
    ls "$dir"/*.swift >/dev/null 2>&1 && continue
    mkdir -p "$out/modules/$name"
    {
        printf 'module %s {\n' "$name"
        for h in "$root/$dir"/include/*.h; do printf '  header "%s"\n' "$h"; done
        printf '  export *\n}\n'
    } > "$out/modules/$name/module.modulemap"
    includes="$includes -I $out/modules/$name"
    for c in "$dir"/*.c; do
        [ -e "$c" ] || continue
        object="$out/$name-$(basename "$c" .c).o"
        clang -c -O1 -fsanitize=address -I "$dir/include" "$c" -o "$object"
        cobjects="$cobjects $object"
    done
done

# The Swift modules, by folder name: their `import` lines go when sources of several are
# compiled as one module (internal API stays reachable, as the targets need).
swiftModules=$(for dir in Sources/*/; do ls "$dir"*.swift >/dev/null 2>&1 && basename "$dir"; done | paste -sd'|')

# gather NAME MODULE... [FILE.swift...]: whole modules by name, single files by file name
# wherever they live under Sources/ (so a file moved to another module is still found),
# each source once.
gather() {
    name=$1; shift
    rm -rf "$out/src-$name"; mkdir -p "$out/src-$name"
    for item in "$@"; do
        case $item in
            *.swift) found=$(find Sources Fuzz -name "$item" -type f)
                     [ -n "$found" ] || { echo "Fuzz/run.sh: $item not found under Sources/" >&2; exit 2; } ;;
            *) found=$(ls Sources/"$item"/*.swift) ;;
        esac
        for f in $found; do
            sed -E "/^(@preconcurrency |@testable )?import ($swiftModules)\$/d" "$f" > "$out/src-$name/$(echo "$f" | tr / _)"
        done
    done
}

build() {
    name=$1
    case $name in
        regex) gather regex Search RegexFuzz.swift ;;
        gitignore) gather gitignore WorkerPool Walk GitignoreFuzz.swift ;;
        manifest) gather manifest Digest ManifestLine.swift OutputBuffer.swift JSONWriter.swift ManifestFuzz.swift ;;
        *) echo "Fuzz/run.sh: unknown target $name (regex, gitignore, manifest)" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    swiftc $flags -module-name "Fuzz_$name" $includes "$out/src-$name"/*.swift $cobjects -o "$out/fuzz-$name" 2>&1 |
        grep -v "Cannot export local symbol '__asan" || true   # ld.gold noise about ASan thunks
    [ -x "$out/fuzz-$name" ] || { echo "Fuzz/run.sh: build of $name failed" >&2; exit 2; }
}

for name in $targets; do
    echo "== building $name"
    rm -f "$out/fuzz-$name"
    build "$name"
done
status=0
for name in $targets; do
    mkdir -p "Fuzz/corpus/$name" "Fuzz/findings/$name"
    echo "== fuzzing $name for ${seconds}s"
    "$out/fuzz-$name" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=2048 -max_len=512 \
        -artifact_prefix="Fuzz/findings/$name/" -print_final_stats=1 "Fuzz/corpus/$name" ||
        { echo "== $name: FINDING (see Fuzz/findings/$name/)"; status=1; }
done
exit $status
