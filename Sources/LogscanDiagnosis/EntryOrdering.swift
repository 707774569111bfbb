import LogscanScan
import LogscanSupport

/// Puts a bundle's timeline entries in timeline order (`TimelineOrder`: time, source name,
/// file, place in the file) as cheaply as they allow, as they are gathered file after file.
///
/// Lines nearly always come in order already (one log, or logs that do not overlap): then
/// nothing is stored. Otherwise a permutation of 4 bytes an entry, or, for a list that has moved
/// to its temporary file, a sort of the entries themselves in bounded memory, merging the
/// files' runs when each is in order. Whether the list is in order is known from what was seen
/// as entries came (every file's run in order, each run starting no earlier than the one before
/// ends): no pass over the entries, which, spilled, would read them all back.
struct EntryOrdering {
    /// Each file's run of entries, with its first and last entry.
    private var runs: [(range: Range<Int>, first: TimelineEntry, last: TimelineEntry)] = []
    /// Whether every run is in order so far.
    private var runsSorted = true
    // The run being gathered.
    private var runStart = 0
    private var lastOrderTime = Int64.min
    private var runFirst: TimelineEntry? = nil
    private var runLast: TimelineEntry? = nil

    /// A file's entries start at index `start` of the list.
    mutating func beginFile(at start: Int) {
        runStart = start
        lastOrderTime = Int64.min
        runFirst = nil
        runLast = nil
    }

    /// An entry of the current file goes into the list (after the file's entries before it).
    @inline(__always)
    mutating func note(_ e: TimelineEntry) {
        // Within a file, order is by time then position, and positions only grow.
        if e.orderTime < lastOrderTime { runsSorted = false }
        lastOrderTime = e.orderTime
        if runFirst == nil { runFirst = e }
        runLast = e
    }

    /// The current file's entries end before index `end`.
    mutating func endFile(at end: Int) {
        if let runFirst, let runLast { runs.append((runStart..<end, runFirst, runLast)) }
    }

    /// Orders `entries`, whose file slots index `sources` (the files' source names): returns
    /// the permutation to read them in, or nil when they are in order as stored (as they came,
    /// or sorted in place because they are spilled).
    func order(_ entries: inout EntryList, sources: [String]) -> [UInt32]? {
        let byName = sources.indices.sorted { sources[$0] < sources[$1] }
        var rank = [Int32](repeating: 0, count: sources.count)
        for (r, slot) in byName.enumerated() { rank[slot] = Int32(r) }
        // Within a source: file order, then line order, which is the order records were stored.
        func before(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
            TimelineOrder(time: a.orderTime, source: rank[Int(a.file)], place: a.storePosition)
                < TimelineOrder(time: b.orderTime, source: rank[Int(b.file)], place: b.storePosition)
        }
        var inOrder = runsSorted
        for k in runs.indices.dropFirst() where before(runs[k].first, runs[k - 1].last) { inOrder = false }
        if inOrder { return nil }
        if entries.isSpilled {
            entries.sortExternally(by: before, sortedRuns: runsSorted ? runs.map(\.range) : nil)
            return nil
        }
        var perm = (0..<UInt32(entries.count)).map { $0 }
        perm.sort { before(entries[Int($0)], entries[Int($1)]) }
        return perm
    }
}
