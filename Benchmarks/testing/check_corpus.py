#!/usr/bin/env python3
"""Sanity-check generated logs: time stamps never decrease, jamf.log weekdays are real,
and count the failure signatures and near-misses that were planted.

    check_corpus.py FILE_OR_DIR...

Exit status 1 if a time stamp goes backwards or a jamf weekday does not fit its date.
Only for checking the generators; it is not a benchmark.
"""

import datetime as dt
import os
import re
import sys

ISO = re.compile(rb"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)[.:,](\d{3})")
JAMF = re.compile(rb"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ 0-3]?\d) (\d\d):(\d\d):(\d\d) ")
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
DOWS = {d: i for i, d in enumerate("Mon Tue Wed Thu Fri Sat Sun".split())}

SIGNATURES = [
    # (label, bytes, is_failure)
    ("Portal launched without WPJ only arg", b"Portal launched without WPJ only arg while account is under partner management", True),
    ("AccountNotOnboarded", b"AccountNotOnboarded", True),
    ("Registration-only flag (-r)", b"Registration-only command line flag (-r)", True),
    ("AADSTS (any)", b"AADSTS", True),
    ("identity from keychain -25300", b"failed to retrieve identity from keychain", True),
    ("Device is already enrolled", b"Device is already enrolled", True),
    ("wants to access key", b"wants to access key", True),
    ("posible for silent token", b"posible for silent token acquire", True),
    ("User interaction is required", b"User interaction is required", True),
    ("Could not connect to the JSS", b"Could not connect to the JSS", True),
    ("Device Signature Error", b"Device Signature Error", True),
    ("SSL Certificate ... must be trusted", b"must be trusted for the jamf binary", True),
    ("Could not retrieve the access token", b"Could not retrieve the access token for Microsoft Graph API", True),
    ("Unable to send inventory information", b"Unable to send inventory information", True),
    ("near: Portal launched with WPJ only arg", b"Portal launched with WPJ only arg", False),
    ("near: Keychain find status: -25300", b"Keychain find status: -25300", False),
    ("near: Found 0 items", b"Found 0 items", False),
    ("near: No Azure AD configuration found", b"No Azure AD configuration found", False),
    ("near: enrollmentComplete trigger", b'triggered by "enrollmentComplete"', False),
    ("healthy: recurring check-in", b'triggered by "recurring check-in"', False),
]


def check_file(path):
    bad = 0
    counts = {label: 0 for label, _, _ in SIGNATURES}
    lines = stamped = 0
    last = None
    year = 2015  # the generators start in 2024; search candidates from here
    last_jamf = None
    opener = open
    if path.endswith(".gz"):
        import gzip
        opener = gzip.open
    with opener(path, "rb") as f:
        for raw in f:
            lines += 1
            for label, needle, _ in SIGNATURES:
                if needle in raw:
                    counts[label] += 1
            m = ISO.match(raw)
            if m:
                key = tuple(int(x) for x in m.groups())
            else:
                m = JAMF.match(raw)
                if not m:
                    continue
                mon, day = MONTHS[m.group(2).decode()], int(m.group(3))
                if last_jamf and (mon, day) < last_jamf[:2]:
                    year += 1  # December -> January
                # find the first year >= current whose weekday fits (the generator never skips a year)
                y = year
                while True:
                    try:
                        d = dt.date(y, mon, day)
                    except ValueError:
                        d = None
                    if d and d.weekday() == DOWS[m.group(1).decode()]:
                        break
                    y += 1
                    if y > year + 40:
                        bad += 1
                        if bad < 10:
                            print(f"{path}:{lines}: weekday {m.group(1).decode()} fits no year for {mon}/{day}", file=sys.stderr)
                        y = year
                        break
                if last_jamf is None:
                    year = y
                elif y != year:
                    bad += 1
                    if bad < 10:
                        print(f"{path}:{lines}: weekday does not fit year {year} ({raw[:20]!r})", file=sys.stderr)
                last_jamf = (mon, day)
                key = (year, mon, day, int(m.group(4)), int(m.group(5)), int(m.group(6)), 0)
            stamped += 1
            if last is not None and key < last:
                bad += 1
                if bad < 10:
                    print(f"{path}:{lines}: time goes backwards: {raw[:40]!r}", file=sys.stderr)
            last = key
    size = os.path.getsize(path)
    print(f"{path}: {size:,} bytes, {lines:,} lines ({size / max(lines, 1):.0f} B/line), "
          f"{stamped:,} stamped, time order {'OK' if not bad else f'{bad} PROBLEMS'}")
    for label, _, failure in SIGNATURES:
        if counts[label]:
            print(f"    {counts[label]:>9,}  {label}")
    return bad


def main():
    bad = 0
    for arg in sys.argv[1:]:
        if os.path.isdir(arg):
            for root, _, files in os.walk(arg):
                for name in sorted(files):
                    bad += check_file(os.path.join(root, name))
        else:
            bad += check_file(arg)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
