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
