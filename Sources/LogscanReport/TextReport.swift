import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// How the text report is laid out (`--summary`, `--no-timeline`, `--timeline-limit`, `-v`, the
/// terminal's width).
public struct TextOptions: Sendable {
    /// Columns to wrap to: the terminal's width, else `$COLUMNS`, else 80.
    public var width = 80
    /// `-v`: one line per input read, instead of a count per format.
    public var verbose = false
    /// `--summary`: the summary (causes and fixes) only.
    public var summaryOnly = false
    /// `--no-timeline` turns it off.
    public var timeline = true
    /// `--timeline-limit`: timeline lines shown per Mac (0: all).
    public var timelineLimit = 60
    /// The `--since` / `--until` window, stated at the top.
    public var since: Instant?
    public var until: Instant?
    /// `--all-unrecognized`: every kind of unrecognized error, not only the most frequent.
    public var allUnrecognized = false
    public init() {}
}

/// `--format text`: a report an admin reads top to bottom. It leads with the answer — the
/// summary (each Mac's causes with the first step of the fix), for a fleet the roll-up — and
/// then the details per Mac: inputs, causes with evidence and fix, unrecognized errors, timeline.
/// Everything that comes from a log or a file name goes through `TerminalText.escaped`.
public enum TextReport {
    /// Evidence lines shown per cause before "… and N more".
    static let evidenceShown = 6
    /// Unrecognized error kinds shown per bundle unless all are asked for.
    static let unrecognizedShown = 10

    public static func render(_ result: ScanResult, style: TextStyle, options: TextOptions = TextOptions()) -> String {
        let fleet = result.bundles.count > 1
        let parts = result.bundles.map { b -> String in
            let p = renderBundleParts(b, style: style, options: options)
            return p.head + (fleet ? p.notes : "") + p.body
        }
        return render(result, renderedBundles: parts, style: style, options: options)
    }

    /// The report, with each bundle's details already rendered (so a fleet's timelines need not
    /// be kept until the end).
    public static func render(_ result: ScanResult, renderedBundles: [String], style: TextStyle, options: TextOptions = TextOptions()) -> String {
        var out = header(result, style: style, options: options)
        let labels = distinctLabels(result.bundles.map(\.name))
        if result.bundles.count > 1 {
            out += "\n" + rollUp(result, labels: labels, style: style, options: options)
        }
        out += "\n" + summary(result, labels: labels, style: style, options: options)
        if !options.summaryOnly {
            for part in renderedBundles { out += "\n" + part }
        }
        let errors = result.allErrors
        if !errors.isEmpty {
            out += "\n" + style.red(style.bold("errors")) + " (the report above covers every input that could be read):\n"
            for e in errors {
                out += wrapText(TerminalText.escaped(e.source) + ": " + TerminalText.escaped(e.message), indent: "  ", hanging: "    ",
                                width: options.width, breakLongWords: true)
            }
        }
        return out
    }

