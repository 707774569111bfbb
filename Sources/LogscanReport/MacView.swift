import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// One Mac's part of a report, as the HTML and Markdown templates show it: every value a
/// ready string (the templates escape them), lists capped so a fleet's report stays small.
struct MacView {
    /// Caps on what is listed. A report of one Mac shows more; a fleet's sections are kept small
    /// so that a 200-Mac report stays a few MB (`--format json` has everything).
    struct Limits: Sendable {
        var evidencePerCause: Int
        /// Timeline rows shown (half from the start, half from the end), folds counting one.
        var timelineRows: Int
        /// Lines listed inside one expandable fold.
        var foldMembers: Int
        /// Characters of a log line shown in the timeline; evidence in cause cards gets more.
        var timelineText = 200
        var evidenceText = 1000
        /// Kinds of unrecognized error listed (most frequent first).
        var unrecognizedKinds = 10

        static let oneMac = Limits(evidencePerCause: 20, timelineRows: 100, foldMembers: 10)
        static let fleet = Limits(evidencePerCause: 8, timelineRows: 40, foldMembers: 2, unrecognizedKinds: 5)
    }

    var anchor: String
    var name: String
    /// How people tell this Mac apart: its device name, else its bundle's file name.
    var label: String
    var device: String?
    var status: String
    var statusClass: String
    var inputSummary: String
    var inputs: [InputView]
    var span: String?
    var zoneBasis: [String]
    var notes: [String]
    var errors: [ProblemView]
    var notDiagnosable: String?
    var causes: [CauseView]
    var hasCauses = false
    /// Error-level lines no rule explains, by template (most frequent first, capped).
    var unrecognized: [UnrecognizedView] = []
    var hasUnrecognized = false
    var unrecognizedSummary = ""
    var unrecognizedMore: String?
    var picture: TimelinePicture?
    /// The timeline rows shown: the head, a note on the rows left out (if any), the tail.
    var timelineHead: [TimelineRowView]
    var timelineMore: String?
    var timelineTail: [TimelineRowView]
    var timelineCount: Int
    var hasTimeline = false

    struct InputView {
        var source: String
        var format: String
        var lines: Int
        var size: String
        var error: String?
        var note: String?
    }

    struct ProblemView {
        var source: String
        var message: String
    }

    struct UnrecognizedView {
        var count: Int
        var level: String
        var when: String
        var template: String
        var location: String
        var example: String
        /// Template and example as one code block (Markdown).
        var block: Block
        struct Block {
            var fence: String
            var text: String
        }
    }

    struct CauseView {
        var anchor: String
        var id: String
        var title: String
        var severity: String
        var severityLabel: String
        var severityClass: String
        var reason: String
        var when: String?
        var countText: String
        var fix: [String]
        /// The fix steps with their `code` spans apart, for HTML.
        var fixSteps: [RichText]
        var firstFix: String
        var evidence: [EvidenceView]
        var evidenceMore: String?
        var ids: [IDView]
        var hasIDs = false
        var references: [LinkView]
        var hasReferences = false
        var summary: String?
        var summaryText: RichText?
    }

    /// Text whose `backticked` parts are code (as fix steps and summaries write commands).
    struct RichText {
        struct Piece {
            var text: String
            var isCode: Bool
        }
        var pieces: [Piece]

        init(_ s: String) {
            // Between backticks is code; an unpaired backtick stays text.
            let parts = s.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
            pieces = []
            for (i, part) in parts.enumerated() where !part.isEmpty {
                let paired = i % 2 == 1 && i < parts.count - 1
                pieces.append(Piece(text: i % 2 == 1 && !paired ? "`" + part : part, isCode: paired))
            }
        }
    }

    struct EvidenceView {
        var location: String
        var source: String
        var time: String
        var rule: String
        var text: String
        /// A Markdown code fence longer than any run of backticks in `text`.
        var fence: String
    }

    struct IDView {
        var name: String
        var value: String
    }

