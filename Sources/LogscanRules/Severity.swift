import LogscanInput
import LogscanPCRE2

/// How serious a cause is (the `severity` enum of findings.schema.json).
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical
    package var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
