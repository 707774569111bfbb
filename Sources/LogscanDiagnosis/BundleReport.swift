import Foundation
import LogscanScan

/// Everything found for one bundle (one Mac).
public struct BundleReport: Sendable {
    public var name: String
    public var device: String?
    public var inputs: [InputReport]
    public var findings: [Finding]
    public var timeline: Timeline
    public var errors: [ReportError]
    /// Notes on how zone-less times were placed, for the text report.
    public var timeNotes: [String]
    /// Error-level lines no rule explains, grouped by template, most frequent first.
    public var unrecognized: [UnrecognizedKind] = []
    /// Error-level lines of kinds past the cap (counted, not grouped).
    public var unrecognizedOverflow = 0
    /// Every unrecognized error line, grouped or not.
    public var unrecognizedLines: Int { unrecognized.reduce(0) { $0 + $1.count } + unrecognizedOverflow }
    /// Set when no input of the bundle could be read as a log (binary files, a `.logarchive`,
    /// nothing but errors): why, and what to do. Such a bundle is not a healthy Mac; its
    /// reason is also one of `errors`, so the run exits 2.
    public var notDiagnosable: String? = nil
}
