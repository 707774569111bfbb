import Foundation

/// How an event's time was obtained, so nobody mistakes a guess for a fact.
public enum TimeBasis: String, Sendable, Codable, CaseIterable {
    /// The line carries its UTC offset.
    case explicitOffset = "explicit-offset"
    /// The format is documented to write UTC (legacy Company Portal).
    case formatUTC = "format-utc"
    /// Local wall clock, placed in the zone given with `--tz`.
    case tzOption = "tz-option"
    /// Local wall clock, placed using UTC offsets seen in other logs of the same bundle.
    case inferredZone = "inferred-zone"
    /// Local wall clock, placed in the zone of the machine running logscan.
    case assumedZone = "assumed-zone"
    /// The line gave the time of day only (a Console row copied without its date): the date
    /// is the day of the file's modification time (moving on when the clock goes back).
    case dateFromFile = "date-from-file"
}

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

/// A cause found in one bundle, with its evidence and the fix.
public struct Finding: Sendable {
    public var cause: String
    public var title: String
    public var severity: Severity
    public var bundle: String
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    public var evidence: [Event]
    public var fix: [String]
    /// How the cause was established, for people: "direct", or the condition that held.
    public var reason: String
    /// The cause found in the same bundle that explains this one (its cause file's
    /// `consequence_of`), or nil for a root cause.
    public var consequenceOf: String? = nil
    public var count: Int { evidence.count }
}

/// What was read of one input.
public struct InputReport: Sendable {
    public var source: String
    public var bundle: String
    public var format: String
    public var lines: Int
    public var bytes: Int64
    public var error: String?
    public var truncatedLines: Int
    /// Stored bytes of NUL characters skipped (a block of zeros left by a crash, say).
    public var nulBytesSkipped: Int64
    /// Why the input was not read as a log, when it was not (binary content, the same file
    /// met before): it is accounted for, not lost.
    public var skipped: String?
    public init(source: String, bundle: String, format: String, lines: Int, bytes: Int64, error: String?, truncatedLines: Int,
                nulBytesSkipped: Int64 = 0, skipped: String? = nil) {
        self.source = source; self.bundle = bundle; self.format = format; self.lines = lines
        self.bytes = bytes; self.error = error; self.truncatedLines = truncatedLines
        self.nulBytesSkipped = nulBytesSkipped; self.skipped = skipped
    }

    /// `skipped` for an input whose content is not text.
    public static let binaryReason = "binary content, not a log"

    /// Whether anything was read from it as a log: text with at least one line.
    public var isReadLog: Bool { skipped == nil && lines > 0 }
}

/// An error that belongs in the report's `errors` list.
public struct ReportError: Sendable, Hashable {
    public var source: String
    public var message: String
    public init(source: String, message: String) { self.source = source; self.message = message }
}

/// Everything found for one bundle (one Mac).
public struct BundleReport: Sendable {
    public var name: String
    public var device: String?
    public var inputs: [InputReport]
    public var findings: [Finding]
    public var timeline: Timeline
    public var errors: [ReportError]
    /// Notes on how zone-less times were placed, for the text report.
    public var timeNotes: [String]
    /// Error-level lines no rule explains, grouped by template, most frequent first.
    public var unrecognized: [UnrecognizedKind] = []
    /// Error-level lines of kinds past the cap (counted, not grouped).
    public var unrecognizedOverflow = 0
    /// Every unrecognized error line, grouped or not.
    public var unrecognizedLines: Int { unrecognized.reduce(0) { $0 + $1.count } + unrecognizedOverflow }
    /// Set when no input of the bundle could be read as a log (binary files, a `.logarchive`,
    /// nothing but errors): why, and what to do. Such a bundle is not a healthy Mac; its
    /// reason is also one of `errors`, so the run exits 2.
    public var notDiagnosable: String? = nil
}

/// The options that shape a diagnosis.
public struct AnalysisOptions: Sendable {
    public var timeZone: TimeZone?
    /// Where `timeZone` came from, for the report's note (`--tz` unless said otherwise).
    public var zoneSource = "--tz"
    public var since: Instant?
    public var until: Instant?
    /// The zone assumed when nothing better is known (the machine's own, by default).
    public var assumedZone: TimeZone
    /// "Now", for follow mode's year inference on files still being written.
    public var now: Date

    public init(timeZone: TimeZone? = nil, since: Instant? = nil, until: Instant? = nil,
                assumedZone: TimeZone = .current, now: Date = Date()) {
        self.timeZone = timeZone; self.since = since; self.until = until
        self.assumedZone = assumedZone; self.now = now
    }
}
