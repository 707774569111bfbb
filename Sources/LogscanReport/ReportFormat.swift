import LogscanRules
import LogscanScan

/// The output formats, each with its sink. Adding a format is one new `ReportSink` file and one
/// case here.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, ndjson, csv, html, markdown

    public var sinkType: any ReportSink.Type {
        switch self {
        case .text: TextSink.self
        case .json: JSONSink.self
        case .ndjson: NDJSONSink.self
        case .csv: CSVSink.self
        case .html: HTMLSink.self
        case .markdown: MarkdownSink.self
        }
    }

    /// The sink for this format; with `run.redactor`, behind the redaction layer (which also
    /// redacts the paths the sink is told about).
    public func makeSink(run: ReportRun, output: ReportOutput) -> any ReportSink {
        guard let redactor = run.redactor else { return sinkType.init(run: run, output: output) }
        var inner = run
        inner.paths = run.paths.map { redactor.redact($0) }
        return RedactingSink(wrapping: sinkType.init(run: inner, output: output), run: run, redactor: redactor)
    }

    /// "a, b or c", for help and messages.
    public static func list(_ formats: [ReportFormat]) -> String {
        let names = formats.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
