/// The span of time one file of a bundle covers, from its first record to its last, for `gap`
/// conditions; the same for `scan` and `follow`.
public struct Coverage: Sendable {
    public var format: LogFormat
    public var start: Instant
    public var end: Instant
    /// The file's first and last lines, as evidence that the log goes on (nil when a
    /// `--since`/`--until` bound cut the span there).
    public var startEvent: Event?
    public var endEvent: Event?

    public init(format: LogFormat, start: Instant, end: Instant, startEvent: Event?, endEvent: Event?) {
        self.format = format; self.start = start; self.end = end; self.startEvent = startEvent; self.endEvent = endEvent
    }

    /// The coverage of a file from its first and last records with their resolved times.
    public init(first: EdgeRecord, at firstTime: ResolvedTime, last: EdgeRecord, at lastTime: ResolvedTime,
                bundle: String, source: String, fileIndex: Int, format: LogFormat) {
        func edge(_ r: EdgeRecord, _ t: ResolvedTime) -> Event {
            Self.edgeEvent(r, t, bundle: bundle, source: source, fileIndex: fileIndex, format: format)
        }
        self.init(format: format, start: firstTime.instant, end: lastTime.instant,
                  startEvent: edge(first, firstTime), endEvent: edge(last, lastTime))
    }

    /// The rule name shown for the first or last line of a log when it bounds a gap.
    public static let edgeRule = "log-coverage"

    /// The first or last line of a log, as evidence that the log goes on.
    static func edgeEvent(_ r: EdgeRecord, _ t: ResolvedTime, bundle: String, source: String, fileIndex: Int,
                          format: LogFormat) -> Event {
        var e = Event(bundle: bundle, source: source, fileIndex: fileIndex, line: r.line, ruleIndex: -1,
                      rule: edgeRule, text: r.text, captures: [:], format: format, time: t.instant,
                      timeBasis: t.basis, yearInferred: t.yearInferred)
        e.orderTime = t.instant
        return e
    }
}
