import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// `--redact`: a layer in front of any format's sink. Everything the sink is handed — each
/// bundle, each live event, finding and error, and the final result — is redacted first by one
/// `Redactor`, so every format (and any format added later) shows the same pseudonyms and none
/// can forget a field.
///
/// Bundles come to it whole and in plan order (it renders nothing ahead on worker threads), so
/// a bundle is learnt whole before any of it is written and pseudonyms are numbered the same on
/// every run.
public final class RedactingSink: ReportSink {
    public static let supportsFollow = true
    public let redactor: Redactor
    private let inner: any ReportSink
    private let run: ReportRun
    /// The redacted bundles handed on, in order, for `finish` (timelines dropped in `scan`).
    private var redactedBundles: [BundleReport] = []

    /// Wraps `inner`, a sink made for `run` with its paths already redacted.
    public init(wrapping inner: any ReportSink, run: ReportRun, redactor: Redactor) {
        self.inner = inner
        self.run = run
        self.redactor = redactor
    }

    /// As a format of its own: a redacted text report.
    public convenience init(run: ReportRun, output: ReportOutput) {
        let redactor = run.redactor ?? Redactor()
        var textRun = run
        textRun.paths = run.paths.map { redactor.redact($0) }
        self.init(wrapping: TextSink(run: textRun, output: output), run: run, redactor: redactor)
    }

    public func begin() {
        if run.isLive && !run.quiet {
            run.note("logscan: redacted: names, addresses, IDs and secrets are replaced by pseudonyms (--redact)")
        }
        inner.begin()
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        // `rendered` is always nil: `bundleRenderer` is nil, so the engine hands bundles whole.
        let redacted = redactor.redact(report)
        inner.bundle(redacted, rendered: nil)
        var kept = redacted
        if !run.isLive { kept.timeline = [] }
        redactedBundles.append(kept)
    }

    public func event(_ event: Event) { inner.event(redactor.redact(event)) }

    public func finding(_ finding: Finding, device: String?) {
        inner.finding(redactor.redact(finding), device: device.map { redactor.redact($0) })
    }

    public func error(_ error: ReportError) { inner.error(redactor.redact(error)) }

    public func note(source: String, message: String) {
        inner.note(source: redactor.redact(source), message: redactor.redact(message))
    }

    public func finish(_ result: ScanResult) {
        var out = result
        if redactedBundles.count == result.bundles.count {
            out.bundles = redactedBundles
        } else {
            out.bundles = result.bundles.map { redactor.redact($0) }
        }
        out.errors = result.errors.map { redactor.redact($0) }
        out.redacted = true
        inner.finish(out)
    }
}
