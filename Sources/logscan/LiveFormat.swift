import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// `follow --format`: any format parses (so that `--format json` gets follow's own message),
/// but help lists only the formats follow writes.
struct LiveFormat: ExpressibleByArgument {
    let format: ReportFormat
    init(_ format: ReportFormat) { self.format = format }
    init?(argument: String) {
        guard let format = ReportFormat(rawValue: argument) else { return nil }
        self.format = format
    }
    static var allValueStrings: [String] { ReportFormat.live.map(\.rawValue) }
    var defaultValueDescription: String { format.rawValue }
}
