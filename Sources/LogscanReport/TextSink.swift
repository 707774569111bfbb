import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// `--format text`: for people. `scan` writes the whole report at the end (its first line counts
/// what follows); `follow` writes each matched line and cause as it comes, then a summary.
public final class TextSink: ReportSink {
    public static let supportsFollow = true
    private let run: ReportRun
    private let out: ReportOutput
    private var style: TextStyle { run.style }
    /// Each bundle's part, in order, until the report's head can be written: rendered ahead
    /// (several Macs, so with their time notes), or in parts, the notes kept apart until it is
    /// known whether the report is of one Mac (whose notes are said at the top).
    private var renderedBundles: [Rendered] = []
    private enum Rendered {
        case whole(String)
        case parts(head: String, notes: String, body: String)
    }

    public init(run: ReportRun, output: ReportOutput) {
        self.run = run
        self.out = output
    }

    public var bundleRenderer: (@Sendable (BundleReport, SpillBuffer) -> Void)? {
        let style = self.style, options = run.text
        return { report, buffer in buffer.append(Array(TextReport.renderBundle(report, style: style, options: options).utf8)) }
    }

    public func begin() {
        if case .follow(let fromStart) = run.mode, !run.quiet {
            run.note("logscan: following \(TerminalText.escaped(run.paths.joined(separator: ", ")))\(fromStart ? " from the start" : ""); Ctrl-C for the summary")
        }
    }

    public func bundle(_ report: BundleReport, rendered: SpillBuffer?) {
        guard !run.isLive else { return }
        if let rendered {
            var bytes: [UInt8] = []
            rendered.forEachPiece { bytes += $0 }
            renderedBundles.append(.whole(String(decoding: bytes, as: UTF8.self)))
        } else {
            let p = TextReport.renderBundleParts(report, style: style, options: run.text)
            renderedBundles.append(.parts(head: p.head, notes: p.notes, body: p.body))
        }
    }

    public func event(_ e: Event) {
        out.write(TextReport.timelineRow(e, bundle: e.bundle, style: style, width: run.text.width) + "\n")
        out.flush()
    }

    public func finding(_ f: Finding, device: String?) {
        out.write("\n" + style.red(style.bold("▶ cause found in \(TerminalText.escaped(f.bundle))")) + "\n" + TextReport.renderFinding(f, bundle: f.bundle, style: style, width: run.text.width) + "\n")
        out.flush()
    }

    public func error(_ e: ReportError) {
        run.note("logscan: \(TerminalText.escaped(e.source)): \(TerminalText.escaped(e.message))")
    }

    public func note(source: String, message: String) {
        out.write(style.dim("   note: \(TerminalText.escaped(source)): \(TerminalText.escaped(message))") + "\n")
        out.flush()
    }

    public func finish(_ result: ScanResult) {
        guard run.isLive else {
            let fleet = renderedBundles.count > 1
            let parts = renderedBundles.map { r -> String in
                switch r {
                case .whole(let s): return s
                case .parts(let head, let notes, let body): return head + (fleet ? notes : "") + body
                }
            }
            out.write(TextReport.render(result, renderedBundles: parts, style: style, options: run.text))
            out.flush()
            return
        }
        let bundles = result.bundles
        out.write("\n" + style.bold("Summary") + ": \(TextReport.plural(bundles.reduce(0) { $0 + $1.timeline.count }, "matched line"))\n")
        if result.redacted { out.write(style.dim("redacted: names, addresses, IDs and secrets are pseudonyms (--redact)") + "\n") }
        for b in bundles {
            for f in b.findings {
                out.write("   " + style.red(f.cause) + " — \(TerminalText.escaped(f.title)) (\(TextReport.plural(f.count, "evidence line")), \(TerminalText.escaped(b.name)))\n")
            }
        }
        if result.findings.isEmpty { out.write("   " + style.green("no cause found") + "\n") }
        out.flush()
    }
}
