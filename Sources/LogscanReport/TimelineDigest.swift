import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// A bundle's timeline as people read it: every line that is evidence of a cause, and the runs
/// of context (healthy markers) between them folded into one row per rule, except the few
/// lines just before a piece of evidence. The text, HTML and Markdown reports all show this.
public struct TimelineDigest {
    /// Context lines kept unfolded just before evidence.
    public static let keptBeforeEvidence = 3

    /// Several context lines of one rule, between two pieces of evidence.
    public struct Fold {
        public var rule: String
        public var count: Int
        /// Positions in the timeline of the first and last line folded.
        public var first: Int
        public var last: Int
        /// The file slots the lines come from.
        public var files: Set<Int>
        /// The first folded lines' positions, at most `memberLimit` of them.
        public var members: [Int]
    }

    public enum Row {
        /// One timeline line, at this position.
        case entry(Int)
        case fold(Fold)
    }

    public private(set) var rows: [Row] = []

    /// `memberLimit`: how many positions of each fold's lines to keep (for reports that can
    /// show them on request).
    public init(_ events: Timeline, memberLimit: Int = 0) {
        var i = 0
        let keep = Self.keptBeforeEvidence
        let n = events.count
        while i < n {
            if events.cause(at: i) != nil {
                rows.append(.entry(i))
                i += 1
                continue
            }
            var j = i
            while j < n && events.cause(at: j) == nil { j += 1 }
            let atEnd = j == n
            if j - i <= keep + 3 {
                rows += (i..<j).map(Row.entry)
            } else {
                // Fold by rule, reading only the fields a folded row shows.
                let foldedEnd = atEnd ? j : j - keep
                var order: [String] = []
                var groups: [String: Fold] = [:]
                for k in i..<foldedEnd {
                    let rule = events.ruleName(at: k)
                    if groups[rule] == nil {
                        order.append(rule)
                        groups[rule] = Fold(rule: rule, count: 0, first: k, last: k, files: [], members: [])
                    }
                    groups[rule]!.count += 1
                    groups[rule]!.last = k
                    groups[rule]!.files.insert(events.fileSlot(at: k))
                    if groups[rule]!.members.count < memberLimit { groups[rule]!.members.append(k) }
                }
                for rule in order {
                    let g = groups[rule]!
                    rows.append(g.count == 1 ? .entry(g.first) : .fold(g))
                }
                if !atEnd { rows += (foldedEnd..<j).map(Row.entry) }
            }
            i = j
        }
    }
}
