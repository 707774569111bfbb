#!/usr/bin/env bash
# Counts the instructions logscan executes on the same inputs, for one or more binaries:
#   Benchmarks/instructions.sh [--size 32M] BINARY [BINARY…]
# Instruction counts (valgrind --tool=callgrind) do not move with the machine's load, unlike
# wall time on this shared host, so they are how a change to the scan path is compared
# before/after. Makes (or reuses) Company Portal and jamf.log corpora with gen_corpus.py, seed 1,
# and runs `scan -j 1 --format json` on each; prints one Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
size=32M
if [ "${1:-}" = "--size" ]; then size=$2; shift 2; fi
[ "$#" -ge 1 ] || { echo "usage: Benchmarks/instructions.sh [--size 32M] BINARY [BINARY…]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
corpus=Benchmarks/corpus
mkdir -p "$corpus"
for kind in cp jamf; do
  f="$corpus/$kind-$size.log"
  [ -s "$f" ] || python3 Benchmarks/gen_corpus.py --kind "$kind" --size "$size" --seed 1 --quiet "$f"
done
echo "| binary | corpus | instructions | findings | exit |"
echo "|---|---|---:|---:|---:|"
for bin in "$@"; do
  # valgrind 3.19 gives up on the DWARF 5 debug info of Swift 6 binaries: count a stripped copy
  # (the same code; only the symbols are gone).
  stripped=$(mktemp)
  strip -o "$stripped" "$bin"
  chmod +x "$stripped"
  for kind in cp jamf; do
    f="$corpus/$kind-$size.log"
    out=$(mktemp); log=$(mktemp)
    set +e
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$stripped" scan -j 1 --format json --tz UTC "$f" >"$out" 2>"$log"
    status=$?
    set -e
    total=$(grep -o 'Collected : [0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$total" ] || { echo "valgrind failed on $bin:" >&2; tail -5 "$log" >&2; exit 1; }
    findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out" 2>/dev/null || echo "?")
    printf '| %s | %s %s | %s | %s | %s |\n' "$bin" "$kind" "$size" "$(printf "%'d" "$total")" "$findings" "$status"
    rm -f "$out" "$log"
  done
  rm -f "$stripped"
done
