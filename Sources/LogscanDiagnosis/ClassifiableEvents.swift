import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan

/// What the classifier reads of a bundle's events, so it can work on a `Timeline` (fields
/// read from memory, lines from the spill buffer only for evidence) or a plain array.
/// Conditions read the fields (`ConditionEvents`); the classifier also makes the evidence's events.
public protocol ClassifiableEvents: ConditionEvents {
    func event(at i: Int) -> Event
}

extension Timeline: ConditionEvents, ClassifiableEvents {
    public func event(at i: Int) -> Event { self[i] }
}

extension Array: ConditionEvents, ClassifiableEvents where Element == Event {
    public func ruleIndex(at i: Int) -> Int { self[i].ruleIndex }
    public func time(at i: Int) -> Instant? { self[i].time }
    public func format(at i: Int) -> LogFormat { self[i].format }
    public func captures(at i: Int) -> [String: String] { self[i].captures }
    public func event(at i: Int) -> Event { self[i] }
}