    struct LinkView {
        var url: String
        /// The same, for templates that write an address as code (`raw`).
        var text: String
        init(url: String) { self.url = url; text = url }
    }

    struct TimelineRowView {
        var entry: EntryView?
        var fold: FoldView?
    }

    struct EntryView {
        var time: String
        var location: String
        var rule: String
        var cause: String?
        var severityClass: String
        var text: String
        var isEvidence = false
    }

    struct FoldView {
        var rule: String
        var count: Int
        var first: String
        var last: String
        var sources: String
        var members: [EntryView]
        var more: String?
    }

    /// `causes`: the loaded cause definitions, for summaries and references.
    init(_ b: BundleReport, causes: [String: CauseDefinition], limits: Limits) {
        anchor = Self.anchor(for: b.name)
        name = b.name
        device = b.device
        label = b.device ?? Self.fileName(b.name)
        notDiagnosable = b.notDiagnosable
        if notDiagnosable != nil {
            status = "not diagnosable"; statusClass = "na"
        } else if b.findings.isEmpty {
            status = "no known cause"; statusClass = "ok"
        } else {
            status = TextReport.plural(b.findings.count, "cause") + " found"; statusClass = "bad"
        }
        inputs = b.inputs.map { i in
            InputView(source: TextReport.shortSource(i.source, bundle: b.name), format: i.format, lines: i.lines,
                      size: Self.size(i.bytes), error: i.error,
                      note: i.truncatedLines > 0 ? "\(TextReport.plural(i.truncatedLines, "over-long line")) cut" : nil)
        }
        inputSummary = Self.inputSummary(b.inputs)
        // The not-diagnosable reason is said once, on its own (it is also one of the errors).
        errors = b.errors.filter { e in !(b.notDiagnosable.map { e.message.hasSuffix($0) } ?? false) }
            .map { ProblemView(source: $0.source, message: $0.message) }
        notes = b.timeNotes

        let severities = Dictionary(b.findings.map { ($0.cause, $0.severity) }, uniquingKeysWith: { a, _ in a })
        let anchor = self.anchor
        self.causes = b.findings.sorted { $0.severity > $1.severity }.map { f in
            Self.cause(f, bundle: b.name, anchor: anchor, definition: causes[f.cause], limits: limits)
        }

        hasCauses = !self.causes.isEmpty
        if b.unrecognizedLines > 0 {
            hasUnrecognized = true
            unrecognizedSummary = "\(TextReport.plural(b.unrecognizedLines, "error-level line")) that no rule explains, "
                + "grouped by template into \(TextReport.plural(b.unrecognized.count, "kind"))"
                + (b.findings.isEmpty ? ": logscan cannot tell whether they matter." : ".")
            unrecognized = b.unrecognized.prefix(limits.unrecognizedKinds).map { k in
                var when = k.firstSeen?.rfc3339 ?? "(no time)"
                if let last = k.lastSeen, last != k.firstSeen { when += " → " + last.rfc3339 }
                let location = "\(TextReport.shortSource(k.exampleSource, bundle: b.name)):\(k.exampleLine)"
                let template = TextReport.clip(k.template.text, limits.timelineText)
                let example = TextReport.clip(TextReport.messagePart(k.exampleText), limits.timelineText)
                let text = template + "\n  e.g. " + location + "  " + example
                return UnrecognizedView(count: k.count, level: k.level, when: when, template: template, location: location,
                                        example: example, block: .init(fence: Self.fence(for: text), text: text))
            }
            var more: [String] = []
            if b.unrecognized.count > unrecognized.count {
                more.append("\(TextReport.plural(b.unrecognized.count - unrecognized.count, "more kind"))")
            }
            if b.unrecognizedOverflow > 0 {
                more.append("\(TextReport.plural(b.unrecognizedOverflow, "line")) of kinds past the limit of \(UnrecognizedCollector.defaultCapacity)")
            }
            if !more.isEmpty { unrecognizedMore = "… and " + more.joined(separator: ", ") + " (--format json has every kind)" }
        }
        let timeline = b.timeline
        timelineCount = timeline.count
        hasTimeline = timelineCount > 0
        let scan = TimelineScan(timeline)
        if let first = scan.first, let last = scan.last {
            span = first == last ? first.rfc3339 : "\(first.rfc3339) → \(last.rfc3339) (\(Self.duration(last.nanoseconds - first.nanoseconds)))"
        }
        zoneBasis = scan.basisCounts.map { "\(TextReport.plural($0.count, "line")): \(Self.describe($0.basis))" }
        if scan.untimed > 0 { zoneBasis.append("\(TextReport.plural(scan.untimed, "line")) without a time of their own") }
        picture = TimelinePicture(timeline, scan: scan, bundle: b.name, severities: severities)

        /// `inFold`: a line listed under a fold of one file, which names the file already.
        func entry(_ k: Int, inFold: Bool = false) -> EntryView {
            let e = timeline[k]
            return EntryView(time: e.time?.rfc3339 ?? "(no time)",
                             location: inFold ? "line \(e.line)" : "\(TextReport.shortSource(e.source, bundle: b.name)):\(e.line)",
                             rule: e.rule, cause: e.cause, severityClass: Self.severityClass(e.cause.flatMap { severities[$0] }),
                             text: TextReport.clip(TextReport.messagePart(e.text), limits.timelineText), isEvidence: e.cause != nil)
        }
        func view(_ row: TimelineDigest.Row) -> TimelineRowView {
            switch row {
            case .entry(let k): return TimelineRowView(entry: entry(k))
            case .fold(let g):
                let sources = Set(g.files.map { TextReport.shortSource(timeline.files[$0].source, bundle: b.name) }).sorted().joined(separator: ", ")
                return TimelineRowView(fold: FoldView(
                    rule: g.rule, count: g.count,
                    first: timeline.time(at: g.first)?.rfc3339 ?? "(no time)", last: timeline.time(at: g.last)?.rfc3339 ?? "(no time)",
                    sources: sources, members: g.members.map { entry($0, inFold: g.files.count == 1) },
                    more: g.count > g.members.count ? "… and \(g.count - g.members.count) more" : nil))
            }
        }
        let rows = TimelineDigest(timeline, memberLimit: limits.foldMembers).rows
        if rows.count > limits.timelineRows {
            let head = limits.timelineRows / 2
            timelineHead = rows.prefix(head).map(view)
            timelineMore = "… \(TextReport.plural(rows.count - limits.timelineRows, "more timeline row")) here (--format json has every line) …"
            timelineTail = rows.suffix(limits.timelineRows - head).map(view)
        } else {
            timelineHead = rows.map(view)
            timelineTail = []
        }
    }

