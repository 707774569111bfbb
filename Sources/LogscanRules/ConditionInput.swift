import LogscanSupport

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
