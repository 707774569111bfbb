import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// One pass over a timeline's entries for what a report's header says of it: the first and
/// last time, and how the times were obtained.
struct TimelineScan {
    var first: Instant?
    var last: Instant?
    var untimed = 0
    var basisCounts: [(basis: TimeBasis, count: Int)] = []

    init(_ timeline: Timeline) {
        var counts = Array(repeating: 0, count: TimeBasis.allCases.count)
        let cursor = timeline.makeEntryCursor()
        for i in timeline.indices {
            let e = timeline.entry(at: i, cursor: cursor)
            guard let t = e.instant else { untimed += 1; continue }
            if first == nil || t < first! { first = t }
            if last == nil || t > last! { last = t }
            if e.basisCode >= 0 && e.basisCode < counts.count { counts[e.basisCode] += 1 }
        }
        basisCounts = TimeBasis.allCases.indices.filter { counts[$0] > 0 }.map { (TimeBasis.allCases[$0], counts[$0]) }
    }
}