    static func cause(_ f: Finding, bundle: String, anchor: String, definition: CauseDefinition?, limits: Limits) -> CauseView {
        var when = f.firstSeen?.rfc3339
        if let last = f.lastSeen, last != f.firstSeen { when = (when ?? "(no time)") + " → " + last.rfc3339 }
        let evidence = f.evidence.prefix(limits.evidencePerCause).map { e in
            let text = TextReport.clip(e.text, limits.evidenceText)
            return EvidenceView(location: "\(TextReport.shortSource(e.source, bundle: bundle)):\(e.line)", source: e.source,
                                time: e.time?.rfc3339 ?? "(no time)", rule: e.rule, text: text, fence: fence(for: text))
        }
        var view = CauseView(
            anchor: "\(anchor)-\(f.cause)", id: f.cause, title: f.title, severity: f.severity.rawValue,
            severityLabel: f.severity.rawValue.uppercased(),
            severityClass: severityClass(f.severity), reason: f.reason, when: when,
            countText: TextReport.plural(f.count, "evidence line"), fix: f.fix, fixSteps: f.fix.map(RichText.init),
            firstFix: f.fix.first ?? "",
            evidence: evidence,
            evidenceMore: f.evidence.count > evidence.count ? "… and \(f.evidence.count - evidence.count) more (--format json has them all)" : nil,
            ids: extractedIDs(f.evidence),
            references: (definition?.references ?? []).filter(isWebAddress).map(LinkView.init),
            summary: definition?.summary.trimmingCharacters(in: .whitespacesAndNewlines))
        view.summaryText = view.summary.map(RichText.init)
        view.hasIDs = !view.ids.isEmpty
        view.hasReferences = !view.references.isEmpty
        return view
    }

