import Foundation
import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func recordTime(_ shape: LogShape, _ line: String) -> RecordTime? {
    bytes(line).withUnsafeBytes { TimeParsing.recordTime(shape: shape, line: $0) }
}

func utc(_ s: String) -> Instant { parseTimeArgument(s)! }

@Suite struct TimeParsingTests {
    @Test func everyShapeParses() throws {
        let cases: [(LogShape, String, String, ZoneInfo)] = [
            (.companyPortalLegacy, "2020-04-27 03:07:10.363\tVERB\tcom.microsoft.ssp.telemetry\tTID=1\tx", "2020-04-27T03:07:10.363Z", .utc),
            (.companyPortalPipe, "2025-08-30 17:18:28.301 | aad | 22168 | A.swift: 9 (f()) | m", "2025-08-30T17:18:28.301Z", .local),
            (.houseGrammar, "2025-08-11 16:27:57:288 | IntuneMDM-Daemon | I | 1 | C | m", "2025-08-11T16:27:57.288Z", .local),
            (.ssoExtension, "2022-12-29 14:49:59:281 | I | TID=783491 MSAL 1.2.4 Mac 13.0.1 [2022-12-29 19:49:59] m", "2022-12-29T14:49:59.281Z", .local),
            (.jamfServer, "2020-01-13 20:09:44,384 [DEBUG] [Thread-78 ] [x] - m", "2020-01-13T20:09:44.384Z", .local),
            (.unifiedDefault, "2023-04-13 03:31:54.896185+0400 0xe38a     Default     0x0   11980  0    p: m", "2023-04-13T03:31:54.896185Z", .offset(14_400)),
            (.unifiedSyslog, "2024-10-01 16:46:37.557305+0200 localhost IntuneMdmDaemon[2615]: m", "2024-10-01T16:46:37.557305Z", .offset(7200)),
            (.unifiedCompact, "2026-08-17 16:31:59.078 Df Nimbus[4242:714e3fa] [] m", "2026-08-17T16:31:59.078Z", .local),
            (.unifiedNDJSON, #"{"eventMessage":"x","timestamp":"2024-02-06 10:14:03.118204-0500"}"#, "2024-02-06T10:14:03.118204Z", .offset(-18_000)),
            (.unifiedConsole, "default\t2020-04-26 22:06:15.055131 -0500\tJamfAAD\tLaunching Company Portal", "2020-04-26T22:06:15.055131Z", .offset(-18_000)),
        ]
        for (shape, line, wall, zone) in cases {
            let t = try #require(recordTime(shape, line), "\(shape)")
            #expect(Instant(nanoseconds: t.local.wallNanoseconds!).rfc3339 == wall, "\(shape)")
            #expect(t.zone == zone, "\(shape)")
        }
    }

    @Test func jamfLinesHaveNoYearButKeepTheWeekday() throws {
        let t = try #require(recordTime(.jamf, "Thu Feb 21 11:16:41 François's Mac mini jamf[8051]: Checking"))
        #expect(t.local.year == nil)
        #expect(t.local.month == 2 && t.local.day == 21 && t.local.hour == 11 && t.local.weekday == 4)
        let single = try #require(recordTime(.jamf, "Wed Feb  1 09:12:01 MacBook Air jamf[317]: x"))
        #expect(single.local.day == 1)
    }

    @Test func rejectsImpossibleDates() {
        #expect(recordTime(.companyPortalPipe, "2025-02-30 17:18:28.301 | a | 1 | f | m") == nil)
        #expect(recordTime(.jamf, "Xyz Feb 21 11:16:41 host jamf[1]: m") == nil)
    }

    @Test func rfc3339Formatting() {
        #expect(Instant(seconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Instant(nanoseconds: -1_000_000).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(utc("2019-09-20T14:02:11.703Z").rfc3339 == "2019-09-20T14:02:11.703Z")
        #expect(utc("2020-03-09T09:00:00-05:00").rfc3339 == "2020-03-09T14:00:00Z")
        #expect(utc("2020-03-09").rfc3339 == "2020-03-09T00:00:00Z")
        #expect(parseTimeArgument("yesterday") == nil)
        #expect(Instant(nanoseconds: 1_700_000_000_000_001_000).rfc3339 == "2023-11-14T22:13:20.000001Z")
    }

    /// A writer that keeps the last day's date part writes what the plain formatter writes,
    /// across midnights, in both directions, and before 1970.
    @Test func rfc3339WithARememberedDayMatchesThePlainForm() {
        var generator = SeededGenerator()
        var day = RFC3339Day()
        var t: Int64 = 1_704_067_000 * 1_000_000_000
        for step in 0..<5_000 {
            if step == 2_500 { t = -86_400 * 1_000_000_000 * 3 }
            t += Int64.random(in: -20_000...90_000, using: &generator) * 1_000_000 * (step % 7 == 0 ? 1 : 1_000)
            var remembered: [UInt8] = []
            Instant(nanoseconds: t).appendRFC3339(to: &remembered, day: &day)
            #expect(String(decoding: remembered, as: UTF8.self) == Instant(nanoseconds: t).rfc3339, "seed \(generator.seed)")
        }
    }

    @Test func weekdays() {
        #expect(weekday(year: 1970, month: 1, day: 1) == 4)
        #expect(weekday(year: 2019, month: 2, day: 21) == 4)  // Thu Feb 21 2019
        #expect(weekday(year: 2024, month: 2, day: 29) == 4)
        #expect(weekday(year: 1969, month: 12, day: 31) == 3)
    }
}

@Suite struct YearInferenceTests {
    func infer(_ lines: [String], mtime: String) -> [LocalDateTime] {
        var times: [RecordTime?] = lines.map { recordTime(.jamf, $0) }
        var inferred = [Bool](repeating: false, count: times.count)
        var bound = recordTime(.companyPortalPipe, mtime + " | a | 1 | f | m")!.local
        bound.weekday = nil
        TimeResolver.inferYears(&times, &inferred, bound: bound)
        #expect(inferred.allSatisfy { $0 })
        return times.map { $0!.local }
    }

