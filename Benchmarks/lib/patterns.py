#!/usr/bin/env python3
"""Turn `logscan rules export` output into pattern files the grep tools accept.

    patterns.py EXPORTED OUTDIR

Writes into OUTDIR:
  pcre.txt        the exported patterns, blank lines dropped (a blank pattern would match
                  every line). Used for `pcre2grep -f`, and for `rg -P -f` when it accepts it.
  pcre-plain.txt  the same with named groups `(?<name>...)` turned into `(?:...)`. `rg -P -f`
                  joins all patterns into one regex, and PCRE2 refuses two groups with the
                  same name in one regex; used only when pcre.txt is rejected.
  rust.txt        the patterns that rg's default engine (Rust regex) accepts, named groups
                  made plain and \b \w \d \s made ASCII as they are in PCRE2 without UCP.
                  Lookarounds and backreferences are not supported there, so such patterns
                  are left out (and counted).
  summary.json    counts and the reasons, for the report.

Exit status 0; problems are reported in summary.json and on stderr.
"""

import json
import os
import re
import subprocess
import sys

# `(?<name>` but not `(?<=` / `(?<!`, and not after an escaping backslash.
NAMED = re.compile(r"(?<!\\)((?:\\\\)*)\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')")


def plain_groups(p: str) -> str:
    return NAMED.sub(lambda m: m.group(1) + "(?:", p)


OUTSIDE = {"b": r"(?-u:\b)", "B": r"(?-u:\B)", "w": r"(?-u:\w)", "W": r"(?-u:\W)", "d": "[0-9]",
           "D": r"(?-u:\D)", "s": r"(?-u:\s)", "S": r"(?-u:\S)"}
INSIDE = {"w": "a-zA-Z0-9_", "d": "0-9", "s": r"\t\n\x0B\f\r "}


def ascii_classes(p: str) -> str:
    """Give \\b \\w \\d \\s their ASCII meaning in Rust regex, as in PCRE2 without UCP.

    logscan compiles with UTF but not UCP, so these are ASCII there. Rust regex makes them
    Unicode-aware by default, which is different and, for \\b next to non-ASCII text, many
    times slower (its DFA gives up). Inside a class only \\w \\d \\s are rewritten."""
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            e = p[i + 1]
            if in_class and e in INSIDE:
                out.append(INSIDE[e])
            elif not in_class and e in OUTSIDE:
                out.append(OUTSIDE[e])
            else:
                out.append(p[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            # a "]" or "^]" right after the opening bracket is a literal
            if p[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if p[i + 1:i + 2] == "]":
                out.append("]")
                i += 1
        elif c == "]" and in_class:
            in_class = False
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def rg_accepts(args, pattern_file):
    r = subprocess.run(["rg", *args, "-f", pattern_file, "--", "-"], input=b"", capture_output=True)
    # 0 = match, 1 = no match: both mean the regex compiled. 2 = error.
    return r.returncode in (0, 1), r.stderr.decode(errors="replace").strip()


def main():
    exported, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    with open(exported, encoding="utf-8", errors="surrogateescape") as f:
        raw = [line.rstrip("\n").rstrip("\r") for line in f]
    patterns = [p for p in raw if p.strip()]
    summary = {"exported_lines": len(raw), "patterns": len(patterns), "blank_dropped": len(raw) - len(patterns)}

    def write(name, items):
        path = os.path.join(outdir, name)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            for p in items:
                f.write(p + "\n")
        return path

    pcre = write("pcre.txt", patterns)
    plain = write("pcre-plain.txt", [plain_groups(p) for p in patterns])

    ok, err = rg_accepts(["-P"], pcre)
    summary["rg_pcre2_as_exported"] = ok
    summary["rg_pcre2_error"] = "" if ok else err
    if not ok:
        ok2, err2 = rg_accepts(["-P"], plain)
        summary["rg_pcre2_plain_ok"] = ok2
        summary["rg_pcre2_plain_error"] = "" if ok2 else err2
        print(f"note: `rg -P -f` rejects the exported patterns as one regex: {err or '?'}", file=sys.stderr)

    # Rust regex: test one pattern at a time, keep what compiles.
    tmp = os.path.join(outdir, "one.txt")
    rust, skipped = [], []
    for p in patterns:
        q = ascii_classes(plain_groups(p))
        write("one.txt", [q])
        good, e = rg_accepts([], tmp)
        if good:
            rust.append(q)
        else:
            lines = [x.strip() for x in e.splitlines() if x.strip()]
            reason = next((x for x in lines if x.startswith("error:")), lines[-1] if lines else "rejected")
            skipped.append({"pattern": p, "reason": reason})
    os.remove(tmp)
    write("rust.txt", rust)
    summary["rust_ok"] = len(rust)
    summary["rust_skipped"] = skipped
    if rust:
        good, e = rg_accepts([], os.path.join(outdir, "rust.txt"))
        summary["rust_combined_ok"] = good
        summary["rust_combined_error"] = "" if good else e
    else:
        summary["rust_combined_ok"] = False
        summary["rust_combined_error"] = "no pattern is accepted by the Rust regex engine"
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"patterns: {len(patterns)} exported ({summary['blank_dropped']} blank lines dropped); "
          f"rg -P -f as exported: {'ok' if summary['rg_pcre2_as_exported'] else 'REJECTED'}; "
          f"rg -f (Rust regex): {len(rust)} usable, {len(skipped)} skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
