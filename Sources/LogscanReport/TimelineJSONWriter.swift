import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// Writes timeline entries as JSON objects (the same bytes as `JSON.event(_, timelineEntry:
/// true)`) straight from a `Timeline`: the line's bytes are escaped from the spill buffer, and
/// the bundle, source, rule and format strings are escaped once per timeline, not per entry.
public struct TimelineJSONWriter {
    private let timeline: Timeline
    private let bundle: [UInt8]
    /// Per file: `,"bundle":…,"source":…,"line":` (built the first time the file is met).
    private var heads: [[UInt8]?]
    /// Per file, time basis (+ 1) and year flag: `,"format":…,"time_basis":…,"year_inferred":…`.
    private var tails: [[UInt8]?]
    /// Per rule (+ 1, 0: a line that is not a rule match) and cause (+ 1):
    /// `,"rule":…,"cause":…,"text":`.
    private var middles: [[UInt8]?]
    private let causes: [[UInt8]]
    /// This writer's own windows onto the spill buffers and entries, so writers can run side
    /// by side.
    private let cursors: [SpillCursor]
    private let entryCursor: EntryCursor
    /// Named groups and code explanations read back from the lines (nil: none installed).
    private let notes: EvidenceNotes? = EvidenceNotes.shared
    /// Per rule (+ 1): whether its lines can have notes (filled as rules are met).
    private var annotated: [Bool?]
    /// The date part of the last time written.
    private var day = RFC3339Day()

    public init(_ timeline: Timeline) {
        self.timeline = timeline
        var b: [UInt8] = []
        JSON.appendString(timeline.bundle, to: &b)
        bundle = b
        heads = Array(repeating: nil, count: timeline.files.count)
        tails = Array(repeating: nil, count: timeline.files.count * Self.tailKinds)
        causes = timeline.causeList.map(Self.escaped)
        middles = Array(repeating: nil, count: (timeline.ruleCount + 1) * (causes.count + 1))
        cursors = timeline.makeCursors()
        entryCursor = timeline.makeEntryCursor()
        annotated = Array(repeating: nil, count: timeline.ruleCount + 1)
    }

    private static func escaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        JSON.appendString(s, to: &out)
        return out
    }

    private let basisBytes: [[UInt8]] = TimeBasis.allCases.map { escaped($0.rawValue) }
    /// Time bases (+ 1 for none) × the year flag.
    private static let tailKinds = (TimeBasis.allCases.count + 1) * 2

    private static func key(_ k: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
    }

    private static func appendInt(_ value: Int, _ out: inout [UInt8]) {
        if value < 0 { out += String(value).utf8; return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for any Int
        var v = value
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            repeat { i -= 1; buf[i] = UInt8(truncatingIfNeeded: 48 &+ v % 10); v /= 10 } while v > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }

    /// Appends entry `i` as one JSON object. The parts that repeat from entry to entry (bundle,
    /// source, rule, cause, format, time basis) are kept as ready byte runs, so an entry is
    /// seven appends rather than twenty.
    public mutating func append(_ i: Int, to out: inout [UInt8]) {
        let e = timeline.entry(at: i, cursor: entryCursor)
        let slot = e.fileSlot
        Self.key("{\"time\":", &out)
        if let t = e.instant {
            out.append(0x22); t.appendRFC3339(to: &out, day: &day); out.append(0x22)
        } else {
            out += JSON.null
        }
        if heads[slot] == nil {
            var h: [UInt8] = []
            Self.key(",\"bundle\":", &h)
            h += bundle
            Self.key(",\"source\":", &h)
            JSON.appendString(timeline.files[slot].source, to: &h)
            Self.key(",\"line\":", &h)
            heads[slot] = h
        }
        let rule = e.rule
        let r = rule >= 0 && rule < timeline.ruleCount ? rule + 1 : 0
        let cause = e.causeSlot
        let c = cause >= 0 && cause < causes.count ? cause + 1 : 0
        let m = r * (causes.count + 1) + c
        if middles[m] == nil {
            var b: [UInt8] = []
            Self.key(",\"rule\":", &b)
            JSON.appendString(timeline.ruleName(ofRule: rule), to: &b)
            Self.key(",\"cause\":", &b)
            b += c > 0 ? causes[c - 1] : JSON.null
            Self.key(",\"text\":", &b)
            middles[m] = b
        }
        let basis = e.basisCode
        let t = slot * Self.tailKinds + (basis >= 0 && basis < basisBytes.count ? basis + 1 : 0) * 2 + (e.isYearInferred ? 1 : 0)
        if tails[t] == nil {
            var b: [UInt8] = []
            Self.key(",\"format\":", &b)
            JSON.appendString(timeline.files[slot].format.rawValue, to: &b)
            Self.key(",\"time_basis\":", &b)
            b += basis >= 0 && basis < basisBytes.count ? basisBytes[basis] : JSON.null
            Self.key(",\"year_inferred\":", &b)
            b += e.isYearInferred ? JSON.trueBytes : JSON.falseBytes
            tails[t] = b
        }
        // The closure takes locals only: one that reads `self` makes the compiler copy
        // `timeline` (a dozen references, retained and released) for every entry.
        let head = heads[slot]!, middle = middles[m]!
        if annotated[r] == nil { annotated[r] = notes?.mayAnnotate(rule: timeline.ruleName(ofRule: rule)) ?? false }
        let annotate = annotated[r]!
        let (captures, lineText) = timeline.withLine(of: e, cursors: cursors) { line, text, captures in
            out += head
            Self.appendInt(line, &out)
            out += middle
            text.withMemoryRebound(to: UInt8.self) { JSON.appendEscaped($0, to: &out) }
            return (captures, annotate ? String(decoding: text, as: UTF8.self) : nil)
        }
        out += tails[t]!
        var all = captures
        var codes: [CodeEntry] = []
        if let lineText, let notes {
            let found = notes.notes(rule: timeline.ruleName(ofRule: rule), text: lineText, captures: captures)
            all = found.captures
            codes = found.codes
        }
        if !all.isEmpty {
            Self.key(",\"captures\":", &out)
            out += JSON.captures(all)
        }
        if !codes.isEmpty {
            Self.key(",\"codes\":", &out)
            out += JSON.codes(codes)
        }
        out.append(0x7D)
    }
}
