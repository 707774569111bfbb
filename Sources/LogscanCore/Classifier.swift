import Foundation
/// The span of time one file of a bundle covers, for `gap` conditions.
public struct Coverage: Sendable {
    public var format: LogFormat
    public var start: Instant
    public var end: Instant
    public var startEvent: Event?
    public var endEvent: Event?
}

/// What the classifier reads of a bundle's events, so it can work on a `Timeline` (fields
/// read from memory, lines from the spill buffer only for evidence) or a plain array.
public protocol ClassifiableEvents {
    var count: Int { get }
    func ruleIndex(at i: Int) -> Int
    func time(at i: Int) -> Instant?
    func format(at i: Int) -> LogFormat
    func captures(at i: Int) -> [String: String]
    func event(at i: Int) -> Event
    /// Events to walk one list of indexes with, alongside walks of other lists: reads through
    /// one do not move where the others read (a spilled timeline's chunk cursor).
    func separateWalk() -> Self
}

extension ClassifiableEvents {
    public func separateWalk() -> Self { self }
}

extension Timeline: ClassifiableEvents {
    public func event(at i: Int) -> Event { self[i] }
}

extension Array: ClassifiableEvents where Element == Event {
    public func ruleIndex(at i: Int) -> Int { self[i].ruleIndex }
    public func time(at i: Int) -> Instant? { self[i].time }
    public func format(at i: Int) -> LogFormat { self[i].format }
    public func captures(at i: Int) -> [String: String] { self[i].captures }
    public func event(at i: Int) -> Event { self[i] }
}

/// Turns a bundle's matched lines into causes.
///
/// A cause holds when a rule naming it matched (direct evidence) or when one of its `when`
/// conditions holds over the bundle's events in time order. Evidence never crosses bundles:
/// the classifier only ever sees one bundle.
public struct Classifier: Sendable {
    public let rules: RuleSet
    /// Rules with named groups that are catalog ids: a code such a group captures is evidence
    /// for the cause its catalog entry names (data in `Patterns/codes/`, not code here).
    let codeRules: [(rule: Int, names: [String])]

    public init(rules: RuleSet) {
        self.rules = rules
        let codes = rules.codes
        codeRules = rules.rules.enumerated().compactMap { k, rule in
            let names = Set(rule.patterns.flatMap { $0.captureNames.keys }).filter { codes.catalog(forCapture: $0) != nil }.sorted()
            return names.isEmpty ? nil : (k, names)
        }
    }

