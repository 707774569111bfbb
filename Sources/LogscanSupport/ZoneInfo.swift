import Foundation

/// How the zone of a parsed time is known.
public enum ZoneInfo: Sendable, Hashable {
    /// The line carries an explicit UTC offset, in seconds east of UTC.
    case offset(Int)
    /// The format is documented to write UTC.
    case utc
    /// The Mac's local wall clock, zone not written.
    case local
}
