#!/usr/bin/env python3
"""Generate synthetic but realistically shaped Mac logs for benchmarking logscan.

    gen_corpus.py --kind cp|jamf|mixed --size 1G --seed N OUT

  cp     one Company Portal log: the pipe shape (CP 5.x) and the legacy tab shape (CP 2.x)
         alternate in long runs, ~160-byte lines.
  jamf   one jamf.log: a recurring check-in every 15 minutes, policy runs, inventory
         updates, script output and multi-line error blocks, real weekdays.
  mixed  a directory holding one file per format: Company Portal, jamf.log, IntuneMDMDaemon,
         SSO extension, a `log show` export of jamfAAD, JAMFSoftwareServer.log.

About one record in --rare-every (default 200,000) is a real failure signature from
shared/contract/causes.md; about one in --near-every (default 20,000) is a near-miss that
must NOT be reported (the healthy "Portal launched with WPJ only arg", the routine
"Keychain find status: -25300" / "Found 0 items" pair, benign jamf error blocks, ...).

The output is deterministic for a given seed, size and Python version; time stamps never
decrease within a file. Memory use is constant: lines are produced in batches from
pre-rendered bodies and written in ~1 MiB blocks. Everything here is synthesized: message
texts that real logs are known to carry are taken from log-sources.md, the filler around
them is invented to look plausible.

The classes are also used by gen_fleet.py (import gen_corpus).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as _dt
import itertools
import os
import random
import shutil
import sys
import time

# Bump when the bytes generated for a given seed and size change: run.sh and run_fleet.sh put
# it into corpus names, so a corpus made by an older generator is not reused by mistake.
GENERATOR_VERSION = 1

# --------------------------------------------------------------------------- helpers

_SIZE_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """'1G' -> 1073741824 (binary units, like truncate/head -c); '500M', '64K', '123'."""
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    num, unit = t, ""
    if t and t[-1] in _SIZE_UNITS:
        num, unit = t[:-1], t[-1]
    try:
        value = float(num)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 1G, 500M, 64K)")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return int(value * _SIZE_UNITS[unit])


def parse_start(text: str) -> int:
    """'2025-03-01' or '2025-03-01T08:00:00' -> epoch ms (naive wall clock)."""
    d = _dt.datetime.fromisoformat(text)
    if d.tzinfo is not None:
        d = d.replace(tzinfo=None)
    return int((d - _dt.datetime(1970, 1, 1)).total_seconds() * 1000)


def derive_rng(seed, *names) -> random.Random:
    # random.Random(str) hashes with SHA-512: stable across runs (unlike hash()).
    return random.Random(":".join(str(x) for x in (seed,) + names))


def guid(rng: random.Random) -> str:
    return "%08X-%04X-%04X-%04X-%012X" % (
        rng.getrandbits(32), rng.getrandbits(16), 0x4000 | rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48))


_DOW = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def iso_seconds(sec: int) -> str:
    tm = time.gmtime(sec)
    return "%04d-%02d-%02d %02d:%02d:%02d" % tm[:6]


def file_stamp(ms: int, with_ms: bool = True) -> str:
    """CocoaLumberjack-style file-name stamp: 2025-03-01--08-14-55-123."""
    tm = time.gmtime(ms // 1000)
    s = "%04d-%02d-%02d--%02d-%02d-%02d" % tm[:6]
    return s + ("-%03d" % (ms % 1000) if with_ms else "")


FRAC_DOT = [".%03d" % i for i in range(1000)]
FRAC_COLON = [":%03d" % i for i in range(1000)]
FRAC_COMMA = [",%03d" % i for i in range(1000)]


def frac_micro(rng: random.Random, offset: str):
    # `log show` stamps carry microseconds and a UTC offset: 10:14:03.118204-0500.
    return [".%03d%03d%s" % (i, rng.randrange(1000), offset) for i in range(1000)]


# Placeholders inside tuple bodies: replaced by the line's own stamp (a second line of the
# same record) or by its whole-second part (a date embedded in the message, e.g. MSAL's).
TS = object()
SEC = object()


def _pick(rng, seq):
    return seq[rng.randrange(len(seq))]


# --------------------------------------------------------------------------- sources

class Source:
    """Something that yields a log as byte chunks that end at line boundaries."""

    header = ""
    injected = ()  # rendered text of planted records (gen_fleet.py), see chunks()

    def blocks(self):  # -> iterator of str, each ending with "\n"
        raise NotImplementedError

    def pending(self) -> str:
        """Planted records not written yet, rendered after the last line ("" if none)."""
        return ""

    def chunks(self, budget: int):
        """Yield bytes, about `budget` in all, cut at a line boundary near the budget.

        Planted records are never lost to the cut: those that fell behind it, and those
        still pending, are appended after it (so a log can end a little over budget)."""
        written = 0
        if self.header:
            h = self.header.encode()
            written += len(h)
            yield h
        for block in self.blocks():
            data = block.encode()
            if written + len(data) >= budget:
                room = budget - written
                cut = data.rfind(b"\n", 0, room) + 1
                if cut > 0:
                    yield data[:cut]
                dropped = data[cut:]
                extra = [t for t in self.injected if t.encode() in dropped]
                rest = "".join(x + "\n" for x in extra) + self.pending()
                if rest:
                    yield rest.encode()
                return
            written += len(data)
            yield data
        rest = self.pending()
        if rest:
            yield rest.encode()


class PooledSource(Source):
    """Lines = time stamp + one of many pre-rendered bodies.

    `shapes` is a list of dicts: {name, pool, rare, near}; with several shapes the source
    switches between them in runs of `run_lines` records (a file that was written by two
    app versions). Bodies are str, or tuples mixing str with TS / SEC placeholders.
    `deltas`/`weights` give the gap between records in ms. `injections` are (t_ms, body)
    or (t_ms, {shape_name: body}) that must appear at that time (used by gen_fleet.py).
    """

    BATCH = 4096

    def __init__(self, rng, shapes, start_ms, prefix_fn, frac, deltas, weights,
                 rare_every=200_000, near_every=20_000, run_lines=(5_000, 150_000),
                 time_scale=1.0, injections=(), header="", end_ms=None):
        self.rng = rng
        self.end_ms = end_ms
        self.injected = []
        self.shapes = shapes
        self.t = start_ms
        self.prefix_fn = prefix_fn
        self.frac = frac
        self.deltas = [max(0, int(round(d * time_scale))) for d in deltas]
        self.cum = list(itertools.accumulate(weights))
        self.rare_every = rare_every
        self.near_every = near_every
        self.run_lines = run_lines
        self.injections = sorted(injections, key=lambda x: x[0])
        self.header = header
        self.records = 0
        if not all(s["rare"] for s in shapes):
            self.rare_every = 0
        if not all(s["near"] for s in shapes):
            self.near_every = 0
        self.next_rare = self._gap(self.rare_every)
        self.next_near = self._gap(self.near_every)

    def _gap(self, every):
        if not every:
            return 1 << 62
        return self.records + 1 + self.rng.randrange(2 * every)

    def use_deltas(self, deltas, weights):
        self.deltas = list(deltas)
        self.cum = list(itertools.accumulate(weights))
        return self

    def fit_span(self, budget, span_ms):
        """Scale the gaps so that `budget` bytes cover about `span_ms` of time."""
        sample = [_text(b) for b in self.shapes[0]["pool"][:2000]]
        avg = sum(len(s.encode()) + 24 * (1 + s.count("\n")) for s in sample) / max(len(sample), 1)
        lines = budget / avg
        scale = span_ms / max(lines * self.mean_delta(), 1.0)
        self.deltas = [max(0, int(round(d * scale))) for d in self.deltas]
        return self

    def mean_delta(self) -> float:
        tot = self.cum[-1]
        prev = 0
        acc = 0.0
        for d, c in zip(self.deltas, self.cum):
            acc += d * (c - prev)
            prev = c
        return acc / tot

    def _render(self, out, t, body):
        s, ms = divmod(t, 1000)
        prefix = self.prefix_fn(s)
        self._sec, self._prefix = s, prefix
        ts = prefix + self.frac[ms]
        out.append(_join(ts, prefix, body))

    def blocks(self):
        rng = self.rng
        self._sec, self._prefix = -1, ""
        shape_i = 0
        run_left = rng.randint(*self.run_lines) if len(self.shapes) > 1 else 1 << 62
        while True:
            if self.end_ms is not None and self.t >= self.end_ms:
                return
            shape = self.shapes[shape_i]
            self._shape = shape
            n = min(self.BATCH, run_left, self.next_rare - self.records,
                    self.next_near - self.records)
            out = []
            if n > 0:
                self._lines(out, n, shape)
                run_left -= n
            # One-off records due now.
            if self.end_ms is not None and self.t >= self.end_ms:
                pass  # collection time reached: no more one-offs
            elif self.records >= self.next_near:
                self._one(out, _pick(rng, shape["near"]), shape)
                self.next_near = self._gap(self.near_every)
            elif self.records >= self.next_rare:
                self._one(out, _pick(rng, shape["rare"]), shape)
                self.next_rare = self._gap(self.rare_every)
            if run_left <= 0:
                shape_i = (shape_i + 1) % len(self.shapes)
                run_left = rng.randint(*self.run_lines)
            if out:
                out.append("")
                yield "\n".join(out)

    def pending(self):
        out = []
        shape = getattr(self, "_shape", self.shapes[0])
        self._sec = -1
        for t_inj, body in self.injections:
            if isinstance(body, dict):
                body = body.get(shape["name"]) or next(iter(body.values()))
            self.t = max(self.t + 1, t_inj)
            self._render(out, self.t, body)
        self.injections = []
        return "".join(x + "\n" for x in out)

    def _one(self, out, body, shape):
        self.t += self.deltas[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]
        self._render(out, self.t, body)
        self.records += 1

    def _lines(self, out, n, shape):
        rng = self.rng
        deltas = rng.choices(self.deltas, cum_weights=self.cum, k=n)
        times = list(itertools.accumulate(deltas, initial=self.t))
        del times[0]
        if self.end_ms is not None and times[-1] >= self.end_ms:
            times = times[:bisect.bisect_left(times, self.end_ms)]
            n = len(times)
            if not n:
                self.t = self.end_ms
                return
        bodies = rng.choices(shape["pool"], k=n)
        inj = self.injections
        while inj and inj[0][0] <= times[-1]:
            # Split the batch around an injected record so that times stay in order.
            i = bisect.bisect_left(times, inj[0][0])
            self._format(out, times[:i], bodies[:i])
            t_inj, body = inj.pop(0)
            if i:
                self.t = times[i - 1]
            if isinstance(body, dict):
                body = body.get(shape["name"]) or next(iter(body.values()))
            self.t = max(self.t, t_inj)
            self._render(out, self.t, body)
            self.injected.append(out[-1])
            self.records += i + 1
            times, bodies = times[i:], bodies[i:]
            if not times:
                return
        self._format(out, times, bodies)
        self.records += len(times)
        self.t = times[-1]

    def _format(self, out, times, bodies):
        sec, prefix = self._sec, self._prefix
        frac, pf = self.frac, self.prefix_fn
        app = out.append
        for t, b in zip(times, bodies):
            s, ms = divmod(t, 1000)
            if s != sec:
                sec = s
                prefix = pf(s)
            if b.__class__ is str:
                app(prefix + frac[ms] + b)
            else:
                app(_join(prefix + frac[ms], prefix, b))
        self._sec, self._prefix = sec, prefix


def _text(body):
    return body if body.__class__ is str else "".join(p for p in body if isinstance(p, str))


def _join(ts, prefix, body):
    if body.__class__ is str:
        return ts + body
    parts = [ts]
    for p in body:
        if p is TS:
            parts.append(ts)
        elif p is SEC:
            parts.append(prefix[:19])
        else:
            parts.append(p)
    return "".join(parts)


# Gap between consecutive records, in ms: bursts of activity with idle stretches.
BURSTY_DELTAS = [1, 2, 3, 5, 8, 13, 21, 40, 80, 150, 300, 600, 1500, 4000, 15000, 60000, 300000]
BURSTY_WEIGHTS = [12, 12, 12, 11, 10, 9, 8, 7, 6, 4, 3, 2.5, 1.5, 1, 0.6, 0.3, 0.1]
# Without the longest idle gaps: a file's total span varies much less (gen_fleet.py fits
# each log of a Mac into the same two weeks).
STEADY_DELTAS = BURSTY_DELTAS[:14]
STEADY_WEIGHTS = BURSTY_WEIGHTS[:14]


def build_pool(rng, templates, size):
    """templates: (weight, fn(rng) -> body). Returns `size`-ish bodies, weighted."""
    total = sum(w for w, _ in templates)
    pool = []
    for w, fn in templates:
        for _ in range(max(1, round(w * size / total))):
            pool.append(fn(rng))
    rng.shuffle(pool)
    return pool


# --------------------------------------------------------------------------- Company Portal

CP_VERSIONS = ["5.2404.0", "5.2408.1", "5.2411.0", "5.2501.0", "5.2504.0"]
CP_LEGACY_VERSIONS = ["2.1.200100", "2.2.200313", "2.3.200422"]
OS_VERSIONS = ["13.6.7", "14.4.1", "14.5", "14.6.1", "15.1", "15.3.2", "15.5"]
MODELS = ["MacBookPro18,3", "MacBookAir10,1", "Mac14,2", "Mac15,6", "MacBookPro16,1", "iMac21,1"]
REGIONS = ["msua01", "msua04", "msua06", "msub02", "msub03", "amsua0502"]
FEF_PATHS = [
    "StatelessIWService/Devices", "StatelessIWService/Applications?api-version=16.4",
    "StatelessIWService/Users('me')/Devices", "TrafficGateway/TrafficRoutingService/IWService/StatelessIWService/Configuration",
    "StatelessEnrollmentService/EnrollmentStatus", "StatelessIWService/CompliancePolicies?$top=50",
]
RESOURCES = ["https://graph.microsoft.com", "https://manage.microsoft.com", "https://enrollment.manage.microsoft.com",
             "https://api.manage.microsoft.com", "https://graph.windows.net"]
TELEMETRY_EVENTS = ["AppLaunch", "PageView", "DeviceCheckIn", "AppCatalogLoaded", "TokenRefresh",
                    "ComplianceCheck", "NotificationReceived", "WorkplaceJoinStateRefreshed"]
APP_STATES = ["launching", "signedOut", "signingIn", "signedIn", "checkingCompliance", "idle", "background"]


class CPContext:
    """Per-file facts that stay constant: the tenant, this Mac's device ID, versions."""

    def __init__(self, rng, device_id=None):
        self.tenant = guid(rng).lower()
        self.device_id = device_id or guid(rng).lower()
        self.user_oid = guid(rng).lower()
        self.version = _pick(rng, CP_VERSIONS)
        self.legacy_version = _pick(rng, CP_LEGACY_VERSIONS)
        self.os = _pick(rng, OS_VERSIONS)
        self.model = _pick(rng, MODELS)
        self.region = _pick(rng, REGIONS)
        self.msal = "1.%d.%d" % (rng.randint(2, 6), rng.randint(0, 12))
        self.sdk = "v3.%d.%d" % (rng.randint(6, 9), rng.randint(0, 4))


