import LogscanSupport

/// `repeat`: `min` or more separate occurrences of `signal`; lines within `cluster` of the one
/// before are one occurrence.
public struct RepeatCondition: CauseCondition, Hashable {
    public static let kind = "repeat"
    public static let keys = ["signal", "min", "cluster"]
    public let signal: String
    public let min: Int
    public let cluster: Duration

    public init(signal: String, min: Int, cluster: Duration) {
        self.signal = signal; self.min = min; self.cluster = cluster
    }

    public init?(reading r: inout ConditionReader) {
        guard let signal = r.string("signal") else { r.missing("`signal`"); return nil }
        guard let min = r.count("min") else { r.missing("a whole `min` count"); return nil }
        self.init(signal: signal, min: min, cluster: r.duration("cluster") ?? Duration(seconds: 0))
    }

    public var signalNames: [String] { [signal] }

    public var description: String {
        "\(min) or more separate \(signal) occurrences (lines within \(cluster.description) count as one)"
    }

    public func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>? {
        var occurrences: [Int] = []
        var lastTime: Instant? = nil
        let timed = input.events(of: signal).compactMap { i in input.events.time(at: Int(i)).map { ($0, Int(i)) } }
            .sorted { $0 < $1 }
        for (t, i) in timed {
            if let last = lastTime, t.nanoseconds - last.nanoseconds <= cluster.nanoseconds {
                lastTime = t
                continue
            }
            occurrences.append(i)
            lastTime = t
        }
        guard occurrences.count >= min else { return nil }
        return ConditionResult(indexes: occurrences,
                               reason: "\(occurrences.count) separate \(signal) occurrences (lines within \(cluster.description) count as one)")
    }
}

extension RepeatCondition {
    public func makeTracker() -> any ConditionTracker { Tracker(self) }

    /// The timed lines in order and how many of them start an occurrence (more than `cluster`
    /// after the line before): a new line changes that for itself and the line after it only.
    final class Tracker: ConditionTracker {
        let condition: RepeatCondition
        var lines: [LivePosition] = []
        var starts = 0
        init(_ condition: RepeatCondition) { self.condition = condition }

        func startsOccurrence(_ k: Int) -> Bool {
            k == 0 || lines[k].order.time - lines[k - 1].order.time > condition.cluster.nanoseconds
        }

        func add(_ event: TrackedEvent) {
            guard event.isTimed, event.carries(condition.signal) else { return }
            let at = lines.partitionFromEnd { $0 > event.position }
            if at < lines.count, startsOccurrence(at) { starts -= 1 }
            lines.insert(event.position, at: at)
            if startsOccurrence(at) { starts += 1 }
            if at + 1 < lines.count, startsOccurrence(at + 1) { starts += 1 }
        }

        var holds: Bool { starts >= condition.min }

        func isEvidence(_ event: TrackedEvent) -> Bool {
            guard holds, event.isTimed, event.carries(condition.signal) else { return false }
            let at = lines.partitionFromEnd { $0 >= event.position }
            return at < lines.count && lines[at] == event.position && startsOccurrence(at)
        }
    }
}
