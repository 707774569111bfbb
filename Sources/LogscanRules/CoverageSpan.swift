import LogscanSupport

/// The span of time one file of a bundle covers, from its first record to its last, for `gap`
/// conditions; the same for `scan` and `follow`. `Edge` is what the diagnosis shows as the
/// file's first and last lines (an `Event` there; this target does not know events).
public struct CoverageSpan<Edge: Sendable>: Sendable {
    public var format: LogFormat
    public var start: Instant
    public var end: Instant
    /// The file's first and last lines, as evidence that the log goes on (nil when a
    /// `--since`/`--until` bound cut the span there).
    public var startEvent: Edge?
    public var endEvent: Edge?

    public init(format: LogFormat, start: Instant, end: Instant, startEvent: Edge?, endEvent: Edge?) {
        self.format = format; self.start = start; self.end = end; self.startEvent = startEvent; self.endEvent = endEvent
    }

    /// The coverage of a file from its first and last records with their resolved times.
}
