import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// The geometry of a Mac's timeline picture (an inline SVG): one lane per log file, healthy
/// activity drawn as density (darker where more lines fall), evidence of causes as marks whose
/// hover text is the line. Coordinates are ready strings; the template only places them.
///
/// Size is bounded whatever the timeline's length: a fixed number of bins per lane drawn as a
/// few paths (one per shade), at most one mark per lane and pixel column, and a cap on marks.
struct TimelinePicture {
    static let width = 1000
    static let labelWidth = 190
    static let plotLeft = 200, plotRight = 988
    static let laneHeight = 24, laneGap = 6, top = 6
    static let bins = 100
    static let shades = 4
    static let maxLanes = 14
    static let maxMarks = 80
    /// Marks closer than this (in picture units) on one lane are drawn as one.
    static let markSpacing = 3.0

    var height: Int
    var viewBox: String
    var lanes: [Lane]
    var ticks: [Tick]
    var axisY: String
    var tickY: String
    var summary: String

    struct Lane {
        var label: String
        var source: String
        var y: String
        var labelY: String
        var bandHeight: String
        var shades: [Shade]
        var marks: [Mark]
    }

    struct Shade {
        var path: String
        var opacity: String
    }

    struct Mark {
        var x: String
        var y: String
        var height: String
        var severityClass: String
        var title: String
    }

    struct Tick {
        var x: String
        var label: String
        var anchor: String
    }

    /// nil when no line of the timeline has a time.
    init?(_ timeline: Timeline, scan: TimelineScan, bundle: String, severities: [String: Severity]) {
        guard let first = scan.first, let last = scan.last else { return nil }
        let t0 = first.nanoseconds, span = max(last.nanoseconds - t0, 1)
        let plotWidth = Double(Self.plotRight - Self.plotLeft)
        func x(_ t: Int64) -> Double { Double(Self.plotLeft) + plotWidth * Double(t - t0) / Double(span) }
        func bin(_ t: Int64) -> Int { min(Self.bins - 1, Int(Double(Self.bins) * Double(t - t0) / Double(span))) }

        // Lanes: files in walk order; past the cap, the rest share one lane.
        let cursor = timeline.makeEntryCursor()
        var laneOfFile = Array(repeating: -1, count: timeline.files.count)
        var laneFiles: [[Int]] = []
        var counts: [[Int]] = []
        var evidence: [[(x: Double, position: Int, merged: Int)]] = []   // per lane
        for i in timeline.indices {
            let e = timeline.entry(at: i, cursor: cursor)
            guard let t = e.instant else { continue }
            let f = e.fileSlot
            if laneOfFile[f] < 0 {
                if laneFiles.count < Self.maxLanes {
                    laneOfFile[f] = laneFiles.count
                    laneFiles.append([f]); counts.append(Array(repeating: 0, count: Self.bins)); evidence.append([])
                } else {
                    laneOfFile[f] = Self.maxLanes - 1
                    laneFiles[Self.maxLanes - 1].append(f)
                }
            }
            let lane = laneOfFile[f]
            if e.causeSlot >= 0 {
                let px = x(t.nanoseconds)
                if let previous = evidence[lane].last, px - previous.x < Self.markSpacing {
                    evidence[lane][evidence[lane].count - 1].merged += 1
                    continue
                }
                evidence[lane].append((px, i, 0))
            } else {
                counts[lane][bin(t.nanoseconds)] += 1
            }
        }
        let busiest = max(1, counts.joined().max() ?? 1)
        let binWidth = plotWidth / Double(Self.bins)
        var marksLeft = Self.maxMarks
        lanes = laneFiles.enumerated().map { index, files in
            let y = Self.top + index * (Self.laneHeight + Self.laneGap)
            let sources = files.map { TextReport.shortSource(timeline.files[$0].source, bundle: bundle) }
            let label = files.count == 1 ? MacView.fileName(sources[0]) : "\(files.count) more logs"
            // Each bin's shade: the log of its count against the busiest bin's.
            var paths = Array(repeating: "", count: Self.shades)
            for (b, c) in counts[index].enumerated() where c > 0 {
                let level = min(Self.shades - 1, Int(Double(Self.shades) * log(1 + Double(c)) / log(1 + Double(busiest) + 1e-9)))
                paths[level] += "M\(Self.number(Double(Self.plotLeft) + Double(b) * binWidth)) \(y + 3)h\(Self.number(binWidth))v\(Self.laneHeight - 6)h-\(Self.number(binWidth))z"
            }
            let shades = paths.enumerated().filter { !$0.element.isEmpty }.map { level, path in
                Shade(path: path, opacity: Self.number(0.2 + 0.8 * Double(level + 1) / Double(Self.shades)))
            }
            var marks: [Mark] = []
            for (px, k, merged) in evidence[index] where marksLeft > 0 {
                marksLeft -= 1
                let e = timeline[k]
                var title = "\(e.time?.rfc3339 ?? "(no time)")  \(TextReport.shortSource(e.source, bundle: bundle)):\(e.line)  \(e.cause ?? e.rule)\n"
                    + TextReport.clip(TextReport.messagePart(e.text), 150)
                if merged > 0 { title += "\n(and \(TextReport.plural(merged, "more evidence line")) just after)" }
                marks.append(Mark(x: Self.number(px - 1.5), y: String(y), height: String(Self.laneHeight),
                                  severityClass: MacView.severityClass(e.cause.flatMap { severities[$0] }), title: title))
            }
            return Lane(label: Self.clipMiddle(label, 28), source: files.count == 1 ? timeline.files[files[0]].source : sources.joined(separator: ", "),
                        y: String(y), labelY: String(y + Self.laneHeight / 2 + 4), bandHeight: String(Self.laneHeight),
                        shades: shades, marks: marks)
        }
        let axis = Self.top + lanes.count * (Self.laneHeight + Self.laneGap)
        axisY = String(axis)
        tickY = String(axis + 15)
        height = axis + 22
        viewBox = "0 0 \(Self.width) \(height)"
        ticks = (0...4).map { k in
            let t = t0 + span * Int64(k) / 4
            let label = Instant(nanoseconds: t).rfc3339.replacingOccurrences(of: "T", with: " ")
            return Tick(x: Self.number(x(t)), label: String(label.prefix(16)), anchor: k == 0 ? "start" : k == 4 ? "end" : "middle")
        }
        let marked = evidence.reduce(0) { $0 + $1.count }
        summary = "Timeline of \(TextReport.plural(lanes.count, "log")) from \(first.rfc3339) to \(last.rfc3339): "
            + "shaded where healthy lines fall, \(TextReport.plural(min(marked, Self.maxMarks), "mark")) for evidence of a cause."
    }

    /// `s` in at most `n` characters, cut in the middle.
    static func clipMiddle(_ s: String, _ n: Int) -> String {
        guard s.count > n else { return s }
        let head = (n - 1) / 2
        return String(s.prefix(head)) + "…" + String(s.suffix(n - 1 - head))
    }

    /// A coordinate with at most one decimal.
    static func number(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
