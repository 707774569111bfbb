import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// `--format csv`: one table written at the end of a scan (see `CSVReport`).
public final class CSVSink: ReportSink {
    public static let supportsFollow = false
    private let out: ReportOutput
    private let run: ReportRun

    public init(run: ReportRun, output: ReportOutput) {
        self.out = output
        self.run = run
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {}

    public func finish(_ result: ScanResult) {
        // File names that are not UTF-8 (`RawPath`) show U+FFFD where their bad bytes were.
        out.write(RawPath.replacingInvalid(CSVReport.render(result)))
        out.flush()
        // Errors are not rows of the table: they go to standard error.
        for e in result.allErrors { run.note("logscan: \(e.source): \(e.message)") }
    }
}
