#!/usr/bin/env python3
"""Generate a fleet of zipped per-Mac log bundles, as admins collect them, for logscan.

    gen_fleet.py --macs 200 --size-per-mac 12M [--seed 1] [-j N] OUT_DIR

Two bundle layouts (log-sources.md §8):

  IntuneMacODC  <LocalHostName>-IntuneMacODC-<YYYY-MM-DDTHH-MM-SS±zzzz>.zip
                flat files at the root (sw_vers.txt, uname_a.txt, profiles.txt,
                SystemReport.spx, syslog_jamfAAD.log, jamfAAD-gatherAADInfo.txt) and
                var/log/jamf.log, var/log/jamf.log.0.gz, var/log/jamf.log.1.gz, var/log/install.log,
                Users/<u>/Library/Logs/Company Portal/com.microsoft.CompanyPortalMac <ts>.log (two),
                Library/Logs/Microsoft/Intune/IntuneMDMDaemon <ts>.log,
                Users/<u>/Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/.../SSOExtension <ts>.log,
                Library/Application Support/com.apple.TCC/MDMOverrides.plist
  Jamf Log Grabber  <user>_<YYYY-MM-DD>_logs.zip holding <user>_<YYYY-MM-DD>_logs/ with
                Results.html, Client_Logs/{jamf.log, jamferror.log, install.log,
                com.jamfsoftware.jamf.plist, SystemReport.spx},
                Device_Compliance/{JamfConditionalAccess.log, IntuneMDMDaemon <ts>.log},
                Self_Service/SelfServicePlus.log

Each Mac gets one scenario: healthy (about 30 %), or one or two planted causes from
shared/contract/causes.md. Healthy Macs still carry the routine near-misses (the
"Keychain find status: -25300" / "Found 0 items" pair, a night without check-ins, ...).
The plan is written to OUT_DIR.manifest.json (next to OUT_DIR, so that scanning OUT_DIR
does not read it): per bundle its scenario, the causes that logscan should report, and
its uncompressed size (gzip members counted decompressed), which run_fleet.sh uses for
throughput. The manifest is written last; its presence means the fleet is complete.

Deterministic for a given seed and Python version, whatever -j is. Members are written
streaming (zipfile + gzip), so memory stays small. Everything is synthesized.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus as g  # noqa: E402

# Bump when the bundles generated for a given seed change (gen_corpus.GENERATOR_VERSION
# counts too; run_fleet.sh puts both into the fleet's directory name).
FLEET_VERSION = 1
POOL = 3000  # pre-rendered line bodies per log: plenty for one Mac, cheap to build
DAY = 86_400_000
HOUR = 3_600_000
MINUTE = 60_000

FIRST_NAMES = ["ann", "ben", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lena",
               "mo", "nadia", "oscar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "vic", "wen", "yusuf", "zoe"]
LAST_NAMES = ["lee", "smith", "garcia", "nguyen", "kowalski", "okafor", "muller", "rossi", "tanaka", "haddad"]
MODELS = [("MacBook Pro", "MacBookPro18,3"), ("MacBook Air", "MacBookAir10,1"), ("iMac", "iMac21,1"),
          ("Mac mini", "Macmini9,1"), ("MacBook Pro", "Mac15,6")]

# (scenario, weight, layouts it fits, causes logscan should report)
SCENARIOS = [
    ("healthy", 30, ("odc", "jlg"), []),
    ("not-via-self-service", 5, ("odc",), ["register-not-via-self-service"]),
    ("integration-disabled", 4, ("odc",), ["register-integration-disabled"]),
    ("keychain-access", 5, ("odc", "jlg"), ["register-keychain-access"]),
    ("checkin-outage", 6, ("odc", "jlg"), ["device-unresponsive-checkin"]),
    ("token-failing", 5, ("odc", "jlg"), ["device-unresponsive-token"]),
    ("app-permissions", 4, ("odc", "jlg"), ["register-app-permissions"]),
    ("previously-enrolled", 5, ("odc", "jlg"), ["register-previously-enrolled"]),
    ("duplicate-device-ids", 4, ("odc",), ["intune-duplicate-entries"]),
    ("mfa", 4, ("odc", "jlg"), ["mfa-required"]),
    ("wpj-cert-missing", 4, ("odc", "jlg"), ["wpj-certificate-missing"]),
    ("device-signature", 4, ("odc", "jlg"), ["jamf-device-signature-error"]),
    ("ssl-trust", 4, ("odc", "jlg"), ["jamf-ssl-trust"]),
    ("msal-duplicate-account", 4, ("odc", "jlg"), ["msal-duplicate-account"]),
    ("token-expired", 3, ("odc", "jlg"), ["token-expired-reauth"]),
    ("ca-blocked", 3, ("odc", "jlg"), ["conditional-access-blocked"]),
    ("outage-and-ssl", 2, ("odc", "jlg"), ["device-unresponsive-checkin", "jamf-ssl-trust"]),
]


class Member:
    """A zip member fed from a Source (or fixed text); gz=True stores a gzip stream."""

    def __init__(self, name, budget=0, source=None, text=None, gz=False, collect_errors=False):
        self.name, self.budget, self.source, self.text, self.gz = name, budget, source, text, gz
        self.collect_errors = collect_errors


ERROR_LINE = re.compile(rb"^.*[Ee]rror.*$", re.M)


def write_zip(path, members, when_ms):
    """Write members to path (atomically). Returns (uncompressed bytes, member count)."""
    tm = time.gmtime(when_ms // 1000)
    date_time = tm[:6]
    total = 0
    errors = []
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for m in members:
            if callable(m):  # a member built from what was collected so far (jamferror.log)
                m = m(errors)
            zi = zipfile.ZipInfo(m.name, date_time=date_time)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_STORED if m.gz else zipfile.ZIP_DEFLATED
            with zf.open(zi, "w", force_zip64=True) as raw:
                out = raw
                gz = None
                if m.gz:
                    gz = gzip.GzipFile(filename=os.path.basename(m.name)[:-3], mode="wb", fileobj=raw,
                                       compresslevel=6, mtime=when_ms // 1000)
                    out = gz
                if m.text is not None:
                    data = m.text.encode()
                    out.write(data)
                    total += len(data)
                else:
                    buf, size = [], 0
                    for chunk in m.source.chunks(m.budget):
                        if m.collect_errors:
                            errors.extend(ERROR_LINE.findall(chunk))
                        buf.append(chunk)
                        size += len(chunk)
                        if size >= 1 << 20:
                            out.write(b"".join(buf))
                            total += size
                            buf, size = [], 0
                    if buf:
                        out.write(b"".join(buf))
                        total += size
                if gz:
                    gz.close()
    os.replace(tmp, path)
    return total, len(members)


class Split(g.Source):
    """Share one source between several members: each takes the next `budget` bytes."""

    def __init__(self, source):
        self.it = source.chunks(1 << 62)
        self.carry = b""

    def take(self, budget):
        parent = self

        class Part(g.Source):
            def chunks(self, _budget):
                written = 0
                while written < budget:
                    data = parent.carry or next(parent.it, b"")
                    parent.carry = b""
                    if not data:
                        return
                    if written + len(data) > budget:
                        cut = data.rfind(b"\n", 0, budget - written) + 1
                        if cut <= 0:
                            cut = data.find(b"\n") + 1 or len(data)
                        parent.carry = data[cut:]
                        data = data[:cut]
                    written += len(data)
                    yield data
        return Part()


def system_report(rng, budget, model, serial, osv):
    """A SystemReport.spx-like XML plist (non-log content of realistic bulk)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
            '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<array>\n')
    parts = [head]
    size = len(head)
    i = 0
    while size < budget:
        i += 1
        item = (f"\t<dict>\n\t\t<key>_name</key>\n\t\t<string>{rng.choice(['Safari', 'Xcode', 'Slack', 'zoom.us', 'Company Portal', 'Self Service', 'Microsoft Teams', 'Google Chrome'])}</string>\n"
                f"\t\t<key>lastModified</key>\n\t\t<date>2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:1{rng.randint(0, 9)}:00Z</date>\n"
                f"\t\t<key>path</key>\n\t\t<string>/Applications/App{i}.app</string>\n"
                f"\t\t<key>version</key>\n\t\t<string>{rng.randint(1, 40)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}</string>\n"
                f"\t\t<key>obtained_from</key>\n\t\t<string>{rng.choice(['identified_developer', 'mac_app_store', 'apple'])}</string>\n"
                f"\t\t<key>machine_model</key>\n\t\t<string>{model}</string>\n\t\t<key>serial_number</key>\n\t\t<string>{serial}</string>\n"
                f"\t\t<key>os_version</key>\n\t\t<string>macOS {osv}</string>\n\t</dict>\n")
        parts.append(item)
        size += len(item)
    parts.append("</array>\n</plist>\n")
    return "".join(parts)


