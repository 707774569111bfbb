# Shared by run.sh and run_fleet.sh. Source it; it expects ROOT (the repository root) set.
# shellcheck shell=bash

BENCH="$ROOT/Benchmarks"
CORPUS="$BENCH/corpus"
RESULTS="$BENCH/results"

say()  { printf '%s\n' "$*" >&2; }
note() { printf '%s\n' "$*" >>"$NOTES"; say "note: $*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 2; }

# "1G" -> bytes (binary units, like gen_corpus.py).
size_bytes() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import gen_corpus as g; print(g.parse_size(sys.argv[2]))' "$BENCH" "$1"
}

# Generator versions: part of corpus names, so that output of an older generator is not reused.
gen_version() { # MODULE ATTRIBUTE
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); m = __import__(sys.argv[2]); print(getattr(m, sys.argv[3]))' "$BENCH" "$1" "$2"
}

# Tools every runner needs. /usr/bin/time is installed from Debian's `time` package if missing.
need_tools() {
  local t
  for t in python3 hyperfine "$@"; do
    command -v "$t" >/dev/null 2>&1 || die "$t is not installed (needed by this benchmark)"
  done
  if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing GNU time (/usr/bin/time) with apt-get ..."
      { apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }; } \
        || die "could not install GNU time; install the 'time' package"
    else
      die "/usr/bin/time (GNU time) is missing; install the 'time' package"
    fi
  fi
}

# Build logscan in release mode. Sets LOGSCAN to the binary; dies with a clear message if
# there is none afterwards.
build_logscan() {
  if [ "${NO_BUILD:-0}" = 1 ]; then
    say "skipping the build (--no-build)"
  else
    # The Swift runtime and Foundation linked in, as a binary to hand out is built: start-up
    # then skips most dynamic relocation (about 9 ms less per run on this machine).
    say "building logscan: swift build -c release --static-swift-stdlib (log: $WORK/build.log) ..."
    if ! (cd "$ROOT" && swift build -c release --static-swift-stdlib) >"$WORK/build.log" 2>&1; then
      tail -n 30 "$WORK/build.log" >&2
      die "swift build -c release --static-swift-stdlib failed (full log: $WORK/build.log). To time only the grep tools meanwhile: --no-logscan --patterns FILE"
    fi
  fi
  [ -x "$LOGSCAN" ] || die "logscan binary not found at ${LOGSCAN#"$ROOT"/} after the build. To time only the grep tools meanwhile: --no-logscan --patterns FILE"
}

# Check that `logscan scan --format json` printed the contract's JSON; prints a short summary
# ("findings N, timeline M") or dies with what was printed instead.
check_scan_json() { # FILE
  python3 - "$1" <<'PY' || exit 2
import json, sys
path = sys.argv[1]
data = open(path, "rb").read()
try:
    doc = json.loads(data)
    assert isinstance(doc, dict) and doc.get("schema") == "logscan/1", "no \"schema\": \"logscan/1\""
except Exception as e:  # noqa: BLE001
    head = data[:200].decode("utf-8", "replace").replace("\n", "\\n")
    sys.stderr.write(f"error: `logscan scan --format json` did not print the JSON report of the contract ({e}); "
                     f"it printed {len(data)} bytes starting with: {head!r}. Is `scan` implemented yet?\n")
    sys.exit(2)
errs = doc.get("errors") or []
print(f"findings {len(doc.get('findings') or [])}, timeline {len(doc.get('timeline') or [])}, "
      f"inputs {len(doc.get('inputs') or [])}, errors {len(errs)}")
PY
}

# Run `logscan scan --format json PATH...` once and check it answers as the contract says
# (exit 0 or 1, the JSON report); dies with a clear message otherwise.
probe_logscan() {
  local rc=0
  say "checking that \`logscan scan --format json\` works ..."
  "$LOGSCAN" scan --format json "$@" >"$WORK/probe.json" 2>"$WORK/probe.err" || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    head -n 10 "$WORK/probe.err" >&2
    die "\`logscan scan --format json\` exited with status $rc (0 or 1 expected)"
  fi
  PROBE_SUMMARY=$(check_scan_json "$WORK/probe.json") || exit 2
  say "   logscan scan: exit $rc, $PROBE_SUMMARY"
}

# Export logscan's patterns and prepare the per-tool pattern files in $WORK/patterns/.
export_patterns() { # SOURCE_FILE_OR_EMPTY
  local src="$1"
  if [ -z "$src" ]; then
    src="$WORK/exported.txt"
    "$LOGSCAN" rules export >"$src" 2>"$WORK/export.err" \
      || { cat "$WORK/export.err" >&2; die "\`logscan rules export\` failed (exit $?)"; }
  fi
  [ -s "$src" ] || die "no patterns: ${src#"$ROOT"/} is empty"
  python3 "$BENCH/lib/patterns.py" "$src" "$WORK/patterns" 2>>"$WORK/patterns.log"
  tail -n 1 "$WORK/patterns.log" >&2
  if ! pcre2grep $PCRE2GREP_UTF -f "$WORK/patterns/pcre.txt" /dev/null 2>"$WORK/pcre2grep.err"; then
    if [ -s "$WORK/pcre2grep.err" ]; then
      cat "$WORK/pcre2grep.err" >&2
      die "pcre2grep cannot compile the patterns from ${src#"$ROOT"/}"
    fi
  fi
}

