import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// Terminal styling: ANSI colour only when asked for (a TTY without `NO_COLOR`).
public struct TextStyle: Sendable {
    public var color: Bool
    public init(color: Bool) { self.color = color }

    /// Colour when `stream` is a terminal and `NO_COLOR` is not set (https://no-color.org).
    public static func detect(fileDescriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> TextStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(color: !noColor && isatty(fileDescriptor) == 1 && environment["TERM"] != "dumb")
    }

    func wrap(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
    public func red(_ s: String) -> String { wrap(s, "31") }
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    public func green(_ s: String) -> String { wrap(s, "32") }
    public func cyan(_ s: String) -> String { wrap(s, "36") }

    func severity(_ s: Severity) -> String {
        let label = s.rawValue.uppercased()
        switch s {
        case .critical, .high: return red(bold(label))
        case .medium: return yellow(bold(label))
        default: return cyan(label)
        }
    }
}

/// `--format text`: a report an admin reads top to bottom.
public enum TextReport {
    /// Evidence lines shown per cause before "… and N more".
    static let evidenceShown = 6
    /// Timeline lines shown per bundle; runs of one healthy marker are folded first.
    static let timelineShown = 60

    /// Unrecognized error kinds shown per bundle unless all are asked for.
    static let unrecognizedShown = 10

    public static func render(_ result: ScanResult, style: TextStyle, allUnrecognized: Bool = false) -> String {
        render(result, renderedBundles: result.bundles.map { renderBundle($0, style: style, allUnrecognized: allUnrecognized) },
               style: style)
    }