    /// Classifies `events` (in timeline order) of one bundle. Returns the findings and, by event
    /// index, the cause each piece of evidence is for (events not listed are context).
    public func classify<Events: ClassifiableEvents>(bundle: String, events: Events, coverage: [Coverage]) -> (findings: [Finding], causes: [Int: String]) {
        // Events by rule first (an array append each, no hashing), then by signal and cause.
        // Indexes are 4 bytes and each list is allocated at its final size: these lists are
        // most of what a bundle's classification holds in memory per matched line.
        var perRule = [Int](repeating: 0, count: rules.rules.count)
        for i in 0..<events.count {
            let r = events.ruleIndex(at: i)
            if r >= 0 && r < perRule.count { perRule[r] += 1 }
        }
        var byRule = perRule.map { n -> [UInt32] in
            var list: [UInt32] = []
            list.reserveCapacity(n)
            return list
        }
        for i in 0..<events.count {
            let r = events.ruleIndex(at: i)
            if r >= 0 && r < byRule.count { byRule[r].append(UInt32(i)) }
        }
        var bySignal: [String: [UInt32]] = [:]
        var byCause: [String: [UInt32]] = [:]
        // Codes whose catalog entry names a cause are evidence for it: read only for the lines
        // of rules that capture codes (and only those codes' catalog lines are parsed).
        for (r, names) in codeRules where r < byRule.count {
            for i in byRule[r] {
                let captures = events.captures(at: Int(i))
                for name in names {
                    guard let value = captures[name], let catalog = rules.codes.catalog(forCapture: name) else { continue }
                    guard let cause = rules.codes.lookup(catalog: catalog, value: value)?.cause, rules.causes[cause] != nil,
                          rules.rules[r].cause != cause else { continue }
                    if byCause[cause]?.last != i { byCause[cause, default: []].append(i) }
                }
            }
        }
        for r in byRule.indices where !byRule[r].isEmpty {
            let list = byRule[r]
            byRule[r] = []
            let rule = rules.rules[r]
            // A signal or cause of one rule shares that rule's list (no copy).
            for s in rule.signals { if bySignal[s] == nil { bySignal[s] = list } else { bySignal[s]! += list } }
            if let c = rule.cause { if byCause[c] == nil { byCause[c] = list } else { byCause[c]! += list } }
        }
        // Lists made of several rules' events go back to timeline order.
        for (s, list) in bySignal where zip(list, list.dropFirst()).contains(where: { $0 > $1 }) { bySignal[s] = list.sorted() }
        for (c, list) in byCause where zip(list, list.dropFirst()).contains(where: { $0 > $1 }) { byCause[c] = list.sorted() }
        var findings: [Finding] = []
        // Only evidence gets a cause: kept sparse, as most events are context.
        var eventCause: [Int: (cause: String, severity: Severity)] = [:]

        for id in rules.causeOrder {
            guard let cause = rules.causes[id] else { continue }
            var evidence = Set<Int>()
            var extra: [Event] = []
            var reasons: [String] = []
            if let direct = byCause[id], !direct.isEmpty {
                evidence.formUnion(direct.lazy.map { Int($0) })
                reasons.append("direct")
            }
            for condition in cause.conditions {
                if let result = evaluate(condition, events: events, bySignal: bySignal, coverage: coverage) {
                    evidence.formUnion(result.indexes)
                    extra += result.extra
                    reasons.append(result.reason)
                }
            }
            guard !evidence.isEmpty || !extra.isEmpty else { continue }
            let ordered = evidence.sorted()
            var items = ordered.map { events.event(at: $0) }
            for e in extra where !items.contains(where: { $0.source == e.source && $0.line == e.line }) { items.append(e) }
            items.sort(by: Event.timelineOrder)
            for k in items.indices { items[k].cause = id }
            for i in ordered where eventCause[i].map({ $0.severity < cause.severity }) ?? true {
                eventCause[i] = (id, cause.severity)
            }
            let times = items.compactMap(\.time)
            findings.append(Finding(cause: id, title: cause.title, severity: cause.severity, bundle: bundle,
                                    firstSeen: times.min(), lastSeen: times.max(), evidence: items, fix: cause.fix,
                                    reason: reasons.joined(separator: "; ")))
        }
        Self.linkConsequences(&findings, causes: rules.causes)
        findings.sort { a, b in
            switch (a.firstSeen, b.firstSeen) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.cause < b.cause
            }
        }
        return (findings, eventCause.mapValues(\.cause))
    }

    /// Marks each finding whose cause lists, in `consequence_of`, a cause also found here:
    /// the first one listed that was found is its root. `rules check` rejects cycles, so
    /// following the links always ends; a cycle loaded anyway (a bad `--patterns` folder) is
    /// cut where it would close.
    static func linkConsequences(_ findings: inout [Finding], causes: [String: CauseDefinition]) {
        let found = Set(findings.map(\.cause))
        var link: [String: String] = [:]
        for f in findings {
            if let root = causes[f.cause]?.consequenceOf.first(where: { $0 != f.cause && found.contains($0) }) {
                link[f.cause] = root
            }
        }
        for k in findings.indices {
            guard let root = link[findings[k].cause] else { continue }
            // Walk up from the root: reaching this cause again means a cycle, so stop here.
            var seen: Set<String> = [findings[k].cause]
            var at: String? = root
            var closes = false
            while let c = at {
                if !seen.insert(c).inserted { closes = true; break }
                at = link[c]
            }
            if closes { link[findings[k].cause] = nil } else { findings[k].consequenceOf = root }
        }
    }

    /// What a condition that holds contributes: evidence events (by index, plus lines that are
    /// not rule matches, such as the edge of a log's coverage) and a sentence.
    struct ConditionResult {
        var indexes: [Int]
        var extra: [Event] = []
        var reason: String
    }

    /// The evidence and a sentence, when the condition holds.
    func evaluate<Events: ClassifiableEvents>(_ condition: CauseCondition, events: Events, bySignal: [String: [UInt32]],
                  coverage: [Coverage]) -> ConditionResult? {
        switch condition {
        case .gap(let signal, let min, let formats):
            return gap(signal: signal, min: min, formats: formats, events: events, beats: bySignal[signal] ?? [], coverage: coverage)
        case .span(let failure, let success, let min, let formats):
            let failures = bySignal[failure] ?? [], successes = bySignal[success] ?? []
            guard !failures.isEmpty else { return nil }
            // Both lists are in timeline order, so their timed lines are in time order: walk them
            // side by side (no copy of the, often many, success lines). At one instant failures
            // come first: a success ends a run.
            var fi = 0, si = 0
            // Each list read through its own walk: the two move through the timeline apart.
            let failureEvents = events.separateWalk(), successEvents = events.separateWalk()
            func nextTimed(_ list: [UInt32], _ k: inout Int, _ events: Events) -> (time: Instant, index: Int)? {
                while k < list.count {
                    let i = Int(list[k])
                    if formats?.contains(events.format(at: i)) ?? true, let t = events.time(at: i) { return (t, i) }
                    k += 1
                }
                return nil
            }
            var run: [Int] = []
            var runStart: Instant? = nil
            var runEnd: Instant? = nil
            var qualifying: [Int] = []
            var longest: Int64 = 0
            func close() {
                if let s = runStart, let e = runEnd, e.nanoseconds - s.nanoseconds >= min.nanoseconds {
                    qualifying += run
                    longest = Swift.max(longest, e.nanoseconds - s.nanoseconds)
                }
                run = []; runStart = nil; runEnd = nil
            }
            // Successes after the last failure change nothing: stop there.
            while let f = nextTimed(failures, &fi, failureEvents) {
                if let ok = nextTimed(successes, &si, successEvents), ok.time < f.time {
                    close()
                    si += 1
                } else {
                    if runStart == nil { runStart = f.time }
                    runEnd = f.time
                    run.append(f.index)
                    fi += 1
                }
            }
            close()
            guard !qualifying.isEmpty else { return nil }
            return ConditionResult(indexes: qualifying, reason: "\(failure) lines over \(Self.hours(longest)) with no \(success) between (threshold \(min.description))")
        case .repeat(let signal, let min, let cluster):
            var occurrences: [Int] = []
            var lastTime: Instant? = nil
            let timed = (bySignal[signal] ?? []).compactMap { i in events.time(at: Int(i)).map { ($0, Int(i)) } }
                .sorted { $0 < $1 }
            for (t, i) in timed {
                if let last = lastTime, t.nanoseconds - last.nanoseconds <= cluster.nanoseconds {
                    lastTime = t
                    continue
                }
                occurrences.append(i)
                lastTime = t
            }
            guard occurrences.count >= min else { return nil }
            return ConditionResult(indexes: occurrences, reason: "\(occurrences.count) separate \(signal) occurrences (lines within \(cluster.description) count as one)")
        case .distinct(let signal, let capture, let min):
            var firstOf: [String: Int] = [:]
            for i32 in bySignal[signal] ?? [] {
                let i = Int(i32)
                guard let raw = events.captures(at: i)[capture] else { continue }
                // Native trimming: Foundation's goes through NSString and UTF-16, which cost
                // 25 000 instructions per device-ID line of a fleet.
                let value = raw.trimming { $0 == "{" || $0 == "}" || $0 == "<" || $0 == ">" || $0 == " " || $0 == "\t" }.lowercased()
                guard !value.isEmpty else { continue }
                if firstOf[value] == nil { firstOf[value] = i }
            }
            guard firstOf.count >= min else { return nil }
            return ConditionResult(indexes: Array(firstOf.values).sorted(), reason: "\(firstOf.count) distinct values of \(capture)")
        case .together(let all, let none, let window):
            for s in none where !(bySignal[s] ?? []).isEmpty { return nil }
            var groups: [[UInt32]] = []
            for s in all {
                guard let list = bySignal[s], !list.isEmpty else { return nil }
                groups.append(list)
            }
            if let window {
                // Keep the lines of every signal that lie within the window of a line of the first.
                var keep = Set<Int>()
                for anchor in groups[0] {
                    guard let t = events.time(at: Int(anchor)) else { continue }
                    var picked: [Int] = [Int(anchor)]
                    var ok = true
                    for g in groups.dropFirst() {
                        let near = g.filter { events.time(at: Int($0)).map { abs($0.nanoseconds - t.nanoseconds) <= window.nanoseconds } ?? false }
                        if near.isEmpty { ok = false; break }
                        picked += near.map { Int($0) }
                    }
                    if ok { keep.formUnion(picked) }
                }
                guard !keep.isEmpty else { return nil }
                return ConditionResult(indexes: keep.sorted(), reason: "\(all.joined(separator: " + ")) within \(window.description)")
            }
            return ConditionResult(indexes: Set(groups.joined()).map { Int($0) }.sorted(), reason: all.joined(separator: " + "))
        }
    }

    /// Gaps of `min` or more between heartbeats inside the covered span of the given formats.
    func gap<Events: ClassifiableEvents>(signal: String, min: Duration, formats: Set<LogFormat>, events: Events, beats: [UInt32],
             coverage: [Coverage]) -> ConditionResult? {
        let pieces = coverage.filter { formats.contains($0.format) && $0.start <= $0.end }
            .sorted { $0.start < $1.start }
        guard !pieces.isEmpty else { return nil }
        // Rotated pieces of one log join when the hole between them is shorter than the gap.
        var merged: [(start: Instant, end: Instant, startEvent: Event?, endEvent: Event?)] = []
        for p in pieces {
            if var last = merged.last, p.start.nanoseconds - last.end.nanoseconds < min.nanoseconds {
                if p.end > last.end { last.end = p.end; last.endEvent = p.endEvent }
                merged[merged.count - 1] = last
            } else {
                merged.append((p.start, p.end, p.startEvent, p.endEvent))
            }
        }
        // Beats are in timeline order, so those with a time are in time order: one pass over
        // them serves every span (spans are sorted and apart).
        var evidence: [Int] = []
        var longest: Int64 = 0
        var edgeEvents: [Event] = []
        var cursor = 0
        for span in merged {
            var previous: (time: Instant, index: Int?) = (span.start, nil)
            func step(to time: Instant, _ index: Int?) {
                let length = time.nanoseconds - previous.time.nanoseconds
                if length >= min.nanoseconds {
                    longest = Swift.max(longest, length)
                    if let ai = previous.index { evidence.append(ai) } else if let e = span.startEvent { edgeEvents.append(e) }
                    if let bi = index { evidence.append(bi) } else if let e = span.endEvent { edgeEvents.append(e) }
                }
                previous = (time, index)
            }
            while cursor < beats.count {
                let beat = Int(beats[cursor])
                guard let t = events.time(at: beat) else { cursor += 1; continue }
                if t < span.start { cursor += 1; continue }
                if t > span.end { break }
                step(to: t, beat)
                cursor += 1
            }
            step(to: span.end, nil)
        }
        guard longest > 0 else { return nil }
        return ConditionResult(indexes: evidence, extra: edgeEvents, reason: "no \(signal) for \(Self.hours(longest)) while the log goes on (threshold \(min.description))")
    }

    static func hours(_ nanoseconds: Int64) -> String {
        let minutes = nanoseconds / 60_000_000_000
        if minutes >= 120 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes) min"
    }
}

extension StringProtocol {
    /// The string without the leading and trailing scalars for which `isTrimmed` is true.
    func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> SubSequence {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return self[endIndex...] }
        return self[first..<scalars.index(after: last)]
    }
}
