import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
/// A bundle's timeline: entries in timeline order, each read back as an `Event` on demand.
///
/// The entries (32 bytes each) stay in memory up to a limit and then move to a temporary file
/// (`EntryList`); the lines themselves are in spill buffers. So a log with millions of matched
/// lines is diagnosed in the same memory as a small one.
public struct Timeline: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    public var bundle: String
    package var entries: EntryList
    /// Timeline order, as positions in `entries`; nil when `entries` is in order already.
    package var order: [UInt32]?
    public private(set) var files: [TimelineFile]
    /// Rule ids by rule index.
    let ruleNames: [String]
    var causeNames: [String]

    package init(bundle: String, entries: EntryList, order: [UInt32]? = nil, files: [TimelineFile], ruleNames: [String], causeNames: [String]) {
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
    @inline(__always) package func slot(_ i: Int) -> Int { order.map { Int($0[i]) } ?? i }

    public subscript(i: Int) -> Event {
        // Every field from the one entry read (a spilled list reads it through a lock).
        event(of: entries[slot(i)])
    }

    /// The event of entry `e`, its line read back.
    package func event(of e: TimelineEntry) -> Event {
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
        package let timeline: Timeline
        package let cursor: EntryCursor

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