    /// The distinct named values the rules extracted from a cause's evidence (device IDs,
    /// users, policies) and the error codes its lines carry, in the order met.
    static func extractedIDs(_ evidence: [Event]) -> [IDView] {
        var seen: Set<String> = []
        var ids: [IDView] = []
        func add(_ name: String, _ value: String) {
            guard !value.isEmpty, seen.insert(name + "\u{0}" + value).inserted, ids.count < 16 else { return }
            ids.append(IDView(name: name, value: value))
        }
        for e in evidence {
            for key in e.captures.keys.sorted() { add(key.replacingOccurrences(of: "_", with: " "), e.captures[key]!) }
            for code in errorCodes(in: e.text) { add("error code", code) }
        }
        return ids
    }

    /// AADSTS codes (Entra ID sign-in errors) in a line: "AADSTS" and five or more digits.
    static func errorCodes(in text: String) -> [String] {
        var codes: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: "AADSTS") {
            let digits = rest[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if digits.count >= 5 { codes.append("AADSTS" + digits) }
            rest = rest[r.upperBound...]
        }
        return codes
    }

    /// Only plain web addresses become links (a rule file could carry any scheme).
    static func isWebAddress(_ s: String) -> Bool {
        let lower = s.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !s.contains(where: { $0.isWhitespace })
    }

    static func severityClass(_ s: Severity?) -> String { s.map { "sev-\($0.rawValue)" } ?? "ctx" }

    /// A fence of backticks longer than any run of them in `text` (CommonMark: at least three).
    static func fence(for text: String) -> String {
        var longest = 0, run = 0
        for c in text.utf8 {
            if c == 0x60 { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// An HTML id for a bundle: its name's FNV-1a hash (bundle names are unique in a run).
    static func anchor(for name: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return "mac-" + String(h, radix: 16)
    }

    static func fileName(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return name.isEmpty ? path : name
    }

    static func inputSummary(_ inputs: [InputReport]) -> String {
        var counts: [String: Int] = [:]
        for i in inputs { counts[i.format, default: 0] += 1 }
        let formats = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let failed = inputs.filter { $0.error != nil }.count
        var s = TextReport.plural(inputs.count, "input")
        if !formats.isEmpty { s += ": " + formats }
        if failed > 0 { s += "; \(failed) could not be read" }
        return s
    }

    static func describe(_ basis: TimeBasis) -> String {
        switch basis {
        case .explicitOffset: "the line carries its UTC offset"
        case .formatUTC: "the format writes UTC"
        case .tzOption: "local time placed in the zone given with --tz"
        case .inferredZone: "local time placed with offsets seen in this Mac's other logs"
        case .assumedZone: "local time placed in this computer's zone (an assumption; --tz sets it)"
        case .dateFromFile: "time of day only (a copied Console row): the date is the file's modification day"
        }
    }

    static func size(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b >= Double(1 << 30) { return String(format: "%.1f GiB", b / Double(1 << 30)) }
        if b >= Double(1 << 20) { return String(format: "%.1f MiB", b / Double(1 << 20)) }
        if b >= 1024 { return String(format: "%.1f KiB", b / 1024) }
        return TextReport.plural(Int(bytes), "byte")
    }

    static func duration(_ nanoseconds: Int64) -> String {
        let s = nanoseconds / 1_000_000_000
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86400 * 2 { return String(format: "%.1f h", Double(s) / 3600) }
        return String(format: "%.1f days", Double(s) / 86400)
    }
}
