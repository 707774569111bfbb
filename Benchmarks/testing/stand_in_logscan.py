#!/usr/bin/env python3
"""A slow, minimal stand-in for logscan, ONLY for testing the benchmark scripts.

It is not logscan and its timings mean nothing. It speaks just enough of
shared/contract/cli.md for run.sh, run_fleet.sh and follow_latency.py to be exercised
end to end while the real logscan is being written:

    stand_in_logscan.py rules export
    stand_in_logscan.py scan [--format json] [-j N] PATH...      (files, directories, .zip, .gz)
    stand_in_logscan.py follow --format ndjson PATH...            (polls every 20 ms)
    stand_in_logscan.py --version

Rules are the patterns in standin-patterns.txt (Python `re`, named groups made plain);
a few of them map to causes so that findings appear. Times are not parsed (null).
"""

import gzip
import io
import json
import multiprocessing
import os
import re
import signal
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PATTERN_FILE = os.path.join(HERE, "standin-patterns.txt")
CAUSES = {  # substring of the pattern -> cause id (only what the tests need)
    "Portal launched without WPJ": "register-not-via-self-service",
    "AccountNotOnboarded": "register-not-via-self-service",
    "Registration-only command line flag": "register-integration-disabled",
    "AADSTS(?:65001": "register-app-permissions",
    "wants to access key": "register-keychain-access",
    "AADSTS5007[69]": "mfa-required",
    "AADSTS53003": "conditional-access-blocked",
    "AADSTS530003": "wpj-certificate-missing",
    "failed to retrieve identity": "wpj-certificate-missing",
    "AADSTS7000215": "connector-secret-invalid",
    "AADSTS90002": "tenant-not-found",
    "AADSTS(?:700082": "token-expired-reauth",
    "posible for silent": "msal-duplicate-account",
    "Device Signature Error": "jamf-device-signature-error",
    "The SSL Certificate": "jamf-ssl-trust",
    "Device is already": "register-previously-enrolled",
    "Could not retrieve the access token": "graph-token-failure",
    "Unable to send inventory": "register-license-expired",
}
NAMED = re.compile(r"(?<!\\)\(\?<([A-Za-z_]\w*)>")


def literals_of(p):
    """Required literals of a pattern: one per top-level alternative, or None if unsure."""
    if p.startswith("(?i)"):
        p = p[4:]
    branches, depth, cur, i = [], 0, "", 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            cur += p[i:i + 2]
            i += 2
            continue
        if c == "[":
            j = p.index("]", i + 2) if p[i + 1:i + 2] == "]" else p.index("]", i + 1)
            cur += p[i:j + 1]
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            branches.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    branches.append(cur)
    lits = []
    for b in branches:
        best, run, depth, i = "", "", 0, 0
        while i < len(b):
            c = b[i]
            nxt = b[i + 1] if i + 1 < len(b) else ""
            if c == "\\":
                e = b[i + 1:i + 2]
                if depth == 0 and e and not e.isalnum():
                    run += e
                else:
                    best, run = max(best, run, key=len), ""
                i += 2
                continue
            if c in "([{":
                best, run = max(best, run, key=len), ""
                if c == "(":
                    depth += 1
                elif c == "[":
                    i = b.index("]", i + 2) if b[i + 1:i + 2] == "]" else b.index("]", i + 1)
                i += 1
                continue
            if c == ")":
                depth -= 1
                best, run = max(best, run, key=len), ""
                i += 1
                continue
            if depth == 0 and c not in ".^$|?*+}":
                if nxt in ("?", "*", "{"):
                    best, run = max(best, run, key=len), ""
                else:
                    run += c
            else:
                best, run = max(best, run, key=len), ""
            i += 1
        best = max(best, run, key=len)
        if len(best) < 4:
            return None
        lits.append(best.lower())
    return lits