    /// The memo that lets lines of one day skip the search gives the years the search gives:
    /// over runs of one day, times later than the bound, weekdays that fit another year, and
    /// rollovers, walked backwards as a file is.
    @Test func aDaysYearIsRememberedOnlyWhereTheSearchWouldFindIt() {
        var generator = SeededGenerator()
        let days = ["Tue Dec 31", "Wed Jan 01", "Wed Jan 01", "Mon Jan 01", "Thu Feb 29", "Sat Mar 02", "Fri Mar 01", "Tue Dec 31"]
        for _ in 0..<50 {
            var times: [RecordTime?] = []
            for _ in 0..<400 {
                let day = days[Int.random(in: 0..<days.count, using: &generator)]
                let run = Int.random(in: 1...6, using: &generator)
                for _ in 0..<run {
                    let h = Int.random(in: 0..<24, using: &generator), m = Int.random(in: 0..<60, using: &generator)
                    times.append(recordTime(.jamf, "\(day) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m):00 mac jamf[1]: a"))
                }
            }
            let start = LocalDateTime(year: 2025, month: 3, day: 5, hour: 12, minute: 0, second: 0)
            var fresh = times, remembered = times
            var freshInferred = [Bool](repeating: false, count: times.count), rememberedInferred = freshInferred
            var freshBound = start, rememberedBound = start
            var memo = TimeResolver.YearMemo()
            for i in times.indices.reversed() {
                TimeResolver.inferYear(&fresh[i], &freshInferred[i], bound: &freshBound)
                TimeResolver.inferYear(&remembered[i], &rememberedInferred[i], bound: &rememberedBound, memo: &memo)
            }
            #expect(fresh == remembered, "seed \(generator.seed)")
            #expect(freshInferred == rememberedInferred, "seed \(generator.seed)")
        }
    }

    @Test func newYearRolloverInsideOneFile() {
        // Tue Dec 31 2024 → Wed Jan 1 2025; the file was written in January 2025.
        let t = infer(["Tue Dec 31 23:58:00 mac jamf[1]: a", "Wed Jan 01 00:03:00 mac jamf[1]: b"], mtime: "2025-01-02 10:00:00.000")
        #expect(t.map(\.year) == [2024, 2025])
    }

    @Test func weekdaysPickTheOnlyFittingYear() {
        // Thu Feb 21 fits 2019 (and 2013, 2030…): with a 2021 file date, 2019 is the latest.
        let t = infer(["Thu Feb 21 11:16:41 mavel-mojave jamf[8051]: x"], mtime: "2021-06-01 00:00:00.000")
        #expect(t[0].year == 2019)
    }

