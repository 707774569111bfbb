import Foundation
import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

@Suite struct SpillBufferTests {
    /// Records of varied sizes, some larger than the read window.
    func records() -> [[UInt8]] {
        var rng = SeededGenerator()
        return (0..<400).map { i in
            let n = i % 97 == 0 ? 5000 : Int.random(in: 0...300, using: &rng)
            return (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
        }
    }

    @Test func spillsToAFileAndReadsEveryRecordBack() {
        let buffer = SpillBuffer(memoryLimit: 4096, windowSize: 1024)
        let recs = records()
        let offsets = recs.map { r in r.withUnsafeBytes { buffer.append($0) } }
        #expect(buffer.count == Int64(recs.reduce(0) { $0 + $1.count }))
        #expect(buffer.hasSpilled)
        // Out of order, so the window has to move back and forth, and across the memory tail.
        var order = SeededGenerator()
        for i in recs.indices.shuffled(using: &order) {
            let got = buffer.withBytes(at: offsets[i], count: recs[i].count) { Array($0) }
            #expect(got == recs[i], "record \(i), seed \(order.seed)")
        }
        var all: [UInt8] = []
        buffer.forEachPiece { all += $0 }
        #expect(all == recs.flatMap { $0 })
    }

    @Test func keepsEverythingInMemoryWhenNoTemporaryFileCanBeMade() throws {
        // The temporary directory is a file: mkstemp fails, and nothing may be lost.
        let notADirectory = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-not-a-dir-\(getpid())")
        try Data("x".utf8).write(to: notADirectory)
        defer { try? FileManager.default.removeItem(at: notADirectory) }
        let buffer = SpillBuffer(memoryLimit: 100, windowSize: 64, directory: notADirectory.path)
        let recs = records()
        let offsets = recs.map { buffer.append($0) }
        #expect(!buffer.hasSpilled)
        for i in recs.indices {
            #expect(buffer.withBytes(at: offsets[i], count: recs[i].count) { Array($0) } == recs[i])
        }
    }
}

@Suite struct TimelineStorageTests {
    /// A time basis is stored as its place among all bases, and read back as itself.
    @Test func timeBasisCodesAreTheirPlaceInAllCases() {
        for (k, basis) in TimeBasis.allCases.enumerated() {
            #expect(basis.code == Int8(k))
            #expect(TimeBasis(code: basis.code) == basis)
        }
        #expect(TimeBasis(code: -1) == nil)
    }

