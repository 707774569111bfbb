import Mustache

/// The Mustache templates of `--format html`. Every value goes in through `{{name}}`, which
/// escapes `< > & " '`; the templates use no unescaped form (`{{{…}}}` or `{{&…}}`), and a test
/// keeps it so. Styles and the sorting script are inline: the file makes no request.
enum HTMLTemplates {
    static let library: MustacheLibrary = {
        do {
            return MustacheLibrary(templates: [
                "start": try MustacheTemplate(string: start),
                "mac": try MustacheTemplate(string: mac),
                "row": try MustacheTemplate(string: row),
                "rich": try MustacheTemplate(string: rich),
                "end": try MustacheTemplate(string: end),
            ])
        } catch {
            fatalError("a built-in HTML template does not parse: \(error)")
        }
    }()

    /// The templates' own text, for the test that none writes a value unescaped.
    static let all = [start, mac, row, rich, end]

    /// The document's head, the report's header, and for a fleet the roll-up.
    static let start = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
    <meta name="generator" content="logscan">
    <title>{{title}}</title>
    <style>
    :root {
      --bg: #ffffff; --fg: #1c1e21; --muted: #5b626b; --card: #f5f6f8; --border: #d5d9df; --band: #eceef1;
      --accent: #0b57d0; --critical: #a3002c; --high: #c62828; --medium: #a15c00; --low: #2f6db5; --info: #5b626b;
      --ok: #1b7a33; --na: #7a4d00; --density: #2e7d4f; --evidence-bg: #fdf1f0;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #14161a; --fg: #e4e6ea; --muted: #9aa2ad; --card: #1d2025; --border: #363b42; --band: #23272d;
        --accent: #7fb0ff; --critical: #ff6f91; --high: #ff7b70; --medium: #f2b44f; --low: #86b6ff; --info: #9aa2ad;
        --ok: #62c474; --na: #e0b45c; --density: #5cc489; --evidence-bg: #2a1d1f;
      }
    }
    * { box-sizing: border-box; }
    html { background: var(--bg); color: var(--fg); }
    body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    a { color: var(--accent); }
    code, pre, time, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2rem 0 0; }
    h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
    h2 { font-size: 1.3rem; margin: 0; }
    h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
    h4 { font-size: 1.05rem; margin: 0; display: inline; }
    h5 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 0.9rem 0 0.3rem; }
    .summary { font-size: 1.1rem; margin: 0.25rem 0; }
    .scope, .note, .sub, .meta, .more, .explain { color: var(--muted); }
    .sub { font-size: 0.85em; overflow-wrap: anywhere; }
    .top { margin-bottom: 1rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); }
    th { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
    th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline dotted; }
    th[aria-sort="descending"] button::after { content: " ▼"; }
    th[aria-sort="ascending"] button::after { content: " ▲"; }
    .sev, .status { display: inline-block; padding: 0 0.45rem; border-radius: 0.6rem; font-size: 0.78rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; border: 1px solid currentColor; white-space: nowrap; }
    .sev-critical { --sev: var(--critical); } .sev-high { --sev: var(--high); } .sev-medium { --sev: var(--medium); }
    .sev-low { --sev: var(--low); } .sev-info { --sev: var(--info); }
    .sev, .error { color: var(--sev, var(--high)); }
    .status.bad { color: var(--high); } .status.ok { color: var(--ok); } .status.na { color: var(--na); }
    table.rollup td:nth-child(2) { width: 45%; }
    .problems { border: 1px solid var(--high); border-radius: 0.5rem; padding: 0.5rem 1rem; margin: 1rem 0; }
    .problems h2 { font-size: 1.05rem; color: var(--high); }
    section.mac { margin-top: 2.5rem; padding-top: 1rem; border-top: 3px solid var(--border); }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.75rem 0; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; }
    .facts ul { margin: 0; padding-left: 1.1rem; }
    article.cause { background: var(--card); border: 1px solid var(--border); border-left: 6px solid var(--sev); border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0.75rem 0; }
    article.cause > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; }
    .cause-id { color: var(--muted); }
    .fix li { margin: 0.15rem 0; }
    .evidence { list-style: none; padding: 0; margin: 0; }
    .evidence-line { border-top: 1px dashed var(--border); padding: 0.3rem 0; }
    .evidence-line .where { font-size: 0.85em; color: var(--muted); }
    .ids { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; }
    .ids dd { margin: 0; overflow-wrap: anywhere; }
    .refs { margin: 0; padding-left: 1.1rem; overflow-wrap: anywhere; }
    .ok-note { color: var(--ok); font-weight: 600; }
    .na-note { color: var(--na); font-weight: 600; }
    figure.picture { margin: 1rem 0; }
    figure.picture figcaption { color: var(--muted); font-size: 0.85rem; }
    figure.picture svg { width: 100%; height: auto; display: block; }
    svg text { fill: var(--muted); font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    svg .band { fill: var(--band); }
    svg .density { fill: var(--density); }
    svg .mark { fill: var(--sev, var(--high)); }
    svg .mark:hover { stroke: var(--fg); stroke-width: 1; }
    svg .axis line { stroke: var(--border); stroke-width: 1; }
    table.timeline { table-layout: fixed; }
    table.timeline td { font-size: 0.88rem; overflow-wrap: anywhere; }
    table.timeline td:first-child, table.members td:first-child { white-space: nowrap; }
    table.timeline col.time { width: 15rem; } table.timeline col.where { width: 24%; } table.timeline col.rule { width: 19%; }
    table.timeline tr.ev td { background: var(--evidence-bg); }
    table.timeline tr.ev td:first-child { box-shadow: inset 4px 0 0 var(--sev); }
    table.timeline tr.ev strong { color: var(--sev); }
    table.timeline tr.ctx td { color: var(--muted); }
    table.timeline tr.fold td, table.timeline tr.more td { color: var(--muted); }
    details summary { cursor: pointer; }
    table.members td { border-bottom: 0; padding: 0.1rem 0.5rem; }
    .nowrap { white-space: nowrap; }
    table.unrecognized td { font-size: 0.88rem; overflow-wrap: anywhere; }
    table.unrecognized td:nth-child(-n+3) { white-space: nowrap; }
    @media print {
      :root { --bg: #fff; --fg: #000; --muted: #444; --card: #fff; --border: #999; --band: #eee; --evidence-bg: #fff; }
      body { max-width: none; padding: 0; font-size: 11pt; }
      section.mac { break-before: page; border-top: 0; }
      article.cause, figure.picture, tr { break-inside: avoid; }
      th button { text-decoration: none; }
      .refs a::after { content: none; }
      a { color: inherit; text-decoration: none; }
    }
    </style>
    </head>
    <body>
    <header class="top">
    <h1>{{title}}</h1>
    <p class="summary">{{summary}}</p>
    {{#scope}}<p class="scope">{{.}}</p>
    {{/scope}}<p class="note">All times are UTC. Made by logscan from the Mac's own logs; each cause links to its evidence and fix.</p>
    </header>
    <main>
    {{#hasProblems}}<section class="problems" id="problems">
    <h2>Inputs that could not be read</h2>
    <p class="note">The report covers every input that could be read.</p>
    <ul>{{#problems}}
    <li><code>{{source}}</code>: {{message}}</li>{{/problems}}
    </ul>
    </section>
    {{/hasProblems}}{{#isFleet}}<section id="fleet">
    <h2>Causes across the fleet</h2>
    {{#hasRollUp}}<table class="rollup sortable">
    <thead><tr><th scope="col" data-sort="severity" aria-sort="descending">Severity</th><th scope="col">Cause</th><th scope="col" data-sort="macs">Macs</th><th scope="col">Which Macs</th></tr></thead>
    <tbody>{{#rollUp}}
    <tr><td data-severity="{{severityRank}}"><span class="sev {{severityClass}}">{{severity}}</span></td><td><strong>{{title}}</strong><div class="sub"><code>{{id}}</code> · first step: {{#firstFixText}}{{>rich}}{{/firstFixText}}</div></td><td data-macs="{{macCount}}">{{macCount}}</td><td>{{#shownMacs}}<a href="#{{anchor}}">{{label}}</a>{{^last}}, {{/last}}{{/shownMacs}}{{#more}}<details><summary>{{.}}</summary>{{#moreMacs}}<a href="#{{anchor}}">{{label}}</a>{{^last}}, {{/last}}{{/moreMacs}}</details>{{/more}}</td></tr>{{/rollUp}}
    </tbody>
    </table>
    {{/hasRollUp}}{{^hasRollUp}}<p class="ok-note">No known cause on any Mac.</p>
    {{/hasRollUp}}<h3>Macs</h3>
    <table class="macs">
    <thead><tr><th scope="col">Mac</th><th scope="col">Status</th><th scope="col">Causes</th><th scope="col">Inputs</th></tr></thead>
    <tbody>{{#macs}}
    <tr><td><a href="#{{anchor}}">{{label}}</a><div class="sub">{{name}}</div></td><td><span class="status {{statusClass}}">{{status}}</span></td><td>{{#causes}}<a href="#{{anchor}}"><code>{{label}}</code></a>{{^last}}, {{/last}}{{/causes}}</td><td>{{inputs}}</td></tr>{{/macs}}
    </tbody>
    </table>
    </section>
    {{/isFleet}}
    """#

    /// One Mac: header, cause cards, the timeline picture and the timeline table.
    static let mac = #"""
    <section class="mac" id="{{anchor}}">
    <h2>{{label}} <span class="status {{statusClass}}">{{status}}</span></h2>
    <dl class="facts">
    <dt>Logs from</dt><dd><code>{{name}}</code></dd>
    {{#device}}<dt>Device</dt><dd>{{.}}</dd>
    {{/device}}<dt>Inputs</dt><dd>{{inputSummary}}<details><summary>every input</summary><table class="inputs"><thead><tr><th scope="col">Source</th><th scope="col">Format</th><th scope="col">Lines</th><th scope="col">Size</th></tr></thead><tbody>{{#inputs}}
    <tr><td><code>{{source}}</code>{{#error}}<div class="error">{{.}}</div>{{/error}}{{#note}}<div class="sub">{{.}}</div>{{/note}}</td><td>{{format}}</td><td>{{lines}}</td><td class="nowrap">{{size}}</td></tr>{{/inputs}}
    </tbody></table></details></dd>
    {{#span}}<dt>Time span</dt><dd><time>{{.}}</time></dd>
    {{/span}}<dt>Zone basis</dt><dd><ul>{{#zoneBasis}}<li>{{.}}</li>{{/zoneBasis}}{{#notes}}<li>{{.}}</li>{{/notes}}{{^hasTimeline}}<li>no matched line</li>{{/hasTimeline}}</ul></dd>
    </dl>
    {{#notDiagnosable}}<p class="na-note">Not diagnosable: {{.}}</p>
    {{/notDiagnosable}}{{#errors}}<p class="error"><code>{{source}}</code>: {{message}}</p>
    {{/errors}}{{#hasCauses}}<h3>Causes</h3>
    {{/hasCauses}}{{#causes}}<article class="cause {{severityClass}}" id="{{anchor}}">
    <header><span class="sev {{severityClass}}">{{severity}}</span><h4>{{title}}</h4><code class="cause-id">{{id}}</code></header>
    <p class="meta">{{countText}}{{#when}}, <time>{{.}}</time>{{/when}}; {{reason}}</p>
    {{#summaryText}}<p>{{>rich}}</p>
    {{/summaryText}}<h5>Fix</h5>
    <ol class="fix">{{#fixSteps}}<li>{{>rich}}</li>{{/fixSteps}}</ol>
    <h5>Evidence</h5>
    <ul class="evidence">{{#evidence}}
    <li class="evidence-line"><div class="where"><code title="{{source}}">{{location}}</code> <time>{{time}}</time> · {{rule}}</div><pre>{{text}}</pre></li>{{/evidence}}
    </ul>
    {{#evidenceMore}}<p class="more">{{.}}</p>
    {{/evidenceMore}}{{#hasIDs}}<h5>Extracted from the evidence</h5>
    <dl class="ids">{{#ids}}<dt>{{name}}</dt><dd><code>{{value}}</code></dd>{{/ids}}</dl>
    {{/hasIDs}}{{#hasReferences}}<h5>References</h5>
    <ul class="refs">{{#references}}<li><a href="{{url}}" rel="noreferrer">{{url}}</a></li>{{/references}}</ul>
    {{/hasReferences}}<p class="explain">On the command line: <code>logscan explain {{id}}</code></p>
    </article>
    {{/causes}}{{^hasCauses}}{{^notDiagnosable}}<p class="ok-note">No known cause of Jamf Pro / Intune integration failure in these logs.</p>
    {{/notDiagnosable}}{{/hasCauses}}{{#hasUnrecognized}}<h3>Unrecognized errors</h3>
    <p class="meta">{{unrecognizedSummary}}</p>
    <table class="unrecognized">
    <thead><tr><th scope="col">Lines</th><th scope="col">Level</th><th scope="col">When</th><th scope="col">Template, and one line of it</th></tr></thead>
    <tbody>{{#unrecognized}}
    <tr><td>×{{count}}</td><td>{{level}}</td><td><time>{{when}}</time></td><td><code>{{template}}</code><div class="sub">e.g. <code>{{location}}</code> {{example}}</div></td></tr>{{/unrecognized}}
    </tbody>
    </table>
    {{#unrecognizedMore}}<p class="more">{{.}}</p>
    {{/unrecognizedMore}}{{/hasUnrecognized}}{{#picture}}<figure class="picture">
    <figcaption>Timeline (UTC): one lane per log; shading is healthy activity, marks are evidence (hover for the line).</figcaption>
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="{{viewBox}}" role="img" aria-label="{{summary}}">
    <g class="axis">{{#ticks}}<line x1="{{x}}" x2="{{x}}" y1="0" y2="{{axisY}}"/>{{/ticks}}</g>
    {{#lanes}}<g class="lane"><title>{{source}}</title><rect class="band" x="200" y="{{y}}" width="788" height="{{bandHeight}}"/><text x="192" y="{{labelY}}" text-anchor="end">{{label}}</text>{{#shades}}<path class="density" fill-opacity="{{opacity}}" d="{{path}}"/>{{/shades}}{{#marks}}<rect class="mark {{severityClass}}" x="{{x}}" y="{{y}}" width="3" height="{{height}}"><title>{{title}}</title></rect>{{/marks}}</g>
    {{/lanes}}<g class="axis">{{#ticks}}<text x="{{x}}" y="{{tickY}}" text-anchor="{{anchor}}">{{label}}</text>{{/ticks}}</g>
    </svg>
    </figure>
    {{/picture}}{{#hasTimeline}}<h3>Timeline (UTC)</h3>
    <table class="timeline">
    <colgroup><col class="time"><col class="where"><col class="rule"><col></colgroup>
    <thead><tr><th scope="col">Time</th><th scope="col">Where</th><th scope="col">Cause or rule</th><th scope="col">Line</th></tr></thead>
    <tbody>
    {{#timelineHead}}{{>row}}{{/timelineHead}}{{#timelineMore}}<tr class="more"><td colspan="4">{{.}}</td></tr>
    {{/timelineMore}}{{#timelineTail}}{{>row}}{{/timelineTail}}</tbody>
    </table>
    {{/hasTimeline}}</section>

    """#

    /// One timeline row: a line, or a fold of healthy lines that opens to show them.
    static let row = #"""
    {{#entry}}<tr class="{{#isEvidence}}ev {{severityClass}}{{/isEvidence}}{{^isEvidence}}ctx{{/isEvidence}}"><td><time>{{time}}</time></td><td><code>{{location}}</code></td><td>{{#isEvidence}}<strong>{{cause}}</strong>{{/isEvidence}}{{^isEvidence}}{{rule}}{{/isEvidence}}</td><td>{{text}}</td></tr>
    {{/entry}}{{#fold}}<tr class="fold"><td colspan="4"><details><summary><time>{{first}}</time> … <time>{{last}}</time> ×{{count}} {{rule}} ({{sources}})</summary><table class="members"><tbody>{{#members}}<tr><td><time>{{time}}</time></td><td><code>{{location}}</code></td><td>{{text}}</td></tr>{{/members}}</tbody></table>{{#more}}<p class="more">{{.}}</p>{{/more}}</details></td></tr>
    {{/fold}}
    """#

    /// Text with code spans.
    static let rich = #"""
    {{#pieces}}{{#isCode}}<code>{{text}}</code>{{/isCode}}{{^isCode}}{{text}}{{/isCode}}{{/pieces}}
    """#

    /// The end of the document: the sorting script (the table reads the same without it).
    static let end = #"""
    </main>
    <script>
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("th[data-sort]").forEach(function (th) {
        var key = th.dataset.sort, button = document.createElement("button");
        button.type = "button"; button.textContent = th.textContent; th.textContent = ""; th.appendChild(button);
        button.addEventListener("click", function () {
          var down = th.getAttribute("aria-sort") !== "descending", body = table.tBodies[0];
          var value = function (row) { return Number(row.cells[th.cellIndex].dataset[key]); };
          Array.from(body.rows).sort(function (a, b) { return down ? value(b) - value(a) : value(a) - value(b); })
            .forEach(function (row) { body.appendChild(row); });
          table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", down ? "descending" : "ascending");
        });
      });
    });
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; d.dataset.printed = "1"; });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details[data-printed]").forEach(function (d) { d.open = false; delete d.dataset.printed; });
    });
    </script>
    </body>
    </html>

    """#
}
