import Foundation
import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
import LogscanInput

/// Turns what was scanned of one bundle into its report: times, causes, timeline.
public struct BundleAnalyzer: Sendable {
    public let rules: CompiledRules
    public private(set) var options: AnalysisOptions
    public let classifier: Classifier

    /// Entry chunks a bundle's timeline keeps in memory (see `EntryList`).
    public let entryMemoryChunks: Int
    public let timelineLimits: TimelineLimits

    public init(rules: CompiledRules, options: AnalysisOptions, entryMemoryChunks: Int = EntryList.defaultMemoryChunks,
                timelineLimits: TimelineLimits = TimelineLimits()) {
        self.rules = rules
        self.options = options
        self.classifier = Classifier(rules: rules.ruleSet)
        self.entryMemoryChunks = entryMemoryChunks
        self.timelineLimits = timelineLimits
    }

    /// This analyzer for a bundle `logscan collect` made: zone-less times are read in the
    /// Mac's own zone from its manifest, unless `--tz` gave one.
    public func collected(by manifest: CollectionManifest?) -> BundleAnalyzer {
        guard options.timeZone == nil, let zone = manifest?.zone else { return self }
        var copy = self
        copy.options.timeZone = zone
        copy.options.zoneSource = "the Mac's zone, from \(CollectionManifest.fileName)"
        return copy
    }

    /// The files' hits are moved into the report's timeline (so they are never held twice):
    /// `files` is left with empty hit lists. `jobs` threads may resolve the files' times side
    /// by side (worth it when this bundle is all there is to do).
    /// `skipped` are inputs met but not read (the same file reached twice), accounted for in
    /// the report's inputs.
    public func analyze(name: String, deviceHint: String?, files: inout [FileResult], errors: [ReportError],
                        skipped: [InputReport] = [], jobs: Int = 1) -> BundleReport {
        let resolver = TimeResolver(files: files, options: options)
        let none = TimelineEntry.none
        let window = options.window
        var entries = EntryList(memoryChunks: entryMemoryChunks)
        var timelineFiles: [TimelineFile] = []
        var coverage: [Coverage] = []
        var usedLocal = false
        var usedYear = false
        var usedFileDate = false
        // Time bases that mean a local time was read in some zone, as bits by code (a set
        // looked up per entry hashed every entry).
        let localBases = [TimeBasis.tzOption, .inferredZone, .assumedZone].reduce(UInt64(0)) { $0 | 1 << UInt64($1.code) }
        var ordering = EntryOrdering()
        files.sort { $0.fileIndex < $1.fileIndex }
        // Entries gather here and go to `entries` a batch at a time.
        let pending = UnsafeMutableBufferPointer<TimelineEntry>.allocate(capacity: EntryList.batch)
        defer { pending.deallocate() }
        let edges = Self.resolveTimes(of: &files, with: resolver, jobs: jobs)
        PhaseTrace.mark("analysis: times resolved")
        // Past what the timeline can number (see `TimelineLimits`): counted, reported, not used.
        var entriesLeftOut = 0, filesLeftOut = 0, linesOfFilesLeftOut = 0
        for k in files.indices {
            if timelineFiles.count >= timelineLimits.files {
                var hits = 0
                files[k].hits.drain { _ in hits += 1 }
                if hits > 0 { filesLeftOut += 1; linesOfFilesLeftOut += hits }
                continue
            }
            let slot = Int32(timelineFiles.count)
            // Fields only: a copy of `files[k]` would keep its hits' chunks alive through the
            // drain below, and every entry would be held twice at the peak.
            let source = files[k].source, fileIndex = files[k].fileIndex, format = files[k].format.format
            let firstRecord = files[k].first, lastRecord = files[k].last
            timelineFiles.append(TimelineFile(source: source, fileIndex: fileIndex, format: format, store: files[k].store))
            let (first, last) = edges[k]
            // Move the file's hits over chunk by chunk (never held twice), filling in what
            // resolution leaves: the file slot, and the order time of lines without a time
            // (they keep their place after the line before them in the same file).
            var previous = none
            ordering.beginFile(at: entries.count)
            var pendingCount = 0
            files[k].hits.drain { hit in
                var e = hit
                e.file = slot
                if e.time != none { previous = e.time }
                e.orderTime = previous
                if e.basis >= 0 && e.basis < 64 && localBases & (1 << UInt64(e.basis)) != 0 { usedLocal = true }
                if e.yearInferred { usedYear = true }
                if e.basis == TimeBasis.dateFromFile.code { usedFileDate = true }
                if !window.admits(nanoseconds: e.time) { return }
                if entries.count + pendingCount >= timelineLimits.entries { entriesLeftOut += 1; return }
                ordering.note(e)
                pending[pendingCount] = e
                pendingCount += 1
                if pendingCount == pending.count {
                    entries.append(contentsOf: UnsafeBufferPointer(pending))
                    pendingCount = 0
                }
            }
            entries.append(contentsOf: UnsafeBufferPointer(rebasing: pending[..<pendingCount]))
            ordering.endFile(at: entries.count)
            if let f = firstRecord, let l = lastRecord, let ft = first, let lt = last {
                coverage.append(Coverage(first: f, at: ft, last: l, at: lt, bundle: name, source: source,
                                         fileIndex: fileIndex, format: format))
                if [.tzOption, .inferredZone, .assumedZone].contains(ft.basis) { usedLocal = true }
            }
        }
        coverage = window.clip(coverage)
        PhaseTrace.mark("analysis: entries gathered")
        let order = ordering.order(&entries, sources: timelineFiles.map(\.source))
        PhaseTrace.mark("analysis: timeline ordered")
        var timeline = Timeline(bundle: name, entries: entries, order: order, files: timelineFiles,
                                ruleNames: rules.rules.map(\.id), causeNames: rules.ruleSet.causeOrder)
        entries = EntryList()
        let (findings, causes) = classifier.classify(bundle: name, events: timeline.reader(), coverage: coverage)
        PhaseTrace.mark("analysis: classified")
        // In timeline order: a spilled timeline then changes one chunk after another.
        for (i, c) in causes.sorted(by: { $0.key < $1.key }) { timeline.setCause(c, at: i) }

        var notes: [String] = []
        if usedLocal { notes.append(resolver.localNote) }
        if usedYear { notes.append("jamf.log prints no year: years were inferred from the weekdays and the file dates") }
        for file in files {
            guard let floor = file.yearFloor else { continue }
            notes.append("\(file.source): its weekdays would need a year before \(floor.year), more than \(TimeResolver.maxYearsBack) years before the file's date, which is not believable; the year walk stopped there and \(floor.unplaced) earlier time\(floor.unplaced == 1 ? " is" : "s are") unknown")
        }
        if usedFileDate {
            notes.append("Console rows copied without their date were put on the day of their file's modification time (time_basis date-from-file)")
        }
        var allErrors = errors
        if entriesLeftOut > 0 {
            allErrors.append(ReportError(source: name, message: "timeline full: \(entriesLeftOut) matched lines past the first \(timelineLimits.entries) were not used as evidence; scan fewer or smaller logs per bundle"))
        }
        if filesLeftOut > 0 {
            allErrors.append(ReportError(source: name, message: "timeline full: the \(linesOfFilesLeftOut) matched lines of \(filesLeftOut) files past the first \(timelineLimits.files) were not used as evidence; scan fewer logs per bundle"))
        }
        for file in files {
            if let message = file.input.error { allErrors.append(ReportError(source: file.source, message: message)) }
            for p in file.problems { allErrors.append(ReportError(source: file.source, message: p.message)) }
        }
        let inputs = files.map(\.input) + skipped
        let notDiagnosable = Self.notDiagnosable(inputs: inputs, errors: allErrors)
        if let notDiagnosable { allErrors.append(ReportError(source: name, message: "not diagnosable: " + notDiagnosable)) }
        let unrecognized = Self.unrecognized(in: files, resolver: resolver, window: window)
        var report = BundleReport(name: name, device: deviceHint ?? Self.hostName(in: files), inputs: inputs,
                                  findings: findings, timeline: timeline, errors: allErrors, timeNotes: notes,
                                  unrecognized: unrecognized.sorted(), unrecognizedOverflow: unrecognized.overflowLines)
        report.notDiagnosable = notDiagnosable
        return report
    }

