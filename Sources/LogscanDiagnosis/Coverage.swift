import LogscanRules
import LogscanScan
import LogscanSupport

/// A file's coverage as the diagnosis keeps it: its first and last lines are events.
public typealias Coverage = CoverageSpan<Event>

extension CoverageSpan where Edge == Event {
    public init(first: EdgeRecord, at firstTime: ResolvedTime, last: EdgeRecord, at lastTime: ResolvedTime,
                bundle: String, source: String, fileIndex: Int, format: LogFormat) {
        func edge(_ r: EdgeRecord, _ t: ResolvedTime) -> Event {
            Self.edgeEvent(r, t, bundle: bundle, source: source, fileIndex: fileIndex, format: format)
        }
        self.init(format: format, start: firstTime.instant, end: lastTime.instant,
                  startEvent: edge(first, firstTime), endEvent: edge(last, lastTime))
    }

    /// The rule name shown for the first or last line of a log when it bounds a gap.
    public static var edgeRule: String { "log-coverage" }

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
