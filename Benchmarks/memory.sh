#!/usr/bin/env bash
# Peak memory against input size: does logscan's RSS stay flat as the log grows?
#
#   Benchmarks/memory.sh [--kind cp|jamf] [--sizes "64M 256M 1G"] [--no-build] [--logscan PATH]
#                        [--out FILE]
#
# For each size, generates the corpus if it is missing (Benchmarks/gen_corpus.py, seed 1), runs
# `logscan scan --format json FILE > /dev/null` once under /usr/bin/time, and reports peak RSS,
# the anonymous part of it (heap: sampled from /proc every 10 ms, the file-backed rest is the
# binary and the Swift libraries), the number of timeline entries, and bytes per entry of the
# growth between the smallest and the largest size. Writes Markdown to
# Benchmarks/results/<date>-memory-<kind>.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=Benchmarks/lib/common.sh
. "$ROOT/Benchmarks/lib/common.sh"

KIND=jamf SIZES="64M 256M 1G" NO_BUILD=0 LOGSCAN="$ROOT/.build/release/logscan" OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kind) KIND=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --no-build) NO_BUILD=1; shift ;;
    --logscan) LOGSCAN=$(realpath -m "$2"); shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
case "$KIND" in cp|jamf) ;; *) die "--kind must be cp or jamf" ;; esac

need_tools
mkdir -p "$CORPUS" "$RESULTS"
WORK=$(mktemp -d "$CORPUS/work-memory-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
NOTES="$WORK/notes.txt"; : >"$NOTES"
build_logscan
GENV=$(gen_version gen_corpus GENERATOR_VERSION)

# Runs logscan on FILE; prints "peak_rss_kib max_anon_kib timeline_entries".
measure() { # FILE
  "$LOGSCAN" scan --format json "$1" >"$WORK/out.json" 2>"$WORK/err.txt" &
  local pid=$! anon=0 a
  while kill -0 "$pid" 2>/dev/null; do
    a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$a" ] && [ "$a" -gt "$anon" ]; then anon=$a; fi
    sleep 0.01
  done
  wait "$pid" || true
  local peak
  # logscan exits 1 when it finds a cause: not a failure here.
  /usr/bin/time -o "$WORK/time.txt" -f '%M' "$LOGSCAN" scan --format json "$1" >/dev/null 2>/dev/null || true
  peak=$(tail -n 1 "$WORK/time.txt")
  local entries
  entries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["timeline"]))' "$WORK/out.json")
  echo "$peak $anon $entries"
}

ROWS=()
for size in $SIZES; do
  file="$CORPUS/$KIND-$size-s1-g$GENV.log"
  if [ ! -s "$file" ]; then
    say "generating $file ..."
    python3 "$BENCH/gen_corpus.py" --kind "$KIND" --size "$size" --seed 1 "$file" || die "corpus generation failed"
  fi
  cat "$file" >/dev/null  # warm the page cache
  say "measuring $size ..."
  read -r peak anon entries < <(measure "$file")
  ROWS+=("$size $(stat -c %s "$file") $peak $anon $entries")
done

{
  echo "# logscan peak memory against input size ($KIND)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), host: nproc $(nproc), $(uname -sr)"
  echo "- logscan: ${LOGSCAN#"$ROOT"/} from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- command: \`logscan scan --format json FILE > /dev/null\`, corpus from \`Benchmarks/gen_corpus.py --kind $KIND --seed 1\`"
  echo
  echo "| size | bytes | timeline entries | peak RSS MiB | of which anonymous MiB |"
  echo "|---|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do
    read -r size bytes peak anon entries <<<"$row"
    printf '| %s | %s | %s | %.1f | %.1f |\n' "$size" "$bytes" "$entries" "$(echo "$peak / 1024" | bc -l)" "$(echo "$anon / 1024" | bc -l)"
  done
  read -r _ _ peak0 anon0 entries0 <<<"${ROWS[0]}"
  read -r _ _ peak1 anon1 entries1 <<<"${ROWS[${#ROWS[@]}-1]}"
  if [ "$entries1" -gt "$entries0" ]; then
    echo
    printf -- '- growth from the smallest to the largest size: %.0f bytes of peak RSS and %.0f bytes of anonymous memory per extra timeline entry\n' \
      "$(echo "($peak1 - $peak0) * 1024 / ($entries1 - $entries0)" | bc -l)" "$(echo "($anon1 - $anon0) * 1024 / ($entries1 - $entries0)" | bc -l)"
  fi
  echo "- peak RSS is \`/usr/bin/time -f %M\` of a second run; the anonymous part is the largest RssAnon seen in /proc every 10 ms of the first (file-backed pages are the binary and the Swift libraries)"
} >"$WORK/report.md"
cat "$WORK/report.md"
cp "$WORK/report.md" "${OUT:-$RESULTS/$(date -u +%Y-%m-%d)-memory-$KIND.md}"