    @Test func latestYearNotAfterTheFileDate() {
        // Fri Sep 20 is 2019 and 2024; a file dated 2024-09-21 takes 2024, one dated 2023 takes 2019.
        #expect(infer(["Fri Sep 20 14:32:01 Jane’s MacBook Pro jamf[1234]: x"], mtime: "2024-09-21 00:00:00.000")[0].year == 2024)
        #expect(infer(["Fri Sep 20 14:32:01 Jane’s MacBook Pro jamf[1234]: x"], mtime: "2023-12-01 00:00:00.000")[0].year == 2019)
    }
}

@Suite struct ZoneTests {
    func file(_ hits: [RecordTime], mtime: Date? = nil) -> FileResult {
        FileResult(source: "f", fileIndex: 0, format: DetectedFormat(.companyPortalPipe), modificationDate: mtime,
                   hits: EntryList(hits.enumerated().map { TimelineEntry(ruleIndex: 0, recordTime: $0.element, offset: 0) }),
                   store: SpillBuffer(), first: nil, last: nil,
                   input: InputReport(source: "f", bundle: "b", format: "x", lines: 0, bytes: 0, error: nil, truncatedLines: 0),
                   problems: [])
    }

    func wall(_ s: String) -> LocalDateTime { recordTime(.companyPortalPipe, s + " | a | 1 | f | m")!.local }

    @Test func tzOptionAndDaylightSaving() {
        let chicago = TimeZone(identifier: "America/Chicago")!
        let resolver = TimeResolver(files: [], options: AnalysisOptions(timeZone: chicago))
        // Winter (CST, -6) and summer (CDT, -5).
        let f = file([RecordTime(local: wall("2024-01-15 08:00:00.000"), zone: .local),
                      RecordTime(local: wall("2024-07-15 08:00:00.000"), zone: .local)])
        let r = resolver.resolve(f).hits
        #expect(r[0]!.instant.rfc3339 == "2024-01-15T14:00:00Z")
        #expect(r[1]!.instant.rfc3339 == "2024-07-15T13:00:00Z")
        #expect(r[0]!.basis == .tzOption)
    }

    @Test func fallBackHourKeepsFileOrder() {
        // 2024-11-03 01:30 happens twice in Chicago. Lines 01:50, 01:10 (after the fall back), 01:40.
        let chicago = TimeZone(identifier: "America/Chicago")!
        let resolver = TimeResolver(files: [], options: AnalysisOptions(timeZone: chicago))
        let f = file(["2024-11-03 01:50:00.000", "2024-11-03 01:10:00.000", "2024-11-03 01:40:00.000"]
            .map { RecordTime(local: wall($0), zone: .local) })
        let r = resolver.resolve(f).hits.map { $0!.instant.rfc3339 }
        #expect(r == ["2024-11-03T06:50:00Z", "2024-11-03T07:10:00Z", "2024-11-03T07:40:00Z"])
    }

    @Test func springForwardGapIsNotDropped() {
        let chicago = TimeZone(identifier: "America/Chicago")!
        let resolver = TimeResolver(files: [], options: AnalysisOptions(timeZone: chicago))
        let f = file([RecordTime(local: wall("2024-03-10 02:30:00.000"), zone: .local)])
        #expect(resolver.resolve(f).hits[0]?.instant.rfc3339 == "2024-03-10T08:30:00Z")
    }

    @Test func zoneInferredFromExplicitOffsetsInTheBundle() {
        let explicit = file([RecordTime(local: wall("2020-04-26 22:06:15.000"), zone: .offset(-18_000))])
        let local = file([RecordTime(local: wall("2020-04-26 22:06:14.000"), zone: .local)])
        let resolver = TimeResolver(files: [explicit, local], options: AnalysisOptions(assumedZone: TimeZone(identifier: "Asia/Tokyo")!))
        #expect(resolver.localBasis == .inferredZone)
        let r = resolver.resolve(local).hits[0]!
        #expect(r.instant.rfc3339 == "2020-04-27T03:06:14Z")
        #expect(r.basis == .inferredZone)
    }

    @Test func assumedZoneWhenNothingElseIsKnown() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let local = file([RecordTime(local: wall("2020-04-26 22:06:14.000"), zone: .local)])
        let resolver = TimeResolver(files: [local], options: AnalysisOptions(assumedZone: tokyo))
        let r = resolver.resolve(local).hits[0]!
        #expect(r.basis == .assumedZone)
        #expect(r.instant.rfc3339 == "2020-04-26T13:06:14Z")
        #expect(resolver.localNote.contains("Asia/Tokyo"))
    }

