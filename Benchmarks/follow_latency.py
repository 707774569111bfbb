#!/usr/bin/env python3
"""Measure `logscan follow`: event latency, idle CPU, the partial-line rule, and SIGINT.

    follow_latency.py [--logscan PATH] [--lines 500] [--interval 0.02] [--match-every 5]
                      [--idle 10] [--out FILE]

1. Starts `logscan follow --format ndjson FILE` on a new Company Portal log (pipe shape) in a
   temporary directory and waits until a probe line comes back as an `event`.
2. Appends --lines lines, one every --interval seconds (plain os.write, no fsync); every
   --match-every-th line is the failure signature "Portal launched without WPJ only arg
   while account is under partner management", the others are ordinary Company Portal
   lines. Each signature line carries a unique thread number (the token); the latency is
   the time from the write to the `event` object with that token on logscan's stdout.
   Reports p50 / p95 / p99 / max, and signature lines that never came back.
3. Leaves logscan idle for --idle seconds and reads its CPU time (utime + stime of
   /proc/PID/stat) at both ends: percent of one core.
4. Writes a signature line without its terminator: the contract says it is processed after
   1 s of idleness, and not again when the terminator arrives.
5. Sends SIGINT and checks that logscan exits, that the last object is a `summary` whose
   exit_code equals the process exit status, and that the cause was reported once.

Writes a Markdown report to Benchmarks/results/<date>-follow.md (or --out). Exit status:
0 if every check ran and passed the targets, 1 if a target or check failed, 2 if logscan
could not be started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen_corpus as g  # noqa: E402

SIGNATURE = "Portal launched without WPJ only arg while account is under partner management"
CAUSE = "register-not-via-self-service"
TOKEN_BASE = 7_000_000
TOKEN_RE = re.compile(r"\| (7\d{6}) \|")


class Reader(threading.Thread):
    """Reads logscan's stdout; records when each object arrived and each token's event."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.objects = []  # (arrival perf_counter, object or raw text)
        self.token_events = {}  # token -> [arrival times]
        self.cond = threading.Condition()
        self.bad_lines = 0

    def run(self):
        for raw in iter(self.stream.readline, b""):
            now = time.perf_counter()
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
                self.bad_lines += 1
            with self.cond:
                self.objects.append((now, obj if obj is not None else raw.decode("utf-8", "replace")))
                if isinstance(obj, dict) and obj.get("type") == "event":
                    m = TOKEN_RE.search(str(obj.get("text", "")))
                    if m:
                        self.token_events.setdefault(int(m.group(1)), []).append(now)
                self.cond.notify_all()

    def wait_token(self, token, timeout):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while token not in self.token_events:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.token_events[token][0]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Lines:
    """Company Portal pipe-shape lines stamped with the current time."""

    def __init__(self, seed=1):
        rng = g.derive_rng(seed, "follow")
        ctx = g.CPContext(rng)
        self.pool = g.cp_shapes(rng, ctx, ("pipe",), pool_size=3000)[0]["pool"]
        self.rng = rng

    def _stamp(self):
        now = dt.datetime.now()
        prefix = now.strftime("%Y-%m-%d %H:%M:%S")
        return prefix + ".%03d" % (now.microsecond // 1000), prefix

    def filler(self):
        ts, prefix = self._stamp()
        return g._join(ts, prefix, self.pool[self.rng.randrange(len(self.pool))]) + "\n"

    def signature(self, token, end="\n"):
        ts, _ = self._stamp()
        return f"{ts} | application | {token} | WelcomeViewController.swift: 253 (startLogin()) | {SIGNATURE}{end}"


def machine_lines(binary):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3]
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    try:
        ver = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10).stdout.strip().splitlines()[0]
    except Exception:  # noqa: BLE001
        ver = ""
    return [f"- date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M:%S UTC')}",
            f"- host: nproc {os.cpu_count()}, CPU {cpu}, kernel {os.uname().release}",
            f"- load average when the run started: {' '.join(load)} (the machine may be shared)",
            f"- logscan: {os.path.relpath(binary, ROOT) if binary.startswith(ROOT) else binary}"
            f"{f' ({ver})' if ver else ''} from commit {commit or '?'}"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--logscan", default=os.path.join(ROOT, ".build", "release", "logscan"))
    ap.add_argument("--lines", type=int, default=500)
    ap.add_argument("--interval", type=float, default=0.02, help="seconds between appended lines")
    ap.add_argument("--match-every", type=int, default=5, help="every Nth line is the signature")
    ap.add_argument("--idle", type=float, default=10.0, help="seconds of idleness for the CPU measurement")
    ap.add_argument("--startup-timeout", type=float, default=20.0)
    ap.add_argument("--out", help="report file (default Benchmarks/results/<date>-follow.md)")
    a = ap.parse_args(argv)

    binary = os.path.abspath(a.logscan)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"error: logscan binary not found at {binary}; build it first (swift build -c release --static-swift-stdlib) "
              "or pass --logscan PATH", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="logscan-follow-")
    log_path = os.path.join(tmp, f"com.microsoft.CompanyPortalMac {g.file_stamp(int(time.time() * 1000))}.log")
    lines = Lines()
    machine = machine_lines(binary)
    # A few ordinary lines before logscan starts, so the file has content to recognise.
    with open(log_path, "w") as f:
        for _ in range(20):
            f.write(lines.filler())
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    errf = open(os.path.join(tmp, "stderr.txt"), "w+b")
    cmd = [binary, "follow", "--format", "ndjson", log_path]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf, stdin=subprocess.DEVNULL)
    except OSError as e:
        print(f"error: cannot start {binary}: {e}", file=sys.stderr)
        return 2
    reader = Reader(proc.stdout)
    reader.start()
    results = {"checks": []}
    failed = []

    def check(ok, text):
        results["checks"].append(("PASS" if ok else "FAIL") + ": " + text)
        if not ok:
            failed.append(text)
        print(("  ok   " if ok else "  FAIL ") + text, file=sys.stderr)

    def stderr_tail():
        errf.flush()
        errf.seek(0)
        return errf.read().decode("utf-8", "replace").strip()[-600:]

    latencies, missing, dupes = [], [], 0
    idle_pct = hwm = None
    partial = {}
    rc = None
    try:
        # ---- 1. readiness probe
        print(f"starting: {' '.join(cmd)}", file=sys.stderr)
        t0 = time.perf_counter()
        probe = TOKEN_BASE
        # Keep writing probe lines until one comes back: logscan may start at the end of the file.
        got = None
        while got is None and time.perf_counter() - t0 < a.startup_timeout:
            if proc.poll() is not None:
                break
            os.write(fd, lines.signature(probe).encode())
            got = reader.wait_token(probe, 1.0)
            if got is None:
                probe += 1
        startup = time.perf_counter() - t0
        if got is None:
            why = f"exited with status {proc.returncode}" if proc.poll() is not None else f"no event within {a.startup_timeout:.0f} s"
            time.sleep(0.2)
            with reader.cond:
                printed = [o if isinstance(o, str) else json.dumps(o) for _, o in reader.objects[:3]]
            if printed:
                why += f"; it printed {' | '.join(p.strip()[:120] for p in printed)!r}"
            check(False, f"logscan follow answers a signature line ({why}); stderr: {stderr_tail()!r}")
            results["no_start"] = True
            raise RuntimeError("no startup")
        check(True, f"first event arrived {startup * 1000:.0f} ms after logscan was started")

        # ---- 2. latency
        first = probe + 1
        sent = {}
        start = time.perf_counter()
        for i in range(a.lines):
            target = start + i * a.interval
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            if i % a.match_every == 0:
                token = first + i
                data = lines.signature(token).encode()
                sent[token] = time.perf_counter()
                os.write(fd, data)
            else:
                os.write(fd, lines.filler().encode())
        deadline = time.perf_counter() + 3.0
        for token, t_write in sent.items():
            t = reader.wait_token(token, max(0.0, deadline - time.perf_counter()))
            if t is None:
                missing.append(token)
            else:
                latencies.append(t - t_write)
        with reader.cond:
            dupes = sum(1 for tk, ts in reader.token_events.items() if tk in sent and len(ts) > 1)
        results["latency"] = latencies
        p95 = pct(latencies, 95)
        check(not missing, f"every signature line produced an event ({len(sent) - len(missing)} of {len(sent)})")
        check(dupes == 0, f"no signature line produced two events ({dupes} did)")
        if p95 is not None:
            check(p95 < 0.100, f"p95 latency {p95 * 1000:.1f} ms < 100 ms")

        # ---- 3. idle CPU
        time.sleep(1.0)
        tick = os.sysconf("SC_CLK_TCK")
        c0, w0 = cpu_ticks(proc.pid), time.perf_counter()
        time.sleep(a.idle)
        c1, w1 = cpu_ticks(proc.pid), time.perf_counter()
        idle_pct = (c1 - c0) / tick / (w1 - w0) * 100
        check(idle_pct < 1.0, f"idle CPU {idle_pct:.2f} % of one core over {w1 - w0:.1f} s < 1 %  "
                              f"(resolution {100 / tick / (w1 - w0):.2f} %)")
        hwm = vm_hwm_kb(proc.pid)

        # ---- 4. a last line without its terminator
        ptoken = first + a.lines + 10
        t_w = time.perf_counter()
        os.write(fd, lines.signature(ptoken, end="").encode())
        t_ev = reader.wait_token(ptoken, 5.0)
        if t_ev is None:
            check(False, "an unterminated last line is processed after about 1 s of idleness (no event within 5 s)")
        else:
            partial["delay"] = t_ev - t_w
            check(0.9 <= t_ev - t_w <= 2.5, f"an unterminated last line is processed after about 1 s of idleness "
                                            f"({(t_ev - t_w) * 1000:.0f} ms)")
            os.write(fd, b"\n")
            time.sleep(2.0)
            with reader.cond:
                n = len(reader.token_events.get(ptoken, []))
            check(n == 1, f"and not again when its terminator arrives ({n} events)")

    except RuntimeError:
        pass
    finally:
        # ---- 5. SIGINT
        if proc.poll() is None:
            t_sig = time.perf_counter()
            proc.send_signal(signal.SIGINT)
            try:
                rc = proc.wait(timeout=10)
                check(True, f"SIGINT ends logscan follow ({(time.perf_counter() - t_sig) * 1000:.0f} ms, exit status {rc})")
            except subprocess.TimeoutExpired:
                check(False, "SIGINT ends logscan follow within 10 s (killed)")
                proc.kill()
                rc = proc.wait()
        else:
            rc = proc.returncode
        reader.join(timeout=5)
        os.close(fd)
        objs = [o for _, o in reader.objects]
        summary = next((o for o in reversed(objs) if isinstance(o, dict)), None)
        if latencies or rc is not None:
            is_summary = isinstance(summary, dict) and summary.get("type") == "summary"
            check(is_summary, "the last object written is the summary")
            if is_summary:
                check(summary.get("exit_code") == rc, f"summary exit_code ({summary.get('exit_code')}) equals the exit status ({rc})")
                causes = [f.get("cause") for f in summary.get("findings") or [] if isinstance(f, dict)]
                check(CAUSE in causes, f"the summary's findings include {CAUSE}")
            findings = [o for o in objs if isinstance(o, dict) and o.get("type") == "finding" and o.get("cause") == CAUSE]
            check(len(findings) == 1, f"the {CAUSE} finding was written once ({len(findings)})")
            check(reader.bad_lines == 0, f"every stdout line is a JSON object ({reader.bad_lines} are not)")
        shutil.rmtree(tmp, ignore_errors=True)

    # ---- report
    out = ["# logscan follow: latency, idle CPU, shutdown", "", "## Machine", ""] + machine + [
        "- command: `logscan follow --format ndjson FILE` on a new Company Portal log in a temporary directory",
        f"- load: {a.lines} lines appended one every {a.interval * 1000:.0f} ms with os.write (no fsync); every "
        f"{a.match_every}th is the signature \"{SIGNATURE}\" with a unique thread number", ""]
    out += ["## Latency from write to `event`", ""]
    if latencies:
        ms = [x * 1000 for x in latencies]
        out += ["| lines | events | missing | min ms | p50 ms | p95 ms | p99 ms | max ms | mean ms |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                f"| {len(latencies) + len(missing)} | {len(latencies)} | {len(missing)} | {min(ms):.1f} | {pct(ms, 50):.1f} | "
                f"{pct(ms, 95):.1f} | {pct(ms, 99):.1f} | {max(ms):.1f} | {statistics.mean(ms):.1f} |", ""]
    else:
        out += ["No latency measured (see the checks below).", ""]
    out += ["## Idle", ""]
    out += [f"- CPU while idle for {a.idle:.0f} s: " + (f"{idle_pct:.2f} % of one core" if idle_pct is not None else "not measured"),
            "- peak RSS (VmHWM) after the run: " + (f"{hwm / 1024:.1f} MiB" if hwm else "not measured"), ""]
    out += ["## Checks and targets", ""] + [f"- {c}" for c in results["checks"]] + [""]
    out += ["Targets: p95 < 100 ms; idle CPU < 1 % of one core. The latency includes the reader's own wake-up "
            "(a Python thread blocked on the pipe), typically well under a millisecond."]
    report = "\n".join(out) + "\n"
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    path = a.out or os.path.join(HERE, "results", f"{today}-follow.md")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(report)
    sys.stdout.write(report)
    print(f"report written to {os.path.relpath(path, ROOT) if os.path.abspath(path).startswith(ROOT) else path}", file=sys.stderr)
    if results.get("no_start"):
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
