import Foundation
import Testing
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis
@testable import LogscanReport
import Mustache

/// Collects what a sink writes.
final class MemoryOutput: ReportOutput {
    var bytes: [UInt8] = []
    var text: String { String(decoding: bytes, as: UTF8.self) }
    func write(_ text: String) { bytes += text.utf8 }
    func write(bytes: [UInt8]) { self.bytes += bytes }
    func write(raw: UnsafeRawBufferPointer) { bytes += raw }
    func flush() {}
}

/// Bundles made up in code, for the HTML and Markdown reports.
enum ReportFixtures {
    static let hostile = "<script>alert(\"x&'y\")</script>"

    static func event(_ n: Int, source: String = "b/var/log/jamf.log", cause: String? = nil, text: String? = nil,
                      captures: [String: String] = [:], seconds: Int64? = nil) -> Event {
        var e = Event(bundle: "b", source: source, fileIndex: 0, line: n, ruleIndex: cause == nil ? 0 : 1,
                      rule: cause == nil ? "jamf-recurring-checkin" : "rule-\(cause!)",
                      text: text ?? "Mon Mar  3 10:00:00 mac jamf[1]: line \(n)", captures: captures, format: .jamf,
                      time: Instant(seconds: seconds ?? (1_700_000_000 + Int64(n) * 60)), timeBasis: .tzOption)
        e.cause = cause
        e.orderTime = e.time
        return e
    }

    static func finding(_ cause: String, evidence: [Event], severity: Severity = .high, title: String = "A title",
                        fix: [String] = ["Run `sudo jamf recon` and wait.", "Then look again."]) -> Finding {
        Finding(cause: cause, title: title, severity: severity, bundle: "b", firstSeen: evidence.first?.time,
                lastSeen: evidence.last?.time, evidence: evidence, fix: fix, reason: "direct")
    }

    static func bundle(name: String = "b", device: String? = "Ann’s iMac", events: [Event], findings: [Finding],
                       inputs: [InputReport]? = nil, errors: [ReportError] = []) -> BundleReport {
        BundleReport(name: name, device: device,
                     inputs: inputs ?? [InputReport(source: "b/var/log/jamf.log", bundle: name, format: "jamf", lines: events.count,
                                                    bytes: 1234, error: nil, truncatedLines: 0)],
                     findings: findings, timeline: Timeline(events: events), errors: errors, timeNotes: ["a note"])
    }

    static func render(_ format: ReportFormat, _ bundles: [BundleReport], errors: [ReportError] = [],
                       causes: [String: CauseDefinition] = [:]) -> String {
        let out = MemoryOutput()
        let sink = format.makeSink(run: ReportRun(mode: .scan, paths: bundles.map(\.name), causes: causes), output: out)
        sink.begin()
        var kept: [BundleReport] = []
        for b in bundles {
            sink.bundle(b, rendered: nil)
            var k = b
            k.timeline = []
            kept.append(k)
        }
        sink.finish(ScanResult(bundles: kept, errors: errors))
        return out.text
    }

    static func definition(_ id: String, references: [String]) -> CauseDefinition {
        CauseDefinition(id: id, title: "t", severity: .high, summary: "What `it` means.", fix: [], references: references,
                        conditions: [], file: "x.yml")
    }
}

@Suite struct HTMLReportTests {
    @Test func templatesWriteEveryValueEscaped() {
        for template in HTMLTemplates.all {
            #expect(!template.contains("{{{"))
            #expect(!template.contains("{{&"))
        }
    }

    @Test func logTextAndNamesCannotInjectMarkup() {
        let h = ReportFixtures.hostile
        let evidence = [ReportFixtures.event(1, source: "b/\(h).log", cause: "c1", text: "error \(h)", captures: ["device_id": h])]
        let finding = ReportFixtures.finding("c1", evidence: evidence, title: h, fix: ["do \(h) now", "Run `sudo jamf recon` and wait."])
        let bundle = ReportFixtures.bundle(name: "fleet/\(h).zip", device: h, events: evidence + [ReportFixtures.event(2)], findings: [finding],
                                           errors: [ReportError(source: h, message: h)])
        let other = ReportFixtures.bundle(name: "other", device: nil, events: [ReportFixtures.event(3)], findings: [])
        let html = ReportFixtures.render(.html, [bundle, other], errors: [ReportError(source: h, message: h)],
                                         causes: ["c1": ReportFixtures.definition("c1", references: ["javascript:alert(1)", "https://example.com/a?b=1&c=2"])])
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;"))
        // The page's own script is the only one.
        #expect(html.components(separatedBy: "<script>").count == 2)
        #expect(!html.contains("href=\"javascript:"))
        #expect(html.contains("href=\"https://example.com/a?b=1&amp;c=2\""))
        // Backticked commands become code, escaped too.
        #expect(html.contains("Run <code>sudo jamf recon</code> and wait."))
    }

    @Test func timelineRowsAndEvidenceAreCapped() {
        // 400 evidence lines, each between healthy ones: the digest has 800 rows.
        var events: [ReportFixtures.Event] = []
        for n in 0..<400 {
            events.append(ReportFixtures.event(2 * n))
            events.append(ReportFixtures.event(2 * n + 1, cause: "c1"))
        }
        let finding = ReportFixtures.finding("c1", evidence: events.filter { $0.cause != nil })
        let view = MacView(ReportFixtures.bundle(events: events, findings: [finding]), causes: [:], limits: .fleet)
        #expect(view.timelineHead.count == 20 && view.timelineTail.count == 20)
        #expect(view.timelineMore == "… 760 more timeline rows here (--format json has every line) …")
        #expect(view.causes[0].evidence.count == 8)
        #expect(view.causes[0].evidenceMore == "… and 392 more (--format json has them all)")
        let one = MacView(ReportFixtures.bundle(events: events, findings: [finding]), causes: [:], limits: .oneMac)
        #expect(one.timelineHead.count + one.timelineTail.count == 100)
        #expect(one.causes[0].evidence.count == 20)
        #expect(view.causes[0].countText == "400 evidence lines")
        // The picture: marks one per lane and a few pixels, never more than the cap.
        let marks = view.picture!.lanes.reduce(0) { $0 + $1.marks.count }
        #expect(marks > 0 && marks <= TimelinePicture.maxMarks)
    }