    /// The first lines: what was read, what was found, and what the reader must know to trust
    /// the times (the zone notes and an active --since/--until window).
    static func header(_ result: ScanResult, style: TextStyle, options: TextOptions) -> String {
        let macs = result.bundles.count
        let inputs = result.bundles.flatMap(\.inputs)
        let read = inputs.filter { $0.skipped == nil }
        let causes = result.findings.count
        let undiagnosable = result.bundles.filter { $0.notDiagnosable != nil }.count
        // The answer first, then what it rests on.
        var line = style.bold("logscan") + ": "
        let unrecognizedLines = result.bundles.reduce(0) { $0 + $1.unrecognizedLines }
        if causes > 0 {
            line += style.red("\(plural(causes, "cause")) found")
        } else if unrecognizedLines > 0 {
            let kinds = result.bundles.reduce(0) { $0 + $1.unrecognized.count }
            line += style.yellow("no known cause found, but \(plural(unrecognizedLines, "error line")) that no rule explains"
                                 + " (\(plural(kinds, "kind"))): see \"Unrecognized errors\"")
        } else {
            line += undiagnosable > 0 ? "no cause found" : style.green("no cause found")
        }
        if undiagnosable > 0 { line += ", " + style.red("\(undiagnosable) not diagnosable") }
        line += "; \(plural(macs, "Mac")), \(plural(read.count, "input")) read"
        if !read.isEmpty { line += " (" + formatCounts(read) + ")" }
        if read.count < inputs.count { line += ", \(inputs.count - read.count) skipped" }
        let errors = result.allErrors.count
        if errors > 0 { line += ", " + style.red(plural(errors, "error")) + " (listed at the end)" }
        var out = wrapText(line, indent: "", hanging: "  ", width: options.width, styled: true)
        if result.redacted {
            out += wrapText(style.dim("redacted: user, host and device names, addresses, IDs and secrets are pseudonyms (--redact)"),
                            indent: "", hanging: "  ", width: options.width, styled: true)
        }
        if options.since != nil || options.until != nil {
            var window = "window: only evidence"
            if let since = options.since { window += " from \(since.rfc3339)" }
            if let until = options.until { window += " until \(until.rfc3339)" }
            out += wrapText(window + " counts (--since/--until)", indent: "", hanging: "  ", width: options.width)
        }
        // Zone notes once at the top, with how many Macs they concern when not all.
        var order: [String] = []
        var macsPerNote: [String: Int] = [:]
        for b in result.bundles {
            var seen: Set<String> = []
            for note in b.timeNotes where seen.insert(note).inserted {
                if macsPerNote[note] == nil { order.append(note) }
                macsPerNote[note, default: 0] += 1
            }
        }
        // In a fleet a note of one Mac only is in that Mac's section (it would bury the roll-up).
        var own = 0
        for note in order {
            let n = macsPerNote[note]!
            if macs > 1 && n == 1 { own += 1; continue }
            let share = macs > 1 && n < macs ? " (\(n) of \(macs) Macs)" : ""
            out += wrapText("note: " + TerminalText.escaped(note) + share, indent: "", hanging: "  ", width: options.width)
        }
        if own > 0 {
            out += wrapText(style.dim("note: \(plural(own, "more note")) on how times were read, each of one Mac, \(own == 1 ? "is" : "are") in \(own == 1 ? "that Mac's section" : "those Macs' sections")"),
                            indent: "", hanging: "  ", width: options.width, styled: true)
        }
        return out
    }

