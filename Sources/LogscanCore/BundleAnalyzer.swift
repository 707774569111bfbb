import Foundation

/// Turns what was scanned of one bundle into its report: times, causes, timeline.
public struct BundleAnalyzer: Sendable {
    public let rules: CompiledRules
    public let options: AnalysisOptions
    public let classifier: Classifier

    /// The rule name shown for the first or last line of a log when it bounds a gap.
    public static let coverageRule = "log-coverage"

    public init(rules: CompiledRules, options: AnalysisOptions) {
        self.rules = rules
        self.options = options
        self.classifier = Classifier(rules: rules.ruleSet)
    }

    public func analyze(name: String, deviceHint: String?, files: [FileResult], errors: [ReportError]) -> BundleReport {
        let resolver = TimeResolver(files: files, options: options)
        var events: [Event] = []
        var coverage: [Coverage] = []
        var usedLocal = false
        var usedYear = false
        for file in files.sorted(by: { $0.fileIndex < $1.fileIndex }) {
            let (times, first, last) = resolver.resolve(file)
            var previous: Instant? = nil
            for (hit, time) in zip(file.hits, times) {
                let rule = rules.rules[hit.ruleIndex]
                let e = Event(hit: hit, rule: rule, bundle: name, source: file.source, fileIndex: file.fileIndex,
                              format: file.format.format, time: time, previous: previous)
                previous = e.orderTime
                if let b = time?.basis, [.tzOption, .inferredZone, .assumedZone].contains(b) { usedLocal = true }
                if time?.yearInferred == true { usedYear = true }
                events.append(e)
            }
            if let f = file.first, let l = file.last, let ft = first, let lt = last {
                func edge(_ r: EdgeRecord, _ t: ResolvedTime) -> Event {
                    Self.edgeEvent(r, t, bundle: name, source: file.source, fileIndex: file.fileIndex, format: file.format.format)
                }
                coverage.append(Coverage(format: file.format.format, start: ft.instant, end: lt.instant,
                                         startEvent: edge(f, ft), endEvent: edge(l, lt)))
                if [.tzOption, .inferredZone, .assumedZone].contains(ft.basis) { usedLocal = true }
            }
        }
        if options.since != nil || options.until != nil {
            events = events.filter { e in
                guard let t = e.time else { return false }
                if let s = options.since, t < s { return false }
                if let u = options.until, t > u { return false }
                return true
            }
            coverage = coverage.compactMap { c in
                var c = c
                if let s = options.since, c.start < s { c.start = s; c.startEvent = nil }
                if let u = options.until, c.end > u { c.end = u; c.endEvent = nil }
                return c.start <= c.end ? c : nil
            }
        }
        events.sort(by: Event.timelineOrder)
        let (findings, causes) = classifier.classify(bundle: name, events: events, coverage: coverage)
        for i in events.indices { events[i].cause = causes[i] }

        var notes: [String] = []
        if usedLocal { notes.append(resolver.localNote) }
        if usedYear { notes.append("jamf.log prints no year: years were inferred from the weekdays and the file dates") }
        var allErrors = errors
        for file in files {
            if let message = file.input.error { allErrors.append(ReportError(source: file.source, message: message)) }
            for p in file.problems { allErrors.append(ReportError(source: file.source, message: p.message)) }
        }
        let inputs = files.sorted(by: { $0.fileIndex < $1.fileIndex }).map(\.input)
        return BundleReport(name: name, device: deviceHint ?? Self.hostName(in: files), inputs: inputs,
                            findings: findings, timeline: events, errors: allErrors, timeNotes: notes)
    }

    /// The first or last line of a log, as evidence that the log goes on (for `gap` causes).
    static func edgeEvent(_ r: EdgeRecord, _ t: ResolvedTime, bundle: String, source: String, fileIndex: Int,
                          format: LogFormat) -> Event {
        var e = Event(bundle: bundle, source: source, fileIndex: fileIndex, line: r.line, ruleIndex: -1,
                      rule: coverageRule, text: r.text, captures: [:], format: format, time: t.instant,
                      timeBasis: t.basis, yearInferred: t.yearInferred)
        e.orderTime = t.instant
        return e
    }

    /// The Mac's name as jamf.log writes it (`Thu Feb 21 11:11:41 Jane’s MacBook jamf[8051]: …`).
    static func hostName(in files: [FileResult]) -> String? {
        for file in files where file.format.format == .jamf {
            if let host = hostName(fromJamfLine: file.first?.text ?? file.last?.text ?? "") { return host }
        }
        return nil
    }

    /// The host name in one jamf.log line: after "Dow Mon DD HH:MM:SS " and before the last " jamf[".
    static func hostName(fromJamfLine text: String) -> String? {
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        guard let jamf = firstLine.range(of: " jamf[", options: .backwards) else { return nil }
        let head = firstLine[..<jamf.lowerBound]
        guard let timeEnd = head.range(of: #"\d\d:\d\d:\d\d "#, options: .regularExpression) else { return nil }
        let host = head[timeEnd.upperBound...].trimmingCharacters(in: .whitespaces)
        return host.isEmpty ? nil : host
    }
}
