#!/usr/bin/env python3
"""Open a logscan HTML report in headless Chromium and say what a reader sees.

    check_report.py SHOT_DIR REPORT.html[:all] ...

Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no
websocket library), one browser for all reports. Loads each page in light colours with
JavaScript on; a report given as REPORT.html:all is also loaded with JavaScript off (nojs), in
dark colours (prefers-color-scheme) and as print media, and screenshotted whole to
SHOT_DIR/NAME-LOOK.png; every load's first 1400 pixels go to NAME-LOOK-top.png. Prints one JSON object
keyed by report path: per look the DOM facts (cause titles and evidence lines per Mac, roll-up
rows, whether the sort buttons reorder the roll-up), and per report every console error and
uncaught exception, every request that is not for the file itself, and the screenshot paths.
"""

import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

FACTS = r"""
(() => {
  const text = (e) => (e ? e.textContent.trim() : null);
  const macs = Array.from(document.querySelectorAll("section.mac")).map((s) => ({
    id: s.id,
    label: text(s.querySelector("h2")),
    causes: Array.from(s.querySelectorAll("article.cause")).map((a) => ({
      id: text(a.querySelector(".cause-id")),
      title: text(a.querySelector("h4")),
      severity: text(a.querySelector(".sev")),
      evidence: a.querySelectorAll("li.evidence-line").length,
      fixSteps: a.querySelectorAll("ol.fix li").length,
      references: Array.from(a.querySelectorAll(".refs a")).map((l) => l.getAttribute("href")),
    })),
    lanes: s.querySelectorAll("svg g.lane").length,
    marks: Array.from(s.querySelectorAll("svg rect.mark")).map((m) => text(m.querySelector("title"))),
    timelineRows: s.querySelectorAll("table.timeline > tbody > tr").length,
    folds: s.querySelectorAll("table.timeline details").length,
    healthy: !!s.querySelector(".ok-note"),
    notDiagnosable: !!s.querySelector(".na-note"),
    unrecognized: Array.from(s.querySelectorAll("table.unrecognized tbody tr")).map((r) => ({
      count: Number(text(r.cells[0]).replace("×", "")), template: text(r.cells[3].querySelector("code")),
    })),
  }));
  const rollUp = () => Array.from(document.querySelectorAll("table.rollup tbody tr")).map((r) => ({
    severity: text(r.cells[0]), cause: text(r.cells[1].querySelector("code")), macs: Number(text(r.cells[2])),
    links: Array.from(r.cells[3].querySelectorAll("a")).map((a) => a.getAttribute("href")),
  }));
  const before = rollUp();
  let sorted = null;
  const buttons = Array.from(document.querySelectorAll("table.rollup th button"));
  const macsButton = buttons.find((b) => b.textContent.trim() === "Macs");
  if (macsButton) {
    macsButton.click(); const descending = rollUp().map((r) => r.macs);
    macsButton.click(); const ascending = rollUp().map((r) => r.macs);
    sorted = { descending, ascending };
  }
  const anchors = Array.from(document.querySelectorAll('a[href^="#"]')).map((a) => a.getAttribute("href").slice(1));
  return JSON.stringify({
    title: document.title,
    summary: text(document.querySelector(".summary")),
    scope: Array.from(document.querySelectorAll("header.top .scope")).map(text),
    macs, rollUp: before, sorted, sortButtons: buttons.length,
    brokenAnchors: anchors.filter((id) => !document.getElementById(id)),
    problems: Array.from(document.querySelectorAll("#problems li")).map(text),
    background: getComputedStyle(document.documentElement).backgroundColor,
    scripts: document.scripts.length,
  });
})()
"""


class Browser:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="logscan-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"]

        def fds():
            # Out of the way first, so neither lands on the other's target.
            a, b = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(args, pass_fds=(), preexec_fn=fds, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        while True:
            reply = self.read()
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self, deadline=60):
        start = time.time()
        while b"\0" not in self.buffer:
            if time.time() - start > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, session, deadline=60):
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        start = time.time()
        while time.time() - start < deadline:
            e = self.read(deadline)
            if e.get("method") == method and e.get("sessionId") == session:
                return e
            self.events.append(e)
        raise TimeoutError(f"no {method}")

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def look(browser, url, media, scheme, javascript, shot, whole=True):
    """Loads `url` in a new tab; returns (facts or None, console problems, requests)."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
    browser.send("Emulation.setEmulatedMedia", {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]}, session)
    browser.send("Emulation.setScriptExecutionDisabled", {"value": not javascript}, session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired", session)
    metrics = browser.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = min(int(size["height"]) + 1, 16000)
    if whole:
        shot_data = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}}, session)["data"]
        with open(shot, "wb") as f:
            f.write(base64.b64decode(shot_data))
    # And the first screen and a half alone, legible when viewed at once.
    top_data = browser.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": min(height, 1400), "scale": 1}}, session)["data"]
    with open(shot.replace(".png", "-top.png"), "wb") as f:
        f.write(base64.b64decode(top_data))
    facts = None
    if javascript:
        # Facts are read with the page's own script enabled (the sort buttons are its work).
        result = browser.send("Runtime.evaluate", {"expression": FACTS, "returnByValue": True}, session)
        facts = json.loads(result["result"]["value"])
    else:
        # With scripts off, Runtime.evaluate still runs (DevTools is exempt): read what is there.
        result = browser.send("Runtime.evaluate", {"expression": FACTS.replace("macsButton.click()", "0"), "returnByValue": True}, session)
        facts = json.loads(result["result"]["value"])
    problems, requests = [], []
    for e in browser.events:
        if e.get("sessionId") != session:
            continue
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append("exception: " + json.dumps(p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"].get("text")))
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            problems.append(f"console.{p['type']}: " + " ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
        elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            problems.append(f"log {p['entry']['level']}: {p['entry']['text']}")
        elif method == "Network.requestWillBeSent":
            requests.append(p["request"]["url"])
    browser.send("Target.closeTarget", {"targetId": target})
    return facts, problems, requests


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    shots = os.path.abspath(sys.argv[1])
    os.makedirs(shots, exist_ok=True)
    mac_chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    binary = (os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
              or shutil.which("google-chrome") or (mac_chrome if os.path.exists(mac_chrome) else None))
    if not binary:
        print(json.dumps({"error": "no chromium on PATH (scripts/install-deps installs it)"}))
        return 3
    browser = Browser(binary)
    reports = {}
    try:
        for arg in sys.argv[2:]:
            path, _, every = arg.partition(":")
            path = os.path.abspath(path)
            url = "file://" + path
            name = os.path.splitext(os.path.basename(path))[0]
            looks = LOOKS if every == "all" else LOOKS[:1]
            out = {"shots": {}, "problems": [], "requests": []}
            for look_name, media, scheme, javascript in looks:
                shot = os.path.join(shots, f"{name}-{look_name}.png")
                facts, problems, requests = look(browser, url, media, scheme, javascript, shot, whole=every == "all")
                out["shots"][look_name] = shot if every == "all" else shot.replace(".png", "-top.png")
                out["problems"] += [f"{look_name}: {p}" for p in problems]
                out["requests"] += [r for r in requests if r != url]
                out[look_name] = facts
            reports[path] = out
    finally:
        browser.close()
    print(json.dumps(reports))
    return 0


LOOKS = (("light", "screen", "light", True), ("nojs", "screen", "light", False),
         ("dark", "screen", "dark", True), ("print", "print", "light", True))

if __name__ == "__main__":
    sys.exit(main())
