import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// `--since` / `--until` values.
enum TimeArgument {
    static func parse(_ text: String) -> Instant? { parseTimeArgument(text) }
}
