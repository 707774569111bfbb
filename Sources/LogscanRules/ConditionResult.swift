import LogscanSupport

/// What a condition that holds contributes to its cause: evidence events (by index into the
/// bundle's timeline, plus lines that are not rule matches, such as the edge of a log's
/// coverage) and a sentence saying why.
public struct ConditionResult<Edge> {
    public var indexes: [Int]
    public var extra: [Edge] = []
    public var reason: String

    /// A length of time as a reason states it ("95 min", "31 h 5 min").
    package static func hours(_ nanoseconds: Int64) -> String {
        let minutes = nanoseconds / 60_000_000_000
        if minutes >= 120 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes) min"
    }
}
