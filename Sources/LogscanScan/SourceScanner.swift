import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanPrefilter
import LogscanRules

/// Scans whole inputs: reads, detects the format, runs the rules, and reports what it read.
///
/// One per worker thread: it owns a line buffer and PCRE2 match data and reuses them for every
/// input it is given.
public final class SourceScanner {
    public let rules: CompiledRules
    private let detector: FormatDetector
    private let matcher: Matcher
    private let maxLineLength: Int

    /// Entry chunks a file's hit list keeps in memory (see `EntryList`).
    private let entryMemoryChunks: Int

    public init(rules: CompiledRules, detector: FormatDetector, maxLineLength: Int = 1 << 20,
                entryMemoryChunks: Int = EntryList.defaultMemoryChunks) {
        self.entryMemoryChunks = entryMemoryChunks
        self.rules = rules
        self.detector = detector
        self.matcher = Matcher()
        self.maxLineLength = maxLineLength
        self.programs = RuleProgram.threadCopies(rules.programs)
    }

    /// This worker's own copies of the rule programs (see `RuleProgram.threadCopies`).
    private let programs: [RuleProgram]

    private struct StopReading: Error {}

    /// The read size of a whole file's line reader (at least a line's worth).
    package static func readSize(maxLineLength: Int) -> Int { max(1 << 20, maxLineLength + 1) }
    package var readSize: Int { Self.readSize(maxLineLength: maxLineLength) }

    /// This worker's prefilters for the split files it has scanned parts of: its own copy of
    /// each file's (see `SplitFile.prefilter(rules:)`).
    private var splitPrefilters: [(file: SplitFile, prefilter: Prefilter?)] = []
    private var partReader: LineReader?
    /// Buffers of an assembled part, for the next part this worker scans.
    package var spare = SplitFile.Buffers()

    private func prefilter(for split: SplitFile) -> Prefilter? {
        if let known = splitPrefilters.first(where: { $0.file === split }) { return known.prefilter }
        let built = split.prefilter(rules: rules)
        splitPrefilters.append((split, built))
        return built
    }

    /// Scans part `k` of a split file (see `SplitFile`).
    package func scan(part k: Int, of split: SplitFile) -> SplitFile.Part {
        // One reader for every part this worker scans: its buffer is a MiB.
        let reader = partReader ?? LineReader(bufferSize: readSize, maxLineLength: maxLineLength)
        partReader = reader
        reader.reset()
        let truncatedBefore = reader.truncatedLines
        var hits = spare.hits, records = spare.records
        spare = SplitFile.Buffers()
        let scanner = FileScanner(format: split.format, rules: rules, matcher: matcher, programs: programs,
                                  prefilter: prefilter(for: split), findFirstRecord: k == 0) { hit in
            let offset = Int64(records.count)
            HitRecord.encode(line: hit.line, text: hit.text, captures: hit.captures, into: &records)
            hits.append(TimelineEntry(ruleIndex: hit.ruleIndex, recordTime: hit.recordTime, offset: offset))
        }
        scanner.contextDay = FileScanner.utcDay(split.file.modificationDate)
        var readError: String? = nil
        // The file was judged UTF-8 when it was planned (see `PositionalFile.openPlainLog`).
        let source = TranscodingSource(FileRangeSource(split.file, range: split.parts[k]), encoding: .utf8)
        do {
            try reader.readAll(from: source) { chunk, kind in
                scanner.consume(chunk, kind)
            }
        } catch let e as InputError {
            readError = e.message
        } catch {
            readError = "\(error)"
        }
        scanner.finish()
        // Bytes as stored: the part's, and the byte order mark before the first.
        let bytes = source.decoder.storedBytes + (k == 0 ? split.file.contentStart : 0)
        return SplitFile.Part(hits: hits, records: records, lines: scanner.lineCount, bytes: bytes,
                              nulBytesSkipped: source.decoder.nulBytesSkipped,
                              truncatedLines: reader.truncatedLines - truncatedBefore, first: scanner.firstRecord, last: scanner.lastRecord,
                              problems: scanner.problems, error: readError, unrecognized: scanner.unrecognized)
    }

    /// How much of a file format detection looks at.
    static let sampleBytes = FileScanner.detectionSample

    /// Reads `stream` to its end (or to a read error, keeping what was read) and scans it.
    /// The hits' lines and captures go to `store` (shared by the files of one bundle root).
    public func scan(source: String, bundle: String, fileIndex: Int, stream: any ByteSource,
                     modificationDate: Date?, store: SpillBuffer) -> FileResult {
        let reader = LineReader(bufferSize: readSize, maxLineLength: maxLineLength)
        var scanner: FileScanner? = nil
        var hits = EntryList(memoryChunks: entryMemoryChunks)
        var format = DetectedFormat(.text)
        var readError: String? = nil
        // Detect the format from the first 64 KiB (or the whole input if shorter): sources may
        // hand out their first bytes in small reads, so early chunks are held back until then.
        var held: [([UInt8], LineReader.ChunkKind)] = []
        var heldBytes = 0
        func start(_ sample: UnsafeRawBufferPointer) throws {
            format = detector.detect(sample)
            if format.format == .binary { throw StopReading() }
            scanner = FileScanner(format: format, rules: rules, matcher: matcher, sample: sample, programs: programs) { hit in
                let offset = HitRecord.append(line: hit.line, text: hit.text, captures: hit.captures, to: store)
                hits.append(TimelineEntry(ruleIndex: hit.ruleIndex, recordTime: hit.recordTime, offset: offset))
            }
            if let modificationDate { scanner!.contextDay = FileScanner.utcDay(modificationDate) }
        }
        func release() throws {
            guard scanner == nil else { return }
            let sample = held.flatMap { $0.0 }
            try sample.withUnsafeBytes { try start($0) }
            for (bytes, kind) in held { bytes.withUnsafeBytes { scanner!.consume($0, kind) } }
            held = []
        }
        do {
            try reader.readAll(from: stream) { chunk, kind in
                if let scanner {
                    scanner.consume(chunk, kind)
                } else if heldBytes == 0 && (chunk.count >= Self.sampleBytes || kind != .lines) {
                    try start(chunk)
                    scanner!.consume(chunk, kind)
                } else {
                    held.append((Array(chunk), kind))
                    heldBytes += chunk.count
                    if heldBytes >= Self.sampleBytes { try release() }
                }
            }
            try release()
        } catch is StopReading {
        } catch let e as InputError {
            readError = e.message
        } catch {
            readError = "\(error)"
        }
        // A read error within the first 64 KiB: the lines before it are scanned all the same.
        if readError != nil && scanner == nil && !held.isEmpty { try? release() }
        scanner?.finish()
        // Bytes as stored (before transcoding, NULs included) when the stream is a leaf's.
        let decoder = (stream as? TranscodingSource)?.decoder
        let input = InputReport(source: source, bundle: bundle, format: format.format.rawValue,
                                lines: scanner?.lineCount ?? 0, bytes: decoder?.storedBytes ?? reader.bytesRead, error: readError,
                                truncatedLines: reader.truncatedLines, nulBytesSkipped: decoder?.nulBytesSkipped ?? 0,
                                skipped: format.format == .binary ? InputReport.binaryReason : nil)
        return FileResult(source: source, fileIndex: fileIndex, format: format, modificationDate: modificationDate,
                          hits: hits, store: store, first: scanner?.firstRecord, last: scanner?.lastRecord, input: input,
                          problems: scanner?.problems ?? [], unrecognized: scanner?.unrecognized ?? UnrecognizedCollector())
    }
}
