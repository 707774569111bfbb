import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanSupport
import LogscanRules
import LogscanScan

/// What `follow` reports as it goes.
public enum LiveOutput {
    /// A matched line, with the cause it is evidence for (if established by now).
    case event(Event)
    /// A cause established for the first time in a bundle.
    case finding(Finding, device: String?)
    case error(ReportError)
    /// Something the user should know that is not an error (a followed file was truncated).
    case note(source: String, message: String)
}

/// The live side of the one pipeline: the same line reader, scanner, time resolution and
/// classifier as `scan`, fed bytes as they are written.
///
/// Lines are processed once, when their terminator arrives, or after they have been idle for
/// `idleFlush` without one (the file not grown, nothing unread in it). A cause is announced once per bundle; later evidence comes as
/// events that carry it. Each bundle's causes are kept up to date one event at a time
/// (`LiveClassifier`): the cost of a line does not grow with the session.
public final class LiveSession {
    public let rules: CompiledRules
    public let options: AnalysisOptions
    private let window: TimeWindow
    public let idleFlush: TimeInterval
    private let detector = FormatDetector()
    private let matcher = Matcher()
    private let classifier: Classifier
    private let emit: (LiveOutput) -> Void

    private final class LiveFile {
        let id: Int
        let source: String
        let bundle: String
        let fileIndex: Int
        let reader: LineReader
        /// The same decoding as `scan` (UTF-16, NULs skipped).
        let decoder = LogDecoder()
        var scanner: FileScanner?
        var modificationDate: Date?
        var lastData = Date()
        /// What arrived has been handled as final: a tick found the file idle since.
        var settled = true
        var previous: Instant?
        var lastOrderTime: Instant?
        var bytes: Int64 = 0
        var lines = 0
        var coverageStart: (record: EdgeRecord, time: ResolvedTime)?
        /// Lines of the file before the point reading started, and its first bytes (for format
        /// detection when reading starts at the end).
        var linesBefore = 0
        var head: [UInt8] = []
        /// Lines read before the file was last truncated, and NULs skipped before reading began.
        var linesEarlier = 0
        var nulBefore: Int64 = 0
        init(id: Int, source: String, bundle: String, fileIndex: Int, maxLineLength: Int) {
            self.id = id; self.source = source; self.bundle = bundle; self.fileIndex = fileIndex
            reader = LineReader(bufferSize: max(1 << 16, maxLineLength + 1), maxLineLength: maxLineLength)
        }
    }

    private final class LiveBundle {
        let name: String
        var device: String?
        /// The bundle's events and causes, kept up to date one event at a time.
        let classifier: LiveClassifier
        var files: [Int] = []
        init(name: String, classifier: Classifier) {
            self.name = name
            self.classifier = LiveClassifier(classifier: classifier, bundle: name)
        }
    }

    private var files: [Int: LiveFile] = [:]
    private var bundles: [String: LiveBundle] = [:]
    private var bundleOrder: [String] = []
    /// Explicit UTC offsets seen so far (one per change), for placing zone-less times.
    private var samples: [OffsetSample] = []
    private let maxLineLength: Int
    private var retired: [InputReport] = []
    public private(set) var errors: [ReportError] = []

    public init(rules: CompiledRules, options: AnalysisOptions, idleFlush: TimeInterval = 1.0,
                maxLineLength: Int = 1 << 20, emit: @escaping (LiveOutput) -> Void) {
        self.rules = rules
        self.options = options
        self.window = options.window
        self.idleFlush = idleFlush
        self.maxLineLength = maxLineLength
        self.classifier = Classifier(rules: rules.ruleSet)
        self.emit = emit
    }

    /// A followed file was opened (or re-opened after rotation) at `source`, in `bundle`.
    public func open(file id: Int, source: String, bundle: String, modificationDate: Date?, startOffset: Int64 = 0) {
        if let old = files[id] { finishFile(old) }
        let b = bundles[bundle] ?? {
            let b = LiveBundle(name: bundle, classifier: classifier)
            bundles[bundle] = b
            bundleOrder.append(bundle)
            return b
        }()
        let index = b.files.count
        b.files.append(id)
        let f = LiveFile(id: id, source: source, bundle: bundle, fileIndex: id * 1_000 + index, maxLineLength: maxLineLength)
        f.modificationDate = modificationDate
        if startOffset > 0 { Self.survey(path: source, upTo: startOffset, into: f) }
        files[id] = f
    }

