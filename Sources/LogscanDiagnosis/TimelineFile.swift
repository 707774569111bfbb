import LogscanRules
import LogscanScan


/// What a timeline knows about one of its files.
public struct TimelineFile: Sendable {
    public var source: String
    public var fileIndex: Int
    public var format: LogFormat
    public var store: SpillBuffer
}
