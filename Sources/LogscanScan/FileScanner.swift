#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanSupport
import LogscanPrefilter
import LogscanRules

/// Scans one file's lines: record framing, prefilter, PCRE2, hits with their record's time.
///
/// Feed it the chunks a `LineReader` hands out; it keeps only the start of the current record
/// (for the time of continuation lines), never the file.
public final class FileScanner {
    /// How much of a file format detection looks at.
    public static let detectionSample = 65_536
    /// A file whose first chunk is at least this long gets a prefilter tuned to it; a smaller
    /// one is scanned faster than such a prefilter is built.
    static let sampledPrefilterBytes = 1 << 18

    public let format: DetectedFormat
    public private(set) var lineCount = 0
    /// Times of the first and last records with a readable time (the span the file covers).
    /// The first record with a readable time (looked for in the first 1000 lines).
    public private(set) var firstRecord: EdgeRecord?
    public private(set) var lastRecord: EdgeRecord?
    public private(set) var problems: [ScanProblem] = []

    private let rules: CompiledRules
    private let prefilter: Prefilter?
    private let matcher: Matcher
    private let onHit: (HitView) -> Void

    private var recordStartLine = 0
    private var recordPrefix: [UInt8] = []
    private let prefixLimit: Int
    private var recordPrefixParsed = false
    private var recordPrefixTime: RecordTime?
    /// True until the first record's time is found or 1000 lines have gone by.
    private var lookingForFirstRecord = true
    // Pretty JSON: hits wait for the record's "timestamp" line, which may come after them.
    private var pending: [RawHit] = []
    private var jsonRecordTime: RecordTime?
    private let programs: [RuleProgram]
    /// Room for one line's candidate rules (each rule once): raw memory, so the per-line path
    /// pays no exclusivity checks.
    private let candidates: UnsafeMutablePointer<Int>
    private let candidateCapacity: Int
    private var unescaped: [UInt8] = []
    private var problemRules = Set<Int>()
    /// See `CompiledRules.levelIndex`.
    private let levelIndex: Int
    /// Error-level lines no rule matched, grouped by template.
    public var unrecognized = UnrecognizedCollector()

    /// - Parameter linesBefore: lines that precede what will be fed (follow mode starting at
    ///   the end of a file), so line numbers stay those of the file.
    ///   - sample: the file's first bytes, to tune the prefilter to them (see `Prefilter`).
    ///   - programs: the rule programs to run, if this thread has its own copies.
    ///   - prefilter: the prefilter to use, if the caller has one for this file already.
    ///   - findFirstRecord: whether to look for the first record with a readable time (not in
    ///     a part of a file that starts past its first 1000 lines).
    public init(format: DetectedFormat, rules: CompiledRules, matcher: Matcher, linesBefore: Int = 0,
                sample: UnsafeRawBufferPointer? = nil, programs: [RuleProgram]? = nil,
                prefilter: Prefilter? = nil, findFirstRecord: Bool = true,
                onHit: @escaping (HitView) -> Void) {
        self.lineCount = linesBefore
        self.format = format
        self.rules = rules
        self.matcher = matcher
        self.onHit = onHit
        self.lookingForFirstRecord = findFirstRecord
        self.prefilter = format.format == .binary ? nil
            : prefilter ?? rules.prefilter(for: format, firstChunk: sample)
        self.programs = programs ?? rules.programs
        self.levelIndex = rules.levelIndex
        self.candidateCapacity = rules.programs.count + 1
        self.candidates = .allocate(capacity: candidateCapacity)
        self.prefixLimit = (format.shape == .unifiedNDJSON) ? 16_384 : 4096
        recordPrefix.reserveCapacity(prefixLimit)
    }

    deinit { candidates.deallocate() }

