#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanSupport

/// Timeline entries in chunks of 8192: growing never copies what is there (no doubling peak),
/// and a file's entries can be handed on chunk by chunk, each freed as it goes.
///
/// Past `memoryChunks` chunks (2 MiB by default) the full chunks move to a temporary file, as
/// a `SpillBuffer`'s bytes do, and are read back a chunk at a time: a log with millions of
/// matched lines is then diagnosed in the same memory as a small one. Spilled chunks are
/// shared by copies of the list (they are in the file), so a spilled list is changed through
/// one copy only. If no temporary file can be made, the list simply stays in memory.
public struct EntryList: RandomAccessCollection, MutableCollection, Sendable {
    package static let shift = 13
    static let chunkSize = 1 << shift
    /// Chunks a list keeps in memory before it spills (8192 entries of 32 bytes each).
    public static let defaultMemoryChunks = 8

    /// The chunks; one moved to the file is empty here (a chunk in memory never is).
    private(set) var chunks: [[TimelineEntry]] = []
    public private(set) var count = 0
    package let memoryChunks: Int
    private var resident = 0
    private var spill: EntrySpill? = nil
    private var spillFailed = false

    /// Where the temporary file goes (`$TMPDIR` or `/tmp` when nil).
    private let directory: String?

    public init(memoryChunks: Int = EntryList.defaultMemoryChunks, directory: String? = nil) {
        self.memoryChunks = Swift.max(1, memoryChunks)
        self.directory = directory
    }
    public init<S: Sequence>(_ entries: S, memoryChunks: Int = EntryList.defaultMemoryChunks) where S.Element == TimelineEntry {
        self.init(memoryChunks: memoryChunks)
        for e in entries { append(e) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Whether some chunks live in the temporary file.
    public var isSpilled: Bool { spill != nil }

    private func chunkCount(_ c: Int) -> Int { c == chunks.count - 1 ? count - c * Self.chunkSize : Self.chunkSize }

    public subscript(i: Int) -> TimelineEntry {
        get {
            let c = i >> Self.shift
            if !chunks[c].isEmpty { return chunks[c][i & (Self.chunkSize - 1)] }
            return spill!.withChunk(c, count: chunkCount(c), changing: false) { $0[i & (Self.chunkSize - 1)] }
        }
        set {
            let c = i >> Self.shift
            if !chunks[c].isEmpty { chunks[c][i & (Self.chunkSize - 1)] = newValue; return }
            spill!.withChunk(c, count: chunkCount(c), changing: true) { $0[i & (Self.chunkSize - 1)] = newValue }
        }
    }

    /// Entry `i` read through `cursor`, a reader's own chunk buffer: threads may read a list
    /// side by side this way, once `prepareForReaders()` has been called and while nothing
    /// changes it.
    public func read(_ i: Int, cursor: EntryCursor) -> TimelineEntry {
        let c = i >> Self.shift
        if !chunks[c].isEmpty { return chunks[c][i & (Self.chunkSize - 1)] }
        if cursor.chunk != c && !cursor.recall(c) {
            cursor.keep(c, spill!.read(chunk: c, count: chunkCount(c)))
        }
        return cursor.entries[i & (Self.chunkSize - 1)]
    }

    /// Writes changed entries back to the file, so cursors read what the list holds.
    public func prepareForReaders() { spill?.flush() }

    /// Calls `body` with each chunk in turn (backwards if `reversed`) to change its entries in
    /// place: a chunk in the file is read, changed and written back once, not an entry at a
    /// time. For passes over every entry (time resolution).
    package mutating func updateChunks(reversed: Bool = false, _ body: (inout [TimelineEntry]) -> Void) {
        spill?.flush(forget: true)
        let order = reversed ? Array(chunks.indices.reversed()) : Array(chunks.indices)
        for c in order {
            if !chunks[c].isEmpty {
                body(&chunks[c])
            } else {
                var entries = spill!.read(chunk: c, count: chunkCount(c))
                body(&entries)
                // Disk full: the changed chunk comes back to memory rather than be lost.
                if !spill!.write(entries, chunk: c) { chunks[c] = entries; resident += 1 }
            }
        }
    }

    /// Calls `body` with each chunk's entries in order (read-only passes), until it returns
    /// false: a chunk in the file is not read once the answer is known.
    package func forEachChunk(_ body: ([TimelineEntry]) -> Bool) {
        spill?.flush()
        for c in chunks.indices where !body(entries(ofChunk: c)) { return }
    }

    public mutating func append(_ e: TimelineEntry) {
        startChunkIfFull()
        chunks[chunks.count - 1].append(e)
        count += 1
    }

    /// Starts a chunk when the last one is full (or there is none), moving the full chunks to
    /// the file first if the list holds its share in memory.
    @inline(__always)
    private mutating func startChunkIfFull() {
        guard count & (Self.chunkSize - 1) == 0 else { return }
        if resident >= memoryChunks { spillFullChunks() }
        var chunk: [TimelineEntry] = []
        chunk.reserveCapacity(Self.chunkSize)
        chunks.append(chunk)
        resident += 1
    }

    /// Appends `entries` in order, as many at once as the last chunk has room for: the same
    /// list as appending each, without a chunk lookup and a uniqueness check per entry.
    public mutating func append(contentsOf entries: UnsafeBufferPointer<TimelineEntry>) {
        var from = 0
        while from < entries.count {
            startChunkIfFull()
            let n = Swift.min(Self.chunkSize - (count & (Self.chunkSize - 1)), entries.count - from)
            chunks[chunks.count - 1].append(contentsOf: UnsafeBufferPointer(rebasing: entries[from..<(from + n)]))
            count += n
            from += n
        }
    }

    /// Moves every chunk in memory (all are full when a new one is about to start) to the file.
    private mutating func spillFullChunks() {
        guard !spillFailed else { return }
        if spill == nil {
            spill = EntrySpill(directory: directory)
            if spill == nil { spillFailed = true; return }
        }
        for c in chunks.indices where !chunks[c].isEmpty {
            guard spill!.write(chunks[c], chunk: c) else { spillFailed = true; return }
            chunks[c] = []
            resident -= 1
        }
    }

    /// The entries of chunk `c`, from memory or the file.
    private func entries(ofChunk c: Int) -> [TimelineEntry] {
        chunks[c].isEmpty ? spill!.read(chunk: c, count: chunkCount(c)) : chunks[c]
    }

    /// Moves every entry to `body`, in order, freeing each chunk once it is done.
    package mutating func drain(_ body: (TimelineEntry) -> Void) {
        spill?.flush()
        for c in chunks.indices {
            let chunk = entries(ofChunk: c)
            chunks[c] = []
            for e in chunk { body(e) }
        }
        chunks = []
        count = 0
        resident = 0
        spill = nil
    }

    /// Puts the entries in `before` order (a strict total order) with memory bounded by
    /// `memoryChunks`: runs of that many chunks are sorted in memory, then merged, each run
    /// read a little at a time. For lists too large to sort in memory.
    ///
    /// `sortedRuns`, when given, are ranges that cover the list in order and are each in
    /// `before` order already (one file's lines): they are merged as they are, with no run
    /// sorted or written out again.
    package mutating func sortExternally(by before: (TimelineEntry, TimelineEntry) -> Bool, sortedRuns: [Range<Int>]? = nil) {
        spill?.flush()
        var runs: EntryList
        var bounds: [Range<Int>] = []
        if let sortedRuns {
            runs = self
            bounds = sortedRuns
        } else {
            let runLength = memoryChunks * Self.chunkSize
            runs = EntryList(memoryChunks: memoryChunks, directory: directory)
            var block: [TimelineEntry] = []
            var c = 0
            while c < chunks.count {
                block.removeAll(keepingCapacity: true)
                while c < chunks.count && block.count < runLength {
                    block += entries(ofChunk: c)
                    chunks[c] = []
                    c += 1
                }
                block.sort(by: before)
                let start = runs.count
                for e in block { runs.append(e) }
                bounds.append(start..<runs.count)
            }
            runs.spill?.flush()
        }
        chunks = []; count = 0; resident = 0; spill = nil
        let nonEmpty = bounds.filter { !$0.isEmpty }
        if nonEmpty.count == 2 {
            self = Self.mergeTwo(runs, nonEmpty[0], nonEmpty[1], by: before, memoryChunks: memoryChunks, directory: directory)
            return
        }

        // Merge: each run is read 1024 entries at a time; a binary heap of run numbers, keyed
        // by each run's current entry, picks the next one. Plain local arrays and one loop:
        // helper functions that capture them make Swift box them and check every access.
        var buffers: [[TimelineEntry]] = [], at: [Int] = [], next: [Int] = [], ends: [Int] = []
        var current: [TimelineEntry] = []
        for r in bounds where !r.isEmpty {
            let n = Swift.min(1024, r.count)
            let buffer = runs.copy(r.lowerBound..<(r.lowerBound + n))
            buffers.append(buffer); at.append(0); next.append(r.lowerBound + n); ends.append(r.upperBound)
            current.append(buffer[0])
        }
        var heap = Array(current.indices)
        var out = EntryList(memoryChunks: memoryChunks, directory: directory)
        // Merged entries gather here and go to `out` a batch at a time.
        let pending = UnsafeMutableBufferPointer<TimelineEntry>.allocate(capacity: Self.batch)
        defer { pending.deallocate() }
        var pendingCount = 0
        var sift = heap.count / 2 - 1
        var top = -1  // the run whose entry was just taken, or -1 while the heap is built
        while true {
            if top >= 0 {
                // Advance the run just taken from; drop it from the heap when it is done.
                at[top] += 1
                if at[top] == buffers[top].count {
                    if next[top] < ends[top] {
                        let n = Swift.min(1024, ends[top] - next[top])
                        buffers[top] = runs.copy(next[top]..<(next[top] + n))
                        next[top] += n
                        at[top] = 0
                    } else {
                        buffers[top] = []
                        heap[0] = heap[heap.count - 1]
                        heap.removeLast()
                    }
                }
                if at[top] < buffers[top].count { current[top] = buffers[top][at[top]] }
                if heap.isEmpty { break }
                sift = 0
            }
            // Sift heap[sift] down; while the heap is being built, for every inner node in turn.
            while sift >= 0 {
                var i = sift
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var m = i
                    if l < heap.count && before(current[heap[l]], current[heap[m]]) { m = l }
                    if r < heap.count && before(current[heap[r]], current[heap[m]]) { m = r }
                    if m == i { break }
                    heap.swapAt(i, m)
                    i = m
                }
                sift = top >= 0 ? -1 : sift - 1
            }
            guard let first = heap.first else { break }
            pending[pendingCount] = current[first]
            pendingCount += 1
            if pendingCount == Self.batch {
                out.append(contentsOf: UnsafeBufferPointer(pending))
                pendingCount = 0
            }
            top = first
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: pending[..<pendingCount]))
        self = out
    }

