import Foundation
import LogscanSupport
import LogscanScan

/// A resolved time with how it was obtained.
public struct ResolvedTime: Sendable {
    public var instant: Instant
    public var basis: TimeBasis
    public var yearInferred: Bool
}
