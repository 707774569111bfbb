import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan

/// Places every time of a bundle in UTC.
///
/// Explicit offsets are used as written; formats documented as UTC are UTC. Wall-clock times
/// with no zone take `--tz`; else the UTC offsets the same bundle shows elsewhere (a `log show`
/// export of that Mac); else the zone of the machine running logscan. Times without a year
/// (jamf.log) get one from the weekday and the file's modification time, walking backwards so a
/// December → January rollover inside one file comes out right.
public struct TimeResolver: Sendable {
    public let options: AnalysisOptions
    /// A stretch of time over which the explicit stamps show one UTC offset.
    struct OffsetRun: Sendable {
        var first: Instant
        var last: Instant
        /// Seconds east of UTC.
        var offset: Int
    }
    private var offsetRuns: [OffsetRun] = []
    public private(set) var inferredFrom: String?

    public init(files: [FileResult], options: AnalysisOptions) {
        self.init(samples: Self.samples(in: files), options: options)
    }

    /// A resolver from explicit-offset samples.
    public init(samples unsorted: [OffsetSample], options: AnalysisOptions) {
        self.options = options
        let samples = unsorted.sorted { $0.instant < $1.instant }
        for sample in samples {
            if let last = offsetRuns.last, last.offset == sample.offset {
                offsetRuns[offsetRuns.count - 1].last = sample.instant
            } else {
                offsetRuns.append(OffsetRun(first: sample.instant, last: sample.instant, offset: sample.offset))
            }
        }
        if let first = samples.first { inferredFrom = first.source }
    }

    /// The explicit-offset times of some files, as samples for zone inference.
    ///
    /// A file's consecutive stamps with one offset count as a piece and give two samples, its
    /// earliest and latest, so the samples do not grow with the file (the runs they make are
    /// the same unless the logs of one bundle disagree about the offset at the same moment).
    public static func samples(in files: [FileResult]) -> [OffsetSample] {
        var samples: [OffsetSample] = []
        for file in files {
            var piece: (low: Instant, high: Instant, offset: Int)? = nil
            func close() {
                guard let p = piece else { return }
                samples.append(OffsetSample(instant: p.low, offset: p.offset, source: file.source))
                if p.high != p.low { samples.append(OffsetSample(instant: p.high, offset: p.offset, source: file.source)) }
                piece = nil
            }
            func add(_ t: RecordTime?) {
                guard let t, let sample = sample(t, source: "") else { return }
                let instant = sample.instant, offset = sample.offset
                if let p = piece, p.offset == offset {
                    piece = (min(p.low, instant), max(p.high, instant), offset)
                } else {
                    close()
                    piece = (instant, instant, offset)
                }
            }
            add(file.first?.time)
            file.hits.forEachChunk { chunk in
                for hit in chunk where hit.hasExplicitOffset { add(hit.recordTime) }
                return true
            }
            add(file.last?.time)
            close()
        }
        return samples
    }

    /// A sample for zone inference from one explicit-offset time, if it is one.
    public static func sample(_ t: RecordTime, source: String) -> OffsetSample? {
        guard case .offset(let o) = t.zone, let wall = t.local.wallNanoseconds else { return nil }
        return OffsetSample(instant: Instant(nanoseconds: wall - Int64(o) * 1_000_000_000), offset: o, source: source)
    }

    /// How zone-less wall-clock times are placed in this bundle.
    public var localBasis: TimeBasis {
        if options.timeZone != nil { return .tzOption }
        if !offsetRuns.isEmpty { return .inferredZone }
        return .assumedZone
    }

    /// A sentence for the report on how zone-less times were placed.
    public var localNote: String {
        switch localBasis {
        case .tzOption: return "times without a zone are read in \(options.timeZone!.identifier) (\(options.zoneSource))"
        case .inferredZone:
            let offsets = Set(offsetRuns.map(\.offset)).sorted().map(Self.formatOffset).joined(separator: ", ")
            return "times without a zone are read at UTC\(offsets), inferred from explicit offsets in \(inferredFrom ?? "another log") of the same Mac (use --tz to set it)"
        default:
            return "times without a zone are read in \(options.assumedZone.identifier), the zone of this machine: an assumption (use --tz to set it)"
        }
    }