    /// Entries read, or gathered for appending, at a time while merging (32 KiB): enough that
    /// per-batch work does not count, small enough not to show in a fleet's memory.
    package static let batch = 1024

    /// Two sorted runs of `runs` merged into a new list (a bundle of two logs that overlap in
    /// time, the usual case): each run read `batch` entries at a time, one comparison per
    /// entry, and the merged entries handed to the new list a batch at a time.
    private static func mergeTwo(_ runs: EntryList, _ a: Range<Int>, _ b: Range<Int>,
                                 by before: (TimelineEntry, TimelineEntry) -> Bool,
                                 memoryChunks: Int, directory: String?) -> EntryList {
        var out = EntryList(memoryChunks: memoryChunks, directory: directory)
        let pending = UnsafeMutableBufferPointer<TimelineEntry>.allocate(capacity: batch)
        defer { pending.deallocate() }
        var pendingCount = 0
        var nextA = a.lowerBound, nextB = b.lowerBound
        var bufA: [TimelineEntry] = [], bufB: [TimelineEntry] = []
        var ia = 0, ib = 0
        while true {
            if ia == bufA.count {
                guard nextA < a.upperBound else { break }
                let n = Swift.min(batch, a.upperBound - nextA)
                bufA = runs.copy(nextA..<(nextA + n)); nextA += n; ia = 0
            }
            if ib == bufB.count {
                guard nextB < b.upperBound else { break }
                let n = Swift.min(batch, b.upperBound - nextB)
                bufB = runs.copy(nextB..<(nextB + n)); nextB += n; ib = 0
            }
            // Until one buffer runs out: plain pointers, no bounds or uniqueness checks.
            bufA.withUnsafeBufferPointer { pa in
                bufB.withUnsafeBufferPointer { pb in
                    while ia < pa.count && ib < pb.count {
                        let x = pa[ia], y = pb[ib]
                        if before(y, x) { pending[pendingCount] = y; ib += 1 } else { pending[pendingCount] = x; ia += 1 }
                        pendingCount += 1
                        if pendingCount == batch {
                            out.append(contentsOf: UnsafeBufferPointer(pending))
                            pendingCount = 0
                        }
                    }
                }
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: pending[..<pendingCount]))
        // One run is done; the rest of the other follows as it is.
        for (buffer, at, next, end) in [(bufA, ia, nextA, a.upperBound), (bufB, ib, nextB, b.upperBound)] {
            buffer.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[at...])) }
            var from = next
            while from < end {
                let n = Swift.min(batch, end - from)
                runs.copy(from..<(from + n)).withUnsafeBufferPointer { out.append(contentsOf: $0) }
                from += n
            }
        }
        return out
    }

    /// Entries `range`, in order (memory or file).
    private func copy(_ range: Range<Int>) -> [TimelineEntry] {
        var out: [TimelineEntry] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let c = i >> Self.shift
            let from = i & (Self.chunkSize - 1)
            let n = Swift.min(range.upperBound - i, chunkCount(c) - from)
            if !chunks[c].isEmpty {
                out += chunks[c][from..<(from + n)]
            } else {
                out += spill!.read(at: i, count: n)
            }
            i += n
        }
        return out
    }
}

