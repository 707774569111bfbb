import Foundation
import LogscanCore
import Mustache

/// `--format html`: one self-contained page (styles and a few lines of script inline, no
/// request made, readable without the script, light and dark, printable). A fleet's roll-up
/// comes first, then one section per Mac with its cause cards, timeline picture and table.
///
/// Each Mac's section is rendered as soon as its bundle is done (on the worker that analysed
/// it, in a fleet) and kept until the end, when the roll-up that goes before them is known.
/// Lists are capped per Mac (`MacView.Limits`: less in a fleet), so a section stays a few KiB
/// whatever the logs' size.
/// `follow` writes the page when it ends.
public final class HTMLSink: ReportSink {
    public static let supportsFollow = true
    private let run: ReportRun
    private let out: ReportOutput
    /// Each Mac's section, in order (a few KiB each: the rows are capped).
    private var sections: [[UInt8]] = []

    public init(run: ReportRun, output: ReportOutput) {
        self.run = run
        self.out = output
    }

    public var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? {
        // Only a scan of several bundles renders ahead: a fleet, whose sections list less.
        let causes = run.causes
        return { report, buffer in buffer.append(Array(Self.section(report, causes: causes, limits: .fleet).utf8)) }
    }

    /// One Mac's section.
    static func section(_ report: BundleReport, causes: [String: CauseDefinition], limits: MacView.Limits) -> String {
        HTMLTemplates.library.render(MacView(report, causes: causes, limits: limits), withTemplate: "mac") ?? ""
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        if let rendered {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(rendered.count))
            rendered.forEachPiece { bytes += $0 }
            sections.append(bytes)
        } else {
            sections.append(Array(Self.section(report, causes: run.causes, limits: .oneMac).utf8))
        }
    }

    public func finish(_ result: ScanResult) {
        let head = FleetView(result, run: run)
        out.write(HTMLTemplates.library.render(head, withTemplate: "start") ?? "")
        for section in sections { out.write(bytes: section) }
        out.write(HTMLTemplates.library.render(head, withTemplate: "end") ?? "")
        out.flush()
    }
}
