import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// `--format csv`: one table written at the end of a scan (see `CSVReport`).
public final class CSVSink: ReportSink {
    public static let supportsFollow = false
    private let out: ReportOutput

    public init(run: ReportRun, output: ReportOutput) {
        self.out = output
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {}

    public func finish(_ result: ScanResult) {
        // File names that are not UTF-8 (`RawPath`) show U+FFFD where their bad bytes were.
        out.write(RawPath.replacingInvalid(CSVReport.render(result)))
        out.flush()
    }
}
