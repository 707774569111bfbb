#!/usr/bin/env python3
"""-j 1 against -j 2 on the same files, runs interleaved.

    python3 Benchmarks/j_speedup.py [--runs 15] [--logscan PATH] [--out FILE] FILE...

run.sh times all `-j 1` runs, then all `-j 2` runs (hyperfine). On a shared machine whose speed
drifts from one minute to the next, that drift lands on one side of the ratio. Here each round
runs `logscan scan --format json -j 1 FILE...` and then `-j 2` (output to /dev/null, page cache
warmed first), so drift hits both alike; the speed-up is the ratio of the medians, and the
ratio of the minimums is shown beside it. Prints a Markdown report, and writes it to FILE with
--out.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: a cause was found
        sys.exit(f"{' '.join(cmd)} exited with {done.returncode}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--logscan", default=".build/release/logscan")
    parser.add_argument("--out")
    args = parser.parse_args()
    for path in args.files:
        with open(path, "rb") as f:  # warm the page cache
            while f.read(1 << 24):
                pass
    commands = {j: [args.logscan, "scan", "--format", "json", "-j", str(j)] + args.files for j in (1, 2)}
    times = {1: [], 2: []}
    run_once(commands[1])
    run_once(commands[2])
    for _ in range(args.runs):
        for j in (1, 2):
            times[j].append(run_once(commands[j]))
    med = {j: statistics.median(times[j]) for j in times}
    low = {j: min(times[j]) for j in times}
    lines = [
        f"# logscan -j 1 against -j 2, interleaved ({datetime.date.today().isoformat()})",
        "",
        f"- files: {', '.join(f'`{p}` ({os.path.getsize(p)} bytes)' for p in args.files)}",
        f"- {args.runs} rounds, each `-j 1` then `-j 2`; machine: {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        "",
        "| run | median s | min s | max s |",
        "|---|---:|---:|---:|",
    ]
    for j in (1, 2):
        lines.append(f"| `{' '.join(commands[j])}` | {med[j]:.3f} | {low[j]:.3f} | {max(times[j]):.3f} |")
    lines += ["", f"- speed-up: {med[1] / med[2]:.2f}× (medians), {low[1] / low[2]:.2f}× (minimums)"]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
