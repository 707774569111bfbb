import LogscanRules
import LogscanScan
import LogscanDiagnosis
import Mustache

/// `--format markdown`: GitHub-flavoured Markdown to paste into a ticket. A summary, for a fleet
/// the causes across Macs as a table, then per Mac its causes (with their ids), the fix steps,
/// evidence in fenced blocks, and a short timeline: the evidence and the lines around it, healthy
/// runs as one line each. Shorter than the HTML report: a ticket is read, not browsed.
public final class MarkdownSink: DocumentSink {
    override class var limits: (oneMac: MacView.Limits, fleet: MacView.Limits) {
        (MacView.Limits(evidencePerCause: 5, timelineRows: 30, foldMembers: 0, timelineText: 160, evidenceText: 600),
         MacView.Limits(evidencePerCause: 3, timelineRows: 12, foldMembers: 0, timelineText: 160, evidenceText: 600))
    }

    /// What the section template reads: the Mac, and its timeline as one block of text.
    struct Section {
        var mac: MacView
        var timelineDigest: Block?
    }

    struct Block {
        var fence: String
        var text: String
    }

    override class func section(_ view: MacView) -> String {
        MarkdownTemplates.library.render(Section(mac: view, timelineDigest: timeline(view)), withTemplate: "mac") ?? ""
    }

    override class func start(_ head: FleetView) -> String {
        MarkdownTemplates.library.render(head, withTemplate: "start") ?? ""
    }

    override class func end(_ head: FleetView) -> String {
        MarkdownTemplates.library.render(head, withTemplate: "end") ?? ""
    }

    /// The timeline rows as lines of text: `✗` marks evidence.
    static func timeline(_ view: MacView) -> Block? {
        guard view.hasTimeline else { return nil }
        func line(_ row: MacView.TimelineRowView) -> String {
            if let e = row.entry {
                return "\(e.isEvidence ? "✗" : " ") \(e.time)  \(e.location)  \(e.cause ?? e.rule)  \(e.text)"
            }
            guard let f = row.fold else { return "" }
            return "  \(f.first) … \(f.last)  ×\(f.count) \(f.rule)  (\(f.sources))"
        }
        var lines = view.timelineHead.map(line)
        if let more = view.timelineMore { lines.append("  " + more) }
        lines += view.timelineTail.map(line)
        let text = lines.joined(separator: "\n")
        return Block(fence: MacView.fence(for: text), text: text)
    }
}
