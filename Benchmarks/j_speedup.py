#!/usr/bin/env python3
"""-j 1 against -j 2 on the same files, runs interleaved.

    python3 Benchmarks/j_speedup.py [--runs 15] [--logscan PATH] [--out FILE] [--cold] FILE...

run.sh times all `-j 1` runs, then all `-j 2` runs (hyperfine). On a shared machine whose speed
drifts from one minute to the next, that drift lands on one side of the ratio. Here each round
runs `logscan scan --format json -j 1 FILE...` and then `-j 2` (output to /dev/null, page cache
warmed first), so drift hits both alike; the speed-up is the ratio of the medians, and the
ratio of the minimums is shown beside it. Prints a Markdown report, and writes it to FILE with
--out.

Each round also runs one `-j 1` process per file, all started at once, and times until the last
one exits: what two cores give for the same scanning when nothing at all is shared (no threads,
no common bundle). `-j 1` on all files divided by that time is the speed-up this machine allows
for the work, whatever logscan does inside one process; the report shows it beside the `-j 2`
speed-up. The separate processes each analyse and report one file instead of one bundle of all,
a little less work than the `-j 1` run on all of them, so that ceiling is an estimate.

--cold drops the page cache before every run instead (`sync; echo 3 > /proc/sys/vm/drop_caches`:
Linux, as root), which times reading the logs from disk as well. The report ends with how much
of each file was in the page cache at the end (`fincore`, when installed): the machine this was
written on evicts cached file pages on its own, a few MB per second, so a "warm" run is not
always entirely warm.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time


def every_file(paths):
    """The files named, and every file under the directories named (a fleet of bundles)."""
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    yield os.path.join(root, name)
        else:
            yield path


def drop_page_cache():
    subprocess.run(["sync"], check=True)
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    except OSError as e:
        sys.exit(f"--cold needs to write /proc/sys/vm/drop_caches (Linux, root): {e}")


def cached_share(path):
    """Bytes of `path` in the page cache per `fincore`, or None without it."""
    try:
        out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", path],
                             capture_output=True, text=True, check=True).stdout.split()
        return int(out[0])
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return None


def run_apart(cmds, cold=False):
    """Wall time from starting all of `cmds` at once until the last one exits."""
    if cold:
        drop_page_cache()
    start = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - start
    for c, code in zip(cmds, codes):
        if code not in (0, 1):
            sys.exit(f"{' '.join(c)} exited with {code}")
    return elapsed


def run_once(cmd, cold=False):
    if cold:
        drop_page_cache()
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
    parser.add_argument("--cold", action="store_true", help="drop the page cache before every run (root)")
    args = parser.parse_args()
    for path in every_file(args.files) if not args.cold else []:
        with open(path, "rb") as f:  # warm the page cache
            while f.read(1 << 24):
                pass
    commands = {j: [args.logscan, "scan", "--format", "json", "-j", str(j)] + args.files for j in (1, 2)}
    # With one argument, one process per argument is the -j 1 run again: no ceiling then.
    apart = [[args.logscan, "scan", "--format", "json", "-j", "1", f] for f in args.files] if len(args.files) > 1 else []
    times = {1: [], 2: [], "apart": []}
    run_once(commands[1], args.cold)
    run_once(commands[2], args.cold)
    for _ in range(args.runs):
        for j in (1, 2):
            times[j].append(run_once(commands[j], args.cold))
        if apart:
            times["apart"].append(run_apart(apart, args.cold))
    med = {j: statistics.median(times[j]) for j in times if times[j]}
    low = {j: min(times[j]) for j in times if times[j]}
    lines = [
        f"# logscan -j 1 against -j 2, interleaved{', cold page cache' if args.cold else ''} "
        f"({datetime.date.today().isoformat()})",
        "",
        f"- files: {', '.join(f'`{p}` ({os.path.getsize(p)} bytes)' for p in args.files)}",
        f"- {args.runs} rounds, each `-j 1` then `-j 2`"
        f"{', the page cache dropped before each run' if args.cold else ''}; machine: {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        "",
        "| run | median s | min s | max s |",
        "|---|---:|---:|---:|",
    ]
    for j in (1, 2):
        lines.append(f"| `{' '.join(commands[j])}` | {med[j]:.3f} | {low[j]:.3f} | {max(times[j]):.3f} |")
    if apart:
        lines.append(f"| one `-j 1` process per file, all at once | {med['apart']:.3f} | {low['apart']:.3f} | "
                     f"{max(times['apart']):.3f} |")
    lines += ["", f"- speed-up: {med[1] / med[2]:.2f}× (medians), {low[1] / low[2]:.2f}× (minimums)"]
    if apart:
        lines.append(f"- ceiling, `-j 1` against one process per file: {med[1] / med['apart']:.2f}× (medians), "
                     f"{low[1] / low['apart']:.2f}× (minimums)")
    shares = [(p, cached_share(p)) for p in args.files if not os.path.isdir(p)]
    if shares and all(b is not None for _, b in shares):
        lines.append("- in the page cache at the end: " + ", ".join(
            f"`{os.path.basename(p)}` {100 * b / max(1, os.path.getsize(p)):.0f} %" for p, b in shares))
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
