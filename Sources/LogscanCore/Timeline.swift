/// A matched line as the scanner hands it out: valid only during the call (`text` points into
/// the read buffer), so keeping it costs nothing unless the receiver copies it.
public struct HitView {
    public var ruleIndex: Int
    /// 1-based physical line number.
    public var line: Int
    /// The whole physical line as read (not decoded).
    public var text: UnsafeRawBufferPointer
    public var captures: [String: String]
    /// The time of the record the line belongs to, as written.
    public var recordTime: RecordTime?
}

/// How a hit's line number, text and captures are laid out in a `SpillBuffer`: a header of
/// `u64 line, u32 text length, u32 captures length, u16 capture count`, the text, then per
/// capture `u16 name length, u32 value length, name, value` (all little-endian).
enum HitRecord {
    static let headerSize = 18

    static func append(line: Int, text: UnsafeRawBufferPointer, captures: [String: String], to store: SpillBuffer) -> Int64 {
        store.append { out in encode(line: line, text: text, captures: captures, into: &out) }
    }

    /// Adds `delta` to the line number of every record in `records` (records as `encode`
    /// writes them, one after another): a part of a file scanned on its own numbers its lines
    /// from 1.
    static func shiftLines(in records: inout [UInt8], by delta: Int) {
        guard delta != 0 else { return }
        records.withUnsafeMutableBytes { b in
            var at = 0
            while at + headerSize <= b.count {
                let line = Int64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: Int64.self))
                b.storeBytes(of: (line + Int64(delta)).littleEndian, toByteOffset: at, as: Int64.self)
                at += length(in: UnsafeRawBufferPointer(b), at: at)
            }
        }
    }

    /// The length of the record at `at` in `records`.
    static func length(in records: UnsafeRawBufferPointer, at: Int) -> Int {
        headerSize + get(records, at + 8, 4) + get(records, at + 12, 4)
    }

    /// Writes one record: its line number, text and captures.
    static func encode(line: Int, text: UnsafeRawBufferPointer, captures: [String: String], into out: inout [UInt8]) {
        var caps: [UInt8] = []
        var captureCount = 0
        if !captures.isEmpty {
            let sorted = captures.sorted(by: { $0.key < $1.key }).prefix(Int(UInt16.max))
            for (name, value) in sorted {
                let n = Array(name.utf8.prefix(Int(UInt16.max))), v = Array(value.utf8)
                put(UInt64(n.count), 2, &caps)
                put(UInt64(v.count), 4, &caps)
                caps += n
                caps += v
            }
            captureCount = sorted.count
        }
        // The 18-byte header in one append (most hits have no captures: header and text).
        withUnsafeTemporaryAllocation(byteCount: headerSize, alignment: 8) { h in
            h.storeBytes(of: UInt64(bitPattern: Int64(line)).littleEndian, toByteOffset: 0, as: UInt64.self)
            h.storeBytes(of: UInt32(text.count).littleEndian, toByteOffset: 8, as: UInt32.self)
            h.storeBytes(of: UInt32(caps.count).littleEndian, toByteOffset: 12, as: UInt32.self)
            h.storeBytes(of: UInt16(captureCount).littleEndian, toByteOffset: 16, as: UInt16.self)
            out.append(contentsOf: UnsafeRawBufferPointer(h))
        }
        out.append(contentsOf: text)
        if !caps.isEmpty { out += caps }
    }

    private static func put(_ v: UInt64, _ bytes: Int, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0[0..<bytes]) }
    }
    @inline(__always)
    static func get(_ b: UnsafeRawBufferPointer, _ at: Int, _ bytes: Int) -> Int {
        switch bytes {
        case 8: return Int(Int64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: Int64.self)))
        case 4: return Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        default: return Int(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        }
    }


    static func read<R>(_ store: SpillBuffer, at offset: Int64,
                        _ body: (_ line: Int, _ text: UnsafeRawBufferPointer, _ captures: Int, _ rest: UnsafeRawBufferPointer) -> R) -> R {
        read(store, at: offset, cursor: nil, body)
    }

    /// Calls `body` with the record's line number, text, capture count and capture bytes.
    static func read<R>(_ store: SpillBuffer, at offset: Int64, cursor: SpillCursor?,
                        _ body: (_ line: Int, _ text: UnsafeRawBufferPointer, _ captures: Int, _ rest: UnsafeRawBufferPointer) -> R) -> R {
        let h = headerSize
        return store.withRecord(at: offset, headerSize: h, cursor: cursor, length: { length(in: $0, at: 0) }) { all in
            let textLength = get(all, 8, 4)
            return body(get(all, 0, 8), UnsafeRawBufferPointer(rebasing: all[h..<(h + textLength)]), get(all, 16, 2),
                        UnsafeRawBufferPointer(rebasing: all[(h + textLength)...]))
        }
    }

    static func captures(count: Int, _ rest: UnsafeRawBufferPointer) -> [String: String] {
        var out: [String: String] = [:]
        var at = 0
        for _ in 0..<count {
            let n = get(rest, at, 2), v = get(rest, at + 2, 4)
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: rest[(at + 6)..<(at + 6 + n)]), as: UTF8.self)
            out[name] = String(decoding: UnsafeRawBufferPointer(rebasing: rest[(at + 6 + n)..<(at + 6 + n + v)]), as: UTF8.self)
            at += 6 + n + v
        }
        return out
    }
}

