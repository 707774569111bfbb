import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// The whole result of a scan, across bundles.
public struct ScanResult: Sendable {
    public var bundles: [BundleReport]
    /// Errors that belong to no bundle (a path that does not exist, a bad argument).
    public var errors: [ReportError]
    /// Whether names, addresses and IDs were replaced by pseudonyms (`--redact`).
    public var redacted = false
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
    /// The document written as bundles complete: the timeline first (entries are streamed and
    /// need not be kept), then inputs, findings, errors and bundles, which are small. JSON
    /// objects have no key order, so this is the same document as any other order.
    public struct Stream {
        let sink: ([UInt8]) -> Void
        private var started = false
        private var firstEntry = true

        public init(sink: @escaping ([UInt8]) -> Void) { self.sink = sink }

        private mutating func start() {
            guard !started else { return }
            started = true
            sink(Array("{\"schema\":\"logscan/1\",\"timeline\":[".utf8))
        }

        /// One bundle's timeline entries, comma-separated (for `timeline(rendered:)`), handed to
        /// `sink` in pieces of about 64 KiB; safe to run on any thread.
        public static func renderTimeline(of bundle: BundleReport, jobs: Int = 1, into sink: ([UInt8]) -> Void) {
            let n = bundle.timeline.count
            let parts = (n + partSize - 1) / partSize
            guard jobs > 1, parts > 1 else {
                var writer = TimelineJSONWriter(bundle.timeline)
                var out: [UInt8] = []
                out.reserveCapacity(1 << 16 + 4096)
                for i in 0..<n {
                    if i > 0 { out.append(0x2C) }
                    writer.append(i, to: &out)
                    if out.count >= 1 << 16 { sink(out); out.removeAll(keepingCapacity: true) }
                }
                if !out.isEmpty { sink(out) }
                return
            }
            // A long timeline is rendered in parts on `jobs` threads and written in order as
            // the parts come, with a few parts in flight at most: no core idles while one
            // writes, and memory does not grow with the timeline.
            let timeline = bundle.timeline
            OrderedParallel.run(
                count: parts, workers: jobs, window: 2 * jobs,
                makeState: { TimelineJSONWriter(timeline) },
                produce: { writer, part in
                    var out: [UInt8] = []
                    for i in (part * partSize)..<min(n, (part + 1) * partSize) {
                        if i > 0 { out.append(0x2C) }
                        writer.append(i, to: &out)
                    }
                    return out
                },
                consume: sink)
        }

        /// Timeline entries per part when a timeline is rendered on several threads: a few
        /// hundred KiB of JSON, so the parts in flight (two per thread) stay small.
        static let partSize = 1024

        /// Writes one bundle's timeline entries rendered by `renderTimeline(of:into:)`, handing
        /// the rendered pieces to `write` as they are (no copy).
        public mutating func timeline(rendered: SpillBuffer, write: (UnsafeRawBufferPointer) -> Void) {
            start()
            guard !rendered.isEmpty else { return }
            if !firstEntry { sink([0x2C]) }
            firstEntry = false
            rendered.forEachPiece(write)
        }

        /// Writes one bundle's timeline entries, on up to `jobs` threads.
        public mutating func timeline(of bundle: BundleReport, jobs: Int = 1) {
            start()
            guard !bundle.timeline.isEmpty else { return }
            if !firstEntry { sink([0x2C]) }
            firstEntry = false
            Self.renderTimeline(of: bundle, jobs: jobs, into: sink)
        }

        /// Closes the timeline and writes the rest (bundles' timelines are not needed any more).
        public mutating func finish(_ result: ScanResult) {
            start()
            let bundles = result.bundles
            sink([0x5D])
            func array(_ key: String, _ objects: [JSONObject]) {
                sink(Array(",\"\(key)\":[".utf8))
                for (i, o) in objects.enumerated() { sink((i > 0 ? [0x2C] : []) + o.closed) }
                sink([0x5D])
            }
            array("inputs", bundles.flatMap(\.inputs).map(JSON.input))
            array("findings", bundles.flatMap { b in b.findings.map { JSON.finding($0, device: b.device) } })
            array("errors", result.allErrors.map(JSON.error))
            array("unrecognized", bundles.flatMap { b in b.unrecognized.map { JSON.unrecognized($0, bundle: b.name) } })
            array("bundles", bundles.map(JSON.bundle))
            if result.redacted { sink(Array(",\"redacted\":true".utf8)) }
            sink(Array("}\n".utf8))
        }
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

extension BundleReport {
    /// The bundle's findings in the order a reader should act on them: most severe first, then
    /// as found (by first_seen).
    public var findingsBySeverity: [Finding] {
        findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// `--format csv`: one row per Mac and cause, for a spreadsheet; a Mac with no cause has one row
/// saying so (`status` healthy or not-diagnosable). Errors are not rows: they go to standard error.
public enum CSVReport {
    public static let header = "bundle,device,status,cause,title,severity,first_seen,last_seen,evidence_count,first_fix_step,redacted"

    public static func render(_ result: ScanResult) -> String {
        var out = header + "\n"
        let redacted = result.redacted ? "yes" : "no"
        for b in result.bundles {
            if b.findings.isEmpty {
                let status = b.notDiagnosable != nil ? "not-diagnosable" : "healthy"
                let title = b.notDiagnosable ?? "no known cause"
                out += [b.name, b.device ?? "", status, "", title, "", "", "", "0", "", redacted].map(field).joined(separator: ",") + "\n"
                continue
            }
            for f in b.findingsBySeverity {
                let cells = [b.name, b.device ?? "", "cause", f.cause, f.title, f.severity.rawValue, f.firstSeen?.rfc3339 ?? "",
                             f.lastSeen?.rfc3339 ?? "", String(f.count), f.fix.first ?? "", redacted]
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
