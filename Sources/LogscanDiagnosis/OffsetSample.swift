import LogscanSupport

/// A time written with its UTC offset: the moment, the offset in seconds and the log it came
/// from. Zone-less times of the same bundle are placed with the offsets these show.
public struct OffsetSample: Sendable, Equatable {
    public var instant: Instant
    public var offset: Int
    public var source: String

    public init(instant: Instant, offset: Int, source: String) {
        self.instant = instant; self.offset = offset; self.source = source
    }
}
