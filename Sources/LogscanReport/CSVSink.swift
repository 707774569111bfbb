import LogscanCore

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
        out.write(CSVReport.render(result))
        out.flush()
        // Errors are not rows of the table: they go to standard error.
        for e in result.allErrors { run.note("logscan: \(e.source): \(e.message)") }
    }
}
