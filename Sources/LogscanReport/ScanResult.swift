import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// The whole result of a scan, across bundles.
public struct ScanResult: Sendable {
    public var bundles: [BundleReport]
    /// Errors that belong to no bundle (a path that does not exist, a bad argument).
    public var errors: [ReportError]
    /// Whether names, addresses and IDs were replaced by pseudonyms (`--redact`).
    public var redacted = false
    public init(bundles: [BundleReport], errors: [ReportError]) { self.bundles = bundles; self.errors = errors }

    public var allErrors: [ReportError] { errors + bundles.flatMap(\.errors) }
    public var findings: [Finding] { bundles.flatMap(\.findings) }

    /// cli.md: 2 for any error (it wins), else 1 when a cause was found, else 0.
    public var exitCode: Int32 {
        if !allErrors.isEmpty { return 2 }
        return findings.isEmpty ? 0 : 1
    }
}

extension BundleReport {
    /// The bundle's findings in the order a reader should act on them: most severe first, then
    /// as found (by first_seen).
    public var findingsBySeverity: [Finding] {
        findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            return a.offset < b.offset
        }.map(\.element)
    }
}
