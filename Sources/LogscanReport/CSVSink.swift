import LogscanScan
import LogscanDiagnosis

/// `--format csv`: one table written at the end of a scan (see `CSVReport`).
public final class CSVSink: ReportSink {
    public static let supportsFollow = false
    private let out: ReportOutput

    public init(run: ReportRun, output: ReportOutput) {
        self.out = output
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {}

    public func finish(_ result: ScanResult) {
        out.write(CSVReport.render(result))
        out.flush()
    }
}