    @Test func packedTimesRoundTrip() {
        let times: [RecordTime?] = [
            nil,
            RecordTime(local: LocalDateTime(year: nil, month: 2, day: 29, hour: 23, minute: 59, second: 59, weekday: 4), zone: .local),
            RecordTime(local: LocalDateTime(year: 2024, month: 12, day: 31, hour: 0, minute: 0, second: 60, nanosecond: 999_999_999), zone: .utc),
            RecordTime(local: LocalDateTime(year: 1999, month: 1, day: 1, hour: 5, minute: 4, second: 3, nanosecond: 123_456), zone: .offset(-9 * 3600 - 1800)),
            RecordTime(local: LocalDateTime(year: 2038, month: 6, day: 15, hour: 12, minute: 30, second: 0, weekday: 0), zone: .offset(14 * 3600)),
        ]
        for t in times {
            let e = TimelineEntry(ruleIndex: 3, recordTime: t, offset: 7)
            #expect(e.recordTime == t)
            #expect(e.lacksYear == (t != nil && t!.local.year == nil))
            if case .offset = t?.zone { #expect(e.hasExplicitOffset) } else { #expect(!e.hasExplicitOffset) }
        }
    }

    @Test func aTimeThatCannotBeAClockReadingPacksAsNone() {
        let t = RecordTime(local: LocalDateTime(year: 2024, month: 1, day: 1, hour: 99, minute: 0, second: 0), zone: .utc)
        #expect(TimelineEntry(ruleIndex: 0, recordTime: t, offset: 0).recordTime == nil)
    }

    @Test func eventsRoundTripThroughATimeline() {
        var a = Event(bundle: "mac", source: "a.log", fileIndex: 0, line: 7, ruleIndex: 2, rule: "r2",
                      text: "line with \"quotes\" and ünïcode", captures: ["id": "42", "user": "ann"],
                      format: .jamf, time: Instant(seconds: 1_700_000_000), timeBasis: .assumedZone, yearInferred: true)
        a.orderTime = a.time
        a.cause = "some-cause"
        var b = Event(bundle: "mac", source: "b.log", fileIndex: 1, line: 1, ruleIndex: 0, rule: "r0",
                      text: "", captures: [:], format: .companyPortal)
        b.orderTime = a.time
        let timeline = Timeline(events: [a, b])
        #expect(timeline.count == 2)
        for (original, back) in zip([a, b], Array(timeline)) {
            #expect(back.source == original.source)
            #expect(back.line == original.line)
            #expect(back.rule == original.rule)
            #expect(back.text == original.text)
            #expect(back.captures == original.captures)
            #expect(back.format == original.format)
            #expect(back.time == original.time)
            #expect(back.timeBasis == original.timeBasis)
            #expect(back.yearInferred == original.yearInferred)
            #expect(back.cause == original.cause)
            #expect(back.orderTime == original.orderTime)
            #expect(back.fileIndex == original.fileIndex)
        }
    }

    @Test func entryListIndexesAcrossChunks() {
        let n = EntryList.chunkSize * 2 + 5
        var list = EntryList((0..<n).map { TimelineEntry(ruleIndex: $0, recordTime: nil, offset: Int64($0)) })
        #expect(list.count == n)
        #expect(list[EntryList.chunkSize].ruleIndex == Int32(EntryList.chunkSize) && list[n - 1].ruleIndex == Int32(n - 1))
        list[n - 1].file = 0xAB_CDEF
        #expect(list[n - 1].file == 0xAB_CDEF && list[n - 1].offset == Int64(n - 1))
        var seen = 0
        list.drain { e in #expect(e.offset == Int64(seen)); seen += 1 }
        #expect(seen == n && list.isEmpty)
    }
}

@Suite struct OrderedParallelTests {
    /// Items come out in index order whatever order the workers finish in, and no more than
    /// `window` are ever made but not yet consumed.
    @Test func consumesInOrderWithinTheWindow() {
        final class Gauge: @unchecked Sendable {
            // SAFETY: guarded by `lock`.
            let lock = NSLock()
            var outstanding = 0, peak = 0
            func change(_ d: Int) { lock.lock(); outstanding += d; peak = max(peak, outstanding); lock.unlock() }
        }
        let gauge = Gauge()
        var seen: [Int] = []
        OrderedParallel.run(count: 500, workers: 4, window: 3,
                            makeState: { 0 },
                            produce: { made, i in
                                made += 1
                                gauge.change(1)
                                if i % 7 == 0 { usleep(200) }  // some items take longer
                                return i * 10
                            },
                            consume: { item in gauge.change(-1); seen.append(item) })
        #expect(seen == (0..<500).map { $0 * 10 })
        #expect(gauge.peak <= 3)
        #expect(gauge.outstanding == 0)
    }

    @Test func nothingToDoIsFine() {
        var calls = 0
        OrderedParallel.run(count: 0, workers: 2, window: 2, makeState: { () }, produce: { _, i in i }, consume: { _ in calls += 1 })
        #expect(calls == 0)
    }
}

@Suite struct SpilledEntryListTests {
    func entry(_ k: Int, time: Int64) -> TimelineEntry {
        TimelineEntry(time: time, orderTime: time, offset: Int64(k), ruleIndex: Int32(k % 50), file: Int32(k % 3),
                      basis: 0, yearInferred: false, cause: -1)
    }

    /// Past its memory the list moves whole chunks to a file; reading, changing, reading with
    /// cursors and draining all see the same entries as a list kept in memory.
    @Test func spilledListReadsChangesAndDrainsLikeOneInMemory() {
        let n = 3 * EntryList.chunkSize + 1234
        var spilled = EntryList(memoryChunks: 1)
        var kept = EntryList(memoryChunks: .max)
        for k in 0..<n { spilled.append(entry(k, time: Int64(k) * 7)); kept.append(entry(k, time: Int64(k) * 7)) }
        #expect(spilled.isSpilled)
        #expect(!kept.isSpilled)
        #expect(spilled.count == n)
        // Changes in place, walking backwards and jumping between chunks (through the cache).
        for k in stride(from: n - 1, through: 0, by: -997) {
            spilled[k].cause = 3; kept[k].cause = 3
            spilled[n - 1 - k].yearInferred = true; kept[n - 1 - k].yearInferred = true
        }
        for k in 0..<n where spilled[k].offset != kept[k].offset || spilled[k].cause != kept[k].cause
            || spilled[k].yearInferred != kept[k].yearInferred {
            Issue.record("entry \(k) differs")
            break
        }
        spilled.prepareForReaders()
        let cursors = [EntryCursor(), EntryCursor()]
        for k in stride(from: 0, to: n, by: 13) {
            let e = spilled.read(k, cursor: cursors[k % 2])
            #expect(e.offset == Int64(k) && e.cause == kept[k].cause)
        }
        // One cursor walking three places side by side, over more chunks than it keeps: each
        // read is the entry asked for, whether its chunk is in use, kept or read again.
        let walker = EntryCursor()
        var places = [0, n / 3, 2 * n / 3]
        for step in 0..<3000 {
            let w = step % 3
            let k = places[w]
            #expect(spilled.read(k, cursor: walker).offset == Int64(k))
            places[w] = (k + 1 + (step % 7) * 301) % n
        }
        var drained: [Int64] = []
        spilled.drain { drained.append($0.offset) }
        #expect(drained == (0..<Int64(n)).map { $0 })
        #expect(spilled.count == 0 && !spilled.isSpilled)
    }

    /// Sorting a spilled list (runs sorted in memory, then merged) gives the order an
    /// in-memory sort gives, ties broken by offset.
    @Test func externalSortMatchesSortingInMemory() {
        var rng = SeededGenerator()
        let n = 5 * EntryList.chunkSize + 77
        var list = EntryList(memoryChunks: 1)
        var all: [TimelineEntry] = []
        for k in 0..<n {
            // Mostly ascending with jumps back, and many equal times.
            let t = Int64(k / 3) - (k % 11 == 0 ? Int64.random(in: 0...5000, using: &rng) : 0)
            let e = entry(k, time: t)
            list.append(e); all.append(e)
        }
        func before(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
            a.orderTime != b.orderTime ? a.orderTime < b.orderTime : a.offset < b.offset
        }
        list.sortExternally(by: before)
        all.sort(by: before)
        #expect(list.count == n, "seed \(rng.seed)")
        #expect(list.isSpilled, "seed \(rng.seed)")
        #expect(list.map(\.offset) == all.map(\.offset), "seed \(rng.seed)")
    }

    /// Runs that are each in order already (one file's lines each) are merged as they are:
    /// the same order as sorting everything, ties included, for runs of any length.
    /// Five runs go through the heap merge; two (the usual bundle of two logs) through the
    /// two-way merge, whose buffers run out at different places, and whose runs end first on
    /// either side.
    @Test(arguments: [[3 * EntryList.chunkSize + 5, 1, EntryList.chunkSize, 2 * EntryList.chunkSize - 3, 17],
                      [3 * EntryList.chunkSize + 5, 2 * EntryList.chunkSize - 3],
                      [17, 2 * EntryList.chunkSize + 1], [EntryList.chunkSize, 0, EntryList.chunkSize]])
    func sortedRunsAreMergedIntoTheOrderASortGives(lengths: [Int]) {
        var rng = SeededGenerator()
        var list = EntryList(memoryChunks: 1)
        var all: [TimelineEntry] = []
        var runs: [Range<Int>] = []
        var k = 0
        for length in lengths {
            let start = list.count
            var t = Int64.random(in: 0...1000, using: &rng)
            for _ in 0..<length {
                t += Int64.random(in: 0...3, using: &rng)  // non-decreasing, many ties
                let e = entry(k, time: t)
                list.append(e); all.append(e)
                k += 1
            }
            runs.append(start..<list.count)
        }
        func before(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
            a.orderTime != b.orderTime ? a.orderTime < b.orderTime : a.offset < b.offset
        }
        list.sortExternally(by: before, sortedRuns: runs)
        all.sort(by: before)
        #expect(list.count == all.count)
        #expect(list.map(\.offset) == all.map(\.offset))
    }
}

extension SpilledEntryListTests {
    /// No temporary file can be made: the list keeps everything in memory and loses nothing.
    @Test func aListWhoseDirectoryIsUnusableStaysInMemory() {
        let n = 3 * EntryList.chunkSize + 5
        var list = EntryList(memoryChunks: 1, directory: "/nonexistent/logscan-test")
        for k in 0..<n { list.append(entry(k, time: Int64(k))) }
        #expect(!list.isSpilled)
        #expect(list.count == n)
        #expect(list.map(\.offset) == (0..<Int64(n)).map { $0 })
    }
}