def _tid(rng):
    r = rng.random()
    if r < 0.45:
        return "1"
    return str(rng.choice([rng.randint(100, 999), rng.randint(10000, 99999), rng.randint(1000, 9999)]))


def _cp_entries(ctx):
    """(weight, category, file, line, function, message-maker) for the common traffic."""
    c = ctx
    ms = lambda r: r.choice([r.randint(12, 90), r.randint(90, 400), r.randint(400, 2500)])
    return [
        (6, "telemetry", "AriaTelemetryService.swift", 283, "logEvent(_:properties:)",
         lambda r: f"Logging event {_pick(r, TELEMETRY_EVENTS)} with {r.randint(4, 31)} properties"),
        (2, "telemetry", "AriaTelemetryService.swift", 318, "flush()",
         lambda r: f"Flushed {r.randint(1, 60)} telemetry events to the collector in {ms(r)} ms"),
        (2, "telemetry", "TelemetryEventFactory.swift", 57, "makeEvent(name:)",
         lambda r: f"Created telemetry event {_pick(r, TELEMETRY_EVENTS)}"),
        (6, "network", "NetworkClient.swift", 418, "send(_:completion:)",
         lambda r: f"GET /{_pick(r, FEF_PATHS)} completed with status 200 in {ms(r)} ms"),
        (4, "network", "NetworkClient.swift", 389, "send(_:completion:)",
         lambda r: f"Sending request to https://fef.{c.region}.manage.microsoft.com/{_pick(r, FEF_PATHS)[:28]}"),
        (1, "network", "ReachabilityMonitor.swift", 64, "reachabilityChanged(_:)",
         lambda r: f"Network reachability changed: reachable via {r.choice(['WiFi', 'Ethernet', 'WiFi (expensive)'])}"),
        (5, "aad", "AADTokenFactory.swift", 412, "acquireTokenSilently(for:completion:)",
         lambda r: f"Acquiring token silently for resource {_pick(r, RESOURCES)}"),
        (4, "aad", "AADTokenFactory.swift", 455, "acquireTokenSilently(for:completion:)",
         lambda r: f"Token acquired silently, expires in {r.randint(300, 5399)} seconds"),
        (2, "openIdConfiguration", "OpenIdConfigurationManager.swift", 61, "loadConfiguration(completion:)",
         lambda r: "Loaded cached openIdConfiguration for the common authority"),
        (3, "workplaceJoin", "WorkplaceJoinStateManager.swift", 174, "refreshWorkplaceJoinState()",
         lambda r: "Refreshing WPJ State"),
        (3, "workplaceJoin", "WorkplaceJoinLibrary.swift", 64, "fetchDeviceId(completion:)",
         lambda r: "Retrieving workplace aadid from the library"),
        (0.05, "workplaceJoin", "WorkplaceJoinStateManager.swift", 198, "refreshWorkplaceJoinState()",
         lambda r: f"WPJ state is joined for tenant {c.tenant}, device id {c.device_id}"),
        (3, "enrollment", "EnrollmentStateManager.swift", 207, "refreshState()",
         lambda r: f"Enrollment state refreshed: {r.choice(['enrolled', 'enrolled', 'pendingCompliance'])}, partner managed: true"),
        (2, "compliance", "PartnerComplianceManager.swift", 133, "checkPartnerCompliance()",
         lambda r: f"Partner compliance state: {r.choice(['compliant', 'compliant', 'compliant', 'unknown'])}"),
        (1, "deviceInfo", "DeviceInfoProvider.swift", 52, "collectDeviceInfo()",
         lambda r: f"Collected device info: model {c.model}, macOS {c.os}, {r.randint(8, 64)} GB memory"),
        (3, "application", "AppStateManager.swift", 77, "transition(to:)",
         lambda r: f"App state changed from {_pick(r, APP_STATES)} to {_pick(r, APP_STATES)}"),
        (1, "application", "AppDelegate.swift", 88, "applicationDidFinishLaunching(_:)",
         lambda r: f"Company Portal {c.version} finished launching on macOS {c.os} ({c.model})"),
        (2, "ui", "MainSplitViewController.swift", 219, "viewDidAppear()",
         lambda r: f"Main view appeared with {r.randint(1, 80)} items in section {r.choice(['apps', 'devices', 'support', 'home'])}"),
        (2, "apps", "AppCatalogService.swift", 301, "fetchApps(completion:)",
         lambda r: f"Fetched {r.randint(3, 140)} apps from the catalog in {ms(r)} ms"),
        (2, "sync", "CheckInService.swift", 146, "performCheckIn(reason:)",
         lambda r: f"Device check-in ({r.choice(['timer', 'launch', 'userInitiated'])}) completed in {ms(r)} ms"),
        (1, "notifications", "NotificationService.swift", 88, "scheduleRefresh()",
         lambda r: f"Scheduling background refresh in {r.randint(60, 28800)} seconds"),
    ]


