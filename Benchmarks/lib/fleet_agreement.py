#!/usr/bin/env python3
"""Compare the causes logscan reported for a fleet with the causes gen_fleet.py planted.

    fleet_agreement.py MANIFEST.json LOGSCAN_OUTPUT.json

Prints Markdown bullet lines for the fleet report. Informational: this is a benchmark,
not the correctness test suite, but a fast scan that misses planted causes is not a win.
"""

import collections
import json
import os
import sys


def main():
    manifest = json.load(open(sys.argv[1]))
    doc = json.load(open(sys.argv[2]))
    found = collections.defaultdict(set)
    for f in doc.get("findings") or []:
        found[os.path.basename(str(f.get("bundle", "")).rstrip("/"))].add(f.get("cause"))
    exact = missing_b = extra_b = 0
    missing = collections.Counter()
    extra = collections.Counter()
    for b in manifest["bundles"]:
        want = set(b["causes"])
        got = found.get(b["bundle"], set())
        if got == want:
            exact += 1
        if want - got:
            missing_b += 1
            missing.update(want - got)
        if got - want:
            extra_b += 1
            extra.update(got - want)
    n = len(manifest["bundles"])
    unknown = set(found) - {b["bundle"] for b in manifest["bundles"]}
    print(f"- planted vs reported causes: {exact} of {n} bundles exactly as planted; "
          f"{missing_b} bundles miss a planted cause, {extra_b} report a cause that was not planted")
    if missing:
        print("- missed (cause: bundles): " + ", ".join(f"{c} {k}" for c, k in missing.most_common()))
    if extra:
        print("- not planted but reported (cause: bundles): " + ", ".join(f"{c} {k}" for c, k in extra.most_common()))
    if unknown:
        print(f"- findings for {len(unknown)} bundle names not in the manifest (e.g. {sorted(unknown)[0]!r}): "
              "bundle naming differs from the zip file name?")
    print(f"- logscan reported {len(doc.get('inputs') or [])} inputs, {len(doc.get('timeline') or [])} timeline entries, "
          f"{len(doc.get('errors') or [])} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
