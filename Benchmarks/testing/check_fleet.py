#!/usr/bin/env python3
"""Check a fleet made by gen_fleet.py against its manifest.

    check_fleet.py FLEET_DIR

For every bundle: the zip opens, every member (and every .gz inside) decompresses, the
uncompressed size matches the manifest, the planted texts of its scenario are there and
the failure texts of the other scenarios are not, the Mac registered the expected number
of times, and no ISO-stamped line is later than the collection time. Exit 1 on a problem.
Only for checking the generator; it is not a benchmark.
"""

import gzip
import json
import os
import re
import sys
import zipfile

NEEDLES = {  # scenario -> (regex, minimum count)
    "not-via-self-service": [("Portal launched without WPJ only arg", 1), ("AccountNotOnboarded", 1)],
    "integration-disabled": [(r"Registration-only command line flag \(-r\)", 1)],
    "keychain-access": [("wants to access key", 1)],
    "checkin-outage": [("Could not connect to the JSS", 96)],
    "outage-and-ssl": [("Could not connect to the JSS", 96), ("must be trusted for the jamf binary", 1)],
    "token-failing": [("acquireTokenSilent returning with error", 13)],
    "app-permissions": [("AADSTS65001", 1)],
    "previously-enrolled": [("Executing Policy Register with Microsoft Entra ID", 2)],
    "mfa": [("AADSTS50076", 1)],
    "wpj-cert-missing": [("failed to retrieve identity from keychain|AADSTS530003", 1)],
    "device-signature": [("Device Signature Error", 1)],
    "ssl-trust": [("must be trusted for the jamf binary", 1)],
    "msal-duplicate-account": [("posible for silent token acquire", 1)],
    "token-expired": [("AADSTS700082", 1)],
    "ca-blocked": [("AADSTS53003", 1)],
    "duplicate-device-ids": [],
    "healthy": [],
}
FAILURE_TEXTS = [  # regexes
    "Portal launched without WPJ only arg", "AccountNotOnboarded", "Registration-only command line flag",
    "wants to access key", "Could not connect to the JSS", "acquireTokenSilent returning with error", "AADSTS[0-9]",
    "failed to retrieve identity from keychain", "Device Signature Error", "must be trusted for the jamf binary",
    "posible for silent token acquire", "Device is already enrolled"]
DEVICE_ID = re.compile(r"device id ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
ISO = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", re.M)


def members(zf):
    for info in zf.infolist():
        data = zf.read(info)
        if info.filename.endswith(".gz"):
            data = gzip.decompress(data)
        yield info.filename, data


def main():
    fleet = sys.argv[1].rstrip("/")
    manifest = json.load(open(fleet + ".manifest.json"))
    problems = 0
    total = 0
    for b in manifest["bundles"]:
        path = os.path.join(fleet, b["bundle"])
        texts, size, latest = [], 0, ""
        with zipfile.ZipFile(path) as zf:
            for name, data in members(zf):
                size += len(data)
                t = data.decode("utf-8", "replace")
                texts.append(t)
                stamps = ISO.findall(t)
                if stamps:
                    latest = max(latest, max(stamps))
        all_text = "\n".join(texts)
        total += size
        errs = []
        if size != b["uncompressed_bytes"]:
            errs.append(f"size {size} != manifest {b['uncompressed_bytes']}")
        for text, minimum in NEEDLES[b["scenario"]]:
            n = len(re.findall(text, all_text))
            if n < minimum:
                errs.append(f"planted {text!r}: {n} < {minimum}")
        planted = " ".join(t for t, _ in NEEDLES[b["scenario"]])
        for text in FAILURE_TEXTS:
            if re.search(text, all_text) and text not in planted and not (text == "AADSTS[0-9]" and "AADSTS" in planted) \
                    and not (text == "Device is already enrolled" and b["scenario"] == "previously-enrolled") \
                    and not (text == "AccountNotOnboarded" and b["scenario"] == "not-via-self-service"):
                errs.append(f"unexpected failure text {text!r}")
        regs = all_text.count("Executing Policy Register with Microsoft Entra ID")
        want = 2 if b["scenario"] == "previously-enrolled" else 1
        if regs != want:
            errs.append(f"{regs} registration policy runs, expected {want}")
        ids = set(DEVICE_ID.findall(all_text))
        want_ids = 2 if b["scenario"] == "duplicate-device-ids" else 1
        if len(ids) != want_ids and not (b["layout"] == "JamfLogGrabber" and len(ids) == 0):
            errs.append(f"{len(ids)} distinct device ids, expected {want_ids}")
        if b["scenario"] == "token-failing" and ("Acquired PRT" in all_text or "AAD ID acquired" in all_text):
            errs.append("token success lines in a token-failing bundle")
        collected = b["collected"][:19].replace("T", " ")
        if latest > collected:
            errs.append(f"a line at {latest} is later than the collection time {collected}")
        status = "ok" if not errs else "PROBLEM: " + "; ".join(errs)
        print(f"{b['bundle'][:58]:<58} {b['layout']:<15} {b['scenario']:<22} {size / 1048576:6.1f} MiB  {status}")
        problems += bool(errs)
    print(f"{len(manifest['bundles'])} bundles, {total:,} bytes uncompressed (manifest {manifest['uncompressed_bytes']:,}), "
          f"{problems} with problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
