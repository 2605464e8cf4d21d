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

# The Swift modules, by folder name: compiled as one module, so their `import` lines go
# (internal API stays reachable, as the targets need).
swiftModules=$(for dir in Sources/*/; do ls "$dir"*.swift >/dev/null 2>&1 && basename "$dir"; done | paste -sd'|')
importLine="^(@preconcurrency |@testable )?import ($swiftModules)\$"

# gather NAME FILE.swift...: the files (found by name under Fuzz/ or Sources/, wherever a
# refactor moved them) and every Swift module they import, directly or through another
# module, each source once.
gather() {
    name=$1; shift
    files=""
    for item in "$@"; do
        found=$(find Fuzz Sources -name "$item" -type f)
        [ -n "$found" ] || { echo "Fuzz/run.sh: $item not found under Fuzz/ or Sources/" >&2; exit 2; }
        files="$files $found"
    done
    modules=""
    new=$(imports $files)
    while [ -n "$new" ]; do
        modules="$modules $new"
        # shellcheck disable=SC2086
        new=$(for module in $(imports $(for m in $new; do ls Sources/"$m"/*.swift; done)); do
                  case " $modules " in *" $module "*) ;; *) echo "$module" ;; esac
              done | sort -u)
    done
    rm -rf "$out/src-$name"; mkdir -p "$out/src-$name"
    # shellcheck disable=SC2086
    for f in $( (for f in $files; do echo "$f"; done; for m in $modules; do ls Sources/"$m"/*.swift; done) | sort -u); do
        sed -E "/$importLine/d" "$f" > "$out/src-$name/$(echo "$f" | tr / _)"
    done
}

# imports FILE...: the Swift modules of this package the files import.
imports() {
    sed -nE "s/$importLine/\2/p" "$@" | sort -u
}

build() {
    name=$1
    case $name in
        regex) gather regex RegexFuzz.swift ;;
        gitignore) gather gitignore GitignoreFuzz.swift ;;
        manifest) gather manifest ManifestFuzz.swift ;;
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