def plan_mac(seed, i, size_per_mac):
    """Decide everything about Mac number i; returns (zip name, members, when_ms, manifest entry)."""
    rng = g.derive_rng(seed, "mac", i)
    layout = "odc" if rng.random() < 0.6 else "jlg"
    fitting = [s for s in SCENARIOS if layout in s[2]]
    scenario, _, _, causes = rng.choices(fitting, weights=[s[1] for s in fitting])[0]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    user = f"{first}.{last}{i}"
    model_name, model_id = rng.choice(MODELS)
    computer = f"{first.capitalize()}{rng.choice(['’s', chr(39) + 's'])} {model_name}"
    local_host = f"{first.capitalize()}s-{model_name.replace(' ', '-')}-{i}"
    serial = "C02" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9))
    osv = rng.choice(g.OS_VERSIONS)
    device_id = g.guid(rng).lower()
    t_end = g.parse_start("2025-01-06") + rng.randrange(120) * DAY + rng.randrange(8 * HOUR, 18 * HOUR)
    span = 14 * DAY
    start = t_end - span
    fit_ms = span * 92 // 100

    def fit(source, budget):
        """Spread `budget` bytes over a bit less than the window; never past collection time."""
        source.use_deltas(g.STEADY_DELTAS, g.STEADY_WEIGHTS).fit_span(budget, fit_ms)
        source.end_ms = t_end - MINUTE
        return source
    z = rng.choice(["-0500", "-0800", "+0100", "+0200", "+1000"])
    B = size_per_mac

    jctx = g.JamfContext(rng, host=computer, user=user)
    cpctx = g.CPContext(rng, device_id=device_id)

    # ---- what the scenario plants, as absolute times inside the 14-day window
    jamf_inj, cp_inj, sso_inj, uni_inj = [], [], [], []
    outages, sleeps = [], []
    token_success = True

    def cp_line(msg, cat="application", file="WelcomeViewController.swift", line=253, func="startLogin()", level="INFO"):
        return {s: g.cp_injection(s, msg, cat, file, line, func, level) for s in ("pipe", "legacy")}

    def cp_aad_error(code, text):
        return cp_line(f"Token acquisition failed: Error Domain=MSALErrorDomain Code=-50000 \"(null)\" "
                       f"UserInfo={{MSALErrorDescriptionKey={code}: {text}}}", "aad", "AADTokenFactory.swift", 503,
                       "acquireTokenInteractively(for:completion:)", "ERROR")

    def registration(t):
        jamf_inj.append((t, [f"Checking for policy ID {rng.randint(20, 90)}...", "Executing Policy Register with Microsoft Entra ID"]))
        cp_inj.append((t + 2 * MINUTE, cp_line("Portal launched with WPJ only arg")))

    # Every Mac registered once, ten days before its logs were collected.
    registration(t_end - 11 * DAY + rng.randrange(8 * HOUR))
    t_evt = t_end - rng.randrange(3 * DAY, 9 * DAY)
    if scenario == "healthy":
        if rng.random() < 0.6:  # a night off: a check-in gap well under 24 h
            a = t_end - rng.randrange(3, 9) * DAY + 20 * HOUR
            sleeps.append((a, a + rng.randrange(8, 14) * HOUR))
    elif scenario == "not-via-self-service":
        cp_inj.append((t_evt, cp_line("Portal launched without WPJ only arg while account is under partner management")))
        cp_inj.append((t_evt + 40_000, cp_line("Enrollment failed with error AccountNotOnboarded", "enrollment",
                                               "EnrollmentStateManager.swift", 312, "handleEnrollmentError(_:)", "ERROR")))
    elif scenario == "integration-disabled":
        cp_inj.append((t_evt, cp_line("Invalid command line input: Registration-only command line flag (-r) can only be used when "
                                      "partner management is enabled in Intune. Please contact your IT admin.", "application",
                                      "CommandLineArgumentParser.swift", 47, "parse(_:)", "ERROR")))
    elif scenario == "keychain-access":
        uni_inj.append((t_evt, ("SecurityAgent", "JamfAAD wants to access key \u201cMicrosoft Workplace Join Key\u201d in your keychain.")))
    elif scenario in ("checkin-outage", "outage-and-ssl"):
        a = t_evt - 2 * DAY
        outages.append((a, a + rng.randrange(26, 40) * HOUR))
        if scenario == "outage-and-ssl":
            jamf_inj.append((a + 30 * MINUTE, [f"The SSL Certificate for https://{jctx.server} must be trusted for the jamf binary to connect to it."]))
    elif scenario == "token-failing":
        token_success = False
        first_fail = t_evt - 2 * DAY
        for k in range(0, 17):  # every 2 h for 32 h
            uni_inj.append((first_fail + k * 2 * HOUR, ("J", "[MSAL] acquireTokenSilent returning with error: (MSALErrorDomain, -50002) "
                                                           "Creating Error with description: User interaction is required")))
    elif scenario == "app-permissions":
        text = ("AADSTS65001: The user or administrator has not consented to use the application with ID "
                "'b03c10a8-71c7-45f9-b44a-3335ab76e970' named 'User registration app for Device Compliance'.")
        if layout == "odc":
            cp_inj.append((t_evt, cp_aad_error("AADSTS65001", text[13:])))
        else:
            uni_inj.append((t_evt, ("J", "Token request failed: " + text)))
    elif scenario == "previously-enrolled":
        registration(t_evt)
        if layout == "odc":
            cp_inj.append((t_evt + 5 * MINUTE, cp_line("Enrollment failed: Device is already enrolled", "enrollment",
                                                       "EnrollmentStateManager.swift", 330, "handleEnrollmentError(_:)", "ERROR")))
    elif scenario == "duplicate-device-ids":
        other = g.guid(rng).lower()
        sso_inj.append((t_evt, f"[MSAL] Passing device header in browser SSO for device id {other}"))
    elif scenario == "mfa":
        text = ("AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, "
                "you must use multi-factor authentication to access 'https://graph.microsoft.com'.")
        if layout == "odc":
            sso_inj.append((t_evt, "Error Domain=MSALErrorDomain Code=-50000 UserInfo={MSALErrorDescriptionKey=" + text + "}"))
        else:
            uni_inj.append((t_evt, ("J", "Token request failed: " + text)))
    elif scenario == "wpj-cert-missing":
        if layout == "odc":
            cp_inj.append((t_evt, cp_line("failed to retrieve identity from keychain for accessGroup:UBF8T346G9.com.microsoft.workplacejoin "
                                          "with error: -25300", "workplaceJoin", "WorkplaceJoinLibrary.swift", 131, "loadIdentity()", "ERROR")))
        else:
            uni_inj.append((t_evt, ("J", "Token request failed: AADSTS530003: Your device is required to be managed to access this resource.")))
    elif scenario == "device-signature":
        jamf_inj.append((t_evt, ["Device Signature Error - A valid device signature is required to perform the action.",
                                 "Enroll return code: 70",
                                 "\nThere was an error.\n\n    Device Signature Error - A valid device signature is required to perform the action."]))
    elif scenario == "ssl-trust":
        jamf_inj.append((t_evt, [f"The SSL Certificate for https://{jctx.server} must be trusted for the jamf binary to connect to it."]))
    elif scenario == "msal-duplicate-account":
        uni_inj.append((t_evt, ("J", "posible for silent token acquire to fail now if the wrong account is picked")))
    elif scenario == "token-expired":
        text = "AADSTS700082: The refresh token has expired due to inactivity."
        if layout == "odc":
            cp_inj.append((t_evt, cp_aad_error("AADSTS700082", text[14:])))
        else:
            uni_inj.append((t_evt, ("J", "Token request failed: " + text)))
    elif scenario == "ca-blocked":
        uni_inj.append((t_evt, ("J", "Token request failed: AADSTS53003: Access has been blocked by Conditional Access policies.")))

    # ---- the sources
    def rng_for(name):
        return g.derive_rng(seed, "mac", i, name)

    jamf_budget = int(B * (0.34 if layout == "odc" else 0.45))
    jamf_rate = 33_000 / DAY  # bytes per ms of the light profile (measured: ~4 MiB per 128 days)
    # Start late enough that collection time (where it stops) comes before the budget runs
    # out; the budget is raised to match, so the log ends up about jamf_budget long.
    jamf_start = t_end - int(0.92 * jamf_budget / jamf_rate)
    jamf_budget = int(jamf_budget * 1.25)
    jamf = g.JamfSource(rng_for("jamf"), jamf_start, "light", rare_every=0, near_every=20_000, ctx=jctx,
                        outages=outages, injections=sorted(jamf_inj), sleeps=sleeps, end_ms=t_end - 5 * MINUTE)
    need_unified = bool(uni_inj) or layout == "jlg" or rng.random() < 0.3
    uni_style = "syslog" if layout == "odc" else "default"

    def unified(budget):
        src = g.unified_source(rng_for("unified"), start, uni_style, rare_every=0, near_every=20_000, user=user,
                               offset=z, token_success=token_success, host=local_host, pool_size=POOL)
        inj = []
        for t, (kind, msg) in sorted(uni_inj):
            if kind == "J":
                inj.append((t, src.jamf_line(msg)))
            else:
                inj.append((t, g.unified_body(uni_style, "SecurityAgent", "412", "0x1a2b3", "Default", "SecurityAgent",
                                              "com.apple.securityagent", "prompt", msg, local_host)))
        src.injections = inj
        return fit(src, budget)

    members = []
    stamp = lambda t: g.file_stamp(t)
    if layout == "odc":
        ts = time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime(t_end // 1000)) + z
        name = f"{local_host}-IntuneMacODC-{ts}.zip"
        cp_budget = int(B * 0.34)
        cp = fit(g.cp_source(rng_for("cp"), start, rare_every=0, near_every=20_000, injections=sorted(cp_inj, key=lambda x: x[0]),
                         ctx=cpctx, shapes=("pipe",), exclude_near=("WPJ only arg",), pool_size=POOL), cp_budget)
        cp_split = Split(cp)
        jsplit = Split(jamf)
        sso = fit(g.sso_source(rng_for("sso"), start, rare_every=0, near_every=20_000, device_id=device_id,
                           token_success=token_success, injections=sorted(sso_inj), pool_size=POOL), int(B * 0.10))
        intune = fit(g.intune_source(rng_for("intune"), start, rare_every=0, near_every=20_000, pool_size=POOL), int(B * 0.10))
        u = f"Users/{user}/Library"
        members += [
            Member("sw_vers.txt", text=f"ProductName:\t\tmacOS\nProductVersion:\t\t{osv}\nBuildVersion:\t\t23E224\n"),
            Member("uname_a.txt", text=f"Darwin {local_host} 23.4.0 Darwin Kernel Version 23.4.0: root:xnu-10063.101.17~1/RELEASE_ARM64_T6000 arm64\n"),
            Member("profiles.txt", text="There are 14 configuration profiles installed\n"),
            Member("jamfAAD-gatherAADInfo.txt", text="JamfAAD collects device and user Azure Active Directory ID values and reports them to the Jamf Pro server.\n"),
            Member("SystemReport.spx", text=system_report(rng, int(B * 0.04), model_id, serial, osv)),
            Member("var/log/jamf.log.1.gz", source=jsplit.take(jamf_budget // 4), budget=1 << 62, gz=True),
            Member("var/log/jamf.log.0.gz", source=jsplit.take(jamf_budget // 4), budget=1 << 62, gz=True),
            Member("var/log/jamf.log", source=jsplit.take(jamf_budget - 2 * (jamf_budget // 4)), budget=1 << 62),
            Member("var/log/install.log", source=fit(g.installlog_source(rng_for("install"), start, local_host), int(B * 0.02)),
                   budget=int(B * 0.02)),
            Member(f"{u}/Logs/Company Portal/com.microsoft.CompanyPortalMac {stamp(start)}.log",
                   source=cp_split.take(int(cp_budget * 0.4)), budget=1 << 62),
            Member(f"{u}/Logs/Company Portal/com.microsoft.CompanyPortalMac {stamp(start + span * 4 // 10)}.log",
                   source=cp_split.take(cp_budget - int(cp_budget * 0.4)), budget=1 << 62),
            Member(f"Library/Logs/Microsoft/Intune/IntuneMDMDaemon {g.file_stamp(start, False)}.log", source=intune, budget=int(B * 0.10)),
            Member(f"{u}/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension/"
                   f"SSOExtension {stamp(start + 3_600_000)}.log", source=sso, budget=int(B * 0.10)),
            Member("Library/Application Support/com.apple.TCC/MDMOverrides.plist",
                   text='<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>com.jamf.management.Jamf</key>\n\t<dict/>\n</dict>\n</plist>\n'),
        ]
        if need_unified:
            members.append(Member("syslog_jamfAAD.log", source=unified(int(B * 0.04)), budget=int(B * 0.04)))
        else:  # what IntuneMacODC usually produces (it tests for a directory, log-sources.md §4.1)
            members.append(Member("syslog_jamfAAD.log", text="/usr/local/jamf/bin/jamfAAD not found, skipping JAMF\n"))
    else:
        day = time.strftime("%Y-%m-%d", time.gmtime(t_end // 1000))
        top = f"{user}_{day}_logs"
        name = f"{top}.zip"
        has_intune = rng.random() < 0.5
        uni_budget = int(B * (0.28 if has_intune else 0.38))
        members += [
            Member(f"{top}/Results.html", text=f"<html><body><h1>Jamf Log Grabber</h1><p>{user} on {local_host}, {day}</p></body></html>\n"),
            Member(f"{top}/Client_Logs/jamf.log", source=jamf, budget=jamf_budget, collect_errors=True),
            lambda errors: Member(f"{top}/Client_Logs/jamferror.log", text=b"\n".join(errors).decode("utf-8", "replace") + ("\n" if errors else "")),
            Member(f"{top}/Client_Logs/install.log", source=fit(g.installlog_source(rng_for("install"), start, local_host), int(B * 0.03)),
                   budget=int(B * 0.03)),
            Member(f"{top}/Client_Logs/com.jamfsoftware.jamf.plist",
                   text=f'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n\t<key>jss_url</key>\n\t<string>https://{jctx.server}/</string>\n'
                        f'\t<key>microsoftCAEnabled</key>\n\t<true/>\n\t<key>microsoftCANativeClientAppId</key>\n\t<string>b03c10a8-71c7-45f9-b44a-3335ab76e970</string>\n</dict>\n</plist>\n'),
            Member(f"{top}/Client_Logs/SystemReport.spx", text=system_report(rng, int(B * 0.05), model_id, serial, osv)),
            Member(f"{top}/Device_Compliance/JamfConditionalAccess.log", source=unified(uni_budget), budget=uni_budget),
            Member(f"{top}/Self_Service/SelfServicePlus.log", source=fit(g.compact_source(rng_for("ss"), start), int(B * 0.05)),
                   budget=int(B * 0.05)),
        ]
        if has_intune:
            intune = fit(g.intune_source(rng_for("intune"), start, rare_every=0, near_every=20_000, pool_size=POOL), int(B * 0.10))
            members.append(Member(f"{top}/Device_Compliance/IntuneMDMDaemon {g.file_stamp(start, False)}.log", source=intune, budget=int(B * 0.10)))
    entry = {"bundle": name, "layout": "IntuneMacODC" if layout == "odc" else "JamfLogGrabber", "user": user,
             "computer_name": computer, "scenario": scenario, "causes": causes,
             "collected": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t_end // 1000)) + z}
    return name, members, t_end, entry


def build_one(job):
    seed, i, size_per_mac, out_dir = job
    name, members, t_end, entry = plan_mac(seed, i, size_per_mac)
    path = os.path.join(out_dir, name)
    total, count = write_zip(path, members, t_end)
    entry.update(uncompressed_bytes=total, zip_bytes=os.path.getsize(path), members=count)
    return i, entry


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--macs", type=int, default=200)
    ap.add_argument("--size-per-mac", type=g.parse_size, default=g.parse_size("12M"),
                    help="uncompressed bytes per bundle, e.g. 12M (binary units)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="processes writing bundles (default: all cores)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("out_dir")
    a = ap.parse_args(argv)
    if a.macs < 1:
        ap.error("--macs must be at least 1")
    out_dir = a.out_dir.rstrip("/")
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = out_dir + ".manifest.json"
    if os.path.exists(manifest_path):
        os.remove(manifest_path)
    t0 = time.perf_counter()
    jobs = [(a.seed, i, a.size_per_mac, out_dir) for i in range(a.macs)]
    entries = [None] * a.macs
    done = 0
    if a.jobs > 1:
        with multiprocessing.Pool(a.jobs) as pool:
            for i, entry in pool.imap_unordered(build_one, jobs):
                entries[i] = entry
                done += 1
                if not a.quiet and sys.stderr.isatty():
                    print(f"\r  {done}/{a.macs} bundles", end="", file=sys.stderr)
    else:
        for job in jobs:
            i, entry = build_one(job)
            entries[i] = entry
            done += 1
            if not a.quiet and sys.stderr.isatty():
                print(f"\r  {done}/{a.macs} bundles", end="", file=sys.stderr)
    total = sum(e["uncompressed_bytes"] for e in entries)
    zipped = sum(e["zip_bytes"] for e in entries)
    manifest = {"generator": "Benchmarks/gen_fleet.py", "seed": a.seed, "macs": a.macs, "size_per_mac": a.size_per_mac,
                "uncompressed_bytes": total, "zip_bytes": zipped, "bundles": entries}
    with open(manifest_path + ".tmp", "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)
    el = time.perf_counter() - t0
    if not a.quiet:
        if sys.stderr.isatty():
            print("\r", end="", file=sys.stderr)
        causes = sum(1 for e in entries if e["causes"])
        print(f"gen_fleet: {a.macs} bundles ({causes} with planted causes) in {out_dir}: {total:,} bytes uncompressed, "
              f"{zipped:,} zipped, {el:.1f} s; manifest {manifest_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
