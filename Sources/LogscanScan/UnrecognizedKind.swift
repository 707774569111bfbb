import Foundation
import LogscanSupport
import LogscanRules

/// One kind of error-level line that no rule explains: a template and how often it came.
public struct UnrecognizedKind: Sendable {
    public var level: String
    public var template: MessageTemplate
    public var count: Int
    /// Times as written (while a file is scanned) ...
    public var firstWritten: RecordTime?
    public var lastWritten: RecordTime?
    /// ... and placed in UTC (once the bundle is analysed).
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    public var exampleSource: String
    public var exampleLine: Int
    public var exampleText: String
}
