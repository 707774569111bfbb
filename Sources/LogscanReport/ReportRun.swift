import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis

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