/// The spilled chunks of an `EntryList`: chunk `c` at `c` × 256 KiB of an unlinked temporary
/// file, and a few chunks cached for reading and changing them in place (the classifier walks
/// two or three lists of a timeline side by side).
final class EntrySpill: @unchecked Sendable {
    // SAFETY: the cache is used under `lock`; writing chunks and flushing come from the list's
    // one writer; `read` is a pread, used by cursors after `flush` while nothing changes.
    private let fd: Int32
    private let lock = NSLock()
    private struct Cached { var chunk: Int; var entries: [TimelineEntry]; var dirty: Bool; var used: Int }
    private var cache: [Cached] = []
    /// Changed chunks that could not be written back (disk full): they stay in memory.
    private var pinned: [Int: [TimelineEntry]] = [:]
    private var clock = 0
    static let cachedChunks = 4
    package static let entrySize = MemoryLayout<TimelineEntry>.stride

    package init?(directory: String?) {
        fd = SpillBuffer.makeTemporaryFile(in: directory)
        if fd < 0 { return nil }
    }

    deinit { close(fd) }

    package func write(_ entries: [TimelineEntry], chunk c: Int) -> Bool {
        let ok = entries.withUnsafeBytes { writeFully(fd, $0, at: Int64(c * EntryList.chunkSize * Self.entrySize)) }
        if ok { lock.withLock { _ = pinned.removeValue(forKey: c) } }
        return ok
    }

