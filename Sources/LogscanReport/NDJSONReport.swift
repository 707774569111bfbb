import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// `--format ndjson`: one object a line, each with a `type`.
public enum NDJSONReport {
    public static func line(type: String, _ object: JSONObject) -> String {
        var o = JSONObject()
        o.add("type", type)
        var bytes = o.bytes
        let body = object.closed.dropFirst()  // without its "{"
        if body.first != 0x7D { bytes.append(0x2C) }
        bytes += body
        bytes.append(0x0A)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func input(_ i: InputReport) -> String { line(type: "input", JSON.input(i)) }
    public static func event(_ e: Event) -> String { line(type: "event", JSON.event(e, timelineEntry: true)) }
    public static func finding(_ f: Finding, device: String?) -> String { line(type: "finding", JSON.finding(f, device: device)) }
    public static func error(_ e: ReportError) -> String { line(type: "error", JSON.error(e)) }
    /// Something to know that is not an error (`follow`: a file was truncated and is read again).
    public static func note(source: String, message: String) -> String {
        var o = JSONObject()
        o.add("source", source)
        o.add("message", message)
        return line(type: "note", o)
    }

    /// `notDiagnosable`: the bundles none of whose inputs could be read as a log.
    public static func summary(findings: [(Finding, String?)], exitCode: Int32, inputs: Int, bundles: Int,
                               notDiagnosable: [String] = [], redacted: Bool = false) -> String {
        var o = JSONObject()
        if redacted { o.add("redacted", true) }
        o.add("findings", objects: findings.map { JSON.finding($0.0, device: $0.1) })
        o.add("exit_code", Int(exitCode))
        o.add("inputs", inputs)
        o.add("bundles", bundles)
        o.add("not_diagnosable", strings: notDiagnosable)
        return line(type: "summary", o)
    }

    /// One bundle's objects: inputs, events, findings, errors, handed to `sink` in pieces.
    public static func writeBundle(_ b: BundleReport, to sink: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        for i in b.inputs { out += input(i).utf8 }
        var writer = TimelineJSONWriter(b.timeline)
        let prefix = Array("{\"type\":\"event\",".utf8)
        for k in b.timeline.indices {
            // The entry's object with "type" first, as `line(type:_:)` writes it.
            out += prefix
            let start = out.count
            writer.append(k, to: &out)
            out.remove(at: start)  // the entry's own "{"
            out.append(0x0A)
            if out.count >= 1 << 16 { sink(out); out.removeAll(keepingCapacity: true) }
        }
        for f in b.findings { out += finding(f, device: b.device).utf8 }
        for u in b.unrecognized { out += line(type: "unrecognized", JSON.unrecognized(u, bundle: b.name)).utf8 }
        for e in b.errors { out += error(e).utf8 }
        if !out.isEmpty { sink(out) }
    }
}
