#!/usr/bin/env bash
# Single-file benchmark: logscan against ripgrep, pcre2grep and grep on the same file.
#
#   Benchmarks/run.sh [--runs N] [--kind cp|jamf|mixed] [--size 1G] [--seed N]
#                     [--patterns FILE] [--no-logscan] [--no-build] [--logscan PATH]
#                     [--literal TEXT] [--no-j] [--slow-limit SECONDS] [--out FILE]
#
# Builds logscan (swift build -c release --static-swift-stdlib), generates the corpus into
# Benchmarks/corpus/ if it is missing, warms the page cache, then times N runs of each command (median, min, max) and
# measures each one's peak RSS. Prints a Markdown report and writes it to
# Benchmarks/results/<date>-<kind>.md. See Benchmarks/README.md.
#
#   --patterns FILE  use FILE instead of `logscan rules export` for the grep tools
#   --no-logscan     time only the grep tools (needs --patterns); the report is written to
#                    <date>-<kind>-tools-only.md
#   --no-build       do not run swift build; use the binary that is there
#   --logscan PATH   the binary to time (default .build/release/logscan)
#   --literal TEXT   the literal for `grep -c` and `rg -F` (default: one per kind)
#   --no-j           skip the two-file -j 1 / -j 2 measurement
#   --slow-limit S   a command whose first run takes longer than S seconds (default 90) is
#                    timed once instead of N times
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
source "$ROOT/Benchmarks/lib/common.sh"

RUNS=5 KIND=cp SIZE=1G SEED=1 PATTERNS="" NO_LOGSCAN=0 NO_BUILD=0 LITERAL="" DO_J=1 SLOW_LIMIT=90 OUT=""
LOGSCAN="$ROOT/.build/release/logscan"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --kind) KIND=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --patterns) PATTERNS=$(realpath -m "$2"); shift 2 ;;
    --no-logscan) NO_LOGSCAN=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    --logscan) LOGSCAN=$(realpath -m "$2"); shift 2 ;;
    --literal) LITERAL=$2; shift 2 ;;
    --no-j) DO_J=0; shift ;;
    --slow-limit) SLOW_LIMIT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
case "$KIND" in cp|jamf|mixed) ;; *) die "--kind must be cp, jamf or mixed" ;; esac
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
[ "$NO_LOGSCAN" = 0 ] || [ -n "$PATTERNS" ] || die "--no-logscan needs --patterns FILE (a stand-in for \`logscan rules export\`)"
[ -z "$PATTERNS" ] || [ -s "$PATTERNS" ] || die "pattern file ${PATTERNS} is missing or empty"

need_tools rg pcre2grep grep
mkdir -p "$CORPUS" "$RESULTS"
WORK="$CORPUS/work-$KIND-$$"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
ROWS="$WORK/rows.tsv" NOTES="$WORK/notes.txt"
: >"$ROWS"; : >"$NOTES"

PCRE2GREP_UTF=""
if pcre2grep --help 2>&1 | grep -q -- '--utf-allow-invalid'; then PCRE2GREP_UTF="-U"; fi

# ---------------------------------------------------------------- build
if [ "$NO_LOGSCAN" = 0 ]; then
  build_logscan
fi

# ---------------------------------------------------------------- corpus
BYTES_WANTED=$(size_bytes "$SIZE")
GENV=$(gen_version gen_corpus GENERATOR_VERSION)
corpus_path() { # SEED
  if [ "$KIND" = mixed ]; then echo "$CORPUS/mixed-$SIZE-s$1-g$GENV"; else echo "$CORPUS/$KIND-$SIZE-s$1-g$GENV.log"; fi
}
ensure_corpus() { # SEED
  local p; p=$(corpus_path "$1")
  if [ ! -e "$p" ]; then
    say "generating $KIND corpus of $SIZE (seed $1) into ${p#"$ROOT"/} ..."
    python3 "$BENCH/gen_corpus.py" --kind "$KIND" --size "$SIZE" --seed "$1" "$p" || die "corpus generation failed"
  fi
}
ensure_corpus "$SEED"
FILE=$(corpus_path "$SEED")
BYTES=$(du -sbL "$FILE" | cut -f1)
if [ "$KIND" = mixed ]; then
  LINES=$(find "$FILE" -type f -exec cat {} + | wc -l)