/// One entry of a timeline as held in memory: what time resolution, ordering and
/// classification need, in 32 bytes; its line number, text and captures wait in the file's
/// `SpillBuffer`.
///
/// The scanner makes one per hit with the record's time *as written*, packed into `time` and
/// `orderTime` (see `PackedTime`); time resolution then replaces them, in place, with instants.
/// One array per file serves both stages, so nothing per hit is held twice.
public struct TimelineEntry: Sendable {
    /// Nanoseconds; `Int64.min` when there is none.
    var time: Int64
    var orderTime: Int64
    /// The record's offset in its store (low 40 bits: 1 TiB) and the file's index into
    /// `Timeline.files` (high 24 bits).
    private var location: UInt64
    var ruleIndex: Int32
    /// Index into `Timeline.causeNames`, or -1.
    var cause: Int16
    /// Index into `TimeBasis.allCases`, or -1.
    var basis: Int8
    var yearInferred: Bool

    static let none = Int64.min
    static let offsetBits: UInt64 = 40

    var offset: Int64 { Int64(location & ((1 << Self.offsetBits) - 1)) }
    /// The file's slot, then the record's offset in its store, as one number: entries of one
    /// source in the order their records were stored.
    var storePosition: UInt64 { location }
    var file: Int32 {
        get { Int32(location >> Self.offsetBits) }
        set { location = (location & ((1 << Self.offsetBits) - 1)) | UInt64(UInt32(newValue) & 0xFF_FFFF) << Self.offsetBits }
    }

    /// A scanned hit: its record's time as written, and where its record was stored.
    public init(ruleIndex: Int, recordTime: RecordTime?, offset: Int64) {
        let packed = PackedTime(recordTime)
        self.init(time: packed.a, orderTime: packed.b, offset: offset, ruleIndex: Int32(ruleIndex),
                  file: 0, basis: -1, yearInferred: false, cause: -1)
    }

