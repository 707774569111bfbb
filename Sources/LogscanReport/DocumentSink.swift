import Foundation
import LogscanSupport
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// A report written as one document when the run ends, with a head that depends on every Mac
/// (a fleet's roll-up) before the Macs' sections: HTML and Markdown. Each Mac's section is
/// rendered as soon as its bundle is done (in a fleet, on the worker that analysed it) and kept
/// until the end; its lists are capped (`MacView.Limits`), so it stays a few KiB whatever the
/// logs' size. `follow` writes the document when it ends.
///
/// A format subclasses it and says how a section, the document's start and its end look.
public class DocumentSink: ReportSink {
    public class var supportsFollow: Bool { true }
    let run: ReportRun
    private let out: ReportOutput
    /// Each Mac's section, in order.
    private var sections: [[UInt8]] = []
    /// A first bundle handed whole (one Mac, or the first of a fleet handed whole through
    /// `RedactingSink` or by `follow`): it is rendered once it is known which it is.
    private var pending: BundleReport?

    public required init(run: ReportRun, output: ReportOutput) {
        self.run = run
        self.out = output
    }

    /// One Mac's section.
    class func section(_ view: MacView) -> String { "" }
    /// What the document says before and after the sections.
    class func start(_ head: FleetView) -> String { "" }
    class func end(_ head: FleetView) -> String { "" }
    /// What a section lists: for one Mac, and for each Mac of a fleet.
    class var limits: (oneMac: MacView.Limits, fleet: MacView.Limits) { (.oneMac, .fleet) }

    public var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? {
        // Only a scan of several bundles renders ahead: a fleet, whose sections list less.
        let causes = run.causes, format = type(of: self)
        return { report, buffer in
            buffer.append(Array(RawPath.replacingInvalid(format.section(MacView(report, causes: causes, limits: format.limits.fleet))).utf8))
        }
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        if let rendered {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(rendered.count))
            rendered.forEachPiece { bytes += $0 }
            sections.append(bytes)
        } else if sections.isEmpty && pending == nil {
            pending = report
        } else {
            if let first = pending { sections.append(render(first, fleet: true)); pending = nil }
            sections.append(render(report, fleet: true))
        }
    }

    private func render(_ report: BundleReport, fleet: Bool) -> [UInt8] {
        let format = type(of: self)
        return Array(RawPath.replacingInvalid(format.section(MacView(report, causes: run.causes, limits: fleet ? format.limits.fleet : format.limits.oneMac))).utf8)
    }

    public func finish(_ result: ScanResult) {
        if let first = pending { sections.append(render(first, fleet: !sections.isEmpty)); pending = nil }
        let head = FleetView(result, run: run)
        let format = type(of: self)
        // File names that are not UTF-8 (`RawPath`) show U+FFFD where their bad bytes were.
        out.write(RawPath.replacingInvalid(format.start(head)))
        for section in sections { out.write(bytes: section) }
        out.write(RawPath.replacingInvalid(format.end(head)))
        out.flush()
    }
}
