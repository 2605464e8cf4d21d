#!/usr/bin/env bash
# Writes the manifests of tree/ with the peer tools (not with trawl), so tests compare trawl
# with what those tools write: coreutils (sha*sum, md5sum, cksum), b3sum, xxhsum, rhash.
# Run from anywhere; needs the tools `Benchmarks/setup.sh` installs.
set -euo pipefail
cd "$(dirname "$0")"
files=$(find tree -type f | LC_ALL=C sort)
sums() { local tool=$1 out=$2; shift 2; printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 "$tool" "$@" > "$out"; }
sums sha256sum sha256.txt
sums sha256sum sha256-tag.txt --tag
sums sha512sum sha512.txt
sums sha1sum sha1.txt
sums md5sum md5.txt
sums b3sum blake3.txt
sums xxhsum xxh64.txt -H1
sums xxhsum xxh128.txt -H2
sums xxhsum xxh128-tag.txt -H2 --tag
sums xxhsum xxh3.txt -H3
sums xxhsum xxh32.txt -H0
sums cksum crc32.txt
sums rhash crc32b.txt --simple --crc32
