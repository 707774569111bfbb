import LogscanSupport
import LogscanScan
import LogscanDiagnosis

/// `--format json`: one document (findings.schema.json), written as bundles complete (see
/// `JSONReport.Stream`). A document of a finished scan, so not for `follow`.
public final class JSONSink: ReportSink {
    public static let supportsFollow = false
    private let run: ReportRun
    private let out: ReportOutput
    private var stream: JSONReport.Stream

    public init(run: ReportRun, output: ReportOutput) {
        self.run = run
        self.out = output
        stream = JSONReport.Stream { output.write(bytes: $0) }
    }

    public var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? {
        { report, buffer in JSONReport.Stream.renderTimeline(of: report) { buffer.append($0) } }
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        if let rendered {
            stream.timeline(rendered: rendered) { out.write(raw: $0) }
        } else {
            stream.timeline(of: report, jobs: run.jobs)
        }
    }

    public func finish(_ result: ScanResult) {
        stream.finish(result)
        out.flush()
    }
}
