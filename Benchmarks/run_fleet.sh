#!/usr/bin/env bash
# Fleet benchmark: logscan on a directory of zipped per-Mac bundles, -j 1 against -j 2.
#
#   Benchmarks/run_fleet.sh [--macs 200] [--size-per-mac 12M] [--seed 1] [--runs 3]
#                           [--single-size 1G] [--no-single] [--no-build] [--logscan PATH]
#                           [--slow-limit SECONDS] [--out FILE]
#
# Builds logscan (swift build -c release --static-swift-stdlib), generates the fleet into
# Benchmarks/corpus/ if it is missing (gen_fleet.py), warms the page cache, then times N runs each of
#   logscan scan -j 1 --format json FLEET      and      logscan scan -j 2 --format json FLEET
# with their peak RSS, the speed-up, the throughput in uncompressed GB/s, and the same
# logscan on one plain Company Portal file (--single-size, as run.sh makes it) for reference.
# It also says how the causes logscan found compare with the ones gen_fleet.py planted.
# Writes Benchmarks/results/<date>-fleet.md. See Benchmarks/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/Benchmarks/lib/common.sh"

MACS=200 PER_MAC=12M SEED=1 RUNS=3 SINGLE_SIZE=1G DO_SINGLE=1 NO_BUILD=0 SLOW_LIMIT=300 OUT=""
LOGSCAN="$ROOT/.build/release/logscan"
while [ $# -gt 0 ]; do
  case "$1" in
    --macs) MACS=$2; shift 2 ;;
    --size-per-mac) PER_MAC=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --single-size) SINGLE_SIZE=$2; shift 2 ;;
    --no-single) DO_SINGLE=0; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    --logscan) LOGSCAN=$(realpath -m "$2"); shift 2 ;;
    --slow-limit) SLOW_LIMIT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
[[ $MACS =~ ^[1-9][0-9]*$ ]] || die "--macs must be a positive number"

need_tools
mkdir -p "$CORPUS" "$RESULTS"
WORK="$CORPUS/work-fleet-$$"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
ROWS="$WORK/rows.tsv" NOTES="$WORK/notes.txt"
: >"$ROWS"; : >"$NOTES"

build_logscan

# ---------------------------------------------------------------- fleet and reference file
GENV=$(gen_version gen_corpus GENERATOR_VERSION)
FLEET="$CORPUS/fleet-${MACS}x${PER_MAC}-s$SEED-g$GENV.$(gen_version gen_fleet FLEET_VERSION)"
MANIFEST="$FLEET.manifest.json"
if [ ! -f "$MANIFEST" ]; then
  say "generating the fleet: $MACS bundles of about $PER_MAC into ${FLEET#"$ROOT"/} ..."
  python3 "$BENCH/gen_fleet.py" --macs "$MACS" --size-per-mac "$PER_MAC" --seed "$SEED" "$FLEET" || die "fleet generation failed"
fi
mjson() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$MANIFEST" "$1"; }
UNCOMPRESSED=$(mjson 'd["uncompressed_bytes"]')
ZIPPED=$(du -sbL "$FLEET" | cut -f1)
NBUNDLES=$(find "$FLEET" -maxdepth 1 -name '*.zip' | wc -l)
[ "$NBUNDLES" = "$(mjson 'd["macs"]')" ] || die "${FLEET#"$ROOT"/} has $NBUNDLES zips but its manifest lists $(mjson 'd["macs"]'); delete both and rerun"
say "fleet: $NBUNDLES bundles, $UNCOMPRESSED bytes uncompressed, $ZIPPED bytes on disk"

SINGLE=""
if [ "$DO_SINGLE" = 1 ]; then
  SINGLE="$CORPUS/cp-$SINGLE_SIZE-s1-g$GENV.log"
  if [ ! -f "$SINGLE" ]; then
    say "generating the single-file reference ${SINGLE#"$ROOT"/} ..."
    python3 "$BENCH/gen_corpus.py" --kind cp --size "$SINGLE_SIZE" --seed 1 "$SINGLE" || die "corpus generation failed"
  fi
fi

warm_cache "$FLEET" ${SINGLE:+"$SINGLE"}
probe_logscan "$FLEET"
python3 "$BENCH/lib/fleet_agreement.py" "$MANIFEST" "$WORK/probe.json" >"$WORK/agreement.md" \
  || note "could not compare the findings with the manifest"
rm -f "$WORK/probe.json"

# ---------------------------------------------------------------- timing
measure fleet-j1 fleet "$UNCOMPRESSED" "logscan scan -j 1, fleet" "0 1" "$RUNS" "$LOGSCAN" scan -j 1 --format json "$FLEET"
measure fleet-j2 fleet "$UNCOMPRESSED" "logscan scan -j 2, fleet" "0 1" "$RUNS" "$LOGSCAN" scan -j 2 --format json "$FLEET"
if [ -n "$SINGLE" ]; then
  measure single-j1 single "$(du -sbL "$SINGLE" | cut -f1)" "logscan scan -j 1, one plain file" "0 1" "$RUNS" \
    "$LOGSCAN" scan -j 1 --format json "$SINGLE"
fi
note "throughput (GB/s) of the fleet rows counts uncompressed bytes: every zip member, .gz members decompressed ($UNCOMPRESSED bytes; $ZIPPED bytes on disk)"

# ---------------------------------------------------------------- report
DATE=$(date -u +%Y-%m-%d)
OUT=${OUT:-$RESULTS/$DATE-fleet.md}
{
  echo "- fleet: \`${FLEET#"$ROOT"/}\` — $NBUNDLES zipped bundles (IntuneMacODC and Jamf Log Grabber layouts), about $PER_MAC each, seed $SEED, made by \`Benchmarks/gen_fleet.py\`; $UNCOMPRESSED bytes uncompressed, $ZIPPED bytes on disk"
  [ -z "$SINGLE" ] || echo "- single-file reference: \`${SINGLE#"$ROOT"/}\` (Company Portal, made by \`Benchmarks/gen_corpus.py\`)"
  echo "- runs per command: $RUNS (after one extra run for RSS and exit status; page cache warm)"
  echo ""
  echo "## Causes found vs planted"
  echo ""
  cat "$WORK/agreement.md" 2>/dev/null || true
} | machine_md >"$WORK/machine.md"
mkdir -p "$(dirname "$OUT")"
python3 "$BENCH/lib/report.py" --mode fleet --rows "$ROWS" --machine "$WORK/machine.md" --notes "$NOTES" \
  --title "logscan benchmark: fleet of $NBUNDLES bundles" >"$OUT"
cat "$OUT"
say ""
say "report written to ${OUT#"$ROOT"/}"
