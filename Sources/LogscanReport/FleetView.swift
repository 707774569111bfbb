import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// The head of a report, as the HTML and Markdown templates show it: what was read, the
/// window and zone it was read with, and for a fleet the roll-up of causes across Macs.
struct FleetView {
    var title: String
    var summary: String
    var scope: [String]
    var isFleet: Bool
    var rollUp: [CauseRow]
    var hasRollUp = false
    var macs: [MacRow]
    var problems: [MacView.ProblemView]
    var hasProblems = false

    /// One cause across the fleet.
    struct CauseRow {
        var id: String
        var title: String
        var severity: String
        var severityClass: String
        var severityRank: Int
        var macCount: Int
        var macs: [MacLink]
        /// The Macs listed at once, and the rest behind "N more".
        var shownMacs: [MacLink] = []
        var moreMacs: [MacLink] = []
        var more: String?
        var firstFix: String
        var firstFixText: MacView.RichText
    }

    struct MacLink {
        var label: String
        var anchor: String
        var cause: String
        var last: Bool
    }

    /// One Mac in the fleet's list.
    struct MacRow {
        var label: String
        var name: String
        var anchor: String
        var status: String
        var statusClass: String
        var causes: [MacLink]
        var inputs: Int
    }

    /// Macs named in a roll-up row before the rest are folded away.
    static let macsListed = 12

    init(_ result: ScanResult, run: ReportRun) {
        let bundles = result.bundles
        isFleet = bundles.count > 1
        let causeCount = result.findings.count
        title = isFleet ? "logscan: \(TextReport.plural(bundles.count, "Mac"))" : "logscan: \(bundles.first.map { $0.device ?? MacView.fileName($0.name) } ?? "no input")"
        var s = "\(TextReport.plural(bundles.count, "Mac")), \(TextReport.plural(bundles.reduce(0) { $0 + $1.inputs.count }, "input")) read: "
        let unrecognizedLines = bundles.reduce(0) { $0 + $1.unrecognizedLines }
        if causeCount == 0 && unrecognizedLines > 0 {
            s += "no known cause found, but \(TextReport.plural(unrecognizedLines, "error line")) that no rule explains (see Unrecognized errors)"
        } else if causeCount == 0 {
            s += "no known cause found"
        } else {
            let withCause = bundles.filter { !$0.findings.isEmpty }.count
            s += isFleet ? "\(TextReport.plural(withCause, "Mac")) with a cause (\(TextReport.plural(causeCount, "cause")) in all)" : "\(TextReport.plural(causeCount, "cause")) found"
        }
        let errors = result.allErrors.count
        if errors > 0 { s += "; \(TextReport.plural(errors, "error"))" }
        let undiagnosable = bundles.filter { $0.notDiagnosable != nil }.count
        if undiagnosable > 0 { s += "; \(undiagnosable) not diagnosable" }
        summary = s
        var scope: [String] = []
        if let since = run.options.since { scope.append("only evidence at or after \(since.rfc3339)") }
        if let until = run.options.until { scope.append("only evidence at or before \(until.rfc3339)") }
        if let zone = run.options.timeZone { scope.append("local times without a zone read in \(zone.identifier) (--tz)") }
        if result.redacted { scope.append("redacted: user, host and device names, addresses, IDs and secrets are pseudonyms (--redact)") }
        self.scope = scope

        // Labels: a Mac's device name, else its bundle's file name; the full bundle name where
        // two would read the same.
        var labels = bundles.map { $0.device ?? MacView.fileName($0.name) }
        var seen: [String: Int] = [:]
        for l in labels { seen[l, default: 0] += 1 }
        for (i, b) in bundles.enumerated() where seen[labels[i]]! > 1 { labels[i] = b.device.map { "\($0) (\(b.name))" } ?? b.name }

        var rows: [String: CauseRow] = [:]
        var order: [String] = []
        for (i, b) in bundles.enumerated() {
            let anchor = MacView.anchor(for: b.name)
            for f in b.findings {
                if rows[f.cause] == nil {
                    order.append(f.cause)
                    rows[f.cause] = CauseRow(id: f.cause, title: f.title, severity: f.severity.rawValue,
                                             severityClass: MacView.severityClass(f.severity),
                                             severityRank: Severity.allCases.firstIndex(of: f.severity)!, macCount: 0, macs: [],
                                             firstFix: f.fix.first ?? "", firstFixText: MacView.RichText(f.fix.first ?? ""))
                }
                rows[f.cause]!.macCount += 1
                rows[f.cause]!.macs.append(MacLink(label: labels[i], anchor: "\(anchor)-\(f.cause)", cause: f.cause, last: false))
            }
        }
        rollUp = order.map { rows[$0]! }.sorted { ($0.severityRank, $0.macCount, $1.id) > ($1.severityRank, $1.macCount, $0.id) }
        for k in rollUp.indices {
            var shown = Array(rollUp[k].macs.prefix(Self.macsListed)), rest = Array(rollUp[k].macs.dropFirst(Self.macsListed))
            shown[shown.count - 1].last = true
            if !rest.isEmpty {
                rest[rest.count - 1].last = true
                rollUp[k].more = "and \(rest.count) more"
            }
            rollUp[k].shownMacs = shown
            rollUp[k].moreMacs = rest
        }
        macs = bundles.enumerated().map { i, b in
            let anchor = MacView.anchor(for: b.name)
            var links = b.findings.sorted { $0.severity > $1.severity }.map { MacLink(label: $0.cause, anchor: "\(anchor)-\($0.cause)", cause: $0.cause, last: false) }
            if !links.isEmpty { links[links.count - 1].last = true }
            let (status, statusClass): (String, String) =
                !b.findings.isEmpty ? (TextReport.plural(b.findings.count, "cause"), "bad")
                : b.notDiagnosable != nil ? ("not diagnosable", "na")
                : ("no known cause", "ok")
            return MacRow(label: labels[i], name: b.name, anchor: anchor, status: status, statusClass: statusClass,
                          causes: links, inputs: b.inputs.count)
        }
        problems = result.allErrors.map { MacView.ProblemView(source: $0.source, message: $0.message) }
        hasRollUp = !rollUp.isEmpty
        hasProblems = !problems.isEmpty
    }
}
