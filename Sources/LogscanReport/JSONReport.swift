import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

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
