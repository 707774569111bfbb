import LogscanSupport

/// `span`: `failure` lines spanning `min` or more with no `success` line between them (only
/// lines of `formats`, when given).
public struct SpanCondition: CauseCondition, Hashable {
    public static let kind = "span"
    public static let keys = ["failure", "success", "min", "formats"]
    public let failure: String
    public let success: String
    public let min: Duration
    public let formats: Set<LogFormat>?

    public init(failure: String, success: String, min: Duration, formats: Set<LogFormat>?) {
        self.failure = failure; self.success = success; self.min = min; self.formats = formats
    }

    public init?(reading r: inout ConditionReader) {
        guard let failure = r.string("failure"), let success = r.string("success") else { r.missing("`failure` and `success`"); return nil }
        guard let min = r.duration("min") else { r.missing("a `min` duration such as 24h"); return nil }
        self.init(failure: failure, success: success, min: min, formats: r.formats("formats"))
    }

    public var signalNames: [String] { [failure, success] }

    public var description: String {
        "\(failure) lines spanning \(min.description) or more with no \(success) line between them"
    }

    func counts(_ format: LogFormat) -> Bool { formats?.contains(format) ?? true }

    public func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>? {
        let failures = input.events(of: failure), successes = input.events(of: success)
        guard !failures.isEmpty else { return nil }
        // Both lists are in timeline order, so their timed lines are in time order: walk them
        // side by side (no copy of the, often many, success lines). At one instant failures
        // come first: a success ends a run.
        var fi = 0, si = 0
        // Each list read through its own walk: the two move through the timeline apart.
        let failureEvents = input.events.separateWalk(), successEvents = input.events.separateWalk()
        func nextTimed(_ list: [UInt32], _ k: inout Int, _ events: Events) -> (time: Instant, index: Int)? {
            while k < list.count {
                let i = Int(list[k])
                if counts(events.format(at: i)), let t = events.time(at: i) { return (t, i) }
                k += 1
            }
            return nil
        }
        var run: [Int] = []
        var runStart: Instant? = nil
        var runEnd: Instant? = nil
        var qualifying: [Int] = []
        var longest: Int64 = 0
        func close() {
            if let s = runStart, let e = runEnd, e.nanoseconds - s.nanoseconds >= min.nanoseconds {
                qualifying += run
                longest = Swift.max(longest, e.nanoseconds - s.nanoseconds)
            }
            run = []; runStart = nil; runEnd = nil
        }
        // Successes after the last failure change nothing: stop there.
        while let f = nextTimed(failures, &fi, failureEvents) {
            if let ok = nextTimed(successes, &si, successEvents), ok.time < f.time {
                close()
                si += 1
            } else {
                if runStart == nil { runStart = f.time }
                runEnd = f.time
                run.append(f.index)
                fi += 1
            }
        }
        close()
        guard !qualifying.isEmpty else { return nil }
        return ConditionResult(indexes: qualifying,
                               reason: "\(failure) lines over \(ConditionResult<Edge>.hours(longest)) with no \(success) between (threshold \(min.description))")
    }
}
