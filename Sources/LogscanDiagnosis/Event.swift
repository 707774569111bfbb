import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan

/// A matched line on a bundle's timeline: a signature or a healthy marker.
public struct Event: Sendable {
    public var bundle: String
    public var source: String
    /// Position of the file in the bundle's walk (for stable ordering).
    public var fileIndex: Int
    public var line: Int
    public var ruleIndex: Int
    public var rule: String
    public var text: String
    public var captures: [String: String]
    public var format: LogFormat
    public var time: Instant?
    public var timeBasis: TimeBasis?
    public var yearInferred: Bool
    /// The cause this line is evidence for, once classified; nil for context.
    public var cause: String?
    /// The time used for ordering: the event's own, or the last one before it in its file.
    public var orderTime: Instant?

    public init(bundle: String, source: String, fileIndex: Int, line: Int, ruleIndex: Int, rule: String,
                text: String, captures: [String: String], format: LogFormat, time: Instant? = nil,
                timeBasis: TimeBasis? = nil, yearInferred: Bool = false) {
        self.bundle = bundle; self.source = source; self.fileIndex = fileIndex; self.line = line
        self.ruleIndex = ruleIndex; self.rule = rule; self.text = text; self.captures = captures
        self.format = format; self.time = time; self.timeBasis = timeBasis; self.yearInferred = yearInferred
    }

    /// The event for a scanned hit, with its resolved time; `orderTime` falls back to
    /// `previous`, the order time of the event before it in the same file.
    public init(hit: RawHit, rule: Rule, bundle: String, source: String, fileIndex: Int, format: LogFormat,
                time: ResolvedTime?, previous: Instant?) {
        self.init(bundle: bundle, source: source, fileIndex: fileIndex, line: hit.line, ruleIndex: hit.ruleIndex,
                  rule: rule.id, text: hit.text, captures: hit.captures, format: format, time: time?.instant,
                  timeBasis: time?.basis, yearInferred: time?.yearInferred ?? false)
        orderTime = self.time ?? previous
    }

    /// Timeline order: time, then source, then line; lines without a time keep their place
    /// after the line before them in the same file.
    public static func timelineOrder(_ a: Event, _ b: Event) -> Bool {
        a.timelinePosition < b.timelinePosition
    }

    var timelinePosition: TimelineOrder<String, Int> {
        TimelineOrder(time: orderTime?.nanoseconds ?? Int64.min, source: source, place: line)
    }
}
