import LogscanSupport

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
