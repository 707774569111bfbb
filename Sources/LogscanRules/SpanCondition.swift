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

extension SpanCondition {
    public func makeTracker() -> any ConditionTracker { Tracker(self) }

    /// The runs of failures with no success between them, as first and last time. A failure
    /// joins the run of its slot (the successes before it; at one instant failures come first),
    /// a success splits the run it falls inside; only times matter.
    final class Tracker: ConditionTracker {
        struct Run { var start: Int64; var end: Int64 }
        let condition: SpanCondition
        var failures: [Int64] = []
        var successes: [Int64] = []
        var runs: [Run] = []
        var qualifying = 0
        init(_ condition: SpanCondition) { self.condition = condition }

        func qualifies(_ r: Run) -> Bool { r.end - r.start >= condition.min.nanoseconds }
        /// How many successes come before a failure at `t`.
        func slot(_ t: Int64) -> Int { successes.partitionFromEnd { $0 >= t } }

        func replace(_ k: Int, with new: [Run]) {
            if k < runs.count && qualifies(runs[k]) { qualifying -= 1 }
            for r in new where qualifies(r) { qualifying += 1 }
            if k < runs.count { runs.replaceSubrange(k...k, with: new) } else { runs.append(contentsOf: new) }
        }

        /// The run a failure at `t` belongs to, or where a new one would go.
        func run(of t: Int64) -> (index: Int, member: Bool) {
            let s = slot(t)
            let after = runs.partitionFromEnd { $0.start > t }
            if after > 0, slot(runs[after - 1].start) == s { return (after - 1, true) }
            if after < runs.count, slot(runs[after].start) == s { return (after, true) }
            return (after, false)
        }

        func add(_ event: TrackedEvent) {
            guard event.isTimed, condition.counts(event.format) else { return }
            let t = event.time
            if event.carries(condition.failure) {
                failures.insertSorted(t)
                let (k, member) = run(of: t)
                if member {
                    let r = runs[k]
                    replace(k, with: [Run(start: Swift.min(r.start, t), end: Swift.max(r.end, t))])
                } else {
                    runs.insert(Run(start: t, end: t), at: k)
                    if qualifies(runs[k]) { qualifying += 1 }
                }
            }
            if event.carries(condition.success) {
                successes.insertSorted(t)
                // Failures at `t` stay before it; a run with failures after `t` is cut there.
                let k = runs.partitionFromEnd { $0.start > t } - 1
                guard k >= 0, runs[k].end > t else { return }
                let next = failures.partitionFromEnd { $0 > t }
                replace(k, with: [Run(start: runs[k].start, end: failures[next - 1]), Run(start: failures[next], end: runs[k].end)])
            }
        }

        var holds: Bool { qualifying > 0 }

        func isEvidence(_ event: TrackedEvent) -> Bool {
            guard holds, event.isTimed, condition.counts(event.format), event.carries(condition.failure) else { return false }
            let (k, member) = run(of: event.time)
            return member && qualifies(runs[k])
        }
    }
}