# measure ID GROUP BYTES LABEL OKCODES RUNS CMD...
# One run under /usr/bin/time (peak RSS, exit status, output lines counted), then
# RUNS timed runs with hyperfine. OKCODES is a list like "0 1": any other exit status makes
# the row an error and skips the timing. Appends a row to $ROWS.
measure() {
  local id=$1 group=$2 bytes=$3 label=$4 okcodes=$5 runs=$6
  shift 6
  local cmdstr display rc rss secs outlines note=""
  cmdstr=$(printf '%q ' "$@")
  display=${cmdstr//"$WORK"\/patterns\//}
  display=${display//"$ROOT"\//}
  display=${display% }
  say ""
  say "== $label: $display"
  set +e
  /usr/bin/time -f '%M %e %U %S' -o "$WORK/time-$id" "$@" 2>"$WORK/err-$id" | wc -l >"$WORK/lines-$id"
  rc=${PIPESTATUS[0]}
  set -e
  local usr sys
  read -r rss secs usr sys <"$WORK/time-$id" 2>/dev/null || { rss=""; secs=0; }
  # GNU time prints "Command exited with non-zero status N" first when rc != 0.
  if ! [[ $rss =~ ^[0-9]+$ ]]; then
    read -r rss secs usr sys < <(tail -n 1 "$WORK/time-$id")
  fi
  outlines=$(tr -d ' ' <"$WORK/lines-$id")
  if [[ " $okcodes " != *" $rc "* ]]; then
    say "   exit status $rc (expected one of: $okcodes); stderr:"
    head -n 5 "$WORK/err-$id" >&2
    note="$label: exit status $rc, not timed ($(head -n 1 "$WORK/err-$id" | cut -c1-160))"
    printf '%s\n' "$note" >>"$NOTES"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$group" "$bytes" "$label" "$display" "$rc" "$rss" "$outlines" "-" "error" >>"$ROWS"
    return 0
  fi
  say "   one run: ${secs}s, peak RSS $((rss / 1024)) MiB, exit $rc, $outlines output lines"
  if awk -v s="$secs" -v lim="$SLOW_LIMIT" 'BEGIN{exit !(s > lim)}'; then
    # That run is the timing (GNU time's wall, user and system seconds), written the way
    # hyperfine exports a run: running it again would double the longest part of the benchmark.
    printf '%s\n' "$label: one run took ${secs}s (> ${SLOW_LIMIT}s), so it was timed once instead of $runs times" >>"$NOTES"
    printf '{"results": [{"command": "%s", "times": [%s], "user": %s, "system": %s}]}\n' \
      "$label" "$secs" "${usr:-0}" "${sys:-0}" >"$WORK/hf-$id.json"
  else
    hyperfine --runs "$runs" --output=pipe -i --style basic --command-name "$label" \
      --export-json "$WORK/hf-$id.json" "$cmdstr" >&2
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$group" "$bytes" "$label" "$display" "$rc" "$rss" "$outlines" "$WORK/hf-$id.json" "$note" >>"$ROWS"
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

# Read every file once so the timed runs find it in the page cache.
warm_cache() {
  local total avail
  total=$(du -sbL "$@" | awk '{s+=$1} END{printf "%d", s}')
  avail=$(awk '/MemAvailable/ {printf "%d", $2 * 1024}' /proc/meminfo)
  if [ "$total" -gt $((avail / 2)) ]; then
    note "the inputs ($((total >> 20)) MiB) exceed half of the available memory ($((avail >> 20)) MiB): runs may read from disk"
  fi
  say "warming the page cache ($((total >> 20)) MiB) ..."
  find -L "$@" -type f -exec cat {} + >/dev/null
}

machine_md() { # extra lines on stdin are appended
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  {
    echo "## Machine"
    echo ""
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: nproc $(nproc), CPU ${cpu:-unknown}, memory $mem, kernel $(uname -sr)"
    echo "- rg: $(rg --version | sed -n 1p) ($(rg --pcre2-version 2>/dev/null | sed -n 1p))"
    echo "- pcre2grep: $(pcre2grep --version 2>&1 | sed -n 1p)"
    echo "- grep: $(grep --version | sed -n 1p)"
    echo "- hyperfine: $(hyperfine --version)"
    echo "- swift: $(swift --version 2>&1 | sed -n 1p)"
    echo "- python3: $(python3 --version 2>&1)"
    echo "- locale: LC_ALL=${LC_ALL:-} LANG=${LANG:-}"
    echo "- load average when the run started: $LOAD_AT_START (the machine may be shared; compare runs made under similar load)"
    if [ "${NO_LOGSCAN:-0}" = 1 ]; then
      echo "- logscan: not run (--no-logscan)"
    else
      local ver commit
      ver=$("$LOGSCAN" --version 2>/dev/null | sed -n 1p || true)
      commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
      if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
      echo "- logscan: ${LOGSCAN#"$ROOT"/} ${ver:+($ver) }from commit $commit"
    fi
    cat
  }
}