    /// "jamf 2, company-portal 1": inputs per format, most first.
    static func formatCounts(_ inputs: [InputReport]) -> String {
        var counts: [String: Int] = [:]
        for i in inputs { counts[i.error == nil ? i.format : "unreadable", default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// Per Mac: each cause with its id, severity and the first step of its fix (a consequence
    /// under its root cause); or that none was found; or that the Mac could not be diagnosed.
    static func summary(_ result: ScanResult, labels: [String], style: TextStyle, options: TextOptions) -> String {
        var out = style.bold("Summary") + "\n"
        let fleet = result.bundles.count > 1
        for (k, b) in result.bundles.enumerated() {
            var title = style.bold(TerminalText.escaped(labels[k]))
            if let device = b.device { title += "  (Mac: \(TerminalText.escaped(device)))" }
            if let reason = b.notDiagnosable {
                out += wrapText(title + ": " + style.red("not diagnosable") + " — " + TerminalText.escaped(reason),
                                indent: "  ", hanging: "      ", width: options.width, styled: true)
                continue
            }
            if b.findings.isEmpty {
                var verdict = title + ": " + style.green("no known cause")
                if b.unrecognizedLines > 0 {
                    verdict += ", " + style.yellow("but \(plural(b.unrecognizedLines, "error line")) that no rule explains")
                }
                out += wrapText(verdict, indent: "  ", hanging: "      ", width: options.width, styled: true)
                continue
            }
            out += "  " + title + "\n"
            for (f, depth) in rootsFirst(b.findingsBySeverity) {
                let pad = String(repeating: "  ", count: depth)
                let arrow = depth > 0 ? style.dim("↳ ") : ""
                out += wrapText(arrow + style.severity(f.severity) + " " + style.bold(f.cause) + " — " + TerminalText.escaped(f.title),
                                indent: "    " + pad, hanging: "         " + pad, width: options.width, styled: true)
                // In a fleet the roll-up gives each cause's first step once.
                if !fleet, let step = f.fix.first {
                    out += wrapText("fix: " + TerminalText.escaped(step), indent: "         " + pad, hanging: "              " + pad, width: options.width)
                }
            }
        }
        return out
    }

    /// One Mac's section, with its notes on how times were read (a fleet's sections have them;
    /// a report of one Mac says them at the top).
    public static func renderBundle(_ b: BundleReport, style: TextStyle, options: TextOptions = TextOptions()) -> String {
        let parts = renderBundleParts(b, style: style, options: options)
        return parts.head + parts.notes + parts.body
    }

    /// One Mac's section in three parts: the head (name, inputs, errors), its time notes, and the rest.
    public static func renderBundleParts(_ b: BundleReport, style: TextStyle, options: TextOptions = TextOptions())
        -> (head: String, notes: String, body: String) {
        let width = options.width
        var out = style.bold("== \(TerminalText.escaped(b.name))")
        if let device = b.device { out += style.bold("  (Mac: \(TerminalText.escaped(device)))") }
        out += "\n"
        if options.verbose {
            for i in b.inputs {
                var line: String
                if let reason = i.skipped {
                    line = "skipped \(shortSource(i.source, bundle: b.name)): \(TerminalText.escaped(reason))"
                    if i.bytes > 0 { line += " (\(plural(Int(i.bytes), "byte")))" }
                } else {
                    line = "read \(shortSource(i.source, bundle: b.name)): \(i.format), \(plural(i.lines, "line")), \(plural(Int(i.bytes), "byte"))"
                }
                if i.truncatedLines > 0 { line += ", \(plural(i.truncatedLines, "over-long line")) cut" }
                if i.nulBytesSkipped > 0 { line += ", \(plural(Int(i.nulBytesSkipped), "NUL byte")) skipped" }
                out += wrapText(style.dim(line), indent: "   ", hanging: "     ", width: width, styled: true)
                if let e = i.error { out += wrapText(style.red("error: ") + TerminalText.escaped(e), indent: "     ", hanging: "       ", width: width, styled: true) }
            }
        } else {
            let read = b.inputs.filter { $0.skipped == nil }
            let lines = read.reduce(0) { $0 + $1.lines }
            var line = "\(plural(read.count, "input")) read"
            if !read.isEmpty { line += ": \(formatCounts(read)); \(plural(lines, "line"))" }
            let skipped = b.inputs.count - read.count
            if skipped > 0 { line += "; \(skipped) skipped (binary, or read under another name)" }
            let cut = b.inputs.reduce(0) { $0 + $1.truncatedLines }
            if cut > 0 { line += ", \(plural(cut, "over-long line")) cut" }
            let nul = b.inputs.reduce(Int64(0)) { $0 + $1.nulBytesSkipped }
            if nul > 0 { line += ", \(plural(Int(nul), "NUL byte")) skipped" }
            out += wrapText(style.dim(line + " (-v lists them)"), indent: "   ", hanging: "     ", width: width, styled: true)
            for i in b.inputs {
                if let e = i.error {
                    out += wrapText(style.red("error: ") + shortSource(i.source, bundle: b.name) + ": " + TerminalText.escaped(e),
                                    indent: "   ", hanging: "     ", width: width, styled: true)
                }
            }
        }
        // Errors of the bundle other than input ones (those are above) and its not-diagnosable
        // reason (below).
        let inputErrors = Set(b.inputs.compactMap { i in i.error.map { ReportError(source: i.source, message: $0) } })
        for e in b.errors where !inputErrors.contains(e) && !(b.notDiagnosable.map { e.message.hasSuffix($0) } ?? false) {
            out += wrapText(style.red("error: ") + TerminalText.escaped("\(e.source): \(e.message)"), indent: "   ", hanging: "     ",
                            width: width, styled: true)
        }
        let head = out
        var notes = ""
        for note in b.timeNotes {
            notes += wrapText(style.dim("note: " + TerminalText.escaped(note)), indent: "   ", hanging: "     ", width: width, styled: true)
        }
        out = ""
        if let reason = b.notDiagnosable {
            out += "\n" + wrapText(style.red(style.bold("NOT DIAGNOSABLE")) + " — " + TerminalText.escaped(reason),
                                   indent: "   ", hanging: "     ", width: width, styled: true)
        } else if b.findings.isEmpty {
            out += "\n" + wrapText(style.green("No known cause of Jamf Pro / Intune integration failure in these logs."),
                                   indent: "   ", hanging: "     ", width: width, styled: true)
            if b.unrecognizedLines > 0 {
                out += wrapText(style.yellow("But \(plural(b.unrecognizedLines, "error line")) below \(b.unrecognizedLines == 1 ? "is" : "are") not recognised: logscan cannot tell whether \(b.unrecognizedLines == 1 ? "it matters" : "they matter")."),
                                indent: "   ", hanging: "     ", width: width, styled: true)
            }
        }
        for (f, depth) in rootsFirst(b.findingsBySeverity) {
            out += "\n" + renderFinding(f, bundle: b.name, style: style, width: width, depth: depth)
        }
        if b.unrecognizedLines > 0 {
            out += "\n" + renderUnrecognized(b, style: style, all: options.allUnrecognized, width: width)
        }
        if options.timeline && !b.timeline.isEmpty {
            out += "\n   " + style.bold("Timeline (UTC)") + style.dim("  ✗ = evidence of a cause") + "\n"
            out += renderTimeline(b.timeline, bundle: b.name, style: style, limit: options.timelineLimit, width: width)
        }
        return (head, notes, out)
    }

    /// The "Unrecognized errors" section of a bundle: the most frequent kinds (all with `all`).
    public static func renderUnrecognized(_ b: BundleReport, style: TextStyle, all: Bool, width: Int = 80) -> String {
        let kinds = b.unrecognized
        var out = wrapText(style.bold("Unrecognized errors: \(plural(kinds.count, "kind"))")
                           + style.dim(" (\(plural(b.unrecognizedLines, "error-level line")) that no rule explains, grouped by template)"),
                           indent: "   ", hanging: "     ", width: width, styled: true)
        let shown = all ? kinds.count : min(kinds.count, unrecognizedShown)
        let room = max(40, width - 8)
        for k in kinds.prefix(shown) {
            var when = k.firstSeen?.rfc3339 ?? "(no time)"
            if let last = k.lastSeen, last != k.firstSeen { when += " → " + last.rfc3339 }
            let head = "      " + style.yellow("×\(k.count)") + " " + TerminalText.escaped(k.level) + "  " + style.dim(when)
            out += visibleCount(Substring(head)) <= width ? head + "\n"
                : wrapText(head.trimmingCharacters(in: .whitespaces), indent: "      ", hanging: "        ", width: width, styled: true)
            out += wrapText(clipMiddle(TerminalText.escaped(k.template.text), 2 * room - 4), indent: "        ", hanging: "        ",
                            width: width, breakLongWords: true)
            let location = "\(shortSource(k.exampleSource, bundle: b.name)):\(k.exampleLine)"
            out += "        " + style.dim("e.g. ") + style.cyan(location) + "\n"
            out += wrapText(clipMiddle(messagePart(k.exampleText), 2 * room - 4), indent: "          ", hanging: "          ",
                            width: width, breakLongWords: true)
        }
        if shown < kinds.count {
            out += wrapText(style.dim("… \(plural(kinds.count - shown, "more kind")) (--all-unrecognized shows every kind)"),
                            indent: "      ", hanging: "        ", width: width, styled: true)
        }
        if b.unrecognizedOverflow > 0 {
            out += wrapText(style.dim("… and \(plural(b.unrecognizedOverflow, "line")) of further kinds past the limit of \(UnrecognizedCollector.defaultCapacity) kinds"),
                            indent: "      ", hanging: "        ", width: width, styled: true)
        }
        return out
    }

    /// Findings in the given order with each consequence right under its root cause (one level
    /// deeper per step); a consequence whose root is not in the list stays where it is.
    static func rootsFirst(_ findings: [Finding]) -> [(Finding, Int)] {
        let present = Set(findings.map(\.cause))
        var children: [String: [Finding]] = [:]
        for f in findings { if let root = f.consequenceOf, present.contains(root) { children[root, default: []].append(f) } }
        var out: [(Finding, Int)] = []
        var placed = Set<String>()
        func place(_ f: Finding, _ depth: Int) {
            guard placed.insert(f.cause).inserted else { return }
            out.append((f, depth))
            for c in children[f.cause] ?? [] { place(c, depth + 1) }
        }
        for f in findings where f.consequenceOf.map({ !present.contains($0) }) ?? true { place(f, 0) }
        for f in findings { place(f, 0) }  // anything left (a cycle loaded anyway)
        return out
    }

    /// One cause: severity, id and title, when, evidence (cut in the middle to fit), the fix.
    /// `depth` indents a consequence under its root cause.
    public static func renderFinding(_ f: Finding, bundle: String, style: TextStyle, width: Int = 80, depth: Int = 0) -> String {
        let pad = String(repeating: "    ", count: depth)
        let width = max(40, width - pad.count)
        var out = ""
        if let root = f.consequenceOf {
            out += wrapText(style.dim("↳ a consequence of \(root): fixing that should clear this too"),
                            indent: "   ", hanging: "     ", width: width, styled: true)
        }
        out += wrapText(style.severity(f.severity) + "  " + style.bold(f.cause) + " — " + TerminalText.escaped(f.title),
                        indent: "   ", hanging: "      ", width: width, styled: true)
        var when = ""
        if let a = f.firstSeen { when = a.rfc3339 }
        if let b = f.lastSeen, b != f.firstSeen { when += " → " + b.rfc3339 }
        out += wrapText(style.dim("\(plural(f.count, "evidence line"))\(when.isEmpty ? "" : ", " + when); \(TerminalText.escaped(f.reason))"),
                        indent: "      ", hanging: "        ", width: width, styled: true)
        for e in f.evidence.prefix(evidenceShown) {
            let location = "\(shortSource(e.source, bundle: bundle)):\(e.line)", time = e.time?.rfc3339 ?? "(no time)"
            // Time beside the location when both fit, else under it.
            out += "      " + style.cyan(location) + (6 + location.count + 2 + time.count <= width ? "  " : "\n        ") + time + "\n"
            // The whole message where it fits in three lines; else its start and its end (where
            // the IDs are), cut in the middle.
            let room = max(40, width - 8)
            let message = clipMiddle(messagePart(e.text), 3 * room - 6)
            out += wrapText(message, indent: "        ", hanging: "        ", width: width, breakLongWords: true)
            out += notesLines(e, indent: "        ", style: style, ids: true, width: width)
        }
        if f.evidence.count > evidenceShown { out += style.dim("      … and \(f.evidence.count - evidenceShown) more") + "\n" }
        out += "      " + style.bold("Fix:") + "\n"
        for (n, step) in f.fix.enumerated() {
            out += wrapText("\(n + 1). \(TerminalText.escaped(step))", indent: "        ", hanging: "           ", width: width)
        }
        out += wrapText(style.dim("(logscan explain \(f.cause))"), indent: "      ", hanging: "        ", width: width, styled: true)
        guard depth > 0 else { return out }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }

    /// Timeline lines. Context (healthy markers) between pieces of evidence folds into one line
    /// per rule with a count and a time range, keeping the few lines just before the evidence.
    /// At most `limit` lines (0: all), half from the start and half from the end.
    public static func renderTimeline(_ events: Timeline, bundle: String, style: TextStyle, limit: Int = 60, width: Int = 80) -> String {
        let rows = TimelineDigest(events).rows.map { row -> String in
            switch row {
            case .entry(let k):
                return timelineRow(events[k], bundle: bundle, style: style, width: width)
            case .fold(let g):
                let sources = Set(g.files.map { shortSource(events.files[$0].source, bundle: bundle) }).sorted().joined(separator: ", ")
                let first = events.time(at: g.first)?.rfc3339 ?? "(no time)", last = events.time(at: g.last)?.rfc3339 ?? "(no time)"
                return wrapText(style.dim("\(first) … \(last)  ×\(g.count) \(g.rule)  (\(sources))"),
                                indent: "       ", hanging: "         ", width: width, styled: true).dropLast(1) + ""
            }
        }
        var out = ""
        if limit > 0 && rows.count > limit {
            let head = limit / 2
            out += rows.prefix(head).joined(separator: "\n") + (head > 0 ? "\n" : "")
            out += style.dim("       … \(plural(rows.count - limit, "more timeline line")) (--timeline-limit, or --format json for all) …") + "\n"
            if limit - head > 0 { out += rows.suffix(limit - head).joined(separator: "\n") + "\n" }
        } else if !rows.isEmpty {
            out += rows.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// One timeline line; the message is cut in the middle to fit `width` (IDs are often at the
    /// end); under it, what the codes it carries mean.
    public static func timelineRow(_ e: Event, bundle: String, style: TextStyle, width: Int = 80) -> String {
        let mark = e.cause != nil ? style.red("✗") : " "
        let time = e.time?.rfc3339 ?? "(no time)"
        let location = "\(shortSource(e.source, bundle: bundle)):\(e.line)"
        let tag = e.cause ?? e.rule
        let styledTag = e.cause != nil ? style.red(tag) : style.dim(tag)
        let used = 5 + 1 + 1 + time.count + 2 + location.count + 2 + tag.count + 2
        let text = messagePart(e.text)
        let row: String
        // One line when a useful part of the message fits beside the rest; else the time and
        // where on one line, the rule and the message under them.
        if width - used >= 40 || used + text.count <= width {
            row = "     \(mark) \(time)  \(style.cyan(location))  \(styledTag)  " + clipMiddle(text, max(40, width - used))
        } else {
            let whereRoom = max(20, width - (7 + time.count + 2))
            let second = 9 + tag.count + 2
            row = "     \(mark) \(time)  \(style.cyan(clipMiddle(location, whereRoom)))\n         \(styledTag)  " + clipMiddle(text, max(30, width - second))
        }
        let notes = notesLines(e, indent: "          ", style: style, ids: false, width: width)
        return notes.isEmpty ? row : row + "\n" + String(notes.dropLast())
    }

    /// The lines under an evidence or timeline line: the catalog explanation of each code it
    /// carries and (`ids`) its named captures, which a line cut for width may hide.
    static func notesLines(_ e: Event, indent: String, style: TextStyle, ids: Bool, width: Int) -> String {
        guard let notes = EvidenceNotes.shared?.notes(rule: e.rule, text: e.text, captures: e.captures) else { return "" }
        var out = ""
        for code in notes.codes {
            let head = (code.kind == .aadsts ? "" : code.catalog + " ") + code.display + (code.name.map { " " + $0 } ?? "")
            var line = "↳ " + style.bold(TerminalText.escaped(head)) + ": " + code.meaning
            if let cause = code.cause { line += style.dim("  (evidence for \(cause))") }
            out += wrapText(line, indent: indent, hanging: indent + "  ", width: width, styled: true)
            if code.cause == nil, let next = code.next {
                out += wrapText(style.dim("next: " + next), indent: indent + "  ", hanging: indent + "  ", width: width, styled: true)
            }
        }
        if ids {
            let catalogs = Set(notes.codes.map(\.catalog))
            let shown = notes.captures.filter { !catalogs.contains($0.key) }.sorted { $0.key < $1.key }
            if !shown.isEmpty {
                out += wrapText(style.dim(shown.map { "\($0.key)=\(clipMiddle(TerminalText.escaped($0.value), 80))" }.joined(separator: "  ")),
                                indent: indent, hanging: indent, width: width, styled: true)
            }
        }
        return out
    }

    /// The fleet view, before the Macs: each cause with its severity, the first step of its fix,
    /// and the Macs that have it; most severe first, then most Macs.
    static func rollUp(_ result: ScanResult, labels: [String], style: TextStyle, options: TextOptions) -> String {
        var byCause: [String: [String]] = [:]
        var info: [String: Finding] = [:]
        for (k, b) in result.bundles.enumerated() {
            for f in b.findings {
                byCause[f.cause, default: []].append(TerminalText.escaped(labels[k]))
                if info[f.cause] == nil { info[f.cause] = f }
            }
        }
        let withCause = result.bundles.filter { !$0.findings.isEmpty }.count
        var out = style.bold("Fleet: \(plural(result.bundles.count, "Mac")), \(withCause) with a cause") + "\n"
        if byCause.isEmpty { out += "  " + style.green("no cause on any Mac") + "\n" }
        let ordered = byCause.keys.sorted { a, b in
            let sa = info[a]!.severity, sb = info[b]!.severity
            if sa != sb { return sa > sb }
            if byCause[a]!.count != byCause[b]!.count { return byCause[a]!.count > byCause[b]!.count }
            return a < b
        }
        for cause in ordered {
            let macs = byCause[cause]!
            let f = info[cause]!
            out += wrapText(style.severity(f.severity) + " " + style.bold(cause) + " \(plural(macs.count, "Mac")) — \(TerminalText.escaped(f.title))",
                            indent: "  ", hanging: "      ", width: options.width, styled: true)
            if let step = f.fix.first {
                out += wrapText("fix: " + TerminalText.escaped(step), indent: "      ", hanging: "           ", width: options.width)
            }
            let list = macs.prefix(12).joined(separator: ", ") + (macs.count > 12 ? ", … (\(macs.count - 12) more)" : "")
            out += wrapText("on: " + list, indent: "      ", hanging: "          ", width: options.width)
        }
        let undiagnosable = result.bundles.filter { $0.notDiagnosable != nil }.count
        let clean = result.bundles.filter { $0.findings.isEmpty }.count - undiagnosable
        var tail = "  \(plural(clean, "Mac")) with no known cause"
        if undiagnosable > 0 { tail += ", \(undiagnosable) not diagnosable" }
        out += style.dim(tail) + "\n"
        return out
    }

    /// Short names that tell the bundles apart: the last path component, with as many parent
    /// components as it takes to make each one unique (never two "logs").
    static func distinctLabels(_ names: [String]) -> [String] {
        let parts = names.map { name -> [Substring] in
            let p = name.split(separator: "/", omittingEmptySubsequences: true)
            return p.isEmpty ? [Substring(name)] : p
        }
        var depth = Array(repeating: 1, count: names.count)
        func label(_ k: Int) -> String { parts[k].suffix(depth[k]).joined(separator: "/") }
        while true {
            var groups: [String: [Int]] = [:]
            for k in names.indices { groups[label(k), default: []].append(k) }
            var grew = false
            for (_, members) in groups where members.count > 1 {
                for k in members where depth[k] < parts[k].count { depth[k] += 1; grew = true }
            }
            if !grew { break }
        }
        if names.count == 1 { return names }
        return names.indices.map { k in depth[k] >= parts[k].count ? names[k] : label(k) }
    }

    static func shortSource(_ source: String, bundle: String) -> String {
        var s = source
        if s.hasPrefix(bundle + "!") { s.removeFirst(bundle.count + 1) }
        else if s.hasPrefix(bundle + "/") && bundle != "-" { s.removeFirst(bundle.count + 1) }
        if s.isEmpty { s = source }
        // Keep the file name and its innermost folder: enough to tell logs apart.
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 { return TerminalText.escaped("…/" + parts.suffix(2).joined(separator: "/")) }
        return TerminalText.escaped(s)
    }

    /// The message part of a log line, past the prefixes of the known formats where visible.
    static func messagePart(_ text: String) -> String {
        var message = formatPrefixStripped(text)
        // MSAL's own prefix: "TID=… MSAL 1.2 Mac 15 [utc time - correlation id] [MSAL] message".
        if message.hasPrefix("TID="), let r = message.range(of: "] ") { message = String(message[r.upperBound...]) }
        if message.hasPrefix("[MSAL] ") { message.removeFirst(7) }
        return TerminalText.escaped(message)
    }

    static func formatPrefixStripped(_ text: String) -> String {
        // `log show --style ndjson/json`: the event's message, not the JSON around it.
        if let message = eventMessage(text) { return message }
        let head = text.prefix(400)
        // Pipe shapes (Company Portal, Intune agent, SSO extension): after the last " | ".
        if let r = head.range(of: " | ", options: .backwards) { return String(text[r.upperBound...]) }
        // Jamf server: "[Logger] - message".
        if let r = head.range(of: "] - ") { return String(text[r.upperBound...]) }
        // Plain scans below, not Foundation regular expressions, which compile anew on each call.
        let bytes = Array(head.utf8)
        // log show styles: "[subsystem:category] message".
        if let end = subsystemCategoryEnd(bytes) { return String(decoding: Array(text.utf8)[end...], as: UTF8.self) }
        // jamf.log and syslog: "process[pid]: message".
        if let r = head.range(of: "]: ") { return String(text[r.upperBound...]) }
        // Legacy Company Portal: "File.swift: 253 (function()) message".
        if let end = swiftSourceEnd(bytes) { return String(decoding: Array(text.utf8)[end...], as: UTF8.self) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The decoded `eventMessage` of a line of a `log show --style ndjson` (or pretty `json`)
    /// export, if the line is one.
    static func eventMessage(_ text: String) -> String? {
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "[" || $0 == "," }
        guard trimmed.first == "{" || trimmed.hasPrefix("\"eventMessage\""), text.contains("\"eventMessage\"") else { return nil }
        return Array(text.utf8).withUnsafeBytes { MessagePart.of(shape: .unifiedNDJSON, line: $0) }
    }

    /// Where the first `[subsystem:category] ` ends: `[`, one or more of `A-Za-z0-9_.-`, `:`,
    /// one or more of those or a space, then `] `.
    static func subsystemCategoryEnd(_ b: [UInt8]) -> Int? {
        func word(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E || c == 0x2D
        }
        var open = 0
        while open < b.count {
            if b[open] == 0x5B {
                var i = open + 1
                while i < b.count && word(b[i]) { i += 1 }
                if i > open + 1, i < b.count, b[i] == 0x3A {
                    let categoryStart = i + 1
                    i = categoryStart
                    while i < b.count && (word(b[i]) || b[i] == 0x20) { i += 1 }
                    if i > categoryStart, i + 1 < b.count, b[i] == 0x5D, b[i + 1] == 0x20 { return i + 2 }
                    // A category may end in spaces and still be followed by "] ": backtracking
                    // over them cannot help, as "]" is not one of them.
                }
            }
            open += 1
        }
        return nil
    }

    /// Where the first `.swift: 253 (function()) ` ends: `.swift:`, spaces, digits, ` (`, then
    /// up to the first `) `.
    static func swiftSourceEnd(_ b: [UInt8]) -> Int? {
        let marker = Array(".swift:".utf8)
        var at = 0
        while at + marker.count <= b.count {
            if b[at..<(at + marker.count)].elementsEqual(marker) {
                var i = at + marker.count
                while i < b.count && b[i] == 0x20 { i += 1 }
                let digits = i
                while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
                if i > digits, i + 1 < b.count, b[i] == 0x20, b[i + 1] == 0x28 {
                    var j = i + 2
                    while j + 1 < b.count {
                        if b[j] == 0x29 && b[j + 1] == 0x20 { return j + 2 }
                        j += 1
                    }
                }
            }
            at += 1
        }
        return nil
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// `s` cut to `n` characters at its end (the HTML report's short labels).
    static func clip(_ s: String, _ n: Int) -> String {
        let clean = s.replacingOccurrences(of: "\t", with: " ")
        return clean.count > n ? String(clean.prefix(n - 1)) + "…" : clean
    }

    /// `s` cut to `n` characters by leaving out its middle: the start says what the line is,
    /// the end often holds the IDs.
    static func clipMiddle(_ s: String, _ n: Int) -> String {
        let clean = s.replacingOccurrences(of: "\t", with: " ")
        guard clean.count > n, n >= 3 else { return clean }
        let tail = (n - 1) / 2, head = n - 1 - tail
        // Cut between words where one ends near the cut, so no word is shown in part.
        var start = clean.prefix(head)
        if let space = start.lastIndex(of: " "), start.distance(from: space, to: start.endIndex) <= 16 {
            start = start[..<start.index(after: space)]
        }
        var end = clean.suffix(tail)
        if let space = end.firstIndex(of: " "), end.distance(from: end.startIndex, to: space) <= 16 {
            end = end[space...]
        }
        return String(start) + "…" + String(end)
    }

    /// Visible width of `s` (ANSI colour sequences take none).
    static func visibleCount(_ s: Substring) -> Int {
        var n = 0, inEscape = false
        for c in s.unicodeScalars {
            if inEscape { if c == "m" { inEscape = false }; continue }
            if c == "\u{1B}" { inEscape = true; continue }
            n += 1
        }
        return n
    }

    /// Words of `text` on lines of at most `width` columns; `styled` when `text` holds colour.
    /// `breakLongWords`: a word longer than a line (a URL, a run without spaces) is cut across
    /// lines rather than left to overflow.
    static func wrapText(_ text: String, indent: String, hanging: String, width: Int, styled: Bool = false,
                         breakLongWords: Bool = false) -> String {
        var out = ""
        var line = indent
        var lineWidth = indent.count
        var first = true
        var words = text.split(separator: " ", omittingEmptySubsequences: true)
        if breakLongWords && !styled {
            let room = max(20, width - hanging.count)
            words = words.flatMap { word -> [Substring] in
                guard word.count > room else { return [word] }
                var pieces: [Substring] = []
                var rest = word[...]
                while rest.count > room { pieces.append(rest.prefix(room)); rest = rest.dropFirst(room) }
                return pieces + [rest]
            }
        }
        for word in words {
            let w = styled ? visibleCount(word) : word.count
            if lineWidth + w + 1 > width && lineWidth > (first ? indent.count : hanging.count) {
                out += line + "\n"
                line = hanging
                lineWidth = hanging.count
                first = false
            }
            let space = line.hasSuffix(" ") || line.isEmpty ? "" : " "
            line += space + word
            lineWidth += space.count + w
        }
        return out + line + "\n"
    }
}
