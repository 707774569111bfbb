import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// One output format: the report protocol both `scan` and `follow` speak (the printer side of
/// ripgrep's searcher/printer split). Each format is one type in its own file, listed once in
/// `ReportFormat`; the commands know nothing of any format.
///
/// Calls, in order: `begin`; then for `scan` one `bundle` per Mac in plan order; for `follow`
/// any number of `event`, `finding` and `error` as they happen, then one `bundle` per Mac when
/// the session ends; finally `finish` with the whole result (whose bundles' timelines `scan` has
/// already dropped).
public protocol ReportSink: AnyObject {
    /// Whether `follow` can report in this format. Formats that only make sense as one
    /// document of a finished scan say `false`.
    static var supportsFollow: Bool { get }

    init(run: ReportRun, output: ReportOutput)

    /// Work done on the thread that analysed a bundle, while its timeline is still there
    /// (`scan` of several bundles only); what it writes comes back in `bundle(_:rendered:)`.
    /// nil when the format renders nothing ahead.
    var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? { get }

    func begin()
    /// One Mac's finished report; `rendered` holds what `bundleRenderer` wrote for it, if it ran
    /// (then `report.timeline` is empty).
    func bundle(_ report: BundleReport, rendered: SpillBuffer?)
    /// `follow`: a matched line, with its cause if established by now.
    func event(_ event: Event)
    /// `follow`: a cause established for the first time in a bundle.
    func finding(_ finding: Finding, device: String?)
    /// `follow`: an input that could not be read, as it happens.
    func error(_ error: ReportError)
    /// `follow`: something to know that is not an error (a followed file was truncated and is
    /// read again from line 1). Every format `follow` writes shows it.
    func note(source: String, message: String)
    /// The end: everything known (findings, errors, exit status).
    func finish(_ result: ScanResult)
}

public extension ReportSink {
    var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? { nil }
    func begin() {}
    func event(_ event: Event) {}
    func finding(_ finding: Finding, device: String?) {}
    func error(_ error: ReportError) {}
    func note(source: String, message: String) {}
}
