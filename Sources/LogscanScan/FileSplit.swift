#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanInput
import LogscanPrefilter
import LogscanRules

/// A large plain log cut into parts that workers scan side by side, then put back together
/// exactly as if the file had been read from start to end: the same hits, line numbers,
/// first and last records, line and byte counts, and problems.
///
/// Without it a bundle's files are shared out whole, so one large log (or two of unequal
/// size) keeps one core busy while the other waits. Parts are cut where a record starts, so
/// every part holds whole records and a hit never needs the time of a record in another part;
/// the first part holds the first 1000 lines, which is where a file's first timed record is
/// looked for. Parts are assembled in file order as they finish, so at most a few wait in
/// memory, whatever the file's size.
package final class SplitFile: @unchecked Sendable {
    // SAFETY: the plan (file, format, sample, parts) is immutable; the assembly state below is
    // read and written under `lock` only.
    package let file: PositionalFile
    package let bundle: String
    package let fileIndex: Int
    package let format: DetectedFormat
    /// The file's first chunk of lines, as a whole-file read sees it: what the format was
    /// detected from and what the prefilter is tuned to.
    package let sample: [UInt8]
    /// Byte ranges, in file order, each starting at a record.
    package let parts: [Range<Int64>]

    /// What scanning one part produced; line numbers and record offsets are the part's own.
    package struct Part {
        package var hits: [TimelineEntry]
        /// The hits' records, as `HitRecord.encode` writes them.
        package var records: [UInt8]
        package var lines: Int
        package var bytes: Int64
        package var nulBytesSkipped: Int64
        package var truncatedLines: Int
        package var first: EdgeRecord?
        package var last: EdgeRecord?
        package var problems: [ScanProblem]
        package var error: String?
        package var unrecognized = UnrecognizedCollector()
    }

    private let lock = NSLock()
    private let prefilterLock = NSLock()
    private var prefilterBuilt = false
    private var prefilter: Prefilter?
    private var waiting: [Part?]
    private var assembled = 0
    private var hits: EntryList
    private let store = SpillBuffer()
    private var lines = 0
    private var bytes: Int64 = 0
    private var nulBytesSkipped: Int64 = 0
    private var truncatedLines = 0
    private var first: EdgeRecord?
    private var last: EdgeRecord?
    private var problems: [ScanProblem] = []
    private var problemRules = Set<String>()
    private var error: String?
    private var unrecognized = UnrecognizedCollector()

    private init(file: PositionalFile, bundle: String, fileIndex: Int, format: DetectedFormat, sample: [UInt8],
                 parts: [Range<Int64>], entryMemoryChunks: Int) {
        self.file = file
        self.bundle = bundle
        self.fileIndex = fileIndex
        self.format = format
        self.sample = sample
        self.parts = parts
        waiting = Array(repeating: nil, count: parts.count)
        hits = EntryList(memoryChunks: entryMemoryChunks)
    }

    /// A prefilter of the file's own for the calling worker: tuned to `sample` once, by the
    /// first worker that asks, and copied for each (threads sharing one would bounce its
    /// reference count between cores).
    package func prefilter(rules: CompiledRules) -> Prefilter? {
        prefilterLock.lock()
        defer { prefilterLock.unlock() }
        if !prefilterBuilt {
            prefilter = sample.withUnsafeBytes { rules.prefilter(for: format, firstChunk: $0) }
            prefilterBuilt = true
        }
        return prefilter.map(Prefilter.init(copying:))
    }

    /// Lines the first part holds at least: a file's first timed record is looked for there.
    static let firstPartLines = 1000
    /// How far past a planned cut a record start is looked for before that cut is given up.
    static let searchLimit: Int64 = 1 << 20

    /// Plans the parts of the log at `path`, about `partBytes` each, or returns nil when it is
    /// better read whole: not a regular plain log (compressed, an archive, UTF-16), too small,
    /// binary, pretty-printed JSON (whose records cannot be told from the middle), or without a
    /// place to cut.
    package static func plan(path: String, bundle: String, fileIndex: Int, detector: FormatDetector, partBytes: Int64,
                     readSize: Int, entryMemoryChunks: Int) -> SplitFile? {
        guard partBytes > 0, let file = PositionalFile.openPlainLog(path) else { return nil }
        let start = file.contentStart
        guard file.size - start >= 2 * partBytes, var sample = try? file.bytes(at: start, count: readSize),
              let lastNewline = sample.lastIndex(of: 0x0A) else { return nil }
        // The first chunk a whole read hands out: the complete lines of the first read.
        sample.removeSubrange((lastNewline + 1)...)
        guard sample.count >= FileScanner.detectionSample else { return nil }
        let format = sample.withUnsafeBytes { detector.detect($0) }
        guard format.format != .binary, format.shape != .unifiedJSON else { return nil }
        guard let firstPartEnd = try? offsetAfter(lines: firstPartLines, of: file, from: start, firstWindow: sample)
        else { return nil }
        var cuts = [start]
        var k: Int64 = 1
        while true {
            let planned = max(start + k * partBytes, firstPartEnd)
            k += 1
            // A last part much smaller than the others is not worth its own.
            guard planned < file.size - partBytes / 2 else { break }
            guard planned > cuts.last!,
                  let cut = try? recordStart(atOrAfter: planned, in: file, shape: format.shape),
                  cut > cuts.last!, cut < file.size else { continue }
            cuts.append(cut)
        }
        guard cuts.count > 1 else { return nil }
        let parts = cuts.indices.map { i in cuts[i]..<(i + 1 < cuts.count ? cuts[i + 1] : file.size) }
        return SplitFile(file: file, bundle: bundle, fileIndex: fileIndex, format: format, sample: sample,
                         parts: parts, entryMemoryChunks: entryMemoryChunks)
    }

    /// The offset just past the `lines`-th newline from `from`, or nil if the file has fewer.
    /// `firstWindow`, the bytes at `from` already read, is looked at first.
    static func offsetAfter(lines: Int, of file: PositionalFile, from: Int64, firstWindow: [UInt8]) throws(InputError) -> Int64? {
        var position = from
        var left = lines
        var window = firstWindow
        while !window.isEmpty {
            if let found = window.withUnsafeBytes({ offsetAfter(lines: &left, in: $0) }) { return position + Int64(found) }
            position += Int64(window.count)
            guard position < file.size else { return nil }
            window = try file.bytes(at: position, count: 256 << 10)
        }
        return nil
    }

    /// The offset just past the `left`-th newline in `bytes`, or nil if it holds fewer; `left`
    /// goes down by each newline seen.
    static func offsetAfter(lines left: inout Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var at = 0
        while at < bytes.count, let hit = memchr(base + at, 0x0A, bytes.count - at) {
            at = UnsafeRawPointer(hit) - base + 1
            left -= 1
            if left == 0 { return at }
        }
        return nil
    }

    /// The first line start at or after `offset` whose line starts a record, looked for within
    /// `searchLimit` bytes; nil if there is none there.
    static func recordStart(atOrAfter offset: Int64, in file: PositionalFile, shape: LogShape) throws(InputError) -> Int64? {
        // A newline just before `offset` makes `offset` itself a line start.
        var lineStart = try nextLineStart(after: offset - 1, in: file, before: offset + searchLimit)
        while let s = lineStart, s < file.size {
            var line = try file.bytes(at: s, count: 4096)
            if let newline = line.firstIndex(of: 0x0A) { line.removeSubrange(newline...) }
            if line.last == 0x0D { line.removeLast() }
            if line.withUnsafeBytes({ shape.isRecordStart($0) }) { return s }
            lineStart = try nextLineStart(after: s, in: file, before: offset + searchLimit)
        }
        return nil
    }

    /// The offset after the first newline at or after `position`, if it comes before `limit`.
    private static func nextLineStart(after position: Int64, in file: PositionalFile, before limit: Int64) throws(InputError) -> Int64? {
        var at = position
        // Lines are short: a small read first, larger ones if it holds no newline.
        var size = 4096
        while at < min(limit, file.size) {
            let window = try file.bytes(at: at, count: size)
            size = min(size * 4, 256 << 10)
            if window.isEmpty { return nil }
            if let i = window.firstIndex(of: 0x0A) { return at + Int64(i) + 1 }
            at += Int64(window.count)
        }
        return nil
    }

    /// Takes part `k`'s results; once every part is in, returns the whole file's result. Parts
    /// are appended to the file's hits and store in order as soon as those before them are.
    ///
    /// `spare` gets the emptied buffers of a part appended here, if it has none: the worker
    /// fills them again for its next part rather than growing new ones (fresh memory costs a
    /// page fault per 4 KiB, which adds up over a large log's parts).
    package func add(_ part: consuming Part, at k: Int, spare: inout Buffers) -> FileResult? {
        lock.lock()
        defer { lock.unlock() }
        // Moved, not copied: a second reference to its buffers would make changing them copy them.
        waiting[k] = consume part
        while assembled < parts.count, var next = waiting[assembled] {
            waiting[assembled] = nil
            append(&next, index: assembled)
            assembled += 1
            if spare.records.capacity == 0 {
                next.records.removeAll(keepingCapacity: true)
                next.hits.removeAll(keepingCapacity: true)
                spare = Buffers(records: next.records, hits: next.hits)
            }
        }
        guard assembled == parts.count else { return nil }
        let input = InputReport(source: file.path, bundle: bundle, format: format.format.rawValue, lines: lines,
                                bytes: bytes, error: error, truncatedLines: truncatedLines,
                                nulBytesSkipped: nulBytesSkipped)
        return FileResult(source: file.path, fileIndex: fileIndex, format: format, modificationDate: file.modificationDate,
                          hits: hits, store: store, first: first, last: last, input: input, problems: problems,
                          unrecognized: unrecognized)
    }

    /// A part's two growing buffers, to fill again.
    package struct Buffers {
        package var records: [UInt8] = []
        package var hits: [TimelineEntry] = []
    }

    private func append(_ part: inout Part, index k: Int) {
        let lineBase = lines
        HitRecord.shiftLines(in: &part.records, by: lineBase)
        let storeBase = store.count
        part.records.withUnsafeBytes { records in
            // Whole records, about 64 KiB at a time: no record straddles the store's memory and
            // its file, and its tail never grows past the room it keeps.
            var at = 0
            while at < records.count {
                var end = at
                repeat { end += HitRecord.length(in: records, at: end) } while end < records.count && end - at < 64 << 10
                store.append(UnsafeRawBufferPointer(rebasing: records[at..<end]))
                at = end
            }
        }
        for i in part.hits.indices { part.hits[i].moveRecord(by: storeBase) }
        part.hits.withUnsafeBufferPointer { hits.append(contentsOf: $0) }
        func shifted(_ r: EdgeRecord?) -> EdgeRecord? {
            r.map { EdgeRecord(line: $0.line + lineBase, text: $0.text, time: $0.time) }
        }
        if k == 0 { first = shifted(part.first) }
        if k == parts.count - 1 { last = shifted(part.last) }
        for problem in part.problems where problemRules.insert(problem.ruleID).inserted {
            problems.append(problem.shifted(by: lineBase))
        }
        if error == nil { error = part.error }
        unrecognized.add(contentsOf: part.unrecognized, lineShift: lineBase)
        lines += part.lines
        bytes += part.bytes
        nulBytesSkipped += part.nulBytesSkipped
        truncatedLines += part.truncatedLines
    }
}
