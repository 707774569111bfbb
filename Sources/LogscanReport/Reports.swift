import Foundation
import LogscanCore

/// The whole result of a scan, across bundles.
public struct ScanResult: Sendable {
    public var bundles: [BundleReport]
    /// Errors that belong to no bundle (a path that does not exist, a bad argument).
    public var errors: [ReportError]
    public init(bundles: [BundleReport], errors: [ReportError]) { self.bundles = bundles; self.errors = errors }

    public var allErrors: [ReportError] { errors + bundles.flatMap(\.errors) }
    public var findings: [Finding] { bundles.flatMap(\.findings) }

    /// cli.md: 2 for any error (it wins), else 1 when a cause was found, else 0.
    public var exitCode: Int32 {
        if !allErrors.isEmpty { return 2 }
        return findings.isEmpty ? 0 : 1
    }
}

/// `--format json`: one document (findings.schema.json), bundles sorted by name.
public enum JSONReport {
    public static func render(_ result: ScanResult) -> String {
        var out: [UInt8] = []
        write(result) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the document piece by piece (one timeline entry at a time), so a report with
    /// hundreds of thousands of entries is never held as one string.
    public static func write(_ result: ScanResult, to sink: ([UInt8]) -> Void) {
        let bundles = result.bundles
        func array(_ key: String, first: Bool = false, _ objects: [JSONObject]) {
            sink(Array(((first ? "{\"schema\":\"logscan/1\"," : ",") + "\"\(key)\":[").utf8))
            for (i, o) in objects.enumerated() { sink((i > 0 ? [0x2C] : []) + o.closed) }
            sink([0x5D])
        }
        array("inputs", first: true, bundles.flatMap(\.inputs).map(JSON.input))
        array("findings", bundles.flatMap { b in b.findings.map { JSON.finding($0, device: b.device) } })
        sink(Array(",\"timeline\":[".utf8))
        var firstEntry = true
        for b in bundles {
            for e in b.timeline {
                sink((firstEntry ? [] : [0x2C]) + JSON.event(e, timelineEntry: true).closed)
                firstEntry = false
            }
        }
        sink([0x5D])
        array("errors", result.allErrors.map(JSON.error))
        array("bundles", bundles.map(JSON.bundle))
        sink(Array("}\n".utf8))
    }
}

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

    public static func summary(findings: [(Finding, String?)], exitCode: Int32, inputs: Int, bundles: Int) -> String {
        var o = JSONObject()
        o.add("findings", objects: findings.map { JSON.finding($0.0, device: $0.1) })
        o.add("exit_code", Int(exitCode))
        o.add("inputs", inputs)
        o.add("bundles", bundles)
        return line(type: "summary", o)
    }

    /// A whole batch result as ndjson (objects in report order, summary last).
    public static func render(_ result: ScanResult) -> String {
        var out = ""
        for b in result.bundles {
            for i in b.inputs { out += input(i) }
            for e in b.timeline { out += event(e) }
            for f in b.findings { out += finding(f, device: b.device) }
        }
        for e in result.allErrors { out += error(e) }
        out += summary(findings: result.bundles.flatMap { b in b.findings.map { ($0, b.device) } },
                       exitCode: result.exitCode, inputs: result.bundles.reduce(0) { $0 + $1.inputs.count },
                       bundles: result.bundles.count)
        return out
    }
}

/// `--format csv`: one row per bundle and cause, for a spreadsheet.
public enum CSVReport {
    public static func render(_ result: ScanResult) -> String {
        var out = "bundle,device,cause,severity,first_seen,last_seen,evidence_count\n"
        for b in result.bundles {
            for f in b.findings {
                let cells = [b.name, b.device ?? "", f.cause, f.severity.rawValue, f.firstSeen?.rfc3339 ?? "",
                             f.lastSeen?.rfc3339 ?? "", String(f.count)]
                out += cells.map(field).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func field(_ s: String) -> String {
        // Quote when needed; neutralise spreadsheet formulas.
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
