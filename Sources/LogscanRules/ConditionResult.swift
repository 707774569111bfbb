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

/// What a condition is evaluated over: one bundle's events in timeline order, the indexes of
/// the events of each signal (in timeline order), and the spans the bundle's logs cover.
public struct ConditionInput<Events: ConditionEvents, Edge: Sendable> {
    public let events: Events
    let bySignal: [String: [UInt32]]
    public let coverage: [CoverageSpan<Edge>]

    package init(events: Events, bySignal: [String: [UInt32]], coverage: [CoverageSpan<Edge>]) {
        self.events = events; self.bySignal = bySignal; self.coverage = coverage
    }

    /// The indexes of the events that carry `signal`, in timeline order.
    public func events(of signal: String) -> [UInt32] { bySignal[signal] ?? [] }
}

/// What a condition reads of a bundle's events, by index in timeline order. The diagnosis
/// provides it over a `Timeline` (fields in memory, lines from the spill buffer only for
/// evidence) or a plain array of events.
public protocol ConditionEvents {
    var count: Int { get }
    func ruleIndex(at i: Int) -> Int
    func time(at i: Int) -> Instant?
    func format(at i: Int) -> LogFormat
    func captures(at i: Int) -> [String: String]
    /// Events to walk one list of indexes with, alongside walks of other lists: reads through
    /// one do not move where the others read (a spilled timeline's chunk cursor).
    func separateWalk() -> Self
}

extension ConditionEvents {
    public func separateWalk() -> Self { self }
}
