import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

/// The scan path's timeline order: entries gathered file after file come out by time, then
/// source name, then file, then place in the file, whether they came in order (nothing
/// stored), overlapped (a permutation) or spilled to the temporary file (sorted in place).
@Suite struct EntryOrderingTests {
    struct Ordered {
        /// "slot:offset" of each entry, in the order given.
        var entries: [String]
        var permuted: Bool
    }

    /// Gathers `files` (source name and the order time of each entry) and orders them.
    func order(_ files: [(source: String, times: [Int64])], memoryChunks: Int = .max) -> Ordered {
        var list = EntryList(memoryChunks: memoryChunks)
        var ordering = EntryOrdering()
        for (slot, file) in files.enumerated() {
            ordering.beginFile(at: list.count)
            for (k, t) in file.times.enumerated() {
                let e = TimelineEntry(time: t, orderTime: t, offset: Int64(k) * 100, ruleIndex: 0, file: Int32(slot),
                                      basis: 0, yearInferred: false, cause: -1)
                list.append(e)
                ordering.note(e)
            }
            ordering.endFile(at: list.count)
        }
        let perm = ordering.order(&list, sources: files.map(\.source))
        let indexes = perm.map { $0.map(Int.init) } ?? Array(0..<list.count)
        return Ordered(entries: indexes.map { "\(list[$0].file):\(list[$0].offset)" }, permuted: perm != nil)
    }

    /// The order by sorting every entry by (time, source name, slot, offset): the reference.
    func reference(_ files: [(source: String, times: [Int64])]) -> [String] {
        var all: [(Int64, String, Int, Int64)] = []
        for (slot, file) in files.enumerated() {
            for (k, t) in file.times.enumerated() { all.append((t, file.source, slot, Int64(k) * 100)) }
        }
        all.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            return a.3 < b.3
        }
        return all.map { "\($0.2):\($0.3)" }
    }

    @Test func aTieBetweenFilesGoesBySourceName() {
        // cp.log's first line ties with jamf.log's last: by name, cp.log's comes first, so the
        // two files do not simply follow one another.
        let files = [("jamf.log", [Int64]([1, 2, 2, 5])), ("cp.log", [5, 6, 9])]
        let result = order(files)
        #expect(result.permuted)
        #expect(result.entries == ["0:0", "0:100", "0:200", "1:0", "0:300", "1:100", "1:200"])
        #expect(result.entries == reference(files))
    }

    @Test func filesInOrderAndApartAreLeftAsTheyCame() {
        let files = [("b.log", [Int64]([1, 2, 3])), ("a.log", [4, 5])]
        let result = order(files)
        #expect(!result.permuted)
        #expect(result.entries == ["0:0", "0:100", "0:200", "1:0", "1:100"])
    }

    @Test func overlappingFilesInterleaveByTimeThenSourceName() {
        let files = [("b.log", [Int64]([1, 3, 3, 7])), ("a.log", [2, 3, 8])]
        let result = order(files)
        #expect(result.permuted)
        #expect(result.entries == ["0:0", "1:0", "1:100", "0:100", "0:200", "0:300", "1:200"])
        #expect(result.entries == reference(files))
    }

    @Test func sameSourceNameKeepsFileOrderOnATie() {
        // A log and its rotated copy read under one name (an archive member met twice, say).
        let files = [("jamf.log", [Int64]([5, 6])), ("jamf.log", [1, 5]), ("a.log", [5])]
        let result = order(files)
        #expect(result.permuted)
        #expect(result.entries == ["1:0", "2:0", "0:0", "1:100", "0:100"])
        #expect(result.entries == reference(files))
    }

    @Test func aFileOutOfOrderWithinItselfIsSorted() {
        // Lines before any time order first (Int64.min), as the scan gives them.
        let files = [("a.log", [Int64.min, 4, 2, 9]), ("b.log", [Int64.min, 3])]
        let result = order(files)
        #expect(result.permuted)
        #expect(result.entries == ["0:0", "1:0", "0:200", "1:100", "0:100", "0:300"])
        #expect(result.entries == reference(files))
    }

    /// Spilled to the temporary file, the entries are sorted in place (no permutation), in
    /// the same order, whether each file's run is in order (merged) or not (sorted).
    @Test(arguments: [true, false]) func spilledEntriesAreSortedInPlace(runsInOrder: Bool) {
        var rng = SeededGenerator(name: "spilledEntriesAreSortedInPlace(\(runsInOrder))")
        var files: [(source: String, times: [Int64])] = []
        for (k, name) in ["c.log", "a.log", "b.log", "a.log"].enumerated() {
            var t = Int64(k * 50)
            let times = (0..<(EntryList.chunkSize + 300 * k)).map { _ -> Int64 in
                t += Int64.random(in: 0...2, using: &rng)
                return runsInOrder || Int.random(in: 0..<50, using: &rng) != 0 ? t : t - Int64.random(in: 0...100, using: &rng)
            }
            files.append((name, times))
        }
        let result = order(files, memoryChunks: 1)
        #expect(!result.permuted, "seed \(rng.seed)")
        #expect(result.entries == reference(files), "seed \(rng.seed)")
    }
}