    /// Why a bundle cannot be diagnosed (without the words "not diagnosable"), when none of its inputs could be read as a log: "no
    /// known cause" would call such a Mac healthy. Nil when at least one input was.
    public static func notDiagnosable(inputs: [InputReport], errors: [ReportError]) -> String? {
        guard !inputs.contains(where: \.isReadLog) else { return nil }
        let sources = inputs.map(\.source) + errors.map(\.source)
        if let archive = sources.lazy.compactMap(logArchive(in:)).first {
            return "\(archive) is a unified log archive (binary tracev3 files), which logscan "
                + "cannot read. On a Mac, export the lines logscan looks for, then scan the export: "
                + logShowCommand(archive: archive)
        }
        var parts: [String] = []
        let binary = inputs.filter { $0.skipped == InputReport.binaryReason }.count
        let empty = inputs.filter { $0.skipped == nil && $0.error == nil && $0.lines == 0 }.count
        let duplicates = inputs.filter { $0.skipped != nil && $0.skipped != InputReport.binaryReason }.count
        let failed = inputs.filter { $0.error != nil && $0.lines == 0 }.count
        if binary > 0 { parts.append("\(binary) binary") }
        if empty > 0 { parts.append("\(empty) empty") }
        if failed > 0 { parts.append("\(failed) unreadable") }
        if duplicates > 0 { parts.append("\(duplicates) read under another name") }
        let what = inputs.isEmpty ? (errors.isEmpty ? "no file in it" : "nothing in it could be read")
            : "no input is a log logscan can read (\(parts.joined(separator: ", ")))"
        return "\(what); this is not a healthy Mac, there is nothing to judge it by"
    }

