import LogscanSupport

/// An event as trackers see it.
public struct TrackedEvent {
    /// Its place on the timeline; its order time is its time when it has one.
    package var position: LivePosition
    /// Whether it has a time of its own (lines without one only follow the line before them).
    package var isTimed: Bool
    package var format: LogFormat
    package var captures: [String: String]
    /// The signals of the rule it matched.
    package var signals: [String]

    package init(position: LivePosition, isTimed: Bool, format: LogFormat, captures: [String: String], signals: [String]) {
        self.position = position; self.isTimed = isTimed; self.format = format; self.captures = captures; self.signals = signals
    }

    var time: Int64 { position.order.time }
    func carries(_ signal: String) -> Bool { signals.contains(signal) }
}
