import LogscanSupport
import LogscanScan

/// The `--since`/`--until` window: which matched lines a diagnosis reads, and how much of each
/// log's coverage. The one filter of both `scan` (`BundleAnalyzer`) and `follow` (`LiveSession`).
public struct TimeWindow: Sendable {
    public let since: Instant?
    public let until: Instant?
    /// The bounds as nanoseconds, for the per-line test.
    private let low: Int64, high: Int64
    /// False when neither bound is set: every line is read, even one without a time.
    public let isBounded: Bool

    public init(since: Instant?, until: Instant?) {
        self.since = since; self.until = until
        low = since?.nanoseconds ?? Int64.min
        high = until?.nanoseconds ?? Int64.max
        isBounded = since != nil || until != nil
    }

    /// Whether a line whose time is `nanoseconds` (`TimelineEntry.none` when it has none) is
    /// read: a line without a time is not, when a bound is set (it cannot be placed inside it).
    @inline(__always)
    public func admits(nanoseconds t: Int64) -> Bool {
        !isBounded || (t != TimelineEntry.none && t >= low && t <= high)
    }

    public func admits(_ time: Instant?) -> Bool { admits(nanoseconds: time?.nanoseconds ?? TimelineEntry.none) }

    /// Whether something seen from `first` to `last` (either may be unknown) overlaps the window.
    public func overlaps(first: Instant?, last: Instant?) -> Bool {
        if let s = since, (last ?? first).map({ $0 < s }) ?? true { return false }
        if let u = until, (first ?? last).map({ $0 > u }) ?? true { return false }
        return true
    }

    /// The part of a log's coverage inside the window, or nil when none is. A bound that cuts
    /// it leaves that end without its edge line (the line at the cut is not the log's edge).
    public func clip(_ coverage: Coverage) -> Coverage? {
        var c = coverage
        if let s = since, c.start < s { c.start = s; c.startEvent = nil }
        if let u = until, c.end > u { c.end = u; c.endEvent = nil }
        return c.start <= c.end ? c : nil
    }

    public func clip(_ coverage: [Coverage]) -> [Coverage] { isBounded ? coverage.compactMap(clip) : coverage }
}

extension AnalysisOptions {
    /// The `--since`/`--until` window.
    public var window: TimeWindow { TimeWindow(since: since, until: until) }
}