else
  LINES=$(wc -l <"$FILE")
fi
say "corpus: ${FILE#"$ROOT"/}: $BYTES bytes, $LINES lines"

if [ -z "$LITERAL" ]; then
  case "$KIND" in
    cp) LITERAL="Portal launched without WPJ only arg" ;;
    jamf) LITERAL="Could not connect to the JSS" ;;
    mixed) LITERAL="AADSTS" ;;
  esac
fi

# ---------------------------------------------------------------- patterns
if [ -n "$PATTERNS" ]; then
  note "patterns for the grep tools: ${PATTERNS#"$ROOT"/} (a stand-in given with --patterns, not \`logscan rules export\`)"
  export_patterns "$PATTERNS"
else
  export_patterns ""
fi
PSUM="$WORK/patterns/summary.json"
pjson() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$PSUM" "$1"; }
NPAT=$(pjson 'd["patterns"]')
[ "$(pjson 'd["blank_dropped"]')" = 0 ] || note "$(pjson 'd["blank_dropped"]') blank line(s) in the exported patterns were dropped (a blank pattern matches every line)"
PCRE_FOR_RG="$WORK/patterns/pcre.txt"
RG_P_NOTE=""
if [ "$(pjson 'd["rg_pcre2_as_exported"]')" != True ]; then
  note "\`rg -P -f\` rejects the exported patterns as they are: $(pjson 'd["rg_pcre2_error"]'). The contract says the export must be usable with \`rg -P -f\`; for timing, named groups were made plain ((?<name>…) → (?:…))"
  if [ "$(pjson 'd.get("rg_pcre2_plain_ok")')" = True ]; then
    PCRE_FOR_RG="$WORK/patterns/pcre-plain.txt"
    RG_P_NOTE="named groups made plain"
  else
    PCRE_FOR_RG=""
    note "\`rg -P -f\` rejects them even with plain groups: $(pjson 'd.get("rg_pcre2_plain_error")'); \`rg -P -f\` is not timed"
  fi
fi
NRUST=$(pjson 'd["rust_ok"]')
RUST_NOTE=""
if [ "$NRUST" = 0 ] || [ "$(pjson 'd["rust_combined_ok"]')" != True ]; then
  note "\`rg -f\` (default engine) skipped: $(pjson 'd["rust_combined_error"]')"
  NRUST=0
elif [ "$NRUST" != "$NPAT" ]; then
  RUST_NOTE="$NRUST of $NPAT patterns; $((NPAT - NRUST)) need PCRE2"
  note "\`rg -f\` (Rust regex) runs $NRUST of the $NPAT patterns: $((NPAT - NRUST)) use lookaround or other PCRE2-only syntax ($(pjson '"; ".join(sorted(set(s["reason"].removeprefix("error: ") for s in d["rust_skipped"])))')), so it does less work than the others and its comparison is only indicative"
fi
note "for \`rg -f\`, named groups were made plain (rg $(rg --version | sed -n '1s/^ripgrep //p') accepts only (?P<name>…), and never the same name twice in one regex) and \\b \\w \\d \\s were made ASCII, as they are in PCRE2 without UCP (Rust regex makes them Unicode-aware, which for \\b next to non-ASCII text is many times slower)"
note "pattern files in the commands (pcre.txt, pcre-plain.txt, rust.txt) are made from the export by Benchmarks/lib/patterns.py; a copy of the last ones is kept in Benchmarks/corpus/last-patterns-$KIND/"

GREP_R=() RG_R=()
# A directory: grep tools recurse; rg must not skip files because Benchmarks/corpus/ is in .gitignore.
if [ "$KIND" = mixed ]; then GREP_R=(-r) RG_R=(--no-ignore --hidden); fi

warm_cache "$FILE"
[ "$NO_LOGSCAN" = 1 ] || probe_logscan "$FILE"

# ---------------------------------------------------------------- single file
if [ "$NO_LOGSCAN" = 0 ]; then
  measure logscan tools "$BYTES" "logscan scan" "0 1" "$RUNS" "$LOGSCAN" scan --format json "$FILE"
  note "logscan scan reported: $PROBE_SUMMARY"
  # The one-core target is judged on -j 1: the default -j also renders and resolves a long
  # timeline on a second thread, and that thread's start-up and waiting count as CPU time.
  measure logscan-j1 tools "$BYTES" "logscan scan -j 1 (one core)" "0 1" "$RUNS" "$LOGSCAN" scan -j 1 --format json "$FILE"
