/// What a condition that holds contributes to its cause: evidence events (by index into the
/// bundle's timeline, plus lines that are not rule matches, such as the edge of a log's
/// coverage) and a sentence saying why.
public struct ConditionResult {
    public var indexes: [Int]
    public var extra: [Event] = []
    public var reason: String

    /// A length of time as a reason states it ("95 min", "31 h 5 min").
    static func hours(_ nanoseconds: Int64) -> String {
        let minutes = nanoseconds / 60_000_000_000
        if minutes >= 120 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes) min"
    }
}

/// What a condition is evaluated over: one bundle's events in timeline order, the indexes of
/// the events of each signal (in timeline order), and the spans the bundle's logs cover.
public struct ConditionInput<Events: ClassifiableEvents> {
    public let events: Events
    let bySignal: [String: [UInt32]]
    public let coverage: [Coverage]

    /// The indexes of the events that carry `signal`, in timeline order.
    public func events(of signal: String) -> [UInt32] { bySignal[signal] ?? [] }
}
