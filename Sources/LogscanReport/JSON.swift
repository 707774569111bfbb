import LogscanCore

/// A tiny JSON writer with a fixed key order (deterministic output, no Foundation encoder).
public struct JSONObject {
    private var parts: [String] = []
    public init() {}

    public mutating func add(_ key: String, _ value: String?) { parts.append(JSON.string(key) + ":" + (value.map(JSON.string) ?? "null")) }
    public mutating func add(_ key: String, _ value: Int) { parts.append(JSON.string(key) + ":" + String(value)) }
    public mutating func add(_ key: String, _ value: Int64) { parts.append(JSON.string(key) + ":" + String(value)) }
    public mutating func add(_ key: String, _ value: Bool) { parts.append(JSON.string(key) + ":" + (value ? "true" : "false")) }
    public mutating func add(_ key: String, raw: String) { parts.append(JSON.string(key) + ":" + raw) }
    public mutating func add(_ key: String, strings: [String]) { parts.append(JSON.string(key) + ":" + JSON.array(strings.map(JSON.string))) }
    public mutating func add(_ key: String, time: Instant?) { add(key, time?.rfc3339) }

    public var text: String { "{" + parts.joined(separator: ",") + "}" }
}

public enum JSON {
    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// A JSON string literal; control characters and invalid scalars are escaped.
    public static func string(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: contract objects

    public static func input(_ i: InputReport) -> JSONObject {
        var o = JSONObject()
        o.add("source", i.source)
        o.add("bundle", i.bundle)
        o.add("format", i.format)
        o.add("lines", i.lines)
        o.add("bytes", i.bytes)
        o.add("error", i.error)
        o.add("truncated_lines", i.truncatedLines)
        return o
    }

    /// An evidence line (`withBundle` adds the keys a timeline entry carries).
    public static func event(_ e: Event, timelineEntry: Bool) -> JSONObject {
        var o = JSONObject()
        o.add("time", time: e.time)
        if timelineEntry { o.add("bundle", e.bundle) }
        o.add("source", e.source)
        o.add("line", e.line)
        o.add("rule", e.rule)
        if timelineEntry { o.add("cause", e.cause) }
        o.add("text", e.text)
        o.add("format", e.format.rawValue)
        o.add("time_basis", e.timeBasis?.rawValue)
        o.add("year_inferred", e.yearInferred)
        if !e.captures.isEmpty {
            var c = JSONObject()
            for key in e.captures.keys.sorted() { c.add(key, e.captures[key]) }
            o.add("captures", raw: c.text)
        }
        return o
    }

    public static func finding(_ f: Finding, device: String?) -> JSONObject {
        var o = JSONObject()
        o.add("cause", f.cause)
        o.add("title", f.title)
        o.add("severity", f.severity.rawValue)
        o.add("bundle", f.bundle)
        if let device { o.add("device", device) }
        o.add("first_seen", time: f.firstSeen)
        o.add("last_seen", time: f.lastSeen)
        o.add("count", f.count)
        o.add("evidence", raw: array(f.evidence.map { event($0, timelineEntry: false).text }))
        o.add("fix", strings: f.fix)
        o.add("reason", f.reason)
        return o
    }

    public static func error(_ e: ReportError) -> JSONObject {
        var o = JSONObject()
        o.add("source", e.source)
        o.add("message", e.message)
        return o
    }

    public static func bundle(_ b: BundleReport) -> JSONObject {
        var o = JSONObject()
        o.add("name", b.name)
        o.add("device", b.device)
        o.add("causes", strings: b.findings.map(\.cause))
        o.add("time_notes", strings: b.timeNotes)
        return o
    }
}