    /// The report, with each bundle's part already rendered (so a fleet's timelines need not be
    /// kept until the end).
    public static func render(_ result: ScanResult, renderedBundles: [String], style: TextStyle) -> String {
        var out = ""
        let macs = result.bundles.count
        let inputs = result.bundles.reduce(0) { $0 + $1.inputs.filter { $0.skipped == nil }.count }
        let causes = result.findings.count
        let undiagnosable = result.bundles.filter { $0.notDiagnosable != nil }.count
        out += style.bold("logscan") + ": \(plural(macs, "bundle")) (one Mac each), \(plural(inputs, "input")) read, "
        let unrecognizedLines = result.bundles.reduce(0) { $0 + $1.unrecognizedLines }
        if causes == 0 && unrecognizedLines > 0 {
            let kinds = result.bundles.reduce(0) { $0 + $1.unrecognized.count }
            out += style.yellow("no known cause found, but \(plural(unrecognizedLines, "error line")) that no rule explains"
                                + " (\(plural(kinds, "kind"))): see \"Unrecognized errors\" below")
        } else {
            out += causes == 0 ? (undiagnosable == 0 ? style.green("no cause found") : "no cause found")
                : style.red("\(plural(causes, "cause")) found")
        }
        if undiagnosable > 0 { out += ", " + style.red("\(undiagnosable) not diagnosable") }
        out += "\n"
        for part in renderedBundles {
            out += "\n" + part
        }
        if macs > 1 { out += "\n" + rollUp(result, style: style) }
        let errors = result.allErrors
        if !errors.isEmpty {
            out += "\n" + style.red(style.bold("errors")) + " (the report above covers every input that could be read):\n"
            for e in errors { out += "  \(TerminalText.escaped(e.source)): \(TerminalText.escaped(e.message))\n" }
        }
        return out
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    public static func renderBundle(_ b: BundleReport, style: TextStyle, allUnrecognized: Bool = false) -> String {
        var out = style.bold("== \(TerminalText.escaped(b.name))")
        if let device = b.device { out += style.bold("  (Mac: \(TerminalText.escaped(device)))") }
        out += "\n"
        for i in b.inputs {
            var line: String
            if let reason = i.skipped {
                line = "   skipped \(shortSource(i.source, bundle: b.name)): \(TerminalText.escaped(reason))"
                if i.bytes > 0 { line += " (\(i.bytes) bytes)" }
            } else {
                line = "   read \(shortSource(i.source, bundle: b.name)): \(i.format), \(i.lines) lines, \(i.bytes) bytes"
            }
            if i.truncatedLines > 0 { line += ", \(i.truncatedLines) over-long lines cut" }
            if i.nulBytesSkipped > 0 { line += ", \(i.nulBytesSkipped) NUL bytes skipped" }
            if let e = i.error { line += style.red("  error: \(TerminalText.escaped(e))") }
            out += style.dim(line) + "\n"
        }
        if let reason = b.notDiagnosable {
            out += "\n   " + style.red(style.bold("NOT DIAGNOSABLE")) + " — " + TerminalText.escaped(reason) + "\n"
        } else if b.findings.isEmpty {
            out += "\n   " + style.green("No known cause of Jamf Pro / Intune integration failure in these logs.") + "\n"
            if b.unrecognizedLines > 0 {
                out += "   " + style.yellow("But \(plural(b.unrecognizedLines, "error line")) below are not recognised: logscan cannot tell whether they matter.") + "\n"
            }
        }
        for (f, depth) in rootsFirst(b.findings) {
            out += "\n" + renderFinding(f, bundle: b.name, style: style, depth: depth)
        }
        if b.unrecognizedLines > 0 {
            out += "\n" + renderUnrecognized(b, style: style, all: allUnrecognized)
        }
        if !b.timeline.isEmpty {
            out += "\n   " + style.bold("Timeline (UTC)") + style.dim("  ✗ = evidence of a cause") + "\n"
            out += renderTimeline(b.timeline, bundle: b.name, style: style)
        }
        for note in b.timeNotes { out += style.dim("   note: " + TerminalText.escaped(note)) + "\n" }
        return out
    }

    /// The "Unrecognized errors" section of a bundle: the most frequent kinds (all with `all`).
    public static func renderUnrecognized(_ b: BundleReport, style: TextStyle, all: Bool) -> String {
        let kinds = b.unrecognized
        var out = "   " + style.bold("Unrecognized errors: \(plural(kinds.count, "kind"))")
            + style.dim("  (\(plural(b.unrecognizedLines, "error-level line")) that no rule explains, grouped by template)") + "\n"
        let shown = all ? kinds.count : min(kinds.count, unrecognizedShown)
        for k in kinds.prefix(shown) {
            var when = k.firstSeen?.rfc3339 ?? "(no time)"
            if let last = k.lastSeen, last != k.firstSeen { when += " → " + last.rfc3339 }
            out += "      " + style.yellow("×\(k.count)") + " " + k.level + "  " + style.dim(when) + "\n"
            out += "        " + clip(TerminalText.escaped(k.template.text), 150) + "\n"
            out += "        " + style.dim("e.g. ") + style.cyan("\(TerminalText.escaped(shortSource(k.exampleSource, bundle: b.name))):\(k.exampleLine)")
                + "  " + clip(TerminalText.escaped(messagePart(k.exampleText)), 120) + "\n"
        }
        if shown < kinds.count {
            out += style.dim("      … \(plural(kinds.count - shown, "more kind")) (--all-unrecognized shows every kind)") + "\n"
        }
        if b.unrecognizedOverflow > 0 {
            out += style.dim("      … and \(plural(b.unrecognizedOverflow, "line")) of further kinds past the limit of \(UnrecognizedCollector.defaultCapacity) kinds") + "\n"
        }
        return out
    }

    /// Findings in report order with each consequence right under its root cause (indented one
    /// step per level); a consequence whose root is not in the list stays where it is.
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

    public static func renderFinding(_ f: Finding, bundle: String, style: TextStyle, depth: Int = 0) -> String {
        let pad = String(repeating: "    ", count: depth)
        var out = ""
        if let root = f.consequenceOf {
            out += style.dim("   ↳ a consequence of \(root): fixing that should clear this too") + "\n"
        }
        out += "   " + style.severity(f.severity) + "  " + style.bold(f.cause) + " — " + TerminalText.escaped(f.title) + "\n"
        var when = ""
        if let a = f.firstSeen { when = a.rfc3339 }
        if let b = f.lastSeen, b != f.firstSeen { when += " → " + b.rfc3339 }
        out += style.dim("      \(plural(f.count, "evidence line"))\(when.isEmpty ? "" : ", " + when); \(TerminalText.escaped(f.reason))") + "\n"
        for e in f.evidence.prefix(evidenceShown) {
            out += "      " + style.cyan("\(shortSource(e.source, bundle: bundle)):\(e.line)") + "  " + (e.time?.rfc3339 ?? "(no time)") + "\n"
            out += "        " + clip(messagePart(e.text), 150) + "\n"
            out += notesLines(e, indent: "        ", style: style, ids: true)
        }
        if f.evidence.count > evidenceShown { out += style.dim("      … and \(f.evidence.count - evidenceShown) more") + "\n" }
        out += "      " + style.bold("Fix:") + "\n"
        for (n, step) in f.fix.enumerated() {
            out += wrapText("\(n + 1). \(TerminalText.escaped(step))", indent: "        ", hanging: "           ", width: 100)
        }
        out += style.dim("      (logscan explain \(f.cause))") + "\n"
        guard depth > 0 else { return out }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }

    /// Timeline lines. Context (healthy markers) between pieces of evidence folds into one line
    /// per rule with a count and a time range, keeping the few lines just before the evidence.
    public static func renderTimeline(_ events: Timeline, bundle: String, style: TextStyle) -> String {
        let rows = TimelineDigest(events).rows.map { row -> String in
            switch row {
            case .entry(let k):
                return timelineRow(events[k], bundle: bundle, style: style)
            case .fold(let g):
                let sources = Set(g.files.map { shortSource(events.files[$0].source, bundle: bundle) }).sorted().joined(separator: ", ")
                let first = events.time(at: g.first)?.rfc3339 ?? "(no time)", last = events.time(at: g.last)?.rfc3339 ?? "(no time)"
                return "     " + style.dim("  \(first) … \(last)  ×\(g.count) \(g.rule)  (\(sources))")
            }
        }
        var out = ""
        if rows.count > timelineShown {
            let head = timelineShown / 2
            out += rows.prefix(head).joined(separator: "\n") + "\n"
            out += style.dim("       … \(rows.count - timelineShown) more timeline lines (use --format json for all) …") + "\n"
            out += rows.suffix(timelineShown - head).joined(separator: "\n") + "\n"
        } else if !rows.isEmpty {
            out += rows.joined(separator: "\n") + "\n"
        }
        return out
    }

    public static func timelineRow(_ e: Event, bundle: String, style: TextStyle) -> String {
        let mark = e.cause != nil ? style.red("✗") : " "
        let time = e.time?.rfc3339 ?? "(no time)"
        let message = clip(messagePart(e.text), 110)
        let tag = e.cause.map { style.red($0) } ?? style.dim(e.rule)
        let row = "     \(mark) \(time)  \(style.cyan("\(shortSource(e.source, bundle: bundle)):\(e.line)"))  \(tag)  \(message)"
        let notes = notesLines(e, indent: "          ", style: style, ids: false)
        return notes.isEmpty ? row : row + "\n" + String(notes.dropLast())
    }

    /// The lines under an evidence or timeline line: the catalog explanation of each code it
    /// carries and (`ids`) its named captures, which a line cut for width may hide.
    static func notesLines(_ e: Event, indent: String, style: TextStyle, ids: Bool) -> String {
        guard let notes = EvidenceNotes.shared?.notes(rule: e.rule, text: e.text, captures: e.captures) else { return "" }
        var out = ""
        for code in notes.codes {
            let head = (code.kind == .aadsts ? "" : code.catalog + " ") + code.display + (code.name.map { " " + $0 } ?? "")
            out += indent + "↳ " + style.bold(head) + ": " + code.meaning
            if let cause = code.cause { out += style.dim("  (evidence for \(cause))") }
            else if let next = code.next { out += "\n" + indent + "  " + style.dim("next: " + next) }
            out += "\n"
        }
        if ids {
            let catalogs = Set(notes.codes.map(\.catalog))
            let shown = notes.captures.filter { !catalogs.contains($0.key) }.sorted { $0.key < $1.key }
            if !shown.isEmpty {
                out += indent + style.dim(shown.map { "\($0.key)=\(clip($0.value, 80))" }.joined(separator: "  ")) + "\n"
            }
        }
        return out
    }

    /// The fleet view: each cause with how many Macs have it, and which.
    public static func rollUp(_ result: ScanResult, style: TextStyle) -> String {
        var byCause: [String: [String]] = [:]
        var titles: [String: (String, Severity)] = [:]
        for b in result.bundles {
            for f in b.findings {
                // The archive's own name is enough in a roll-up: the folder is the same for all.
                let name = (b.name as NSString).lastPathComponent
                byCause[f.cause, default: []].append(TerminalText.escaped(b.device.map { "\(name) (\($0))" } ?? name))
                titles[f.cause] = (f.title, f.severity)
            }
        }
        var out = style.bold("== Fleet: \(plural(result.bundles.count, "Mac")), \(result.bundles.filter { !$0.findings.isEmpty }.count) with a cause") + "\n"
        if byCause.isEmpty { return out + "   " + style.green("no cause on any Mac") + "\n" }
        let ordered = byCause.keys.sorted { (byCause[$0]!.count, $1) > (byCause[$1]!.count, $0) }
        for cause in ordered {
            let macs = byCause[cause]!
            let (title, severity) = titles[cause]!
            out += "   " + style.severity(severity) + "  " + style.bold(cause) + "  \(plural(macs.count, "Mac")) — \(TerminalText.escaped(title))\n"
            let list = macs.prefix(12).joined(separator: ", ") + (macs.count > 12 ? ", … (\(macs.count - 12) more)" : "")
            out += wrapText(list, indent: "      ", hanging: "      ", width: 100)
        }
        let clean = result.bundles.filter { $0.findings.isEmpty }.count
        out += style.dim("   \(plural(clean, "Mac")) with no cause") + "\n"
        return out
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

    static func clip(_ s: String, _ n: Int) -> String {
        let clean = s.replacingOccurrences(of: "\t", with: " ")
        return clean.count > n ? String(clean.prefix(n - 1)) + "…" : clean
    }

    static func wrapText(_ text: String, indent: String, hanging: String, width: Int) -> String {
        var out = ""
        var line = indent
        var first = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count + word.count + 1 > width && line.count > (first ? indent.count : hanging.count) {
                out += line + "\n"
                line = hanging
                first = false
            }
            line += (line.hasSuffix(" ") || line.isEmpty ? "" : " ") + word
        }
        return out + line + "\n"
    }
}
