import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// `--format ndjson`: one JSON object a line, each written and flushed as soon as it is known;
/// a `summary` last.
public final class NDJSONSink: ReportSink {
    public static let supportsFollow = true
    private let run: ReportRun
    private let out: ReportOutput

    public init(run: ReportRun, output: ReportOutput) {
        self.run = run
        self.out = output
    }

    public var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? {
        { report, buffer in NDJSONReport.writeBundle(report) { buffer.append($0) } }
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        if run.isLive {
            // Its events, findings and errors went out as they happened.
            for i in report.inputs { out.write(NDJSONReport.input(i)) }
        } else if let rendered {
            rendered.forEachPiece { out.write(raw: $0) }
        } else {
            NDJSONReport.writeBundle(report) { out.write(bytes: $0) }
        }
        out.flush()
    }

    public func event(_ e: Event) {
        out.write(NDJSONReport.event(e))
        out.flush()
    }

    public func finding(_ f: Finding, device: String?) {
        out.write(NDJSONReport.finding(f, device: device))
        out.flush()
    }

    public func error(_ e: ReportError) {
        out.write(NDJSONReport.error(e))
        out.flush()
    }

    public func note(source: String, message: String) {
        out.write(NDJSONReport.note(source: source, message: message))
        out.flush()
    }

    public func finish(_ result: ScanResult) {
        // Bundles' own errors went out with their bundles (or as they happened, live).
        if !run.isLive { for e in result.errors { out.write(NDJSONReport.error(e)) } }
        let bundles = result.bundles
        out.write(NDJSONReport.summary(findings: bundles.flatMap { b in b.findings.map { ($0, b.device) } },
                                       exitCode: result.exitCode, inputs: bundles.reduce(0) { $0 + $1.inputs.count },
                                       bundles: bundles.count,
                                       notDiagnosable: bundles.filter { $0.notDiagnosable != nil }.map(\.name),
                                       redacted: result.redacted))
        out.flush()
    }
}