    static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return sign + pad(a / 3600, 2) + ":" + pad(a / 60 % 60, 2)
    }

    /// Resolves the times of one file (for tests and callers that want them apart): each hit's,
    /// in order, then the first and last record's.
    public func resolve(_ file: FileResult) -> (hits: [ResolvedTime?], first: ResolvedTime?, last: ResolvedTime?) {
        var copy = file
        let (first, last) = resolveInPlace(&copy)
        let hits = copy.hits.map { e -> ResolvedTime? in
            e.time == TimelineEntry.none ? nil
                : ResolvedTime(instant: Instant(nanoseconds: e.time), basis: TimeBasis(code: e.basis)!, yearInferred: e.yearInferred)
        }
        return (hits, first, last)
    }

    /// Resolves the times of one file in place: each hit's record time as written becomes its
    /// instant (`time`, or `TimelineEntry.none`), `basis` and `yearInferred`. Returns the
    /// first and last records' times.
    public func resolveInPlace(_ file: inout FileResult) -> (first: ResolvedTime?, last: ResolvedTime?) {
        var first = file.first?.time, last = file.last?.time
        var firstInferred = false, lastInferred = false
        var hitsLackYear = false
        file.hits.forEachChunk { chunk in
            hitsLackYear = chunk.contains { $0.lacksYear }
            return !hitsLackYear
        }
        let needsYear = first.map { $0.local.year == nil } ?? false || last.map { $0.local.year == nil } ?? false
            || hitsLackYear
        if needsYear {
            // Walk backwards from the file's date: last record, hits, first record.
            var bound = wallClock(of: file.modificationDate ?? options.now)
            var memo = YearMemo(floor: (bound.year ?? 2000) - Self.maxYearsBack)
            Self.inferYear(&last, &lastInferred, bound: &bound, memo: &memo)
            file.hits.updateChunks(reversed: true) { chunk in
                for i in chunk.indices.reversed() {
                    var t = chunk[i].recordTime
                    var inferred = false
                    Self.inferYear(&t, &inferred, bound: &bound, memo: &memo)
                    if inferred { chunk[i].recordTime = t; chunk[i].yearInferred = true }
                }
            }
            Self.inferYear(&first, &firstInferred, bound: &bound, memo: &memo)
            if memo.stopped { file.yearFloor = (memo.floor, memo.unplaced) }
        }
        // Walk in file order so daylight-saving ambiguities resolve forwards (along the hits).
        // One zone cache per call: files of a bundle may be resolved on several threads.
        let cache = ZoneCache()
        func resolved(_ t: RecordTime?, _ inferred: Bool, previous: Instant?) -> ResolvedTime? {
            guard let t, let r = convert(t, previous: previous, cache: cache) else { return nil }
            return ResolvedTime(instant: r.instant, basis: r.basis, yearInferred: inferred)
        }
        let firstTime = resolved(first, firstInferred, previous: nil)
        var previous: Instant? = nil
        file.hits.updateChunks { chunk in
            for i in chunk.indices {
                let r = resolved(chunk[i].recordTime, chunk[i].yearInferred, previous: previous)
                chunk[i].resolve(to: r?.instant.nanoseconds ?? TimelineEntry.none)
                chunk[i].basis = r?.basis.code ?? -1
                if let r { previous = r.instant }
            }
        }
        return (firstTime, resolved(last, lastInferred, previous: previous))
    }

    /// Resolves a single time seen live (follow mode): the year is the latest that fits `now`.
    /// One time of a file on its own (no neighbours to keep order with): a missing year is
    /// inferred from the file's date.
    public func resolveOne(_ t: RecordTime, modificationDate: Date?) -> ResolvedTime? {
        var locals: [RecordTime?] = [t]
        var inferred = [false]
        if t.local.year == nil { Self.inferYears(&locals, &inferred, bound: wallClock(of: modificationDate ?? options.now)) }
        guard let lt = locals[0], let r = convert(lt, previous: nil) else { return nil }
        return ResolvedTime(instant: r.instant, basis: r.basis, yearInferred: inferred[0])
    }

    public func resolveLive(_ t: RecordTime, previous: Instant?) -> ResolvedTime? {
        var locals: [RecordTime?] = [t]
        var inferred = [false]
        if t.local.year == nil { Self.inferYears(&locals, &inferred, bound: wallClock(of: options.now)) }
        guard let lt = locals[0], let r = convert(lt, previous: previous) else { return nil }
        return ResolvedTime(instant: r.instant, basis: r.basis, yearInferred: inferred[0])
    }

    /// The wall clock reading (in the zone used for local times) of a moment, plus a day of slack.
    /// Total: a file date beyond `Instant.earliest ... Instant.latest` is taken at that edge.
    func wallClock(of date: Date) -> LocalDateTime {
        let raw = date.timeIntervalSince1970.rounded(.down)
        let low = Double(Instant.earliest.seconds), high = Double(Instant.latest.seconds)
        let seconds = Int64(raw.isNaN ? 0 : Swift.min(Swift.max(raw, low), high)) + 86_400
        let clamped = Date(timeIntervalSince1970: Double(seconds - 86_400))
        let offset: Int
        switch localBasis {
        case .tzOption: offset = options.timeZone!.secondsFromGMT(for: clamped)
        case .inferredZone: offset = nearestOffset(to: Instant(seconds: seconds))
        default: offset = options.assumedZone.secondsFromGMT(for: clamped)
        }
        let local = seconds + Int64(offset)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let sod = Int(local - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        return LocalDateTime(year: y, month: m, day: d, hour: sod / 3600, minute: sod / 60 % 60, second: sod % 60)
    }

    /// How far before the file's date the year walk may go. A jamf.log covers months, rarely
    /// a few years; a walk that needs an earlier year (a Feb 29 whose weekday fits only 28
    /// years back, lines out of order) has gone wrong, and it stops rather than place lines
    /// decades away. Times it cannot place are unknown; the report says so in a note.
    public static let maxYearsBack = 5

    /// Gives year-less times a year: from the last to the first, the latest year whose calendar
    /// has that weekday on that date and that is not after the bound (the time after it), and
    /// not before `maxYearsBack` years before the start bound.
    static func inferYears(_ times: inout [RecordTime?], _ inferred: inout [Bool], bound start: LocalDateTime) {
        var bound = start
        var memo = YearMemo(floor: (start.year ?? 2000) - maxYearsBack)
        for index in stride(from: times.count - 1, through: 0, by: -1) {
            inferYear(&times[index], &inferred[index], bound: &bound, memo: &memo)
        }
    }

    /// The state of one backwards walk (see `inferYear`): the last day whose year was found by
    /// its weekday, and that year; the floor; whether the walk stopped at it.
    struct YearMemo {
        package var month = 0, day = 0, weekday: Int? = nil, year = Int.min
        /// The earliest year the walk may give.
        var floor = Int.min
        /// Set once a time could be placed only before `floor`: it and every earlier time stay
        /// without a year (placing them after it would run the file backwards).
        package var stopped = false
        /// Year-less times left without a year because the walk had stopped.
        package var unplaced = 0

        package init(floor: Int = Int.min) { self.floor = floor }
    }

    /// Whether `time` is later than `bound` by more than a wall clock steps back in file order
    /// without a year passing: a daylight-saving fall-back repeats an hour (two, in the zones
    /// that once kept double summer time), and a Mac carried across zones or corrected by NTP
    /// steps back hours. Backwards by less than a day, the year is the bound's: taking the
    /// year before would put the lines before such a step years away (and open a false gap).
    static func isAfter(_ time: LocalDateTime, _ bound: LocalDateTime) -> Bool {
        guard let ty = time.year, let by = bound.year else { return bound < time }
        func seconds(_ t: LocalDateTime, _ y: Int) -> Int {
            daysFromCivil(year: y, month: t.month, day: t.day) * 86_400 + t.hour * 3600 + t.minute * 60 + t.second
        }
        return seconds(time, ty) > seconds(bound, by) + 86_400 - 1
    }

    /// One step of `inferYears`: gives `time` a year if it has none, and moves the bound to it.
    static func inferYear(_ time: inout RecordTime?, _ inferred: inout Bool, bound: inout LocalDateTime) {
        var memo = YearMemo()
        inferYear(&time, &inferred, bound: &bound, memo: &memo)
    }

    /// `memo` carries the last day placed from one call to the next: a log's lines come many
    /// to a day, and while the bound is still in the year found for that day, that year is
    /// what the search below would try first and keep (valid, weekday matching) unless the
    /// time is later than the bound; so only that is checked.
    static func inferYear(_ time: inout RecordTime?, _ inferred: inout Bool, bound: inout LocalDateTime, memo: inout YearMemo) {
        guard var t = time else { return }
        if t.local.year != nil {
            bound = t.local
            return
        }
        if memo.stopped {
            memo.unplaced += 1
            return
        }
        if let top = bound.year, top == memo.year, t.local.month == memo.month, t.local.day == memo.day,
           t.local.weekday == memo.weekday {
            t.local.year = top
            if !Self.isAfter(t.local, bound) {
                time = t
                inferred = true
                bound = t.local
                return
            }
            t.local.year = nil
        }
        let top = bound.year ?? 2000
        // At most 40 years are searched (every weekday of every date recurs within 28), and
        // never below the floor.
        let lowest = Swift.max(top - 40, memo.floor)
        var chosen: Int? = nil
        if lowest <= top {
            for pass in 0..<2 {  // first honour the weekday; if nothing fits, the date alone
                for year in stride(from: top, through: lowest, by: -1) {
                    var candidate = t.local
                    candidate.year = year
                    guard candidate.isValid(year: year), !Self.isAfter(candidate, bound) else { continue }
                    if pass == 0, let w = t.local.weekday, weekday(year: year, month: t.local.month, day: t.local.day) != w { continue }
                    chosen = year
                    if pass == 0 {
                        memo.month = t.local.month; memo.day = t.local.day
                        memo.weekday = t.local.weekday; memo.year = year
                    }
                    break
                }
                if chosen != nil { break }
            }
        }
        guard let year = chosen else {
            // A date that exists in some year (not Feb 30) but fits none down to the floor:
            // the walk stops here. One that exists in no year is just left without a time.
            if t.local.day <= daysIn(month: t.local.month, year: 2000) && lowest == memo.floor {
                memo.stopped = true
                memo.unplaced += 1
            }
            return
        }
        t.local.year = year
        time = t
        inferred = true
        bound = t.local
    }

    /// Converts a time with a year to UTC.
    func convert(_ t: RecordTime, previous: Instant?, cache: ZoneCache? = nil) -> (instant: Instant, basis: TimeBasis)? {
        guard let wall = t.local.wallNanoseconds else { return nil }
        if t.dateFromContext {
            var plain = t
            plain.dateFromContext = false
            return convert(plain, previous: previous, cache: cache).map { ($0.instant, .dateFromFile) }
        }
        switch t.zone {
        case .offset(let o): return (Instant(nanoseconds: wall - Int64(o) * 1_000_000_000), .explicitOffset)
        case .utc: return (Instant(nanoseconds: wall), .formatUTC)
        case .local:
            // Most times fall where the zone's offset is known not to change (see `place`).
            if let cache, let placed = cache.instant(forWall: wall) { return (placed, localBasis) }
            switch localBasis {
            case .tzOption: return (Self.place(wall: wall, in: options.timeZone!, previous: previous, cache: cache), .tzOption)
            case .inferredZone:
                let o = nearestOffset(to: Instant(nanoseconds: wall))
                return (Instant(nanoseconds: wall - Int64(o) * 1_000_000_000), .inferredZone)
            default: return (Self.place(wall: wall, in: options.assumedZone, previous: previous, cache: cache), .assumedZone)
            }
        }
    }

    /// The offset of the explicit-offset run nearest to a moment.
    func nearestOffset(to instant: Instant) -> Int {
        var best = offsetRuns.first?.offset ?? 0
        var bestDistance = Int64.max
        for run in offsetRuns {
            let candidate = instant.nanoseconds - Int64(run.offset) * 1_000_000_000
            let a = run.first.nanoseconds, b = run.last.nanoseconds
            let d: Int64 = candidate < a ? a - candidate : (candidate > b ? candidate - b : 0)
            if d < bestDistance { bestDistance = d; best = run.offset }
        }
        return best
    }

    /// A wall-clock reading in a zone, with daylight-saving ambiguity resolved so that time does
    /// not run backwards within a file, and a skipped hour mapped forwards.
    ///
    /// Asking the zone is slow (several look-ups a time), so `cache` remembers a span of
    /// instants around the last answer in which the zone keeps one offset: the offset is the
    /// same three days before and after it, and no zone changes its offset and back within
    /// three days. A time whose ±12 h lie inside that span is placed without asking.
    package static func place(wall: Int64, in zone: TimeZone, previous: Instant?, cache: ZoneCache? = nil) -> Instant {
        if let cache, cache.zone == zone {
            let t = wall / 1_000_000_000 - Int64(cache.offset)
            if t >= cache.low && t <= cache.high { return Instant(nanoseconds: wall - Int64(cache.offset) * 1_000_000_000) }
        }
        let placed = placeAsking(wall: wall, in: zone, previous: previous)
        if let cache {
            let t = placed.seconds
            let o = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))
            let span: Int64 = 3 * 86_400
            if zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t - span))) == o,
               zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t + span))) == o {
                cache.zone = zone
                cache.offset = o
                cache.low = t - span + 43_200
                cache.high = t + span - 43_200
            }
        }
        return placed
    }

    package final class ZoneCache: @unchecked Sendable {
        // SAFETY: one cache per resolving call, used by that call's thread only.
        package var zone: TimeZone? = nil
        package var offset = 0
        package var low = Int64.max
        package var high = Int64.min

        /// The instant of a wall-clock time inside the span where the cached zone keeps one
        /// offset, or nil. A resolver places local times in one zone only, so its cache holds
        /// that zone whenever it holds any (no zone is compared, or copied, per time).
        @inline(__always)
        package func instant(forWall wall: Int64) -> Instant? {
            let t = wall / 1_000_000_000 - Int64(offset)
            guard t >= low && t <= high else { return nil }
            return Instant(nanoseconds: wall - Int64(offset) * 1_000_000_000)
        }
    }

    static func placeAsking(wall: Int64, in zone: TimeZone, previous: Instant?) -> Instant {
        let wallSeconds = Double(wall / 1_000_000_000)
        let nanos = wall % 1_000_000_000
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wallSeconds - 43_200))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wallSeconds + 43_200))
        var valid: [Int] = []
        for o in Set([before, after]) where zone.secondsFromGMT(for: Date(timeIntervalSince1970: wallSeconds - Double(o))) == o {
            valid.append(o)
        }
        func instant(_ o: Int) -> Instant { Instant(nanoseconds: wall - Int64(o) * 1_000_000_000) }
        switch valid.count {
        case 0: return instant(before)  // in a skipped hour: read with the offset before the jump
        case 1: return instant(valid[0])
        default:
            let earlier = instant(valid.max()!), later = instant(valid.min()!)
            _ = nanos
            if let previous, earlier < previous { return later }
            return earlier
        }
    }
}
