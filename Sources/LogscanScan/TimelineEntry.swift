import LogscanSupport
import LogscanRules


/// One entry of a timeline as held in memory: what time resolution, ordering and
/// classification need, in 32 bytes; its line number, text and captures wait in the file's
/// `SpillBuffer`.
///
/// The scanner makes one per hit with the record's time *as written*, packed into `time` and
/// `orderTime` (see `PackedTime`); time resolution then replaces them, in place, with instants.
/// One array per file serves both stages, so nothing per hit is held twice.
public struct TimelineEntry: Sendable {
    /// Nanoseconds; `Int64.min` when there is none.
    package var time: Int64
    package var orderTime: Int64
    /// The record's offset in its store (low 40 bits: 1 TiB) and the file's index into
    /// `Timeline.files` (high 24 bits).
    private var location: UInt64
    package var ruleIndex: Int32
    /// Index into `Timeline.causeNames`, or -1.
    package var cause: Int16
    /// Index into `TimeBasis.allCases`, or -1.
    package var basis: Int8
    package var yearInferred: Bool

    package static let none = Int64.min
    static let offsetBits: UInt64 = 40

    package var offset: Int64 { Int64(location & ((1 << Self.offsetBits) - 1)) }
    /// The file's slot, then the record's offset in its store, as one number: entries of one
    /// source in the order their records were stored.
    package var storePosition: UInt64 { location }
    package var file: Int32 {
        get { Int32(location >> Self.offsetBits) }
        set { location = (location & ((1 << Self.offsetBits) - 1)) | UInt64(UInt32(newValue) & 0xFF_FFFF) << Self.offsetBits }
    }

    /// A scanned hit: its record's time as written, and where its record was stored.
    public init(ruleIndex: Int, recordTime: RecordTime?, offset: Int64) {
        let packed = PackedTime(recordTime)
        self.init(time: packed.a, orderTime: packed.b, offset: offset, ruleIndex: Int32(ruleIndex),
                  file: 0, basis: -1, yearInferred: false, cause: -1)
    }

    package init(time: Int64, orderTime: Int64, offset: Int64, ruleIndex: Int32, file: Int32, basis: Int8,
         yearInferred: Bool, cause: Int16) {
        self.time = time; self.orderTime = orderTime
        self.location = UInt64(offset) & ((1 << Self.offsetBits) - 1)
        self.ruleIndex = ruleIndex; self.basis = basis; self.yearInferred = yearInferred; self.cause = cause
        self.file = file
    }

    /// Points the entry at a record `delta` bytes further on in its store (a part of a file
    /// scanned on its own, whose records are then appended to the file's store).
    mutating func moveRecord(by delta: Int64) {
        location = (location & ~((1 << Self.offsetBits) - 1)) | UInt64(offset + delta) & ((1 << Self.offsetBits) - 1)
    }

    // Read-only views for reporters, after time resolution.
    /// The resolved time, if there is one.
    public var instant: Instant? { time == Self.none ? nil : Instant(nanoseconds: time) }
    /// The index of the entry's file in `Timeline.files`.
    public var fileSlot: Int { Int(file) }
    public var rule: Int { Int(ruleIndex) }
    /// Index into `Timeline.causeList`, or -1.
    public var causeSlot: Int { Int(cause) }
    /// `TimeBasis.allCases` index, or -1.
    public var basisCode: Int { Int(basis) }
    public var isYearInferred: Bool { yearInferred }

    /// Before time resolution: the record's time as written.
    public var recordTime: RecordTime? {
        get { PackedTime(a: time, b: orderTime).recordTime }
        set { let p = PackedTime(newValue); time = p.a; orderTime = p.b }
    }
}

extension TimelineEntry {
    /// Before time resolution: whether the record's time has no year (jamf.log).
    package var lacksYear: Bool { (time >> 46) & 3 != 0 && time & 0xFFFF == 0 }
    /// Before time resolution: whether the record's time carries its UTC offset.
    package var hasExplicitOffset: Bool { (time >> 46) & 3 == 3 }
}