def load_rules():
    rules = []
    with open(PATTERN_FILE, encoding="utf-8") as f:
        for i, p in enumerate(x.rstrip("\n") for x in f):
            if not p.strip():
                continue
            cause = next((c for k, c in CAUSES.items() if k in p), None)
            plain = NAMED.sub("(?:", p)
            rules.append((f"standin-{i + 1:02d}", re.compile(plain, re.M), cause, literals_of(plain)))
    return rules


RULES = load_rules()


def match_line(text):
    for rid, rx, cause, _ in RULES:
        if rx.search(text):
            return rid, cause
    return None


def scan_text(text, source, bundle):
    """Literal prefilter (case-insensitive), then the rule's regex on each candidate line."""
    low = text.lower()
    hits = {}
    for idx, (rid, rx, cause, lits) in enumerate(RULES):
        if lits is None:
            for m in rx.finditer(text):
                ls = text.rfind("\n", 0, m.start()) + 1
                hits.setdefault(ls, idx)
            continue
        for lit in lits:
            pos = low.find(lit)
            while pos >= 0:
                ls = text.rfind("\n", 0, pos) + 1
                le = text.find("\n", pos)
                le = len(text) if le < 0 else le
                if (ls not in hits or hits[ls] > idx) and rx.search(text, ls, le):
                    hits[ls] = idx
                pos = low.find(lit, le)
    events = []
    line_no, last = 1, 0
    for ls in sorted(hits):
        line_no += text.count("\n", last, ls)
        last = ls
        le = text.find("\n", ls)
        rid, _, cause, _ = RULES[hits[ls]]
        events.append({"time": None, "bundle": bundle, "source": source, "line": line_no,
                       "rule": rid, "cause": cause, "text": text[ls:le if le >= 0 else len(text)]})
    return events


def read_member(data, name, source, bundle, out):
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    elif name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if not info.is_dir():
                    read_member(z.read(info), info.filename, source + "!" + info.filename, bundle, out)
        return
    text = data.decode("utf-8", "replace")
    out["inputs"].append({"source": source, "bundle": bundle, "format": "text", "lines": text.count("\n"),
                          "bytes": len(data), "error": None})
    out["timeline"] += scan_text(text, source, bundle)


def scan_unit(unit):
    path, source, bundle = unit
    out = {"inputs": [], "timeline": [], "errors": []}
    try:
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if not info.is_dir():
                        read_member(z.read(info), info.filename, source + "!" + info.filename, bundle, out)
        else:
            with open(path, "rb") as f:
                read_member(f.read(), path, source, bundle, out)
    except Exception as e:  # noqa: BLE001
        out["errors"].append({"source": source, "message": str(e)})
    return out


def units_for(paths):
    units = []
    plain_bundle = None
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    full = os.path.join(root, name)
                    units.append((full, full, full if name.endswith(".zip") else p))
        else:
            if p.endswith(".zip"):
                units.append((p, p, p))
            else:
                plain_bundle = plain_bundle or p
                units.append((p, p, plain_bundle))
    return units


def findings_of(timeline):
    found = {}
    for e in timeline:
        if e["cause"]:
            k = (e["bundle"], e["cause"])
            f = found.setdefault(k, {"cause": e["cause"], "title": e["cause"], "severity": "high", "bundle": e["bundle"],
                                     "first_seen": None, "last_seen": None, "count": 0, "evidence": [], "fix": []})
            f["count"] += 1
            if len(f["evidence"]) < 20:
                f["evidence"].append({k2: e[k2] for k2 in ("source", "line", "time", "rule", "text")})
    return sorted(found.values(), key=lambda f: (f["bundle"], f["cause"]))