_MSAL_ROUTINE = [
    "Keychain find status: 0",
    "Found 1 items",
    "Returning cached access token",
    "acquireTokenSilent called with 1 scope",
    "Resolving authority https://login.microsoftonline.com/common",
    "Refresh token found in cache, attempting refresh",
    "Access token expired, refreshing",
]


def _cp_line(shape, level, cat, file, line, func, tid, msg):
    if shape == "pipe":
        return f" | {cat} | {tid} | {file}: {line} ({func}) | {msg}"
    return f"\t{level}\tcom.microsoft.ssp.{cat}\tTID={tid}\t{file}: {line} ({func}) {msg}"


def cp_shapes(rng, ctx, names=("pipe", "legacy"), pool_size=30_000):
    shapes = []
    for shape in names:
        entries = _cp_entries(ctx)
        templates = []
        for w, cat, file, line, func, mk in entries:
            def fn(r, cat=cat, file=file, line=line, func=func, mk=mk):
                level = r.choices(["VERB", "INFO", "WARN"], [70, 28, 2])[0]
                return _cp_line(shape, level, cat, file, line, func, _tid(r), mk(r))
            templates.append((w, fn))

        # MSAL lines inside the CP log carry their own UTC date: placeholder SEC.
        def msal(r, text=None):
            msg = text or _pick(r, _MSAL_ROUTINE)
            head = _cp_line(shape, "VERB", "aad", "MSALLogger.swift", 41, "log(level:message:containsPII:)",
                            _tid(r), f"TID={r.randint(100000, 9999999)} MSAL {ctx.msal} Mac {ctx.os} [")
            return (head, SEC, f" - {guid(r).lower()}] {msg}")

        templates.append((2, msal))

        # Routine MSAL noise that is NOT a failure: -25300 then "Found 0 items".
        def msal_miss(r):
            tid = _tid(r)
            a = _cp_line(shape, "VERB", "aad", "MSALLogger.swift", 41, "log(level:message:containsPII:)", tid,
                         f"TID={r.randint(100000, 9999999)} MSAL {ctx.msal} Mac {ctx.os} [")
            corr = guid(r).lower()
            return (a, SEC, f" - {corr}] Keychain find status: -25300\n", TS, a, SEC, f" - {corr}] Found 0 items")

        templates.append((0.4, msal_miss))
        if shape == "pipe":
            def sdk(r):
                return (f" | workplaceJoinSdk | {_tid(r)} | {ctx.sdk} | INFO: [", SEC,
                        "][+WPJPlatformSSOUtil getPlatformSSORegistrationStatus:731] "
                        "Platform SSO Registration status - WPJPlatformSSONotEnabled")
            templates.append((2, sdk))

        pool = build_pool(rng, templates, pool_size)

        def L(cat, file, line, func, msg, level="INFO"):
            return _cp_line(shape, level, cat, file, line, func, "1", msg)

        aad_err = lambda code, text: L(
            "aad", "AADTokenFactory.swift", 503, "acquireTokenInteractively(for:completion:)",
            f"Token acquisition failed: Error Domain=MSALErrorDomain Code=-50000 \"(null)\" UserInfo={{MSALErrorDescriptionKey={code}: {text} "
            f"Trace ID: {guid(rng).lower()} Correlation ID: {guid(rng).lower()}}}", "ERROR")
        rare = [
            L("application", "WelcomeViewController.swift", 253, "startLogin()",
              "Portal launched without WPJ only arg while account is under partner management"),
            L("enrollment", "EnrollmentStateManager.swift", 312, "handleEnrollmentError(_:)",
              "Enrollment failed with error AccountNotOnboarded", "ERROR"),
            L("application", "CommandLineArgumentParser.swift", 47, "parse(_:)",
              "Invalid command line input: Registration-only command line flag (-r) can only be used when partner "
              "management is enabled in Intune. Please contact your IT admin.", "ERROR"),
            aad_err("AADSTS65001", "The user or administrator has not consented to use the application with ID "
                    "'b03c10a8-71c7-45f9-b44a-3335ab76e970' named 'User registration app for Device Compliance'."),
            aad_err("AADSTS53003", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."),
            aad_err("AADSTS50076", "Due to a configuration change made by your administrator, or because you moved to a new "
                    "location, you must use multi-factor authentication to access 'https://graph.microsoft.com'."),
            aad_err("AADSTS700082", "The refresh token has expired due to inactivity. The token was issued on 2024-11-02T08:14:11Z "
                    "and was inactive for 90.00:00:00."),
            L("workplaceJoin", "WorkplaceJoinLibrary.swift", 131, "loadIdentity()",
              "failed to retrieve identity from keychain for accessGroup:UBF8T346G9.com.microsoft.workplacejoin with error: -25300", "ERROR"),
            L("enrollment", "EnrollmentStateManager.swift", 330, "handleEnrollmentError(_:)",
              "Enrollment failed: Device is already enrolled", "ERROR"),
        ]
        if shape == "pipe":
            rare.append((f" | workplaceJoinSdk | 1 | {ctx.sdk} | ERROR: [", SEC,
                         "][+WPJJoinHelper handleServerResponse:412] AADSTS530003: Your device is required to be managed to access this resource."))
        near = [
            L("application", "WelcomeViewController.swift", 253, "startLogin()", "Portal launched with WPJ only arg"),
            L("enrollment", "EnrollmentStateManager.swift", 207, "refreshState()",
              "Device is enrolled with partner management; skipping Intune enrollment"),
            msal_miss(rng),
            L("aad", "AADTokenFactory.swift", 470, "acquireTokenSilently(for:completion:)",
              "Token response parsed, no AADSTS error code present; cached token still valid", "WARN"),
        ]
        shapes.append({"name": shape, "pool": pool, "rare": rare, "near": near})
    return shapes


def cp_source(rng, start_ms, rare_every=200_000, near_every=20_000, time_scale=1.0,
              injections=(), ctx=None, shapes=("pipe", "legacy"), exclude_near=(), pool_size=30_000):
    """Company Portal log. `exclude_near` drops near-misses containing any of those texts
    (gen_fleet.py drops "WPJ only arg": a registration launch is planted deliberately)."""
    ctx = ctx or CPContext(rng)
    chosen = cp_shapes(rng, ctx, shapes, pool_size)
    for s in chosen:
        s["near"] = [b for b in s["near"] if not any(x in _text(b) for x in exclude_near)]
    return PooledSource(rng, chosen, start_ms, iso_seconds, FRAC_DOT, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=rare_every, near_every=near_every, time_scale=time_scale,
                        injections=injections)


def cp_injection(shape, msg, cat="application", file="WelcomeViewController.swift", line=253,
                 func="startLogin()", level="INFO"):
    return _cp_line(shape, level, cat, file, line, func, "1", msg)


# --------------------------------------------------------------------------- jamf.log

HOSTS = ["mavel-mojave", "test-mbp", "François's Mac mini", "Jane’s MacBook Pro", "MacBook Air",
         "LT-C02FK3ABMD6R", "ann-mbp14", "Design-iMac-07", "Kevin's MacBook Pro (2)", "FIN-MBA-0231"]
USERS = ["testuser", "ann", "jdoe", "kwong", "mgarcia", "fbaudet", "a.nguyen", "lpatel", "srinivas", "tomas.k"]
SERVERS = ["acme.jamfcloud.com", "jss.example.org:8443", "jamf.contoso.com", "mdm.fabrikam.net:8443"]
POLICIES = [
    ("Install Microsoft Defender", "wdav_upgrade.pkg"), ("Google Chrome", "GoogleChrome-124.0.6367.119.pkg"),
    ("Microsoft AutoUpdate", "Microsoft_AutoUpdate_4.71.24041421_Updater.pkg"), ("Zoom Client", "ZoomInstallerIT-6.0.2.pkg"),
    ("Slack", "Slack-4.38.121.pkg"), ("Office 365 Suite", "Microsoft_365_and_Office_16.84.24041420_Installer.pkg"),
    ("Printer Drivers", "HP_Easy_Admin_2.14.pkg"), ("Nudge", "Nudge_Suite-2.0.5.81794.pkg"),
    ("Jamf Connect Login", "JamfConnect-2.33.0.pkg"), ("Rosetta 2", None), ("Dock Items", None),
    ("Set Desktop Wallpaper", None), ("FileVault Key Escrow", None), ("Software Update Check", None),
]
SCRIPTS = ["dockutil_setup.sh", "set_wallpaper.sh", "rosetta_install.sh", "fv_escrow_check.sh",
           "softwareupdate_report.sh", "cleanup_tmp.sh", "mau_update.sh", "check_compliance.sh"]
INVENTORY_STEPS = [
    "Running Recon...", "Retrieving inventory preferences from https://{srv}/...", "Finding extension attributes...",
    "Locating accounts...", "Locating package receipts...", "Searching path: /Applications",
    "Locating software updates...", "Locating plugins...", "Searching path: /Library/Internet Plug-Ins",
    "Locating printers...", "Locating hard drive information...", "Locating hardware information (macOS {os})...",
    "Gathering application usage information...", "Submitting data to https://{srv}/...",
    "<computer_id>{cid}</computer_id>",
]


def _script_output(rng, lines_range, ctx):
    """Output of a script or installer: continuation lines with no jamf prefix.

    Lengths are heavy-tailed: mostly a handful of lines, now and then hundreds."""
    kind = rng.randrange(4)
    lo, hi = lines_range
    n = min(hi, int(lo * rng.paretovariate(1.3)))
    out = []
    if kind == 0:  # installer -verbose
        pkg = _pick(rng, [p for _, p in POLICIES if p])
        out += [f"installer: Package name is {pkg[:-4]}", "installer: Installing at base path /"]
        pct = 0.0
        for _ in range(n):
            pct = min(100.0, pct + rng.random() * 3)
            r = rng.random()
            if r < 0.7:
                out.append("installer:%%%.6f" % pct)
            elif r < 0.85:
                out.append("installer:PHASE:" + rng.choice(["Preparing for installation…", "Preparing the disk…",
                                                            "Waiting for other installations to complete…",
                                                            "Writing files…", "Registering updated components…",
                                                            "Running package scripts…", "Validating packages…"]))
            else:
                out.append("installer:STATUS:" + rng.choice(["Preparing " + pkg[:-4] + "…", "Optimizing system for installed software…",
                                                             "Running installer actions…", "Configuring installation…"]))
        out.append("installer: The upgrade was successful.")
    elif kind == 1:  # softwareupdate --list
        out += ["Software Update Tool", "", "Finding available software",
                "Software Update found the following new or updated software:"]
        for i in range(max(1, n // 2)):
            name = rng.choice(["Safari", "Command Line Tools for Xcode", "macOS Sonoma", "XProtectPlistConfigData", "MRTConfigData"])
            ver = "%d.%d.%d" % (rng.randint(1, 17), rng.randint(0, 9), rng.randint(0, 9))
            out.append(f"* Label: {name.replace(' ', '')}{ver}-{ver}")
            out.append(f"\tTitle: {name}, Version: {ver}, Size: {rng.randint(1000, 9000000)}KiB, Recommended: YES, ")
    elif kind == 2:  # chatty admin script
        script = _pick(rng, SCRIPTS)
        for i in range(n):
            out.append(f"[{script}] " + rng.choice([
                f"Checking {rng.choice(['FileVault', 'Gatekeeper', 'SIP', 'firewall', 'XProtect', 'Rosetta', 'dock'])} status... OK",
                f"Found {rng.randint(0, 400)} items in /Users/{ctx.user}/Library/Caches",
                f"Removed stale file /private/tmp/{guid(rng).lower()}.plist",
                f"Current console user: {ctx.user} (uid 501)",
                f"Setting preference com.apple.dock {rng.choice(['tilesize', 'autohide', 'show-recents'])}",
                f"Disk free: {rng.randint(20, 900)} GB of {rng.choice([256, 512, 1000, 2000])} GB",
                f"Battery cycle count: {rng.randint(10, 900)}",
            ]))
        out.append(f"[{script}] Done, exit 0")
    else:  # profiles show style dump
        for i in range(max(1, n // 6)):
            pid = guid(rng)
            out += [f"_computerlevel[{i + 1}] attribute: name: {rng.choice(['Wi-Fi', 'FileVault', 'Privacy Preferences', 'Jamf Connect', 'Microsoft AutoUpdate', 'Platform SSO'])}",
                    f"_computerlevel[{i + 1}] attribute: configurationDescription: (null)",
                    f"_computerlevel[{i + 1}] attribute: installationDate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 1{rng.randint(0, 9)}:2{rng.randint(0, 9)}:0{rng.randint(0, 9)} +0000",
                    f"_computerlevel[{i + 1}] attribute: organization: {ctx.org}",
                    f"_computerlevel[{i + 1}] attribute: profileIdentifier: {pid}",
                    f"_computerlevel[{i + 1}] attribute: profileUUID: {pid}"]
    return out


class JamfContext:
    def __init__(self, rng, host=None, user=None):
        self.host = host or _pick(rng, HOSTS)
        self.user = user or _pick(rng, USERS)
        self.server = _pick(rng, SERVERS)
        self.os = _pick(rng, OS_VERSIONS)
        self.org = rng.choice(["Acme Corp", "Contoso", "Fabrikam Inc.", "Northwind Traders"])
        self.cid = rng.randint(12, 9000)


class JamfSource(Source):
    """jamf.log: one episode per 15-minute recurring check-in, plus Self Service runs.

    profile "heavy" (corpus default): verbose policies with long script/installer output,
    roughly 1 GiB per year of log; "light" (fleet): a few lines per check-in, ~4 MiB a month.
    `outages` are (start_ms, end_ms): the JSS is unreachable, every check-in logs
    "Could not connect to the JSS" instead (the device-unresponsive-checkin scenario).
    `injections` are (t_ms, [messages]) episodes logged at that time (a message starting
    with "\n" is a continuation block).
    """

    CHECKIN_MS = 15 * 60 * 1000

    def __init__(self, rng, start_ms, profile="heavy", rare_every=200_000, near_every=20_000,
                 ctx=None, outages=(), injections=(), sleeps=(), end_ms=None):
        self.rng = rng
        self.ctx = ctx or JamfContext(rng)
        self.t = start_ms
        self.profile = profile
        self.rare_every = rare_every
        self.near_every = near_every
        self.outages = sorted(outages)
        self.sleeps = sorted(sleeps)  # (start_ms, end_ms): the Mac is off, nothing is logged
        self.end_ms = end_ms  # stop here even if the byte budget is not used up (the logs were collected)
        self.injected = []
        self.injections = sorted(injections, key=lambda x: x[0])
        self.records = 0
        self.next_rare = self._gap(rare_every)
        self.next_near = self._gap(near_every)
        self.pid = rng.randint(300, 9000)
        self.hms = ["%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)]
        self._day = -1
        self._dprefix = ""
        self.hostpart = f" {self.ctx.host} jamf["
        # Episodes are pre-built once (policy runs, script output) and re-stamped on use:
        # that keeps generation fast while the mix of lines stays varied.
        n = 1500 if profile == "heavy" else 400
        self.checkin_pool = [self._episode_messages("checkin") for _ in range(n)]
        self.selfservice_pool = [self._episode_messages("selfservice") for _ in range(n // 10)]

    def _gap(self, every):
        if not every:
            return 1 << 62
        return self.records + 1 + self.rng.randrange(2 * every)

    def _stamp(self, t):
        s = t // 1000
        day = s // 86400
        if day != self._day:
            self._day = day
            tm = time.gmtime(s)
            self._dprefix = "%s %s %02d " % (_DOW[tm.tm_wday], _MON[tm.tm_mon - 1], tm.tm_mday)
        return self._dprefix + self.hms[s % 86400]

    def _emit(self, out, t, pid, msg):
        # msg may carry continuation lines after "\n" (error blocks, script output).
        if msg:
            out.append(self._stamp(t) + self.hostpart + pid + "]: " + msg)
        else:
            out.append(self._stamp(t) + self.hostpart + pid + "]:")
        self.records += 1 + msg.count("\n")

    def _episode_messages(self, kind):
        """Return a list of (seconds-after-previous, message)."""
        rng, c = self.rng, self.ctx
        heavy = self.profile == "heavy"
        msgs = []
        if kind == "checkin":
            msgs.append((0, f'Checking for policies triggered by "recurring check-in" for user "{c.user}"...'))
            r = rng.random()
            n_pol = 0
            if r < (0.85 if heavy else 0.12):
                n_pol = rng.randint(1, 5 if heavy else 1)
            for _ in range(n_pol):
                msgs += self._policy_run(heavy)
            if rng.random() < (0.35 if heavy else 0.06):
                msgs += self._inventory()
            if rng.random() < 0.5:
                msgs.append((rng.randint(0, 2), "Checking for patches..."))
                msgs.append((rng.randint(0, 1), "No patch policies were found."))
        elif kind == "selfservice":
            pid_ = rng.randint(2, 400)
            name, _ = _pick(rng, POLICIES)
            msgs.append((0, f"Checking for policy ID {pid_}..."))
            msgs.append((rng.randint(0, 2), f"Executing Policy {name}"))
            msgs += self._policy_body(name, heavy)
        return msgs

    def _policy_run(self, heavy):
        name, _ = _pick(self.rng, POLICIES)
        return [(self.rng.randint(1, 4), f"Executing Policy {name}")] + self._policy_body(name, heavy)

    def _policy_body(self, name, heavy):
        rng, c = self.rng, self.ctx
        pkg = dict(POLICIES).get(name)
        msgs = []
        if pkg:
            msgs.append((rng.randint(0, 2), f"Downloading https://{c.server}/JSSResource/packages/{pkg}..."))
            msgs.append((rng.randint(2, 40), "Verifying package integrity..."))
            msgs.append((rng.randint(1, 5), f"Installing {pkg}..."))
            if heavy and rng.random() < 0.3:
                out = _script_output(rng, (8, 900), c)
                msgs.append((rng.randint(5, 60), "Installation output:\n" + "\n".join(out)))
            if rng.random() < 0.97:
                msgs.append((rng.randint(5, 90), f"Successfully installed {pkg}."))
            else:
                msgs.append((rng.randint(5, 90), f"Installation failed. The installer reported: installer: Package name is {pkg[:-4]}"))
        else:
            script = _pick(rng, SCRIPTS)
            msgs.append((rng.randint(0, 2), f"Running script {script}..."))
            code = 0 if rng.random() < 0.95 else 1
            msgs.append((rng.randint(1, 30), f"Script exit code: {code}"))
            if heavy:
                out = _script_output(rng, (3, 600), c)
            else:
                out = _script_output(rng, (1, 40), c)
            msgs.append((0, "Script result: " + "\n".join(out)))
            if code:
                msgs.append((0, "\nThere was an error.\n\n    Error running script: return code was 1."))
        if rng.random() < 0.3:
            msgs.append((rng.randint(0, 3), "Blessing i386 macOS System on /..."))
        return msgs

    def _inventory(self):
        rng, c = self.rng, self.ctx
        msgs = [(rng.randint(1, 3), "Executing Policy Update Inventory")]
        for step in INVENTORY_STEPS:
            msgs.append((rng.randint(0, 6), step.format(srv=c.server, os=c.os, cid=c.cid)))
        return msgs

    def _rare(self):
        rng, c = self.rng, self.ctx
        k = rng.randrange(4)
        if k == 0:
            return [(0, "Could not connect to the JSS. Looking for cached policies...")]
        if k == 1:
            return [(0, f"The SSL Certificate for https://{c.server} must be trusted for the jamf binary to connect to it.")]
        if k == 2:
            return [(0, "An error occurred while enrolling computer: Permission Error - The user specified does not have permission to perform the action."),
                    (0, 'Error Domain=com.jamf.jamfsecurity.error Code=-25300 "searchForItems:conversionBlock:error: : The specified item could not be found in the keychain." UserInfo={NSLocalizedDescription=searchForItems:conversionBlock:error: : The specified item could not be found in the keychain.}'),
                    (0, "Device Signature Error - A valid device signature is required to perform the action."),
                    (1, "Enroll return code: 70"),
                    (0, "\nThere was an error.\n\n    Device Signature Error - A valid device signature is required to perform the action.")]
        return [(0, f"Checking for policy ID {rng.randint(2, 400)}..."),
                (1, "Executing Policy Register with Microsoft Entra ID"),
                (2, "Running script jamfAAD_gatherAADInfo.sh..."),
                (40, "Script exit code: 1"),
                (0, "Script result: gatherAADInfo failed: AADSTS65001: The user or administrator has not consented to use "
                    "the application with ID 'b03c10a8-71c7-45f9-b44a-3335ab76e970'.")]

    def _near(self):
        rng, c = self.rng, self.ctx
        k = rng.randrange(4)
        if k == 0:
            return [(0, 'Checking for policies triggered by "enrollmentComplete"...')]
        if k == 1:
            return [(0, "Running script cleanup_tmp.sh..."), (3, "Script exit code: 1"),
                    (0, "\nThere was an error.\n\n    Error running script: return code was 1.")]
        if k == 2:
            return [(0, "Connected to the JSS at https://%s/ after 1 retry." % c.server)]
        return [(0, "Upgrading jamf binary..."), (2, "The management framework will be enforced as soon as all policies are done executing."),
                (3, "Enforcing management framework..."), (1, "Verifying Management Account...")]

    def _in_outage(self, t):
        return any(a <= t < b for a, b in self.outages)

    def _asleep(self, t):
        return any(a <= t < b for a, b in self.sleeps)

    def blocks(self):
        rng = self.rng
        slot = self.t
        out = []
        while True:
            slot += self.CHECKIN_MS
            start = max(slot + rng.randint(0, 40_000), self.t + 1000)
            if self.end_ms is not None and start >= self.end_ms:
                break
            while self.injections and self.injections[0][0] <= start:
                t_inj, msgs = self.injections.pop(0)
                n0 = len(out)
                self._run_episode(out, max(t_inj, self.t), [(rng.randint(0, 3) if i else 0, m) for i, m in enumerate(msgs)])
                self.injected += out[n0:]
            if self._asleep(start):
                self.t = start
                continue
            if self._in_outage(start):
                msgs = [(0, "Could not connect to the JSS. Looking for cached policies...")]
            else:
                msgs = self.checkin_pool[rng.randrange(len(self.checkin_pool))]
            if self.records >= self.next_rare:
                msgs = self._rare() + list(msgs)
                self.next_rare = self._gap(self.rare_every)
            if self.records >= self.next_near:
                msgs = list(msgs) + self._near()
                self.next_near = self._gap(self.near_every)
            self._run_episode(out, start, msgs)
            if rng.random() < (0.06 if self.profile == "heavy" else 0.01):
                mid = self.t + rng.randint(60_000, 300_000)
                if not self._in_outage(mid) and not self._asleep(mid):
                    self._run_episode(out, mid, self.selfservice_pool[rng.randrange(len(self.selfservice_pool))])
            slot = max(slot, self.t - self.CHECKIN_MS // 2)
            if len(out) >= 2000:
                out.append("")
                yield "\n".join(out)
                out = []
        if out:
            out.append("")
            yield "\n".join(out)

    def pending(self):
        out = []
        for t_inj, msgs in self.injections:
            self._run_episode(out, max(t_inj, self.t + 1000), [(1 if i else 0, m) for i, m in enumerate(msgs)])
        self.injections = []
        return "".join(x + "\n" for x in out)

    def _run_episode(self, out, start, msgs):
        rng = self.rng
        self.pid += rng.randint(7, 400)
        if self.pid > 99_000:
            self.pid = rng.randint(300, 2000)
        pid = str(self.pid)
        t = max(start, self.t)
        for dt, msg in msgs:
            t += dt * 1000
            if msg.startswith("\n"):
                out.append(self._stamp(t) + self.hostpart + pid + "]:" + msg)
                self.records += 1 + msg.count("\n")
            else:
                self._emit(out, t, pid, msg)
        self.t = t


# --------------------------------------------------------------------------- Intune agent

def intune_source(rng, start_ms, rare_every=200_000, near_every=20_000, time_scale=1.0, injections=(), pool_size=20_000):
    sess = guid(rng)
    comps = [
        (5, "FullSyncWorkflow", lambda r: r.choice(["Starting sidecar gateway service checkin", "Finished sidecar gateway service checkin",
                                                     f"Full sync completed in {r.randint(400, 9000)} ms"])),
        (6, "HttpClientLogger", lambda r: f"Network request succeeded. Method: {r.choice(['GET', 'HEAD', 'POST'])}, StatusCode: 200, Description: ok, "
                                          f"URL: https://agents.{_pick(r, REGIONS)}.manage.microsoft.com/TrafficGateway/TrafficRoutingService/SideCar/"
                                          f"StatelessSideCarGatewayService/SideCarGatewaySessions('{sess}')?api-version=1.1, ClientRequestId: {guid(r)}"),
        (3, "AppDetector", lambda r: f"Detected app {r.choice(['Microsoft Edge', 'Company Portal', 'Microsoft Teams', 'dockutil 3.1.3'])} "
                                     f"version {r.randint(1, 130)}.{r.randint(0, 9)}.{r.randint(0, 99)}, PolicyID: {guid(r).lower()}"),
        (1, "AppDetector", lambda r: f"Error detecting install path for app. Error: BundleInfoProviderError.bundleNotFound, PolicyID: {guid(r).lower()}, "
                                     "AppName: dockutil 3.1.3, AppType: PKG, BundleID: dockutil.cli.tool, IgnoreVersion: false"),
        (3, "ScriptPolicyHandler", lambda r: f"Script policy {guid(r).lower()} result: success, exit code 0, run as {r.choice(['root', 'user'])}"),
        (2, "HealthReporter", lambda r: f"Reporting agent health: sidecar ok, last checkin {r.randint(1, 480)} min ago"),
        (2, "CoreDataAppStateChangePersistence", lambda r: f"Persisted {r.randint(1, 20)} AppStateChangeItems"),
    ]
    templates = []
    for w, comp, mk in comps:
        def fn(r, comp=comp, mk=mk):
            lvl = r.choices("IWE", [90, 8, 2])[0]
            th = ("*" if r.random() < 0.2 else "") + str(r.randint(89000000, 89099999))
            body = f" | IntuneMDM-Daemon | {lvl} | {th} | {comp} | {mk(r)}"
            if r.random() < 0.03:  # plist-like payload continuation lines without a stamp
                body += "\n{\n    PolicyID = \"%s\";\n    State = %d;\n}" % (guid(r).lower(), r.randint(0, 5))
            return body
        templates.append((w, fn))
    pool = build_pool(rng, templates, pool_size)
    rare = [" | IntuneMDM-Daemon | E | 89007862 | TokenProvider | Token request failed: AADSTS50076: Due to a configuration change made by "
            "your administrator, or because you moved to a new location, you must use multi-factor authentication.",
            " | IntuneMDM-Daemon | E | 89007862 | EnrollmentHelper | Enrollment failed: Device is already enrolled"]
    near = [" | IntuneMDM-Daemon | E | 89007862 | CoreDataAppStateChangePersistence | Failed to process AppStateChangeItem Error: AppStateChangeError.decodingFailure",
            " | IntuneMDM-Daemon | W | 89007866 | TokenProvider | Token cache miss, requesting a new token silently"]
    shapes = [{"name": "intune", "pool": pool, "rare": rare, "near": near}]
    return PooledSource(rng, shapes, start_ms, iso_seconds, FRAC_COLON, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=rare_every, near_every=near_every, time_scale=time_scale, injections=injections)


# --------------------------------------------------------------------------- SSO extension

def sso_source(rng, start_ms, rare_every=200_000, near_every=20_000, time_scale=1.0, injections=(),
               device_id=None, token_success=True, pool_size=20_000):
    msal = "1.%d.%d" % (rng.randint(2, 6), rng.randint(0, 9))
    osv = _pick(rng, OS_VERSIONS)
    dev = device_id or guid(rng).lower()
    plain = ["Beginning authorization request", "Request does not need UI", "Finished SSO request.",
             "Handling silent SSO request...", "Completed interactive SSO request."]
    msal_msgs = ["Handling SSO request, requested operation: ", "Handling SSO request, requested operation: get_accounts_operation",
                 "Acquired PRT.", "WPJ discovery succeeded.", "[MSAL] Keychain find status: 0",
                 "Feature flag browser_sso_interaction_enabled is enabled",
                 "[Browser SSO] Starting Browser SSO request for authority https://login.microsoftonline.com/common",
                 "[MSAL] [Browser SSO] Executing without UI for authority https://login.microsoftonline.com/common, number of PRTs 1, device registered 1",
                 f"[MSAL] Passing device header in browser SSO for device id {dev}"]
    if not token_success:
        msal_msgs.remove("Acquired PRT.")

    def p(r):
        return f" | I | {_pick(r, plain)}"

    def m(r):
        return (f" | I | TID={r.randint(100000, 999999)} MSAL {msal} Mac {osv} [", SEC, f"] {_pick(r, msal_msgs)}")

    def miss(r):
        tid = r.randint(100000, 999999)
        return (f" | I | TID={tid} MSAL {msal} Mac {osv} [", SEC, "] [MSAL] Keychain find status: -25300\n",
                TS, f" | I | TID={tid} MSAL {msal} Mac {osv} [", SEC, "] [MSAL] Found 0 items")
    pool = build_pool(rng, [(3, p), (6, m), (0.2, miss)], pool_size)
    e = lambda text: (f" | E | TID=783491 MSAL {msal} Mac {osv} [", SEC, f"] {text}")
    rare = [e("Error Domain=MSALErrorDomain Code=-50000 UserInfo={MSALErrorDescriptionKey=AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.}"),
            e("Error Domain=MSALErrorDomain Code=-50000 UserInfo={MSALErrorDescriptionKey=AADSTS530003: Your device is required to be managed to access this resource.}"),
            e("Error Domain=MSALErrorDomain Code=-50002 UserInfo={MSALErrorDescriptionKey=AADSTS50129: Device is not workplace joined.} MSALErrorWorkplaceJoinRequired"),
            e("failed to retrieve identity from keychain for accessGroup:UBF8T346G9.com.microsoft.workplacejoin with error: -25300")]
    near = [miss(rng), e("PRT needs upgrade as device registration state has changed. Device is joined 1, prt is joined 0")]
    shapes = [{"name": "sso", "pool": pool, "rare": rare, "near": near}]
    return PooledSource(rng, shapes, start_ms, iso_seconds, FRAC_COLON, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=rare_every, near_every=near_every, time_scale=time_scale, injections=injections)


# --------------------------------------------------------------------------- unified log (log show)

UNIFIED_HEADER_DEFAULT = ('Filtering the log data using "subsystem CONTAINS \\"jamfAAD\\" OR subsystem BEGINSWITH '
                          '\\"com.apple.AppSSO\\" OR subsystem BEGINSWITH \\"com.jamf.backgroundworkflows\\""\n'
                          "Timestamp                       Thread     Type        Activity             PID    TTL  \n")
UNIFIED_HEADER_SYSLOG = ('Filtering the log data using "subsystem CONTAINS \\"jamfAAD\\""\n'
                         "Timestamp                       (process)[PID]\n")


def unified_body(style, proc, pid, thread, typ, image, subsys, cat, msg, host="localhost"):
    if style == "syslog":
        return f" {host} {proc}[{pid}]: ({image}) [{subsys}:{cat}] {msg}"
    return f" {thread:<10} {typ:<11} 0x0                  {pid:<6} 0    {proc}: ({image}) [{subsys}:{cat}] {msg}"


def unified_source(rng, start_ms, style="default", rare_every=200_000, near_every=20_000, time_scale=1.0,
                   injections=(), user=None, offset="-0500", token_success=True, host="localhost", pool_size=20_000):
    user = user or _pick(rng, USERS)
    jpid = str(rng.randint(400, 9000))
    proc = rng.choice(["JamfAAD", "Jamf Conditional Access"])
    aad = "com.jamf.management.jamfAAD"

    def J(r, msg, typ="Default"):
        return unified_body(style, proc, jpid, hex(r.randint(0x1000, 0xfffff)), typ, proc, aad, "default", msg, host)

    # No "Launching Company Portal" here: that is a registration trace, planted on purpose only.
    jmsgs = [lambda r: "gatherAADInfo started",
             lambda r: f"Acquiring token silently for account {guid(r).lower()}",
             lambda r: f"Token expiry check: {r.randint(1, 700)} minutes remaining",
             lambda r: f"Reading WPJ key from keychain for user {user}",
             lambda r: "Checking last_aad_token_timestamp against recurring interval",
             lambda r: (f"AAD ID acquired for macOS user {user}" if token_success and r.random() < 0.2
                        else "Submitting AAD ID values to Jamf Pro")]
    appsso = ["AppSSOAgent", "AppSSODaemon", "Safari", "Microsoft Outlook", "Microsoft Teams"]

    def sso(r):
        p = _pick(r, appsso)
        return unified_body(style, p, str(r.randint(300, 40000)), hex(r.randint(0x1000, 0xfffff)),
                            r.choice(["Default", "Info", "Debug"]), "AppSSOCore", "com.apple.AppSSO", r.choice(["SOConfigurationClient", "SOAuthorizationCore", "SOExtensionManager"]),
                            r.choice(["-[SOConfigurationClient init] on <private>", "Extension found for URL https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                                      "-[SOAuthorizationCore _beginAuthorizationWithServiceXPCEndpoint:] on <private>",
                                      "Authorization completed with status: 0", "Loading extensions for team UBF8T346G9"]), host)

    def bw(r):
        return unified_body(style, "Jamf", str(r.randint(300, 9000)), hex(r.randint(0x1000, 0xfffff)), "Info", "Jamf",
                            "com.jamf.backgroundworkflows", "workflow", r.choice(["Background workflow check-in scheduled", "Workflow run finished with state success"]), host)
    templates = [(2, lambda r: J(r, _pick(r, jmsgs)(r))), (5, sso), (1, bw)]
    pool = build_pool(rng, templates, pool_size)
    rare = [J(rng, "posible for silent token acquire to fail now if the wrong account is picked"),
            J(rng, "[MSAL] acquireTokenSilent returning with error: (MSALErrorDomain, -50002) Creating Error with description: User interaction is required", "Error"),
            J(rng, "Token request failed: AADSTS53003: Access has been blocked by Conditional Access policies.", "Error"),
            unified_body(style, "SecurityAgent", str(rng.randint(300, 900)), "0x1a2b3", "Default", "SecurityAgent",
                         "com.apple.securityagent", "prompt", f"{proc} wants to access key \u201cMicrosoft Workplace Join Key\u201d in your keychain."),
            J(rng, "No AAD ID found", "Error")]
    near = [J(rng, "[MSAL] Keychain find status: -25300"), J(rng, "Silent token acquisition succeeded on retry 1 of 3")]
    frac = frac_micro(rng, offset)
    header = UNIFIED_HEADER_SYSLOG if style == "syslog" else UNIFIED_HEADER_DEFAULT
    shapes = [{"name": "unified", "pool": pool, "rare": rare, "near": near}]
    src = PooledSource(rng, shapes, start_ms, iso_seconds, frac, BURSTY_DELTAS, BURSTY_WEIGHTS,
                       rare_every=rare_every, near_every=near_every, time_scale=time_scale,
                       injections=injections, header=header)
    src.jamf_line = lambda msg, typ="Error": J(rng, msg, typ)
    return src


# --------------------------------------------------------------------------- compact log show (Self Service+)

def compact_source(rng, start_ms, time_scale=1.0):
    pid = rng.randint(300, 9000)

    def line(r):
        return (f" {r.choice(['Df', 'I ', 'Db'])} Self Service+[{pid}:{r.randint(0x10000, 0xfffff):x}] "
                f"[com.jamf.selfserviceplus:{r.choice(['ui', 'network', 'policy'])}] "
                + r.choice(["Loaded 42 catalog items", "Policy run requested for id 17", "Refreshing notifications",
                            "GET https://acme.jamfcloud.com/api/v1/self-service/branding 200"]))
    pool = build_pool(rng, [(1, line)], 2000)
    shapes = [{"name": "compact", "pool": pool, "rare": [pool[0]], "near": [pool[1]]}]
    return PooledSource(rng, shapes, start_ms, iso_seconds, FRAC_DOT, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=0, near_every=0, time_scale=time_scale,
                        header="Timestamp               Ty Process[PID:TID]\n")


# --------------------------------------------------------------------------- install.log

def installlog_source(rng, start_ms, host, time_scale=1.0):
    def line(r):
        proc, msg = r.choice([
            ("installd", f"PackageKit: Extracting file:///Library/Application%20Support/JAMF/Downloads/{_pick(r, [p for _, p in POLICIES if p])} "
                         f"(destination=/Library/InstallerSandboxes/.PKInstallSandboxManager/{guid(r)}.activeSandbox/Root, uid=0)"),
            ("installd", f"PackageKit: Touched bundle /Applications/{r.choice(['Google Chrome', 'Slack', 'zoom.us', 'Microsoft Teams'])}.app"),
            ("softwareupdated", "SUOSUServiceDaemon: Checking for available updates"),
            ("installer", f"Product archive /Library/Application Support/JAMF/Downloads/{_pick(r, [p for _, p in POLICIES if p])} trustLevel=350"),
            ("installd", "PackageKit: ----- End install -----"),
        ])
        return f" {host} {proc}[{r.randint(300, 9000)}]: {msg}"
    pool = build_pool(rng, [(1, line)], 3000)
    shapes = [{"name": "install", "pool": pool, "rare": [pool[0]], "near": [pool[1]]}]
    frac = ["-05"] * 1000  # install.log stamps: whole seconds and a UTC offset
    return PooledSource(rng, shapes, start_ms, iso_seconds, frac, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=0, near_every=0, time_scale=time_scale)


# --------------------------------------------------------------------------- JAMFSoftwareServer.log

def jss_source(rng, start_ms, rare_every=200_000, near_every=20_000, time_scale=1.0, injections=()):
    def thread(r):
        return r.choice([f"Thread-{r.randint(10, 99)} ", f"eralPool-{r.randint(1, 99)}", f"na-exec-{r.randint(100, 999)}",
                         f"duledPool-{r.randint(1, 9)}", f"neralPool-{r.randint(0, 9)}"])

    def L(level, logger, msg, r):
        return f" [{level:<5}] [{thread(r):<11}] [{logger[-25:]:<25}] - {msg}"

    entries = [
        (6, "DEBUG", "ClientCommunicationServlet", lambda r: f"Processing action, commandType: {r.choice(['COM_JAMFSOFTWARE_JAMF_POLICYREQUEST', 'COM_JAMFSOFTWARE_JAMF_INVENTORYREQUEST', 'COM_JAMFSOFTWARE_JAMF_CHECKINREQUEST'])}, computer id: {r.randint(1, 9000)}"),
        (4, "INFO", "PushQueueManager", lambda r: f"Sent {r.randint(1, 300)} push notifications in {r.randint(5, 900)} ms"),
        (3, "INFO", "ComputerInventoryService", lambda r: f"Inventory submitted for computer id {r.randint(1, 9000)}"),
        (3, "DEBUG", "PolicyExecutionService", lambda r: f"Policy {r.randint(1, 400)} scoped to {r.randint(0, 3000)} computers"),
        (2, "INFO", "IntuneInventoryUpdateTask", lambda r: f"Sent {r.randint(1, 500)} device inventory records to Microsoft Intune in {r.randint(200, 9000)} ms"),
        (1, "WARN", "PushQueueManager", lambda r: "Unable to flush connection com.jamfsoftware.jss.pushnotification.connections.JAMFPushProxyConnection"),
        (1, "DEBUG", "ClientCommunicationServlet", lambda r: "Processing action, commandType: COM_JAMFSOFTWARE_JAMF_AADIDSUBMISSIONREQUEST"),
        (1, "INFO", "AADIdSubmissionAction", lambda r: f"AAD ID submission stored for computer id {r.randint(1, 9000)}"),
        (1, "INFO", "MemoryMonitor", lambda r: f"Heap used {r.randint(900, 7000)} MB of 8192 MB"),
    ]
    templates = [(w, (lambda r, lv=lv, lg=lg, mk=mk: L(lv, lg, mk(r), r))) for w, lv, lg, mk in entries]
    pool = build_pool(rng, templates, 20_000)
    trace = ("\n\tat com.jamfsoftware.jss.objects.intune.IntuneGraphClient.acquireToken(IntuneGraphClient.java:212)"
             "\n\tat com.jamfsoftware.jss.objects.intune.IntuneIntegrationService.sendInventory(IntuneIntegrationService.java:488)"
             "\n\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)"
             "\n\tat java.base/java.lang.Thread.run(Thread.java:840)")
    rare = [L("ERROR", "IntuneIntegrationService", "Could not retrieve the access token for Microsoft Graph API. AADSTS7000215: Invalid client "
              "secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", rng),
            L("ERROR", "IntuneIntegrationService", "Unable to send inventory information to Microsoft Intune", rng),
            L("ERROR", "IntuneGraphClient", "Could not retrieve the access token for Microsoft Graph API. java.net.SocketTimeoutException: connect timed out", rng) + trace,
            L("ERROR", "IntuneGraphClient", "AADSTS90002: Tenant 'contoso.onmicrosoft.co' not found. Check to make sure you have the correct tenant ID.", rng)]
    near = [L("WARN", "AzureGroupServiceImpl", "No Azure AD configuration found under id: 1", rng),
            L("ERROR", "CloudIdPMembershipProxy", "Membership could not be calculated for user ann@contoso.com", rng)]
    shapes = [{"name": "jss", "pool": pool, "rare": rare, "near": near}]
    return PooledSource(rng, shapes, start_ms, iso_seconds, FRAC_COMMA, BURSTY_DELTAS, BURSTY_WEIGHTS,
                        rare_every=rare_every, near_every=near_every, time_scale=time_scale, injections=injections)


# --------------------------------------------------------------------------- writing

def write_source(path, source, budget, progress=None):
    """Write to `path` atomically (path.tmp then rename); '-' writes to stdout."""
    total = 0
    if path == "-":
        out = sys.stdout.buffer
        for chunk in source.chunks(budget):
            out.write(chunk)
            total += len(chunk)
        out.flush()
        return total
    tmp = path + ".tmp"
    buf = []
    bufsize = 0
    with open(tmp, "wb", buffering=0) as f:
        for chunk in source.chunks(budget):
            buf.append(chunk)
            bufsize += len(chunk)
            if bufsize >= 1 << 20:
                f.write(b"".join(buf))
                total += bufsize
                buf, bufsize = [], 0
                if progress:
                    progress(total)
        if buf:
            f.write(b"".join(buf))
            total += bufsize
    os.replace(tmp, path)
    return total


MIXED_PARTS = [  # (fraction of --size, file name maker, source maker)
    (0.35, lambda s: f"com.microsoft.CompanyPortalMac {file_stamp(s)}.log", lambda rng, s, a: cp_source(rng, s, a.rare_every, a.near_every)),
    (0.25, lambda s: "jamf.log", lambda rng, s, a: JamfSource(rng, s, "heavy", a.rare_every, a.near_every)),
    (0.12, lambda s: f"IntuneMDMDaemon {file_stamp(s, False)}.log", lambda rng, s, a: intune_source(rng, s, a.rare_every, a.near_every)),
    (0.10, lambda s: f"SSOExtension {file_stamp(s)}.log", lambda rng, s, a: sso_source(rng, s, a.rare_every, a.near_every)),
    (0.10, lambda s: "JamfConditionalAccess.log", lambda rng, s, a: unified_source(rng, s, "default", a.rare_every, a.near_every)),
    (0.08, lambda s: "JAMFSoftwareServer.log", lambda rng, s, a: jss_source(rng, s, a.rare_every, a.near_every)),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=["cp", "jamf", "mixed"], required=True)
    ap.add_argument("--size", type=parse_size, default=parse_size("1G"), help="total bytes, e.g. 1G, 50M (binary units)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=parse_start, default=None,
                    help="first time stamp, e.g. 2025-03-01T08:00:00 (default: derived from the seed)")
    ap.add_argument("--rare-every", type=int, default=200_000, help="mean records between failure signatures (0 = none)")
    ap.add_argument("--near-every", type=int, default=20_000, help="mean records between near-misses (0 = none)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("out", help="output file (cp, jamf; '-' for stdout) or directory (mixed)")
    a = ap.parse_args(argv)

    rng = derive_rng(a.seed, a.kind)
    start = a.start if a.start is not None else parse_start("2024-01-01") + rng.randrange(300) * 86_400_000 + rng.randrange(86_400_000)
    t0 = time.perf_counter()

    def progress(n):
        if not a.quiet and sys.stderr.isatty():
            el = time.perf_counter() - t0
            print(f"\r  {n / (1 << 20):8.0f} MiB  {n / (1 << 20) / max(el, 1e-9):6.0f} MiB/s", end="", file=sys.stderr)

    written = 0
    if a.kind == "mixed":
        # Build in OUT.tmp and rename at the end, so a half-written directory never looks done.
        tmpdir = a.out.rstrip("/") + ".tmp"
        if os.path.isdir(tmpdir):
            shutil.rmtree(tmpdir)
        os.makedirs(tmpdir)
        for i, (frac, name_fn, make) in enumerate(MIXED_PARTS):
            prng = derive_rng(a.seed, "mixed", i)
            s = start + prng.randrange(3_600_000)
            path = os.path.join(tmpdir, name_fn(s))
            written += write_source(path, make(prng, s, a), int(a.size * frac), progress)
        if os.path.isdir(a.out):
            shutil.rmtree(a.out)
        os.replace(tmpdir, a.out)
    elif a.kind == "cp":
        written = write_source(a.out, cp_source(rng, start, a.rare_every, a.near_every), a.size, progress)
    else:
        written = write_source(a.out, JamfSource(rng, start, "heavy", a.rare_every, a.near_every), a.size, progress)
    el = time.perf_counter() - t0
    if not a.quiet:
        if sys.stderr.isatty():
            print("\r", end="", file=sys.stderr)
        print(f"gen_corpus: {a.kind} seed={a.seed} wrote {written:,} bytes to {a.out} in {el:.1f} s "
              f"({written / (1 << 20) / max(el, 1e-9):.0f} MiB/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