    /// Counts the lines before `offset` and keeps the first 64 KiB of text (reading starts at
    /// the end). The file's own decoder reads them, so it goes on from `offset` already knowing
    /// the encoding.
    private static func survey(path: String, upTo offset: Int64, into f: LiveFile) {
        let descriptor = RawPath.openDescriptor(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        var remaining = offset
        var lines = 0
        func take(_ text: UnsafeRawBufferPointer) {
            if f.head.count < FileScanner.detectionSample { f.head += text.prefix(FileScanner.detectionSample - f.head.count) }
            lines += text.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        while remaining > 0 {
            let want = Int(min(remaining, 1 << 20))
            guard let data = try? handle.read(upToCount: want), !data.isEmpty else { break }
            data.withUnsafeBytes { raw in f.decoder.push(raw, take) }
            remaining -= Int64(data.count)
        }
        // A short file's encoding is judged on what it holds.
        f.decoder.flush(take)
        f.linesBefore = lines
        f.nulBefore = f.decoder.nulBytesSkipped
    }

    /// Bytes appended to a followed file.
    public func data(file id: Int, _ bytes: UnsafeRawBufferPointer, now: Date = Date()) {
        guard let f = files[id] else { return }
        f.lastData = now
        f.settled = false
        f.bytes += Int64(bytes.count)
        do {
            try f.decoder.push(bytes) { text in try f.reader.push(text) { chunk, kind in self.feed(f, chunk, kind) } }
        } catch {
            report(ReportError(source: f.source, message: "\(error)"))
        }
    }

    /// Hands what the file's decoder holds back (its first bytes, while the encoding is being
    /// judged) to its line reader.
    private func flushDecoder(_ f: LiveFile) {
        try? f.decoder.flush { text in try f.reader.push(text) { chunk, kind in self.feed(f, chunk, kind) } }
    }

    /// The file was truncated or replaced: an unfinished line is processed now (it will not
    /// be completed), and reading starts over with the new content. After a truncation the
    /// content is read as a new file (its encoding and format judged again, line numbers from
    /// 1), and a note says so.
    public func reset(file id: Int, reason: ResetReason = .truncated) {
        guard let f = files[id] else { return }
        flushDecoder(f)
        try? f.reader.flushUnterminated { chunk, kind in self.feed(f, chunk, kind) }
        f.reader.reset()
        guard reason == .truncated else { return }
        f.decoder.reset()
        f.scanner?.finish()
        f.linesEarlier += f.scanner?.lineCount ?? 0
        f.scanner = nil
        f.linesBefore = 0
        f.head = []
        f.coverageStart = nil
        emit(.note(source: f.source, message: "truncated: reading it again from its start; line numbers restart at 1"))
    }

    /// Periodic work: lines idle without a terminator for `idleFlush` are processed; the span
    /// the logs cover moves on (for `gap` conditions). `hasUnreadBytes(id)` tells whether file
    /// `id` holds bytes not handed to `data` yet; such a file is not idle, however long ago its
    /// last bytes came.
    public func tick(now: Date = Date(), hasUnreadBytes: (Int) -> Bool) {
        var touched = Set<String>()
        for f in files.values.sorted(by: { $0.id < $1.id }) {
            // Idle means the file stopped growing: nothing arrived for `idleFlush` and nothing
            // is written that was not read yet. When handling a chunk took longer than
            // `idleFlush`, the rest of its last line may be waiting in the file: flushing then
            // would cut that line in two.
            if !f.settled && now.timeIntervalSince(f.lastData) >= idleFlush && !hasUnreadBytes(f.id) {
                f.settled = true
                flushDecoder(f)
                if f.reader.hasUnterminatedLine {
                    try? f.reader.flushUnterminated { chunk, kind in self.feed(f, chunk, kind) }
                    touched.insert(f.bundle)
                }
            }
            if let scanner = f.scanner, scanner.format.format == .jamf {
                let before = scanner.lastRecord?.line
                scanner.updateCoverageEnd()
                if scanner.lastRecord?.line != before { touched.insert(f.bundle) }
            }
        }
        for name in touched.sorted() {
            let b = bundles[name]!
            announce(b.classifier.update(coverage: coverage(of: b)), in: b)
        }
    }

    /// Ends the session: unfinished lines are processed. Returns the final report of every
    /// bundle, with the counts of what was read.
    public func finish() -> [BundleReport] {
        for f in files.values.sorted(by: { $0.id < $1.id }) { finishFile(f) }
        return bundleOrder.map { name in
            let b = bundles[name]!
            let (findings, events) = b.classifier.classifyAll()
            let inputs = retired.filter { $0.bundle == name }
            return BundleReport(name: name, device: b.device, inputs: inputs, findings: findings,
                                timeline: Timeline(events: events), errors: errors.filter { e in inputs.contains { $0.source == e.source } },
                                timeNotes: [])
        }
    }

    private func finishFile(_ f: LiveFile) {
        try? f.decoder.finish { text in try f.reader.push(text) { chunk, kind in self.feed(f, chunk, kind) } }
        try? f.reader.finish { chunk, kind in self.feed(f, chunk, kind) }
        f.scanner?.finish()
        let lines = f.linesEarlier + (f.scanner?.lineCount ?? 0)
        retired.append(InputReport(source: f.source, bundle: f.bundle, format: f.scanner?.format.format.rawValue ?? "text",
                                   lines: lines, bytes: f.bytes, error: nil,
                                   truncatedLines: f.reader.truncatedLines,
                                   nulBytesSkipped: f.decoder.nulBytesSkipped - f.nulBefore))
        files[f.id] = nil
    }

    private func report(_ e: ReportError) {
        errors.append(e)
        emit(.error(e))
    }

    private func feed(_ f: LiveFile, _ chunk: UnsafeRawBufferPointer, _ kind: LineReader.ChunkKind) {
        if f.scanner == nil {
            // Detected from the file's head when reading started at its end, else from what has
            // arrived: in follow mode lines are not held back.
            let format = f.head.isEmpty ? detector.detect(chunk) : f.head.withUnsafeBytes { detector.detect($0) }
            f.scanner = FileScanner(format: format, rules: rules, matcher: matcher, linesBefore: f.linesBefore) { [unowned self, unowned f] hit in
                self.hit(RawHit(hit), in: f)
            }
            if format.format == .jamf, bundles[f.bundle]?.device == nil {
                bundles[f.bundle]?.device = BundleAnalyzer.hostName(fromJamfLine: String(decoding: chunk.prefix(512), as: UTF8.self))
            }
        }
        f.scanner!.consume(chunk, kind)
    }

    private func resolve(_ t: RecordTime?, in f: LiveFile) -> ResolvedTime? {
        guard let t else { return nil }
        if let s = TimeResolver.sample(t, source: f.source), samples.last?.offset != s.offset {
            samples.append(s)
        }
        // A followed file is being written now: its year is the latest that fits today.
        var live = options
        live.now = max(options.now, f.modificationDate ?? options.now)
        return TimeResolver(samples: samples, options: live).resolveLive(t, previous: f.previous)
    }

    private func hit(_ hit: RawHit, in f: LiveFile) {
        let rule = rules.rules[hit.ruleIndex]
        let time = resolve(hit.recordTime, in: f)
        if let t = time?.instant { f.previous = t }
        let e = Event(hit: hit, rule: rule, bundle: f.bundle, source: f.source, fileIndex: f.fileIndex,
                      format: f.scanner?.format.format ?? .text, time: time, previous: f.lastOrderTime)
        f.lastOrderTime = e.orderTime
        guard window.admits(e.time) else { return }
        let b = bundles[f.bundle]!
        let (event, established) = b.classifier.add(e, coverage: coverage(of: b))
        emit(.event(event))
        announce(established, in: b)
    }

    private func coverage(of b: LiveBundle) -> [Coverage] {
        var out: [Coverage] = []
        for id in b.files {
            guard let f = files[id], let scanner = f.scanner, let first = scanner.firstRecord, let last = scanner.lastRecord else { continue }
            if f.coverageStart == nil || f.coverageStart!.record.line != first.line {
                if let r = resolve(first.time, in: f) { f.coverageStart = (first, r) }
            }
            guard let (fr, ft) = f.coverageStart, let lt = resolve(last.time, in: f) else { continue }
            out.append(Coverage(first: fr, at: ft, last: last, at: lt, bundle: b.name, source: f.source,
                                fileIndex: f.fileIndex, format: scanner.format.format))
        }
        return window.clip(out)
    }

    private func announce(_ findings: [Finding], in b: LiveBundle) {
        for f in findings { emit(.finding(f, device: b.device)) }
    }
}