    @Test func healthyActivityIsShadedByDensity() throws {
        // One busy hour and one quiet one on a lane: the busy bins get the darkest shade.
        var events: [ReportFixtures.Event] = []
        for n in 0..<600 { events.append(ReportFixtures.event(n, seconds: 1_700_000_000 + Int64(n) * 6)) }
        events.append(ReportFixtures.event(600, seconds: 1_700_000_000 + 7200))
        let picture = try #require(MacView(ReportFixtures.bundle(events: events, findings: []), causes: [:], limits: .oneMac).picture)
        #expect(picture.lanes.count == 1)
        let shades = picture.lanes[0].shades
        #expect(shades.count == 2)
        #expect(Double(shades.last!.opacity)! > Double(shades.first!.opacity)!)
        // The lone late line is in the lightest shade, the busy hour's bins in the darkest.
        #expect(shades.first!.path.components(separatedBy: "M").count == 2)
        #expect(shades.last!.path.components(separatedBy: "M").count > 50)
    }

    @Test func extractedIDsComeFromCapturesAndCodes() {
        let evidence = [
            ReportFixtures.event(1, cause: "c1", text: "AADSTS53000: not compliant; AADSTS50076", captures: ["device_id": "f6134708"]),
            ReportFixtures.event(2, cause: "c1", text: "again AADSTS53000", captures: ["device_id": "f6134708"]),
        ]
        let ids = MacView.extractedIDs(evidence).map { "\($0.name)=\($0.value)" }
        #expect(ids == ["device id=f6134708", "error code=AADSTS53000", "error code=AADSTS50076"])
    }

    @Test func backticksMarkCode() {
        let pieces = MacView.RichText("run `a` and `b`, or `c").pieces.map { ($0.isCode ? "code:" : "") + $0.text }
        #expect(pieces == ["run ", "code:a", " and ", "code:b", ", or ", "`c"])
    }

    @Test func fleetRollUpIsSortedBySeverityThenMacs() {
        func mac(_ name: String, _ causes: [(String, Severity)]) -> BundleReport {
            let events = causes.enumerated().map { ReportFixtures.event($0.offset, cause: $0.element.0) }
            return ReportFixtures.bundle(name: name, device: nil, events: events,
                                         findings: causes.enumerated().map { ReportFixtures.finding($0.element.0, evidence: [events[$0.offset]], severity: $0.element.1) })
        }
        let result = ScanResult(bundles: [mac("m1", [("low-a", .low)]), mac("m2", [("low-a", .low), ("high-b", .high)]),
                                          mac("m3", [("low-a", .low), ("medium-c", .medium)]), mac("m4", [])], errors: [])
        let view = FleetView(result, run: ReportRun(mode: .scan, paths: []))
        #expect(view.rollUp.map(\.id) == ["high-b", "medium-c", "low-a"])
        #expect(view.rollUp.map(\.macCount) == [1, 1, 3])
        #expect(view.macs.map(\.status) == ["1 cause", "2 causes", "2 causes", "no known cause"])
    }
}

extension ReportFixtures {
    typealias Event = LogscanDiagnosis.Event
}

@Suite struct MarkdownReportTests {
    @Test func builtInTemplatesParse() throws {
        _ = MarkdownTemplates.library  // registers the Markdown content type
        for template in MarkdownTemplates.all + HTMLTemplates.all {
            _ = try MustacheTemplate(string: template)
            #expect(!template.contains("{{{"))
            #expect(!template.contains("{{&"))
        }
    }

    @Test func markupInValuesIsEscapedAndLinesStayInTheirFences() {
        let line = "error ``` then </details> | *bold* [x](y) `tick`"
        let evidence = [ReportFixtures.event(1, cause: "c1", text: line)]
        let finding = ReportFixtures.finding("c1", evidence: evidence, title: "a | b *c* <d>", fix: ["run `sudo jamf recon` | now_x"])
        let md = ReportFixtures.render(.markdown, [
            ReportFixtures.bundle(name: "fleet/one.zip", device: "Ann|Mac", events: evidence + [ReportFixtures.event(2)], findings: [finding]),
            ReportFixtures.bundle(name: "fleet/two.zip", device: nil, events: [ReportFixtures.event(3)], findings: []),
        ])
        // Values in text and tables: escaped.
        #expect(md.contains("### HIGH: a \\| b \\*c\\* \\<d\\> (`c1`)"))
        #expect(md.contains("| Ann\\|Mac |"))
        // Fix steps keep their commands as code; the rest is escaped.
        #expect(md.contains("1. run `sudo jamf recon` \\| now\\_x"))
        // The line is whole inside a fence longer than its own backtick run.
        #expect(md.contains("````text\n\(line)\n````"))
        #expect(!md.contains("\n```text\n\(line)"))
        // One roll-up row per cause, one row per Mac.
        #expect(md.components(separatedBy: "| high | a \\| b \\*c\\* \\<d\\> | `c1` | 1 |").count == 2)
        #expect(md.contains("| two.zip | fleet/two.zip | no known cause |"))
    }
}
