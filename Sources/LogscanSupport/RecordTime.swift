import Foundation

/// A time as read from one record, with what is known of its zone.
public struct RecordTime: Sendable, Hashable {
    public var local: LocalDateTime
    public var zone: ZoneInfo
    /// The line gave the time of day only; the date came from elsewhere (the file's date).
    public var dateFromContext = false
    public init(local: LocalDateTime, zone: ZoneInfo) { self.local = local; self.zone = zone }
}
