import Foundation
import LogscanSupport

/// The options that shape a diagnosis.
public struct AnalysisOptions: Sendable {
    public var timeZone: TimeZone?
    /// Where `timeZone` came from, for the report's note (`--tz` unless said otherwise).
    public var zoneSource = "--tz"
    public var since: Instant?
    public var until: Instant?
    /// The zone assumed when nothing better is known (the machine's own, by default).
    public var assumedZone: TimeZone
    /// "Now", for follow mode's year inference on files still being written.
    public var now: Date

    public init(timeZone: TimeZone? = nil, since: Instant? = nil, until: Instant? = nil,
                assumedZone: TimeZone = .current, now: Date = Date()) {
        self.timeZone = timeZone; self.since = since; self.until = until
        self.assumedZone = assumedZone; self.now = now
    }
}