def cmd_scan(args):
    fmt, jobs, paths = "text", os.cpu_count() or 1, []
    it = iter(args)
    for a in it:
        if a == "--format":
            fmt = next(it)
        elif a.startswith("--format="):
            fmt = a.split("=", 1)[1]
        elif a == "-j":
            jobs = int(next(it))
        elif a.startswith("-j") and a[2:].isdigit():
            jobs = int(a[2:])
        else:
            paths.append(a)
    units = units_for(paths)
    if jobs > 1 and len(units) > 1:
        with multiprocessing.Pool(jobs) as pool:
            parts = pool.map(scan_unit, units, chunksize=1)
    else:
        parts = [scan_unit(u) for u in units]
    doc = {"schema": "logscan/1", "inputs": [], "findings": [], "timeline": [], "errors": []}
    for p in parts:
        for k in ("inputs", "timeline", "errors"):
            doc[k] += p[k]
    doc["findings"] = findings_of(doc["timeline"])
    if fmt == "json":
        json.dump(doc, sys.stdout)
        sys.stdout.write("\n")
    else:
        for f in doc["findings"]:
            print(f"{f['bundle']}: {f['cause']} ({f['count']} lines)")
    return 2 if doc["errors"] else (1 if doc["findings"] else 0)


def cmd_follow(args):
    paths = [a for a in args if not a.startswith("--") and a != "ndjson"]
    out = sys.stdout
    stop = []
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    state = {p: {"off": 0, "ino": None, "buf": b"", "line": 0, "idle_since": None, "seen": False} for p in paths}
    bundle = paths[0]
    causes = {}

    def emit(obj):
        out.write(json.dumps(obj) + "\n")
        out.flush()

    def process(p, raw):
        st = state[p]
        st["line"] += 1
        text = raw.decode("utf-8", "replace")
        m = match_line(text)
        if not m:
            return
        rid, cause = m
        ev = {"type": "event", "time": None, "bundle": bundle, "source": p, "line": st["line"], "rule": rid,
              "cause": cause, "text": text}
        emit(ev)
        if cause:
            f = causes.get(cause)
            if f is None:
                f = causes[cause] = {"cause": cause, "title": cause, "severity": "high", "bundle": bundle,
                                     "first_seen": None, "last_seen": None, "count": 0, "evidence": [], "fix": []}
                f["count"] = 1
                emit({"type": "finding", **f})
            else:
                f["count"] += 1

    while not stop:
        for p, st in state.items():
            try:
                s = os.stat(p)
            except FileNotFoundError:
                continue
            if not st["seen"]:
                st["seen"] = True
                emit({"type": "input", "source": p, "bundle": bundle, "format": "text", "lines": 0, "bytes": 0, "error": None})
            if st["ino"] not in (None, s.st_ino) or s.st_size < st["off"]:
                st.update(off=0, buf=b"", line=0)
            st["ino"] = s.st_ino
            if s.st_size > st["off"]:
                with open(p, "rb") as f:
                    f.seek(st["off"])
                    data = f.read()
                st["off"] += len(data)
                buf = st["buf"] + data
                *lines, rest = buf.split(b"\n")
                if st["buf"] == b"" and st.get("partial_done"):
                    pass
                for i, ln in enumerate(lines):
                    if i == 0 and st.get("partial_done"):
                        st["partial_done"] = False
                        continue  # processed already while it had no terminator
                    process(p, ln)
                st["buf"] = rest
                st["idle_since"] = time.monotonic() if rest else None
            elif st["buf"] and st["idle_since"] and time.monotonic() - st["idle_since"] >= 1.0 and not st.get("partial_done"):
                process(p, st["buf"])
                st["partial_done"] = True
        time.sleep(0.02)
    code = 1 if causes else 0
    emit({"type": "summary", "findings": list(causes.values()), "exit_code": code})
    return code


def main():
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if args[0] == "--version":
        print("stand-in-logscan 0 (benchmark test harness only; NOT logscan)")
        return 0
    if args[:2] == ["rules", "export"]:
        sys.stdout.write(open(PATTERN_FILE, encoding="utf-8").read())
        return 0
    if args[0] == "scan":
        return cmd_scan(args[1:])
    if args[0] == "follow":
        return cmd_follow(args[1:])
    sys.stderr.write(f"stand-in-logscan: unsupported command: {' '.join(args)}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
