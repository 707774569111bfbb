import Foundation
import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
import LogscanInput

/// How much one bundle's timeline can hold: event positions are 4 bytes (`UInt32`) in the
/// classifier's indexes and the timeline's order, and an entry names its file in 24 bits
/// (`TimelineEntry`). Matched lines past these are counted and reported as an error, never
/// allowed to overflow (a trap would cost every bundle's report).
public struct TimelineLimits: Sendable, Equatable {
    public var entries: Int
    public var files: Int
    public init(entries: Int = Int(UInt32.max), files: Int = TimelineEntry.maxFiles) {
        self.entries = min(entries, Int(UInt32.max))
        self.files = min(files, TimelineEntry.maxFiles)
    }
}