fi
if [ -n "$PCRE_FOR_RG" ]; then
  measure rg-pcre2 tools "$BYTES" "rg -P -f (PCRE2)" "0 1" "$RUNS" rg "${RG_R[@]}" -P -f "$PCRE_FOR_RG" "$FILE"
  [ -z "$RG_P_NOTE" ] || sed -i "\$s/\t\$/\t$RG_P_NOTE/" "$ROWS"
fi
if [ "$NRUST" != 0 ]; then
  measure rg-rust tools "$BYTES" "rg -f (default engine)" "0 1" "$RUNS" rg "${RG_R[@]}" -f "$WORK/patterns/rust.txt" "$FILE"
  [ -z "$RUST_NOTE" ] || sed -i "\$s/\t\$/\t$RUST_NOTE/" "$ROWS"
fi
measure pcre2grep tools "$BYTES" "pcre2grep -f" "0 1" "$RUNS" pcre2grep $PCRE2GREP_UTF "${GREP_R[@]}" -f "$WORK/patterns/pcre.txt" "$FILE"
measure grep-c tools "$BYTES" "grep -c literal" "0 1" "$RUNS" grep "${GREP_R[@]}" -F -c "$LITERAL" "$FILE"
measure rg-F tools "$BYTES" "rg -F literal" "0 1" "$RUNS" rg "${RG_R[@]}" -F "$LITERAL" "$FILE"
note "pcre2grep runs with ${PCRE2GREP_UTF:-no UTF option} (UTF mode that tolerates invalid bytes, like logscan's PCRE2_MATCH_INVALID_UTF); it tries the patterns one after another on each line, while rg joins them into one regex"
note "literal for grep -c / rg -F: \"$LITERAL\""

# ---------------------------------------------------------------- -j on two files
if [ "$DO_J" = 1 ] && [ "$NO_LOGSCAN" = 0 ]; then
  ensure_corpus "$((SEED + 1))"
  FILE2=$(corpus_path "$((SEED + 1))")
  BYTES2=$(( BYTES + $(du -sbL "$FILE2" | cut -f1) ))
  warm_cache "$FILE" "$FILE2"
  measure j1 j "$BYTES2" "logscan scan -j 1, two files" "0 1" "$RUNS" "$LOGSCAN" scan -j 1 --format json "$FILE" "$FILE2"
  measure j2 j "$BYTES2" "logscan scan -j 2, two files" "0 1" "$RUNS" "$LOGSCAN" scan -j 2 --format json "$FILE" "$FILE2"
elif [ "$DO_J" = 1 ]; then
  note "-j measurement skipped: logscan is not run (--no-logscan)"
fi

rm -rf "$CORPUS/last-patterns-$KIND" && cp -r "$WORK/patterns" "$CORPUS/last-patterns-$KIND"

# ---------------------------------------------------------------- report
DATE=$(date -u +%Y-%m-%d)
if [ -z "$OUT" ]; then
  if [ "$NO_LOGSCAN" = 1 ]; then OUT="$RESULTS/$DATE-$KIND-tools-only.md"; else OUT="$RESULTS/$DATE-$KIND.md"; fi
fi
machine_md >"$WORK/machine.md" <<EOF
- corpus: \`${FILE#"$ROOT"/}\` — kind $KIND, --size $SIZE ($BYTES bytes, $LINES lines), seed $SEED, made by \`Benchmarks/gen_corpus.py\`
- patterns: $NPAT ($( [ -n "$PATTERNS" ] && echo "stand-in ${PATTERNS#"$ROOT"/}" || echo "\`logscan rules export\`" ))
- runs per command: $RUNS (after one extra run for RSS and exit status; page cache warm)
EOF
mkdir -p "$(dirname "$OUT")"
python3 "$BENCH/lib/report.py" --mode single --rows "$ROWS" --machine "$WORK/machine.md" --notes "$NOTES" \
  --title "logscan benchmark: one $KIND file ($SIZE)" >"$OUT"
cat "$OUT"
say ""
say "report written to ${OUT#"$ROOT"/}"
