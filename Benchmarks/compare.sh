#!/usr/bin/env bash
# Two or more logscan binaries on the same big files, runs interleaved so that the host's drift
# hits each binary alike:
#   Benchmarks/compare.sh [--runs 3] [--size 1G] [--jobs 1] BINARY BINARY…
# For each corpus (Company Portal and jamf.log, gen_corpus.py seed 1, made when missing) and
# binary: the median wall time, the median CPU time (user + system, less sensitive to other
# load on a shared host), input GB per CPU-second and the peak RSS, and whether every binary's
# JSON report is the same. Prints one Markdown table. A before/after check of a change on the
# scan path; Benchmarks/run.sh is the comparison with the grep tools. LOGSCAN_CORPUS=DIR keeps
# the corpora elsewhere than Benchmarks/corpus (same file names as run.sh makes).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 size=1G jobs=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) break ;;
  esac
done
[ "$#" -ge 1 ] || { echo "usage: Benchmarks/compare.sh [--runs N] [--size 1G] [--jobs N] BINARY [BINARY…]" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed as /usr/bin/time (apt-get install time)" >&2; exit 2; }
corpus=${LOGSCAN_CORPUS:-Benchmarks/corpus}
mkdir -p "$corpus"
version=$(grep -o '^GENERATOR_VERSION = [0-9]*' Benchmarks/gen_corpus.py | grep -o '[0-9]*$')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| corpus | binary | wall s (median) | CPU s (median) | GB per CPU-s | peak RSS MiB | same JSON |"
echo "|---|---|---:|---:|---:|---:|---|"
for kind in cp jamf; do
  f="$corpus/$kind-$size-s1-g$version.log"
  [ -s "$f" ] || python3 Benchmarks/gen_corpus.py --kind "$kind" --size "$size" --seed 1 --quiet "$f"
  bytes=$(stat -c %s "$f")
  for r in $(seq 1 "$runs"); do
    i=0
    for bin in "$@"; do
      i=$((i + 1))
      /usr/bin/time -f '%e %U %S %M' -o "$tmp/t-$kind-$i-$r" \
        "$bin" scan -j "$jobs" --format json --tz UTC "$f" >"$tmp/out-$kind-$i" 2>/dev/null || true
    done
  done
  i=0
  for bin in "$@"; do
    i=$((i + 1))
    same=yes
    cmp -s "$tmp/out-$kind-1" "$tmp/out-$kind-$i" || same=no
    python3 - "$tmp" "$kind" "$i" "$runs" "$bytes" "$bin" "$same" <<'PY'
import statistics, sys
tmp, kind, i, runs, size, binary, same = sys.argv[1:]
# GNU time puts "Command exited with non-zero status 1" first when a cause is found (exit 1).
rows = [open(f"{tmp}/t-{kind}-{i}-{r}").read().splitlines()[-1].split() for r in range(1, int(runs) + 1)]
wall = statistics.median(float(x[0]) for x in rows)
cpu = statistics.median(float(x[1]) + float(x[2]) for x in rows)
rss = max(int(x[3]) for x in rows) / 1024
print(f"| {kind} {int(size) / 2**30:.2f} GiB | {binary} | {wall:.2f} | {cpu:.2f} | {int(size) / 1e9 / cpu:.2f} | {rss:.1f} | {same} |")
PY
  done
done
