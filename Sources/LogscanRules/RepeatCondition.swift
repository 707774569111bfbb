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
