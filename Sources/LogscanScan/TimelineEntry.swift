import LogscanSupport
import LogscanRules


/// One entry of a timeline as held in memory: what time resolution, ordering and
/// classification need, in 32 bytes; its line number, text and captures wait in the file's
/// `SpillBuffer`.
///
/// The scanner makes one per hit with the record's time *as written* (`packedTime`, a
/// `PackedTime`); time resolution then replaces it, in place, with the resolved instant and
/// order time (`time`, `orderTime`, nanoseconds; `resolve(to:)`). One array per file serves
/// both stages, so nothing per hit is held twice: the two words hold the one or the other,
/// and each stage reads them through its own names.
public struct TimelineEntry: Sendable {
    /// After time resolution: the resolved time in nanoseconds since 1970, or `none`. Before
    /// it, half of `packedTime`: read that instead.
    package var time: Int64
    /// After time resolution: the time the entry is ordered by (its own, or that of the entry
    /// before it in its file), in nanoseconds, or `none`. Before it, half of `packedTime`.
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

    /// Before time resolution: the record's time as written, packed.
    package var packedTime: PackedTime {
        get { PackedTime(a: time, b: orderTime) }
        set { time = newValue.a; orderTime = newValue.b }
    }

    /// Time resolution: the packed time as written gives way to the resolved one (`none` for
    /// none), which is also the order time until the analysis fills in entries without one.
    package mutating func resolve(to nanoseconds: Int64) {
        time = nanoseconds
        orderTime = nanoseconds
    }
    static let offsetBits: UInt64 = 40
    /// File slots that fit the 24 bits left.
    public static let maxFiles = 1 << (64 - Int(offsetBits))

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
        self.init(time: 0, orderTime: 0, offset: offset, ruleIndex: Int32(ruleIndex),
                  file: 0, basis: -1, yearInferred: false, cause: -1)
        packedTime = PackedTime(recordTime)
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
        get { packedTime.recordTime }
        set { packedTime = PackedTime(newValue) }
    }
}

extension TimelineEntry {
    /// Before time resolution: whether the record's time has no year (jamf.log).
    package var lacksYear: Bool { (packedTime.a >> 46) & 3 != 0 && packedTime.a & 0xFFFF == 0 }
    /// Before time resolution: whether the record's time carries its UTC offset.
    package var hasExplicitOffset: Bool { (packedTime.a >> 46) & 3 == 3 }
}
