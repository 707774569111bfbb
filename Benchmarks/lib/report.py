#!/usr/bin/env python3
"""Render benchmark measurements as Markdown (used by run.sh and run_fleet.sh).

    report.py --mode single|fleet --rows ROWS.tsv --machine MACHINE.md [--notes NOTES.txt]
              --title TITLE

ROWS.tsv has one measured command a line, tab-separated:
    id  group  bytes  label  command  rc  rss_kb  out_lines  hyperfine_json  note
`group` puts rows into separate tables ("tools", "j", "fleet", ...). `bytes` is the input size
the throughput is computed from. `hyperfine_json` is the file written by
`hyperfine --export-json` (median/min/max of the wall time, mean user and system time), or
"-" when the command was not timed (then `note` says why).
"""

import argparse
import json
import os
import statistics
import sys

MIB = 1 << 20


def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            parts += [""] * (10 - len(parts))
            r = dict(zip(["id", "group", "bytes", "label", "command", "rc", "rss_kb", "out_lines", "hf", "note"], parts))
            r["bytes"] = int(r["bytes"] or 0)
            r["t"] = None
            if r["hf"] not in ("", "-") and os.path.exists(r["hf"]):
                with open(r["hf"]) as hf:
                    res = json.load(hf)["results"][0]
                times = res["times"]
                r["t"] = {
                    "runs": len(times),
                    "median": statistics.median(times),
                    "min": min(times),
                    "max": max(times),
                    "cpu": (res.get("user") or 0) + (res.get("system") or 0),
                }
            rows.append(r)
    return rows


def fmt_s(x):
    return "—" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def gbps(nbytes, seconds):
    if not seconds or not nbytes:
        return None
    return nbytes / seconds / 1e9


def fmt_gbps(x):
    return "—" if x is None else f"{x:.2f}"


def fmt_rss(kb):
    try:
        return f"{int(kb) / 1024:.1f}"
    except ValueError:
        return "—"


