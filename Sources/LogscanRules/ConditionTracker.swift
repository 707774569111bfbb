import LogscanSupport

/// A condition's running state in a live session (`follow`): it takes the bundle's events one
/// at a time, in any order (they are placed on the timeline as they come), and answers what
/// `CauseCondition.evaluate` over all events so far would say about holding and about the
/// event just added, without walking them again.
///
/// Taking an event costs a search near the end of the condition's own lists (logarithmic in
/// how far from the end it goes, so constant for lines that arrive in time order) plus, for an
/// event placed before others, moving those; nothing grows with the session's length.
public protocol ConditionTracker: AnyObject {
    /// Takes an event that carries at least one of the condition's signals.
    func add(_ event: TrackedEvent)
    /// The spans the bundle's logs cover moved on (`gap` reads them).
    func update<Edge>(coverage: [CoverageSpan<Edge>])
    /// Whether the condition holds with evidence (evaluate would give events or edge lines).
    var holds: Bool { get }
    /// Whether `event`, the last one added, is part of the condition's evidence now.
    func isEvidence(_ event: TrackedEvent) -> Bool
}

extension ConditionTracker {
    public func update<Edge>(coverage: [CoverageSpan<Edge>]) {}
}

extension Array {
    /// The first index whose element satisfies `isAfter`, in an array where the elements that
    /// do all come after those that do not. Galloping from the end: the cost is logarithmic in
    /// the distance from the end (a live session's searches are nearly always near it).
    func partitionFromEnd(_ isAfter: (Element) -> Bool) -> Int {
        var hi = count, lo = count - 1, step = 1
        while lo >= 0 && isAfter(self[lo]) {
            hi = lo
            lo -= step
            step *= 2
        }
        lo = Swift.max(lo, -1)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if isAfter(self[mid]) { hi = mid } else { lo = mid }
        }
        return hi
    }
}

extension Array where Element: Comparable {
    /// Inserts `element` after every element not above it; returns where.
    @discardableResult
    mutating func insertSorted(_ element: Element) -> Int {
        let at = partitionFromEnd { $0 > element }
        insert(element, at: at)
        return at
    }
}

extension Int64 {
    /// Sums that stop at the ends of the range (a window of years around a time must not wrap).
    func plus(_ d: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(d)
        return o ? (d > 0 ? .max : .min) : r
    }
    func minus(_ d: Int64) -> Int64 {
        let (r, o) = subtractingReportingOverflow(d)
        return o ? (d > 0 ? .min : .max) : r
    }
}
