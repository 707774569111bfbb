import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// Where a report's bytes go: standard output in the command line, memory in tests.
public protocol ReportOutput: AnyObject {
    func write(_ text: String)
    func write(bytes: [UInt8])
    /// Bytes the caller keeps; the output may write them straight through, uncopied.
    func write(raw: UnsafeRawBufferPointer)
    func flush()
}

/// What a report is about, handed to a sink when it is made.
public struct ReportRun: Sendable {
    public enum Mode: Sendable, Equatable {
        /// `scan`: every bundle arrives finished, in plan order, through `bundle(_:rendered:)`.
        case scan
        /// `follow`: lines and causes arrive as they are found (`event`, `finding`, `error`),
        /// then each bundle's final report at the end.
        case follow(fromStart: Bool)
    }
    public var mode: Mode
    /// The paths as given on the command line.
    public var paths: [String]
    public var options: AnalysisOptions
    /// The loaded causes by id (their summaries and references, for reports that show them).
    public var causes: [String: CauseDefinition]
    /// Colour for the text format.
    public var style: TextStyle
    /// `-q`: no progress or notices on standard error (errors still).
    public var quiet: Bool
    /// Threads a sink may use to render one large bundle.
    public var jobs: Int
    /// Writes a line to standard error (notes for people that must not mix with the report).
    public var note: @Sendable (String) -> Void
    /// `--all-unrecognized`: the text report lists every kind of unrecognized error.
    public var allUnrecognized = false
    /// How the text report is laid out (width, summary only, timeline, `-v`).
    public var text = TextOptions()
    /// `--redact`: every sink is wrapped in a `RedactingSink` that uses this.
    public var redactor: Redactor?

    public init(mode: Mode, paths: [String], options: AnalysisOptions = AnalysisOptions(), causes: [String: CauseDefinition] = [:],
                style: TextStyle = TextStyle(color: false), quiet: Bool = false, jobs: Int = 1,
                note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.mode = mode; self.paths = paths; self.options = options; self.causes = causes
        self.style = style; self.quiet = quiet; self.jobs = jobs; self.note = note
    }

    public var isLive: Bool { mode != .scan }
}

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