    /// The `.logarchive` a source lies in (`x/system_logs.logarchive`), if any.
    static func logArchive(in source: String) -> String? {
        guard let range = source.range(of: ".logarchive") else { return nil }
        let after = source[range.upperBound...]
        guard after.isEmpty || after.hasPrefix("/") || after.hasPrefix("!") else { return nil }
        return String(source[..<range.upperBound])
    }

    /// The subsystems and processes logscan's rules read in the unified log (jamfAAD / Jamf
    /// Conditional Access, Platform SSO, the Jamf binary and background workflows, Intune).
    public static let unifiedLogPredicate =
        #"subsystem CONTAINS "jamfAAD" OR subsystem BEGINSWITH "com.apple.AppSSO" OR subsystem BEGINSWITH "com.jamf" OR process BEGINSWITH "Intune" OR process CONTAINS "Company Portal""#

    /// `log show` exporting what logscan reads from `archive`, as ndjson.
    public static func logShowCommand(archive: String) -> String {
        let name = archive.split(separator: "!").last.map(String.init) ?? archive
        return "log show --archive '\(name)' --info --debug --style ndjson --predicate '\(unifiedLogPredicate)' > jamf-intune.ndjson"
    }

    /// Resolves every file's times in place, files side by side on up to `jobs` threads (each
    /// file's resolution is independent once the resolver knows the bundle's offsets).
    static func resolveTimes(of files: inout [FileResult], with resolver: TimeResolver, jobs: Int)
        -> [(first: ResolvedTime?, last: ResolvedTime?)] {
        var edges = [(first: ResolvedTime?, last: ResolvedTime?)](repeating: (nil, nil), count: files.count)
        guard jobs > 1, files.count > 1 else {
            for k in files.indices { edges[k] = resolver.resolveInPlace(&files[k]) }
            return edges
        }
        files.withUnsafeMutableBufferPointer { fileBuffer in
            edges.withUnsafeMutableBufferPointer { edgeBuffer in
                let f = SharedSlots(fileBuffer), e = SharedSlots(edgeBuffer)
                let next = Counter()
                DispatchQueue.concurrentPerform(iterations: min(jobs, f.buffer.count)) { _ in
                    // Each worker takes the next file not yet taken: slots are never shared.
                    while let k = next.take(below: f.buffer.count) {
                        e.buffer[k] = resolver.resolveInPlace(&f.buffer[k])
                    }
                }
            }
        }
        return edges
    }

    /// The files' unrecognized errors as one set of kinds for the bundle: times placed in UTC,
    /// kinds of different files with the same template merged. A `--since`/`--until` window
    /// keeps the kinds seen in it (a kind is kept or left out whole: its lines are not kept).
    static func unrecognized(in files: [FileResult], resolver: TimeResolver, window: TimeWindow) -> UnrecognizedCollector {
        var all = UnrecognizedCollector()
        for file in files {
            for var kind in file.unrecognized.kinds {
                kind.exampleSource = file.source
                kind.firstSeen = kind.firstWritten.flatMap { resolver.resolveOne($0, modificationDate: file.modificationDate)?.instant }
                kind.lastSeen = kind.lastWritten.flatMap { resolver.resolveOne($0, modificationDate: file.modificationDate)?.instant }
                guard window.overlaps(first: kind.firstSeen, last: kind.lastSeen) else { continue }
                all.add(kind)
            }
            all.addOverflow(file.unrecognized.overflowLines)
        }
        return all
    }

    /// The Mac's name as jamf.log writes it (`Thu Feb 21 11:11:41 Jane’s MacBook jamf[8051]: …`).
    package static func hostName(in files: [FileResult]) -> String? {
        for file in files where file.format.format == .jamf {
            if let host = hostName(fromJamfLine: file.first?.text ?? file.last?.text ?? "") { return host }
        }
        return nil
    }

    /// The host name in one jamf.log line: after "Dow Mon DD HH:MM:SS " and before the last " jamf[".
    package static func hostName(fromJamfLine text: String) -> String? {
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        guard let jamf = firstLine.range(of: " jamf[", options: .backwards) else { return nil }
        let head = Array(firstLine[..<jamf.lowerBound].utf8)
        // The first "HH:MM:SS " (a plain scan: a regular expression here cost more than the
        // rest of the analysis of a bundle, once per bundle).
        func digit(_ i: Int) -> Bool { head[i] >= 0x30 && head[i] <= 0x39 }
        var timeEnd: Int? = nil
        var i = 0
        while i + 9 <= head.count {
            if digit(i), digit(i + 1), head[i + 2] == 0x3A, digit(i + 3), digit(i + 4), head[i + 5] == 0x3A,
               digit(i + 6), digit(i + 7), head[i + 8] == 0x20 {
                timeEnd = i + 9
                break
            }
            i += 1
        }
        guard let timeEnd else { return nil }
        let host = String(decoding: head[timeEnd...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return host.isEmpty ? nil : host
    }
}