    /// `count` entries starting at entry `index` (within one chunk).
    package func read(at index: Int, count: Int) -> [TimelineEntry] {
        let c = index / EntryList.chunkSize
        if let kept = lock.withLock({ pinned[c] }) {
            let from = index - c * EntryList.chunkSize
            return Array(kept[from..<(from + count)])
        }
        return readFile(at: index, count: count)
    }

    private func readFile(at index: Int, count: Int) -> [TimelineEntry] {
        [TimelineEntry](unsafeUninitializedCapacity: count) { buf, initialized in
            readFully(fd, UnsafeMutableRawBufferPointer(buf), at: Int64(index * Self.entrySize))
            initialized = count
        }
    }

    package func read(chunk c: Int, count: Int) -> [TimelineEntry] { read(at: c * EntryList.chunkSize, count: count) }

    func withChunk<R>(_ c: Int, count: Int, changing: Bool, _ body: (inout [TimelineEntry]) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        clock += 1
        var k = cache.firstIndex { $0.chunk == c } ?? -1
        if k < 0 {
            if cache.count < Self.cachedChunks {
                cache.append(Cached(chunk: c, entries: [], dirty: false, used: 0))
                k = cache.count - 1
            } else {
                k = cache.indices.min { cache[$0].used < cache[$1].used }!
                writeBack(k)
            }
            let entries = pinned[c] ?? readFile(at: c * EntryList.chunkSize, count: count)
            cache[k] = Cached(chunk: c, entries: entries, dirty: false, used: clock)
        }
        cache[k].used = clock
        if changing { cache[k].dirty = true }
        return body(&cache[k].entries)
    }

    /// Writes changed cached chunks back; with `forget`, empties the cache too (before the
    /// file is changed without it).
    package func flush(forget: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        for k in cache.indices { writeBack(k) }
        if forget { cache = [] }
    }

    private func writeBack(_ k: Int) {
        guard cache[k].dirty else { return }
        let c = cache[k].chunk
        if pinned[c] != nil || !cache[k].entries.withUnsafeBytes({ writeFully(fd, $0, at: Int64(c * EntryList.chunkSize * Self.entrySize)) }) {
            // Disk full: the chunk stays in memory rather than lose its changes.
            pinned[c] = cache[k].entries
        }
        cache[k].dirty = false
    }
}
