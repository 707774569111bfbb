#!/usr/bin/env python3
"""Measure whether `logscan follow` keeps a constant cost per line over a long session.

    follow_scaling.py [--logscan PATH] [--no-build] [--lines 1000000] [--window 100000]
                      [--out FILE]

Pipes --lines jamf.log lines (one second apart, every one of them a matched line: 49 in 50
are recurring check-ins, the others "Could not connect to the JSS") into
`logscan follow --format ndjson -` as fast as logscan takes them, and notes when the event of
each line comes back on its standard output. Every line is a match, so every line goes
through the live classifier: a cost that grows with the session shows as a slower last
window than first.

Reports the time per line over the first --window lines (from the first event) and over the
last --window lines, and their ratio (1.0 is constant cost per line). Writes a Markdown
report to Benchmarks/results/<date>-follow-scaling.md (or --out). Exit status 0 when the last
window costs at most 1.5 times the first, 1 when it costs more, 2 when logscan could not be
run or did not report every line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CHECKIN = 'jamf[8051]: Checking for policies triggered by "recurring check-in" for user "ann"...'
UNREACHABLE = "jamf[8051]: Could not connect to the JSS. Looking for cached policies..."
START = dt.datetime(2025, 3, 3, 0, 0, 0)


def lines(count: int):
    """jamf.log lines, one second apart, in chunks of about 1 MiB."""
    chunk = []
    size = 0
    for n in range(count):
        t = START + dt.timedelta(seconds=n)
        text = UNREACHABLE if n % 50 == 49 else CHECKIN
        line = f"{t:%a %b %d %H:%M:%S} bench-mac {text}\n".encode()
        chunk.append(line)
        size += len(line)
        if size >= 1 << 20:
            yield b"".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)


def build() -> str:
    print("building logscan (release)...", file=sys.stderr)
    r = subprocess.run(["swift", "build", "-c", "release", "--product", "logscan"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    path = os.path.join(ROOT, ".build", "release", "logscan")
    if r.returncode != 0 or not os.path.exists(path):
        sys.exit("build failed:\n" + r.stderr[-2000:])
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--logscan", help="binary to measure (default: build .build/release/logscan)")
    ap.add_argument("--no-build", action="store_true", help="use .build/release/logscan as it is")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--window", type=int, default=100_000)
    ap.add_argument("--out", help="report file (default Benchmarks/results/<date>-follow-scaling.md)")
    args = ap.parse_args()
    if args.window * 2 > args.lines:
        sys.exit("--window must be at most half of --lines")
    logscan = args.logscan or (os.path.join(ROOT, ".build", "release", "logscan") if args.no_build else build())

    proc = subprocess.Popen([logscan, "follow", "--format", "ndjson", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def write():
        try:
            for chunk in lines(args.lines):
                proc.stdin.write(chunk)
        except BrokenPipeError:
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write, daemon=True)
    started = time.perf_counter()
    writer.start()
    # When the event of line 1, of line --window, of line (lines - window) and of the last came.
    marks = {1: None, args.window: None, args.lines - args.window: None, args.lines: None}
    events = 0
    for raw in proc.stdout:
        if b'"type":"event"' not in raw:
            continue
        events += 1
        if events in marks:
            marks[events] = time.perf_counter()
    proc.wait()
    total = time.perf_counter() - started
    if events != args.lines or any(v is None for v in marks.values()):
        print(f"logscan reported {events} events for {args.lines} lines (exit {proc.returncode}):\n"
              + proc.stderr.read().decode(errors="replace")[-2000:], file=sys.stderr)
        return 2

    first = (marks[args.window] - marks[1]) / (args.window - 1)
    last = (marks[args.lines] - marks[args.lines - args.window]) / args.window
    ratio = last / first
    verdict = "PASS" if ratio <= 1.5 else "FAIL"
    report = "\n".join([
        f"# follow scaling, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        f"Command: `Benchmarks/follow_scaling.py --lines {args.lines} --window {args.window}`"
        f" (`logscan follow --format ndjson -`, every line a matched jamf.log line)",
        "",
        "| lines | time per line |",
        "|---|---|",
        f"| first {args.window:,} | {first * 1e6:.2f} µs |",
        f"| last {args.window:,} | {last * 1e6:.2f} µs |",
        "",
        f"Last / first: {ratio:.2f}. Whole run: {total:.1f} s for {args.lines:,} lines.",
        "",
        f"{verdict}: constant cost per line (last window at most 1.5 × the first)",
        "",
    ])
    out = args.out or os.path.join(HERE, "results", f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d}-follow-scaling.md")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(report)
    print(report)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
