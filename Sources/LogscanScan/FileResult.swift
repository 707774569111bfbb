import Foundation
import LogscanRules

/// What scanning one file produced, before times are resolved.
public struct FileResult: Sendable {
    public var source: String
    public var fileIndex: Int
    public var format: DetectedFormat
    public var modificationDate: Date?
    /// The hits in file order, with their record times as written until resolved.
    public var hits: EntryList
    /// Where the hits' lines and captures are kept.
    public var store: SpillBuffer
    public var first: EdgeRecord?
    public var last: EdgeRecord?
    public var input: InputReport
    public var problems: [ScanProblem]
    /// Set by time resolution when the year walk reached its floor: the earliest believable
    /// year, and how many times were left without one (see `TimeResolver.maxYearsBack`).
    public var yearFloor: (year: Int, unplaced: Int)? = nil
    /// Error-level lines no rule matched, by template (times as written).
    public var unrecognized = UnrecognizedCollector()
}