def table(rows, baseline):
    base = baseline["t"]["median"] if baseline and baseline["t"] else None
    out = ["| what | command | runs | median s | min s | max s | GB/s | CPU s | CPU GB/s | peak RSS MiB | time ÷ baseline | exit | output lines |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        t = r["t"]
        if t:
            ratio = "—"
            if base:
                ratio = "1.00 (baseline)" if r is baseline else f"{t['median'] / base:.2f}"
            out.append(f"| {r['label']} | `{r['command']}` | {t['runs']} | {fmt_s(t['median'])} | {fmt_s(t['min'])} | "
                       f"{fmt_s(t['max'])} | {fmt_gbps(gbps(r['bytes'], t['median']))} | {fmt_s(t['cpu'])} | "
                       f"{fmt_gbps(gbps(r['bytes'], t['cpu']))} | {fmt_rss(r['rss_kb'])} | {ratio} | {r['rc']} | {r['out_lines'] or '—'} |")
        else:
            out.append(f"| {r['label']} | `{r['command']}` | 0 | — | — | — | — | — | — | {fmt_rss(r['rss_kb'])} | — | {r['rc'] or '—'} | — |")
    return out


def verdict(ok):
    return "PASS" if ok else "FAIL"


def targets_single(by_id):
    lines = []
    ls = by_id.get("logscan")
    if not ls or not ls["t"]:
        return ["- logscan was not measured: no target can be judged."]
    t = ls["t"]
    rp = by_id.get("rg-pcre2")
    if rp and rp["t"]:
        ratio = rp["t"]["median"] / t["median"]
        lines.append(f"- {verdict(ratio >= 3)}: logscan takes ≤ 1/3 of `rg -P -f` time — `rg -P` is {ratio:.2f}× logscan's time (target ≥ 3.00×)")
    else:
        lines.append("- n/a: logscan ≤ 1/3 of `rg -P -f` time — `rg -P -f` was not timed")
    rr = by_id.get("rg-rust")
    if rr and rr["t"]:
        ratio = rr["t"]["median"] / t["median"]
        extra = f" ({rr['note']})" if rr["note"] else ""
        lines.append(f"- {verdict(ratio >= 1)}: logscan no slower than `rg -f` — `rg -f` is {ratio:.2f}× logscan's time (target ≥ 1.00×){extra}")
    else:
        lines.append("- n/a: logscan no slower than `rg -f` — `rg -f` was not timed")
    one = by_id.get("logscan-j1")
    one = one if one and one["t"] else None
    base = one or ls
    cpu_rate = gbps(base["bytes"], base["t"]["cpu"])
    wall_rate = gbps(base["bytes"], base["t"]["median"])
    if cpu_rate is not None:
        how = "`logscan scan -j 1`" if one else "`logscan scan` (no -j 1 row)"
        other = ""
        if one:
            d_cpu = gbps(ls["bytes"], t["cpu"])
            other = f"; the default -j run: {d_cpu:.2f} GB per CPU-second, wall-clock {gbps(ls['bytes'], t['median']):.2f} GB/s"
        lines.append(f"- {verdict(cpu_rate >= 1)}: ≥ 1 GB/s on one core — {how}: {cpu_rate:.2f} GB per CPU-second "
                     f"(user+sys; wall-clock {wall_rate:.2f} GB/s){other}")
    try:
        rss = int(ls["rss_kb"]) / 1024
        lines.append(f"- {verdict(rss < 64)}: peak RSS < 64 MiB — {rss:.1f} MiB")
    except ValueError:
        lines.append("- n/a: peak RSS — not measured")
    j1, j2 = by_id.get("j1"), by_id.get("j2")
    if j1 and j2 and j1["t"] and j2["t"]:
        sp = j1["t"]["median"] / j2["t"]["median"]
        lines.append(f"- {verdict(sp >= 1.8)}: `-j 2` on two files ≥ 1.8× `-j 1` — speed-up {sp:.2f}×")
    else:
        lines.append("- n/a: `-j 2` speed-up — not measured")
    return lines


def targets_fleet(by_id):
    lines = []
    j1, j2 = by_id.get("fleet-j1"), by_id.get("fleet-j2")
    if j1 and j2 and j1["t"] and j2["t"]:
        sp = j1["t"]["median"] / j2["t"]["median"]
        lines.append(f"- {verdict(sp >= 1.7)}: fleet `-j 2` ≥ 1.7× `-j 1` — speed-up {sp:.2f}×")
    else:
        lines.append("- n/a: fleet `-j 2` speed-up — not measured")
    for key in ("fleet-j1", "fleet-j2"):
        r = by_id.get(key)
        if r:
            try:
                rss = int(r["rss_kb"]) / 1024
                lines.append(f"- {verdict(rss < 128)}: peak RSS < 128 MiB ({r['label']}) — {rss:.1f} MiB")
            except ValueError:
                lines.append(f"- n/a: peak RSS ({r['label']}) — not measured")
    single = by_id.get("single-j1")
    if j1 and single and j1["t"] and single["t"]:
        fr = gbps(j1["bytes"], j1["t"]["median"])
        sr = gbps(single["bytes"], single["t"]["median"])
        lines.append(f"- info: fleet throughput at `-j 1` is {fr:.2f} GB/s of uncompressed data, "
                     f"{fr / sr:.2f}× the single-file rate ({sr:.2f} GB/s) — the cost of unzipping, gunzipping and many small files")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["single", "fleet"], required=True)
    ap.add_argument("--rows", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--notes")
    ap.add_argument("--title", required=True)
    a = ap.parse_args()

    rows = load_rows(a.rows)
    by_id = {r["id"]: r for r in rows}
    out = [f"# {a.title}", ""]
    with open(a.machine, encoding="utf-8") as f:
        out += [f.read().rstrip(), ""]

    groups = []
    for r in rows:
        if r["group"] not in groups:
            groups.append(r["group"])
    headings = {"tools": "Single file: logscan and grep tools on the same file",
                "j": "Parallelism: two files, `-j 1` vs `-j 2`",
                "fleet": "Fleet of zipped bundles",
                "single": "Single-file reference"}
    for g in groups:
        grows = [r for r in rows if r["group"] == g]
        baseline = next((r for r in grows if r["id"] in ("logscan", "j1", "fleet-j1", "single-j1")), None)
        out += [f"## {headings.get(g, g)}", ""]
        out += table(grows, baseline)
        out.append("")

    out += ["## Targets", ""]
    out += targets_single(by_id) if a.mode == "single" else targets_fleet(by_id)
    out.append("")
    if a.notes and os.path.exists(a.notes) and os.path.getsize(a.notes):
        out += ["## Notes", ""]
        with open(a.notes, encoding="utf-8") as f:
            out += [("- " + line.rstrip()) for line in f if line.strip()]
        out.append("")
    out += ["Columns: *median/min/max s* are wall-clock seconds over the timed runs (hyperfine, output piped, page cache warm); "
            "*GB/s* is input bytes (10^9) per median second; *CPU s* is the mean user+system time of a run and *CPU GB/s* the "
            "input per CPU-second (a one-core rate even for multi-threaded tools); *peak RSS* is `/usr/bin/time -f %M` of one "
            "extra run; *time ÷ baseline* is the row's median over the baseline row's (logscan in the tools table, `-j 1` in the others): above 1 means slower than the baseline; *output lines* counts what that extra run printed."]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
