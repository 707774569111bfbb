import LogscanSupport

/// `gap`: no `signal` line for `min` or more while logs of the `coverage` formats go on (a Mac
/// that stopped checking in while jamf.log kept being written).
public struct GapCondition: CauseCondition, Hashable {
    public static let kind = "gap"
    public static let keys = ["signal", "min", "coverage"]
    public let signal: String
    public let min: Duration
    public let coverage: Set<LogFormat>

    public init(signal: String, min: Duration, coverage: Set<LogFormat>) {
        self.signal = signal; self.min = min; self.coverage = coverage
    }

    public init?(reading r: inout ConditionReader) {
        guard let signal = r.string("signal") else { r.missing("`signal`"); return nil }
        guard let min = r.duration("min") else { r.missing("a `min` duration such as 24h"); return nil }
        guard let coverage = r.formats("coverage") else { r.missing("`coverage` formats"); return nil }
        self.init(signal: signal, min: min, coverage: coverage)
    }

    public var signalNames: [String] { [signal] }

    public var description: String {
        "no \(signal) line for \(min.description) or more while the \(coverage.map(\.rawValue).sorted().joined(separator: "/")) log goes on"
    }

    /// The covered spans of the condition's formats, sorted: pieces of one log (rotated files)
    /// join when the hole between them is shorter than `min`.
    func spans<Edge>(_ coverage: [CoverageSpan<Edge>]) -> [CoverageSpan<Edge>] {
        let pieces = coverage.filter { self.coverage.contains($0.format) && $0.start <= $0.end }.sorted { $0.start < $1.start }
        var merged: [CoverageSpan<Edge>] = []
        for p in pieces {
            if var last = merged.last, p.start.nanoseconds - last.end.nanoseconds < min.nanoseconds {
                if p.end > last.end { last.end = p.end; last.endEvent = p.endEvent }
                merged[merged.count - 1] = last
            } else {
                merged.append(p)
            }
        }
        return merged
    }

    /// Gaps of `min` or more between beats inside the covered spans.
    public func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>? {
        let merged = spans(input.coverage)
        guard !merged.isEmpty else { return nil }
        let events = input.events, beats = input.events(of: signal)
        // Beats are in timeline order, so those with a time are in time order: one pass over
        // them serves every span (spans are sorted and apart).
        var evidence: [Int] = []
        var longest: Int64 = 0
        var edgeEvents: [Edge] = []
        var cursor = 0
        for span in merged {
            var previous: (time: Instant, index: Int?) = (span.start, nil)
            func step(to time: Instant, _ index: Int?) {
                let length = time.nanoseconds - previous.time.nanoseconds
                if length >= min.nanoseconds {
                    longest = Swift.max(longest, length)
                    if let ai = previous.index { evidence.append(ai) } else if let e = span.startEvent { edgeEvents.append(e) }
                    if let bi = index { evidence.append(bi) } else if let e = span.endEvent { edgeEvents.append(e) }
                }
                previous = (time, index)
            }
            while cursor < beats.count {
                let beat = Int(beats[cursor])
                guard let t = events.time(at: beat) else { cursor += 1; continue }
                if t < span.start { cursor += 1; continue }
                if t > span.end { break }
                step(to: t, beat)
                cursor += 1
            }
            step(to: span.end, nil)
        }
        guard longest > 0 else { return nil }
        return ConditionResult(indexes: evidence, extra: edgeEvents,
                               reason: "no \(signal) for \(ConditionResult<Edge>.hours(longest)) while the log goes on (threshold \(min.description))")
    }
}

extension GapCondition {
    public func makeTracker() -> any ConditionTracker { Tracker(self) }

    /// The beats in order, the pairs of consecutive beats `min` or more apart, and the covered
    /// spans (a handful: one per log file). Whether a span holds a long step is then a few
    /// searches: its first and last beat, and the first long pair inside it.
    final class Tracker: ConditionTracker {
        struct Pair { var from: LivePosition; var to: LivePosition }
        let condition: GapCondition
        var beats: [LivePosition] = []
        /// Consecutive beats at least `min` (and more than nothing) apart, in order.
        var longPairs: [Pair] = []
        /// The covered spans (merged as `evaluate` merges them), and whether each has an edge line.
        var spans: [(start: Int64, end: Int64, hasEdge: Bool)] = []
        private(set) var holds = false
        init(_ condition: GapCondition) { self.condition = condition }

        var threshold: Int64 { condition.min.nanoseconds }
        /// A step that makes the condition hold: long, and longer than nothing.
        func counts(_ length: Int64) -> Bool { length >= Swift.max(threshold, 1) }

        func add(_ event: TrackedEvent) {
            guard event.isTimed, event.carries(condition.signal) else { return }
            let at = beats.partitionFromEnd { $0 > event.position }
            let before = at > 0 ? beats[at - 1] : nil, after = at < beats.count ? beats[at] : nil
            if let before, let after, counts(after.order.time - before.order.time) {
                let k = longPairs.partitionFromEnd { $0.from >= before }
                longPairs.remove(at: k)
            }
            beats.insert(event.position, at: at)
            if let before, counts(event.time - before.order.time) {
                longPairs.insert(Pair(from: before, to: event.position), at: longPairs.partitionFromEnd { $0.from > before })
            }
            if let after, counts(after.order.time - event.time) {
                longPairs.insert(Pair(from: event.position, to: after), at: longPairs.partitionFromEnd { $0.from > event.position })
            }
            holds = evaluateSpans()
        }

        func update<Edge>(coverage: [CoverageSpan<Edge>]) {
            spans = condition.spans(coverage).map {
                ($0.start.nanoseconds, $0.end.nanoseconds, $0.startEvent != nil || $0.endEvent != nil)
            }
            holds = evaluateSpans()
        }

        /// The beats inside a span, as a range of `beats`.
        func beats(in span: (start: Int64, end: Int64, hasEdge: Bool)) -> Range<Int> {
            let first = beats.partitionFromEnd { $0.order.time >= span.start }
            let end = beats.partitionFromEnd { $0.order.time > span.end }
            return first..<Swift.max(first, end)
        }

        /// Whether some span has a step long enough, and some long step has a line to show.
        func evaluateSpans() -> Bool {
            var long = false, shown = false
            for span in spans {
                let inside = beats(in: span)
                if inside.isEmpty {
                    let length = span.end - span.start
                    long = long || counts(length)
                    shown = shown || (length >= threshold && span.hasEdge)
                    continue
                }
                let first = beats[inside.lowerBound].order.time - span.start
                let last = span.end - beats[inside.upperBound - 1].order.time
                let k = longPairs.partitionFromEnd { $0.from >= beats[inside.lowerBound] }
                let pair = k < longPairs.count && longPairs[k].to <= beats[inside.upperBound - 1]
                long = long || counts(first) || counts(last) || pair
                // Every step that touches a beat shows it; with no threshold every step is long.
                shown = shown || first >= threshold || last >= threshold || pair || threshold <= 0
            }
            return long && shown
        }

        func isEvidence(_ event: TrackedEvent) -> Bool {
            guard holds, event.isTimed, event.carries(condition.signal) else { return false }
            let t = event.time
            guard let span = spans.first(where: { $0.start <= t && t <= $0.end }) else { return false }
            let at = beats.partitionFromEnd { $0 >= event.position }
            let previous = at > 0 && beats[at - 1].order.time >= span.start ? beats[at - 1].order.time : span.start
            let next = at + 1 < beats.count && beats[at + 1].order.time <= span.end ? beats[at + 1].order.time : span.end
            return t - previous >= threshold || next - t >= threshold
        }
    }
}
