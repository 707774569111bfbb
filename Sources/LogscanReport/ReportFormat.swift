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

    public func makeSink(run: ReportRun, output: ReportOutput) -> any ReportSink {
        sinkType.init(run: run, output: output)
    }

    /// "a, b or c", for help and messages.
    public static func list(_ formats: [ReportFormat]) -> String {
        let names = formats.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