    init(time: Int64, orderTime: Int64, offset: Int64, ruleIndex: Int32, file: Int32, basis: Int8,
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

/// A `RecordTime` in 16 bytes. `a`: year+1 (0: none) in bits 0–15, month 16–19, day 20–24,
/// hour 25–29, minute 30–35, second 36–41, weekday+1 (0: none) 42–45, zone kind 46–47
/// (0: no time, 1: local, 2: UTC, 3: offset). `b`: nanoseconds in bits 0–31, offset seconds
/// (signed) in bits 32–63. A time whose fields do not fit is not a valid clock reading and
/// packs as no time.
struct PackedTime {
    var a: Int64
    var b: Int64

    init(a: Int64, b: Int64) { self.a = a; self.b = b }

    init(_ t: RecordTime?) {
        a = 0; b = 0
        guard let t else { return }
        let l = t.local
        let year = l.year.map { $0 + 1 } ?? 0
        let weekday = l.weekday.map { $0 + 1 } ?? 0
        guard (0..<0xFFFF).contains(year), (0...15).contains(l.month), (0...31).contains(l.day), (0...31).contains(l.hour),
              (0...63).contains(l.minute), (0...63).contains(l.second), (0...15).contains(weekday),
              (0..<(1 << 31)).contains(l.nanosecond) else { return }
        var kind: Int64 = 1
        var offset: Int64 = 0
        switch t.zone {
        case .local: kind = 1
        case .utc: kind = 2
        case .offset(let o):
            guard let o32 = Int32(exactly: o) else { return }
            kind = 3; offset = Int64(o32)
        }
        a = Int64(year) | Int64(l.month) << 16 | Int64(l.day) << 20 | Int64(l.hour) << 25 | Int64(l.minute) << 30
            | Int64(l.second) << 36 | Int64(weekday) << 42 | kind << 46
            | (t.dateFromContext ? 1 << 48 : 0)
        b = Int64(l.nanosecond) | offset << 32
    }

    var recordTime: RecordTime? {
        let kind = (a >> 46) & 3
        guard kind != 0 else { return nil }
        func field(_ shift: Int64, _ bits: Int64) -> Int { Int((a >> shift) & ((1 << bits) - 1)) }
        let year = field(0, 16), weekday = field(42, 4)
        let local = LocalDateTime(year: year == 0 ? nil : year - 1, month: field(16, 4), day: field(20, 5),
                                  hour: field(25, 5), minute: field(30, 6), second: field(36, 6),
                                  nanosecond: Int(b & 0xFFFF_FFFF), weekday: weekday == 0 ? nil : weekday - 1)
        let zone: ZoneInfo
        switch kind {
        case 1: zone = .local
        case 2: zone = .utc
        default: zone = .offset(Int(b >> 32))
        }
        var t = RecordTime(local: local, zone: zone)
        t.dateFromContext = (a >> 48) & 1 != 0
        return t
    }
}

extension TimeBasis {
    /// The basis as `TimelineEntry` stores it (its place in `allCases`), and back; -1 is none.
    /// A switch, not a dictionary: it is read for every timeline entry (a test checks it
    /// against `allCases`).
    var code: Int8 {
        switch self {
        case .explicitOffset: 0
        case .formatUTC: 1
        case .tzOption: 2
        case .inferredZone: 3
        case .assumedZone: 4
        case .dateFromFile: 5
        }
    }
    init?(code: Int8) {
        guard code >= 0, Int(code) < Self.allCases.count else { return nil }
        self = Self.allCases[Int(code)]
    }
}

/// What a timeline knows about one of its files.
public struct TimelineFile: Sendable {
    public var source: String
    public var fileIndex: Int
    public var format: LogFormat
    public var store: SpillBuffer
}

/// A bundle's timeline: entries in timeline order, each read back as an `Event` on demand.
///
/// The entries (32 bytes each) stay in memory up to a limit and then move to a temporary file
/// (`EntryList`); the lines themselves are in spill buffers. So a log with millions of matched
/// lines is diagnosed in the same memory as a small one.
public struct Timeline: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    public var bundle: String
    var entries: EntryList
    /// Timeline order, as positions in `entries`; nil when `entries` is in order already.
    var order: [UInt32]?
    public private(set) var files: [TimelineFile]
    /// Rule ids by rule index.
    let ruleNames: [String]
    var causeNames: [String]

    init(bundle: String, entries: EntryList, order: [UInt32]? = nil, files: [TimelineFile], ruleNames: [String], causeNames: [String]) {
        self.bundle = bundle; self.entries = entries; self.order = order; self.files = files
        self.ruleNames = ruleNames; self.causeNames = causeNames
    }

    public init() { self.init(bundle: "", entries: EntryList(), files: [], ruleNames: [], causeNames: []) }

    /// A timeline holding `events` in the order given (for follow mode and tests).
    public init(events: [Event]) {
        let store = SpillBuffer(memoryLimit: Int.max)
        var files: [TimelineFile] = []
        var fileSlot: [String: Int32] = [:]
        var ruleNames: [String] = []
        var causeNames: [String] = []
        var entries = EntryList(memoryChunks: .max)  // events are in memory already
        for e in events {
            let key = "\(e.fileIndex)\u{0}\(e.source)"
            let slot = fileSlot[key] ?? {
                files.append(TimelineFile(source: e.source, fileIndex: e.fileIndex, format: e.format, store: store))
                fileSlot[key] = Int32(files.count - 1)
                return Int32(files.count - 1)
            }()
            if e.ruleIndex >= 0 {
                while ruleNames.count <= e.ruleIndex { ruleNames.append("") }
                ruleNames[e.ruleIndex] = e.rule
            }
            var cause: Int16 = -1
            if let c = e.cause {
                if let k = causeNames.firstIndex(of: c) { cause = Int16(k) } else { causeNames.append(c); cause = Int16(causeNames.count - 1) }
            }
            var text = e.text
            let offset = text.withUTF8 { HitRecord.append(line: e.line, text: UnsafeRawBufferPointer($0), captures: e.captures, to: store) }
            entries.append(TimelineEntry(time: e.time?.nanoseconds ?? TimelineEntry.none,
                                         orderTime: e.orderTime?.nanoseconds ?? TimelineEntry.none, offset: offset,
                                         ruleIndex: Int32(e.ruleIndex), file: slot,
                                         basis: e.timeBasis?.code ?? -1,
                                         yearInferred: e.yearInferred, cause: cause))
        }
        self.init(bundle: events.first?.bundle ?? "", entries: entries, files: files, ruleNames: ruleNames, causeNames: causeNames)
    }

    public init(arrayLiteral elements: Event...) { self.init(events: elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    /// Where the `i`th entry in timeline order is kept.
    @inline(__always) func slot(_ i: Int) -> Int { order.map { Int($0[i]) } ?? i }

    public subscript(i: Int) -> Event {
        // Every field from the one entry read (a spilled list reads it through a lock).
        event(of: entries[slot(i)])
    }

    /// The event of entry `e`, its line read back.
    func event(of e: TimelineEntry) -> Event {
        let file = files[Int(e.file)]
        let (line, text, captures) = withLine(of: e, cursors: nil) { line, text, captures in
            (line, String(decoding: text, as: UTF8.self), captures)
        }
        var event = Event(bundle: bundle, source: file.source, fileIndex: file.fileIndex, line: line,
                          ruleIndex: e.rule, rule: ruleName(ofRule: e.rule), text: text, captures: captures,
                          format: file.format, time: e.instant, timeBasis: TimeBasis(code: e.basis),
                          yearInferred: e.yearInferred)
        event.orderTime = e.orderTime == TimelineEntry.none ? nil : Instant(nanoseconds: e.orderTime)
        event.cause = e.cause < 0 ? nil : causeNames[Int(e.cause)]
        return event
    }

    // Field access without reading the line back.
    public func ruleIndex(at i: Int) -> Int { Int(entries[slot(i)].ruleIndex) }
    public func ruleName(at i: Int) -> String { ruleName(ofRule: Int(entries[slot(i)].ruleIndex)) }
    public func time(at i: Int) -> Instant? {
        entries[slot(i)].time == TimelineEntry.none ? nil : Instant(nanoseconds: entries[slot(i)].time)
    }
    public func timeBasis(at i: Int) -> TimeBasis? { TimeBasis(code: entries[slot(i)].basis) }
    public func fileSlot(at i: Int) -> Int { Int(entries[slot(i)].file) }
    public func format(at i: Int) -> LogFormat { files[Int(entries[slot(i)].file)].format }
    public var causeList: [String] { causeNames }
    public var ruleCount: Int { ruleNames.count }
    public func cause(at i: Int) -> String? { entries[slot(i)].cause < 0 ? nil : causeNames[Int(entries[slot(i)].cause)] }
    public func captures(at i: Int) -> [String: String] {
        HitRecord.read(files[Int(entries[slot(i)].file)].store, at: entries[slot(i)].offset) { _, _, count, rest in
            count == 0 ? [:] : HitRecord.captures(count: count, rest)
        }
    }
    /// One cursor per file, for a thread that reads this timeline while others do too.
    public func makeCursors() -> [SpillCursor] { files.map { SpillCursor(reading: $0.store) } }

    /// A reader's own cursor onto the entries, for reading them from several threads at once
    /// (`entry(at:cursor:)`).
    public func makeEntryCursor() -> EntryCursor {
        entries.prepareForReaders()
        return EntryCursor()
    }

    /// Entry `i` in timeline order, read through `cursor` (see `makeEntryCursor`).
    public func entry(at i: Int, cursor: EntryCursor) -> TimelineEntry { entries.read(slot(i), cursor: cursor) }

    /// The events for one reading thread, through its own cursor: no lock per entry, and a
    /// spilled chunk is read once per pass rather than looked up under the spill's lock at
    /// every field. Valid while the timeline is not changed.
    public func reader() -> Reader { Reader(timeline: self, cursor: makeEntryCursor()) }

    public struct Reader: ClassifiableEvents {
        let timeline: Timeline
        let cursor: EntryCursor

        @inline(__always) private func entry(_ i: Int) -> TimelineEntry { timeline.entry(at: i, cursor: cursor) }
        public var count: Int { timeline.count }
        public func ruleIndex(at i: Int) -> Int { Int(entry(i).ruleIndex) }
        public func time(at i: Int) -> Instant? { entry(i).instant }
        public func format(at i: Int) -> LogFormat { timeline.files[Int(entry(i).file)].format }
        public func captures(at i: Int) -> [String: String] {
            timeline.withLine(of: entry(i), cursors: nil) { _, _, captures in captures }
        }
        public func event(at i: Int) -> Event { timeline.event(of: entry(i)) }
        public func separateWalk() -> Reader { Reader(timeline: timeline, cursor: EntryCursor()) }
    }

    /// The rule id of rule `index` (the coverage rule for -1).
    public func ruleName(ofRule r: Int) -> String { r >= 0 && r < ruleNames.count ? ruleNames[r] : Coverage.edgeRule }

    /// Calls `body` with the line number, the line's bytes as read, and the captures of entry
    /// `e`; give `cursors` (from `makeCursors`) when other threads read the timeline too.
    public func withLine<R>(of e: TimelineEntry, cursors: [SpillCursor]?, _ body: (Int, UnsafeRawBufferPointer, [String: String]) -> R) -> R {
        func read(_ store: SpillBuffer, _ cursor: SpillCursor?) -> R {
            HitRecord.read(store, at: e.offset, cursor: cursor) { line, text, count, rest in
                body(line, text, count == 0 ? [:] : HitRecord.captures(count: count, rest))
            }
        }
        // The cursor's own unretained reference: the timeline keeps its stores alive.
        if let cursor = cursors?[Int(e.file)], let target = cursor.target {
            return target._withUnsafeGuaranteedRef { read($0, cursor) }
        }
        return read(files[Int(e.file)].store, nil)
    }

    /// Sets the cause of entry `i` (nil for context).
    mutating func setCause(_ cause: String?, at i: Int) {
        guard let cause else { entries[slot(i)].cause = -1; return }
        if let k = causeNames.firstIndex(of: cause) { entries[slot(i)].cause = Int16(k); return }
        causeNames.append(cause)
        entries[slot(i)].cause = Int16(causeNames.count - 1)
    }
}


extension TimelineEntry {
    /// Before time resolution: whether the record's time has no year (jamf.log).
    var lacksYear: Bool { (time >> 46) & 3 != 0 && time & 0xFFFF == 0 }
    /// Before time resolution: whether the record's time carries its UTC offset.
    var hasExplicitOffset: Bool { (time >> 46) & 3 == 3 }
}