    /// Scans a chunk from `LineReader`.
    public func consume(_ chunk: UnsafeRawBufferPointer, _ kind: LineReader.ChunkKind) {
        guard let base = chunk.baseAddress else {
            if kind != .lines { scanLine(UnsafeRawBufferPointer(start: nil, count: 0), recordStartInChunk: nil) }
            return
        }
        if kind != .lines {
            let line = chunk.count > 0 && chunk[chunk.count - 1] == 0x0D ? UnsafeRawBufferPointer(rebasing: chunk[..<(chunk.count - 1)]) : chunk
            scanLine(line, recordStartInChunk: nil, everyRule: !Self.caseFoldSequences(in: line).isEmpty)
            keepRecordStart(nil)
            return
        }
        // The hot loop: locals only (class properties cost an exclusivity check each); the slow
        // path (a record start to remember, a candidate line) syncs state and calls out.
        let shape = format.shape
        let slowShape = shape == .unifiedJSON
        let filter = (prefilter?.isEmpty ?? true) ? nil : prefilter
        if !slowShape && !lookingForFirstRecord && (filter?.alwaysRules.isEmpty ?? true) {
            consumeWhole(base, chunk.count, filter, shape)
            return
        }
        // Lines with a character that caseless PCRE2 equates with an ASCII letter the prefilter
        // folds (ſ, K) try every rule.
        let folds = filter == nil ? [] : Self.caseFoldSequences(in: UnsafeRawBufferPointer(start: base, count: chunk.count))
        var nextFold = 0
        var recordStart: UnsafeRawBufferPointer? = nil
        var lineNo = lineCount
        var recordLine = recordStartLine
        var looking = lookingForFirstRecord
        // Which line starts the current record is worked out only when it is needed (for a
        // candidate line, and at the end of the chunk), by looking back from there: lines
        // that begin before `resolved` are accounted for.
        var resolved = 0
        var start = 0
        let n = chunk.count
        while start < n {
            let end: Int
            if let hit = memchr(base + start, 0x0A, n - start) {
                end = UnsafeRawPointer(hit) - base
            } else {
                end = n
            }
            var lineEnd = end
            if lineEnd > start && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: lineEnd - start)
            let lineStart = start
            start = end + 1
            var everyRule = false
            if nextFold < folds.count && folds[nextFold] < end {
                everyRule = true
                while nextFold < folds.count && folds[nextFold] < end { nextFold += 1 }
            }
            if slowShape || looking {
                lineCount = lineNo; recordStartLine = recordLine
                scanLine(line, recordStartInChunk: recordStart, everyRule: everyRule)
                if shape.isRecordStart(line) { recordStart = line }
                lineNo = lineCount; recordLine = recordStartLine; looking = lookingForFirstRecord
                resolved = start
                continue
            }
            lineNo &+= 1
            if let filter, case let first = everyRule ? 0 : filter.firstCandidate(in: line), first >= 0 {
                let startsRecord = Self.findRecordStart(base, from: resolved, lineStart: lineStart, lineEnd: end,
                                                        lineNo: lineNo, shape: shape,
                                                        recordStart: &recordStart, recordLine: &recordLine)
                resolved = start
                lineCount = lineNo &- 1  // scanLine counts the line itself
                recordStartLine = recordLine
                scanLine(line, recordStartInChunk: recordStart, knownRecordStart: startsRecord, candidatesFrom: first,
                         everyRule: everyRule)
            }
        }
        endChunk(base, n, resolved: resolved, lineNo: lineNo, shape: shape, recordStart: recordStart, recordLine: recordLine)
    }

    /// At the end of a chunk of `n` bytes whose lines before `resolved` are accounted for: finds
    /// the record the last line belongs to, stores the line count and record state, and keeps
    /// the record's start past the chunk's memory.
    private func endChunk(_ base: UnsafeRawPointer, _ n: Int, resolved: Int, lineNo: Int, shape: LogShape,
                          recordStart: UnsafeRawBufferPointer?, recordLine: Int) {
        var recordStart = recordStart, recordLine = recordLine
        if resolved < n {
            // The chunk's last line starts after the last newline before its end.
            let lastEnd = base.load(fromByteOffset: n - 1, as: UInt8.self) == 0x0A ? n - 1 : n
            var lastStart = resolved
            if let nl = Self.lastNewline(base, from: resolved, before: lastEnd) { lastStart = nl + 1 }
            _ = Self.findRecordStart(base, from: resolved, lineStart: lastStart, lineEnd: lastEnd, lineNo: lineNo,
                                     shape: shape, recordStart: &recordStart, recordLine: &recordLine)
        }
        lineCount = lineNo
        recordStartLine = recordLine
        keepRecordStart(recordStart)
    }

    /// `consume` once the file's first record is behind: the prefilter probes the whole chunk
    /// rather than line by line, and lines are counted, not split, up to each line that holds
    /// a literal. Most lines hold none, so most of a chunk is probed and counted and nothing
    /// else (no memchr, no loop turn, no probe set-up per line).
    ///
    /// The probes stay `stride` apart from each restart at a line start, so every literal
    /// occurrence is still probed once (a literal covers `stride` consecutive window starts and
    /// never spans a newline); a window that straddles a newline can only fail verification.
    private func consumeWhole(_ base: UnsafeRawPointer, _ n: Int, _ filter: Prefilter?, _ shape: LogShape) {
        var recordStart: UnsafeRawBufferPointer? = nil
        var recordLine = recordStartLine
        /// Lines before `counted` (a line start).
        var lineNo = lineCount
        var counted = 0
        /// Lines that begin before `resolved` are accounted for in the record bookkeeping.
        var resolved = 0
        if let filter {
            let folds = Self.caseFoldSequences(in: UnsafeRawBufferPointer(start: base, count: n))
            var nextFold = 0
            var from = 0
            while from < n {
                let rest = UnsafeRawBufferPointer(start: base + from, count: n - from)
                let hit = filter.firstCandidate(in: rest)
                while nextFold < folds.count && folds[nextFold] < from { nextFold += 1 }
                // A line with ſ or K up to the end of the literal's line is scanned first, and
                // with every rule (it may be the literal's line itself).
                let hitLineEnd = hit < 0 ? n : (memchr(base + from + hit, 0x0A, n - from - hit).map { UnsafeRawPointer($0) - base } ?? n)
                let everyRule = nextFold < folds.count && folds[nextFold] < hitLineEnd
                if hit < 0 && !everyRule { break }
                let p = everyRule ? (hit < 0 ? folds[nextFold] : min(folds[nextFold], from + hit)) : from + hit
                // The line holding the literal: it has no newline, so neither has its window.
                let lineStart = Self.lastNewline(base, from: counted, before: p).map { $0 + 1 } ?? counted
                let end = hit >= 0 && p == from + hit ? hitLineEnd : memchr(base + p, 0x0A, n - p).map { UnsafeRawPointer($0) - base } ?? n
                lineNo &+= countNewlines(base + counted, lineStart - counted)
                var lineEnd = end
                if lineEnd > lineStart && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
                let startsRecord = Self.findRecordStart(base, from: resolved, lineStart: lineStart, lineEnd: end,
                                                        lineNo: lineNo &+ 1, shape: shape,
                                                        recordStart: &recordStart, recordLine: &recordLine)
                resolved = end + 1
                lineCount = lineNo
                recordStartLine = recordLine
                // Candidates from the literal on, at the chunk's probe positions: no window
                // before it in this line verified.
                scanLine(UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart),
                         recordStartInChunk: recordStart, knownRecordStart: startsRecord, candidatesFrom: p - lineStart,
                         everyRule: everyRule)
                lineNo = lineCount
                counted = end + 1
                from = end + 1
            }
        }
        if counted < n { lineNo &+= countNewlines(base + counted, n - counted) }
        if counted < n && base.load(fromByteOffset: n - 1, as: UInt8.self) != 0x0A { lineNo &+= 1 }
        endChunk(base, n, resolved: resolved, lineNo: lineNo, shape: shape, recordStart: recordStart, recordLine: recordLine)
    }

    /// Where `bytes` hold ſ (U+017F, C5 BF) or the Kelvin sign K (U+212A, E2 84 AA), in order.
    ///
    /// Caseless PCRE2 with UTF equates them with `s` and `k`, which the prefilter's ASCII fold
    /// does not: `(?i)acquired` matches "acquired" with a long s, whose literal the prefilter
    /// cannot see. Lines holding either are rare, so they simply try every rule. Two memchr
    /// passes over the chunk; E2 also starts common punctuation (curly quotes), each hit costs
    /// a compare.
    static func caseFoldSequences(in bytes: UnsafeRawBufferPointer) -> [Int] {
        guard let base = bytes.baseAddress else { return [] }
        let n = bytes.count
        var found: [Int] = []
        func scan(_ lead: UInt8, _ tail: [UInt8]) {
            var at = 0
            while at < n, let hit = memchr(base + at, Int32(lead), n - at) {
                let i = UnsafeRawPointer(hit) - base
                if i + tail.count < n && tail.indices.allSatisfy({ base.load(fromByteOffset: i + 1 + $0, as: UInt8.self) == tail[$0] }) {
                    found.append(i)
                }
                at = i + 1
            }
        }
        scan(0xC5, [0xBF])
        let longS = found.count
        scan(0xE2, [0x84, 0xAA])
        if longS > 0 && found.count > longS { found.sort() }
        return found
    }

    /// The offset of the last newline in `from..<before`, if any: eight bytes a step, with an
    /// exact per-byte zero test on the word XOR newlines (no carry crosses a byte, so the
    /// highest flag is the last newline), then byte by byte.
    @inline(__always)
    static func lastNewline(_ base: UnsafeRawPointer, from: Int, before: Int) -> Int? {
        var i = before
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i &- 8 >= from {
            let v = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i &- 8, as: UInt64.self)) ^ 0x0A0A_0A0A_0A0A_0A0A
            let zero = ~(((v & low7) &+ low7) | v | low7)
            if zero != 0 { return i &- 8 &+ (63 &- zero.leadingZeroBitCount) / 8 }
            i &-= 8
        }
        while i > from {
            i &-= 1
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return i }
        }
        return nil
    }

    /// Looks back from the line at `lineStart` (number `lineNo`, ending at `lineEnd`) to the
    /// nearest line that starts a record, no further than `from` (a line start); updates
    /// `recordStart` and `recordLine` when it finds one. Returns whether the line itself
    /// starts a record. In most logs every line does, so this looks at one line.
    private static func findRecordStart(_ base: UnsafeRawPointer, from: Int, lineStart: Int, lineEnd: Int, lineNo: Int,
                                        shape: LogShape, recordStart: inout UnsafeRawBufferPointer?,
                                        recordLine: inout Int) -> Bool {
        var pos = lineStart, end = lineEnd, number = lineNo
        while true {
            var e = end
            if e > pos && base.load(fromByteOffset: e - 1, as: UInt8.self) == 0x0D { e -= 1 }
            let line = UnsafeRawBufferPointer(start: base + pos, count: e - pos)
            if shape.isRecordStart(line) {
                recordStart = line
                recordLine = number
                return pos == lineStart
            }
            if pos <= from { return false }
            // The line before: it ends at the newline just before `pos`.
            end = pos - 1
            pos = Self.lastNewline(base, from: from, before: end).map { $0 + 1 } ?? from
            number -= 1
        }
    }

    /// Copies the last record start of a chunk before the chunk's memory goes away.
    private func keepRecordStart(_ line: UnsafeRawBufferPointer?) {
        guard let line else { return }
        recordPrefix.removeAll(keepingCapacity: true)
        recordPrefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[..<min(line.count, prefixLimit)]))
        recordPrefixParsed = false
    }

    /// At the end of the input: releases hits still waiting for their record's time.
    public func finish() {
        flushPending()
        flushUnrecognized()
        updateCoverageEnd()
    }

    /// Takes the current (latest) record's time as the end of what the file covers. Cheap to
    /// call often: the record's time is parsed once.
    public func updateCoverageEnd() {
        guard format.shape != .unifiedJSON, recordStartLine > 0, lastRecord?.line != recordStartLine,
              let t = currentRecordPrefixTime() else { return }
        lastRecord = EdgeRecord(line: recordStartLine, text: String(decoding: recordPrefix, as: UTF8.self), time: t)
    }

    /// The slow path for one line: record bookkeeping, then every candidate rule.
    /// `candidatesFrom`: a prefilter probe position (probes go on `stride` apart from it) such
    /// that no probe before it, of that alignment, verified a literal.
    /// `everyRule`: try every rule of the format, whatever the literals (see `caseFoldSequences`).
    private func scanLine(_ line: UnsafeRawBufferPointer, recordStartInChunk: UnsafeRawBufferPointer?,
                          knownRecordStart: Bool? = nil, candidatesFrom: Int = 0, everyRule: Bool = false) {
        lineCount += 1
        let shape = format.shape
        var currentStart = recordStartInChunk
        let startsRecord = knownRecordStart ?? shape.isRecordStart(line)
        if startsRecord {
            if shape == .unifiedJSON { flushPending() }
            recordStartLine = lineCount
            currentStart = line
            // The first readable time is the start of what the file covers (looked for a while only).
            if lookingForFirstRecord, shape != .unifiedJSON, let t = parseTime(line) {
                firstRecord = EdgeRecord(line: lineCount, text: String(decoding: line, as: UTF8.self), time: t)
                lookingForFirstRecord = false
            }
        }
        // No readable time at the top of this file: stop looking (keeps the fast path fast).
        if lookingForFirstRecord && lineCount >= 1000 { lookingForFirstRecord = false }
        if shape == .unifiedJSON, line.firstRange(of: Self.timestampKey) != nil,
           let t = TimeParsing.recordTime(shape: shape, line: line) {
            jsonRecordTime = t
            let edge = EdgeRecord(line: lineCount, text: String(decoding: line, as: UTF8.self), time: t)
            if firstRecord == nil { firstRecord = edge }
            lastRecord = edge
        }
        guard let prefilter, !prefilter.isEmpty else { return }
        // A rule may be reported more than once (several literals): keep each once, in rule order.
        let list = candidates, capacity = candidateCapacity
        var count = 0
        if everyRule {
            for rule in prefilter.allRules where count < capacity { list[count] = rule; count += 1 }
        } else {
            prefilter.candidates(in: line, from: candidatesFrom) { rule in
                var k = 0
                while k < count && list[k] != rule { k += 1 }
                if k == count && count < capacity { list[count] = rule; count += 1 }
            }
        }
        if count == 0 { return }
        if count > 1 {
            var sorted = UnsafeMutableBufferPointer(start: list, count: count)
            sorted.sort()
        }
        var matched = false, mayBeError = false
        for k in 0..<count {
            let rule = list[k]
            if rule == levelIndex { mayBeError = true; continue }
            if let captures = match(rule: rule, line: line, everyRule: everyRule) {
                matched = true
                report(rule: rule, line: line, captures: captures, recordStart: currentStart)
            }
        }
        if matched && pendingRecord == recordStartLine { pendingUnrecognized.removeAll() }
        if mayBeError && !matched { noteUnrecognized(line, recordStart: currentStart) }
    }

    /// Unrecognized lines of the current record, held back until the record is known to have
    /// no line a rule explains: "There was an error." opens a jamf.log record whose next line
    /// is the signature a rule knows.
    private var pendingUnrecognized: [(kind: UnrecognizedKind, tokens: [[MessageTemplate.Piece]])] = []
    private var pendingRecord = -1

    private func flushUnrecognized() {
        for (kind, tokens) in pendingUnrecognized { unrecognized.add(kind, tokens: tokens) }
        pendingUnrecognized.removeAll()
    }

    /// Templates (and their words) by the bytes of the message part they were made from: a
    /// template depends on those bytes only, and error messages recur word for word (jamf's
    /// "There was an error.", a script's return code), while masking one and splitting it into
    /// words costs tens of thousands of instructions. Bounded: at most `templateCacheEntries`
    /// messages of at most `templateCacheBytes` bytes, emptied when full.
    private var templateCache: [[UInt8]: (template: MessageTemplate, tokens: [[MessageTemplate.Piece]])] = [:]
    static let templateCacheEntries = 256
    static let templateCacheBytes = 1024

    private func cachedTemplate(shape: LogShape, part: UnsafeRawBufferPointer) -> (template: MessageTemplate, tokens: [[MessageTemplate.Piece]]) {
        let make = { () -> (template: MessageTemplate, tokens: [[MessageTemplate.Piece]]) in
            let template = MessageTemplate(message: MessagePart.message(shape: shape, part: part))
            return (template, template.tokens)
        }
        guard part.count <= Self.templateCacheBytes else { return make() }
        let key = [UInt8](part)
        if let known = templateCache[key] { return known }
        let made = make()
        if templateCache.count >= Self.templateCacheEntries { templateCache.removeAll(keepingCapacity: true) }
        templateCache[key] = made
        return made
    }

    /// An error-level line that no rule matched: into its template's group.
    private func noteUnrecognized(_ line: UnsafeRawBufferPointer, recordStart: UnsafeRawBufferPointer?) {
        let shape = format.shape
        guard let level = ErrorLevel.level(shape: shape, line: line) else { return }
        let part = UnsafeRawBufferPointer(rebasing: line[MessagePart.start(shape: shape, line: line)...])
        let (template, tokens) = cachedTemplate(shape: shape, part: part)
        guard !template.pieces.isEmpty else { return }
        let time = recordTime(line: line, recordStart: recordStart)
        if pendingRecord != recordStartLine || pendingUnrecognized.count >= 16 { flushUnrecognized() }
        pendingRecord = recordStartLine
        let kind = UnrecognizedKind(level: level, template: template, count: 1, firstWritten: time, lastWritten: time,
                                    firstSeen: nil, lastSeen: nil, exampleSource: "", exampleLine: lineCount,
                                    exampleText: String(decoding: line, as: UTF8.self))
        pendingUnrecognized.append((kind, tokens))
    }

    /// The day that Console rows with the time only are put on (the file's date, in UTC; nil:
    /// today). Lines are read in order, so when the clock goes back by more than 6 hours the
    /// rows have passed midnight and the day moves on.
    public var contextDay: (Int, Int, Int)?
    private var lastTimeOfDay = -1

    /// A record's time as its first line writes it.
    private func parseTime(_ line: UnsafeRawBufferPointer) -> RecordTime? {
        guard format.shape == .unifiedConsoleTimeOnly else { return TimeParsing.recordTime(shape: format.shape, line: line) }
        if contextDay == nil { contextDay = Self.utcDay(Date()) }
        guard let (seconds, time) = TimeParsing.timeOnly(line, day: contextDay!) else { return nil }
        if lastTimeOfDay >= 0 && seconds < lastTimeOfDay - 6 * 3600, let day = contextDay {
            contextDay = Self.utcDay(Date(timeIntervalSince1970: Double(daysFromCivil(year: day.0, month: day.1, day: day.2) + 1) * 86_400))
            lastTimeOfDay = seconds
            return parseTime(line)
        }
        lastTimeOfDay = seconds
        return time
    }

    /// The UTC calendar day of a moment.
    public static func utcDay(_ date: Date) -> (Int, Int, Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return (c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The time of the record `line` belongs to (see `report`).
    private func recordTime(line: UnsafeRawBufferPointer, recordStart: UnsafeRawBufferPointer?) -> RecordTime? {
        if recordStartLine == lineCount { return parseTime(line) }
        if let recordStart { return parseTime(recordStart) }
        if recordStartLine > 0 { return currentRecordPrefixTime() }
        return nil
    }

    private static let timestampKey = Array("\"timestamp\"".utf8)

    /// The captures of the first pattern of `rule` that matches `line` (raw, then with JSON
    /// escapes decoded), or nil.
    private func match(rule index: Int, line: UnsafeRawBufferPointer, everyRule: Bool) -> [String: String]? {
        let rule = programs[index]
        // Literals hold no JSON escape characters, so the raw line tells for the decoded one too.
        if !everyRule, let words = rule.andLiterals, !words.occurs(in: line) { return nil }
        func firstMatch(_ subject: UnsafeRawBufferPointer) -> [String: String]? {
            for (p, pattern) in rule.patterns.enumerated() {
                if let caps = attempt(pattern, names: rule.names[p], rule: index, subject: subject),
                   satisfiesRequirements(rule, index, subject) { return caps }
            }
            return nil
        }
        if let caps = firstMatch(line) { return caps }
        guard let base = line.baseAddress, memchr(base, 0x5C, line.count) != nil else { return nil }  // backslash
        JSONText.unescape(line, into: &unescaped)
        return unescaped.withUnsafeBytes { firstMatch($0) }
    }

    /// Whether every `requires` pattern of the rule matches the line too, and no `excludes` one.
    private func satisfiesRequirements(_ rule: RuleProgram, _ index: Int, _ subject: UnsafeRawBufferPointer) -> Bool {
        for pattern in rule.requires where attempt(pattern, names: [], rule: index, subject: subject) == nil { return false }
        for pattern in rule.excludes where attempt(pattern, names: [], rule: index, subject: subject) != nil { return false }
        return true
    }

    private func attempt(_ pattern: CompiledPattern, names: [(String, Int)], rule: Int,
                         subject: UnsafeRawBufferPointer) -> [String: String]? {
        do {
            if names.isEmpty {
                return try matcher.matches(pattern, in: subject) ? [:] : nil
            }
            guard let m = try matcher.firstMatch(pattern, in: subject) else { return nil }
            var captures: [String: String] = [:]
            for (name, group) in names where group < m.groups.count {
                if let r = m.groups[group] {
                    captures[name] = String(decoding: UnsafeRawBufferPointer(rebasing: subject[r]), as: UTF8.self)
                }
            }
            return captures
        } catch {
            if problemRules.insert(rule).inserted {
                problems.append(.matchFailure(rule: programs[rule].id, line: lineCount, reason: error.message))
            }
            return nil
        }
    }

    private func report(rule: Int, line: UnsafeRawBufferPointer, captures: [String: String],
                        recordStart: UnsafeRawBufferPointer?) {
        var hit = HitView(ruleIndex: rule, line: lineCount, text: line, captures: captures, recordTime: nil)
        switch format.shape {
        case .unifiedJSON:
            pending.append(RawHit(hit))
            return
        default:
            hit.recordTime = recordTime(line: line, recordStart: recordStart)
        }
        onHit(hit)
    }

    private func currentRecordPrefixTime() -> RecordTime? {
        if !recordPrefixParsed {
            recordPrefixTime = recordPrefix.withUnsafeBytes { parseTime($0) }
            recordPrefixParsed = true
        }
        return recordPrefixTime
    }

    private func flushPending() {
        for var hit in pending {
            hit.recordTime = jsonRecordTime
            hit.text.withUTF8 { text in
                onHit(HitView(ruleIndex: hit.ruleIndex, line: hit.line, text: UnsafeRawBufferPointer(text),
                              captures: hit.captures, recordTime: hit.recordTime))
            }
        }
        pending.removeAll()
        jsonRecordTime = nil
    }
}

/// The number of newlines in `count` bytes at `p`: 64 bytes a step, compared and summed as
/// four 16-byte vectors (a lane gains at most 4 a step and is added up every 63 steps, before
/// it can pass 255).
@inline(__always)
func countNewlines(_ p: UnsafeRawPointer, _ count: Int) -> Int {
    var total = 0
    var i = 0
    let newline = SIMD16<UInt8>(repeating: 0x0A)
    @inline(__always) func ones(_ at: Int) -> SIMD16<UInt8> {
        SIMD16<UInt8>.zero.replacing(with: 1, where: p.loadUnaligned(fromByteOffset: at, as: SIMD16<UInt8>.self) .== newline)
    }
    while i &+ 64 <= count {
        var lanes = SIMD16<UInt8>.zero
        let stop = Swift.min(count, i &+ 64 &* 63)
        while i &+ 64 <= stop {
            lanes &+= ones(i) &+ ones(i &+ 16) &+ ones(i &+ 32) &+ ones(i &+ 48)
            i &+= 64
        }
        total &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())  // at most 16 × 252
    }
    if i &+ 16 <= count {
        var lanes = SIMD16<UInt8>.zero
        while i &+ 16 <= count { lanes &+= ones(i); i &+= 16 }
        total &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
    }
    while i < count {
        if p.load(fromByteOffset: i, as: UInt8.self) == 0x0A { total &+= 1 }
        i &+= 1
    }
    return total
}