    @Test func utcFormatsAreNotShifted() {
        let resolver = TimeResolver(files: [], options: AnalysisOptions(timeZone: TimeZone(identifier: "America/Chicago")!))
        let f = file([RecordTime(local: wall("2020-04-27 03:07:10.363"), zone: .utc)])
        let r = resolver.resolve(f).hits[0]!
        #expect(r.instant.rfc3339 == "2020-04-27T03:07:10.363Z")
        #expect(r.basis == .formatUTC)
    }
}

@Suite struct ZoneCacheTests {
    /// Placing every 7 minutes of wall clock over years with the cache gives exactly what asking
    /// the zone each time gives: across DST changes, half-hour DST (Lord Howe) and changes of
    /// standard offset (Moscow 2011 and 2014, Samoa skipping a day in 2011).
    @Test(arguments: ["America/Chicago", "Australia/Lord_Howe", "Europe/Moscow", "Pacific/Apia", "UTC"])
    func cachedPlacementMatchesAskingTheZone(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let cache = TimeResolver.ZoneCache()
        var previousCached: Instant? = nil
        var previousAsked: Instant? = nil
        let start = utc("2010-06-01T00:00:00Z").nanoseconds
        var mismatches = 0
        for step in stride(from: Int64(0), to: 5 * 365 * 24 * 60, by: 7) {
            let wall = start + step * 60_000_000_000
            let cached = TimeResolver.place(wall: wall, in: zone, previous: previousCached, cache: cache)
            let asked = TimeResolver.placeAsking(wall: wall, in: zone, previous: previousAsked)
            if cached != asked { mismatches += 1 }
            previousCached = cached
            previousAsked = asked
        }
        #expect(mismatches == 0)
    }
}

/// Issue 15: every time computation is total (nil or saturated, never a trap).
@Suite struct TimeRangeTests {
    @Test func wallTimesOutsideThePlaceableYearsAreUnknown() {
        for year in [1, 1677, 1899, 2151, 2262, 9999] {
            #expect(LocalDateTime(year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0).wallNanoseconds == nil, "\(year)")
        }
        #expect(LocalDateTime(year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0).wallNanoseconds != nil)
        #expect(LocalDateTime(year: 2150, month: 12, day: 31, hour: 23, minute: 59, second: 60, nanosecond: 999_999_999).wallNanoseconds != nil)
        #expect(Instant.earliest < Instant(nanoseconds: LocalDateTime(year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0).wallNanoseconds! - 14 * 3_600_000_000_000))
    }

    @Test func timeArgumentsOutsideTheRangeAreClamped() {
        #expect(parseTimeArgument("0001-01-01") == Instant.earliest)
        #expect(parseTimeArgument("0001-01-01T00:00:00-14:00") == Instant.earliest)
        #expect(parseTimeArgument("9999-12-31") == Instant.latest)
        #expect(parseTimeArgument("9999-12-31T23:59:59.999999999+14:00") == Instant.latest)
        #expect(parseTimeArgument("2020-02-30") == nil)
        #expect(parseTimeArgument("2020-03-09") == Instant(seconds: 1_583_712_000))
    }

    @Test func saturatingSecondsAndCheckedDurations() {
        #expect(Instant(seconds: .max).nanoseconds == .max)
        #expect(Instant(seconds: .min).nanoseconds == .min)
        #expect(Duration(parsing: "99999999999999d") == nil)
        #expect(Duration(parsing: "9223372036854775807") == nil)
        #expect(Duration(parsing: "2d")?.nanoseconds == 172_800_000_000_000)
    }

    /// A wall clock that steps back less than a day keeps its year; more, and it is a rollover.
    @Test func smallBackwardStepsKeepTheYear() {
        let bound = LocalDateTime(year: 2024, month: 11, day: 3, hour: 1, minute: 0, second: 0)
        #expect(!TimeResolver.isAfter(LocalDateTime(year: 2024, month: 11, day: 3, hour: 1, minute: 50, second: 0), bound))
        #expect(!TimeResolver.isAfter(LocalDateTime(year: 2024, month: 11, day: 3, hour: 23, minute: 0, second: 0), bound))
        #expect(TimeResolver.isAfter(LocalDateTime(year: 2024, month: 11, day: 4, hour: 1, minute: 0, second: 0), bound))
        #expect(TimeResolver.isAfter(LocalDateTime(year: 2024, month: 12, day: 31, hour: 23, minute: 58, second: 0), bound))
    }
}
