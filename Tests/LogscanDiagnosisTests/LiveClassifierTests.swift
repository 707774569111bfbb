import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

/// Rules for one signal each, and causes that use every condition kind (with and without
/// formats and windows), several severities and a `consequence_of` link.
let liveRules: RuleSet = {
    let set = ruleSet(signalRules + [
        rule("both", signals: ["token-failure", "token-success"]),
        rule("fatal", signals: [], cause: "fatal"),
        cause("fatal", severity: "critical", ""),
        cause("unresponsive", severity: "high", "  - gap: {signal: checkin, min: 6h, coverage: [jamf]}\n  - span: {failure: jss-unreachable, success: checkin, min: 6h}"),
        cause("token", severity: "high", "  - span: {failure: token-failure, success: token-success, min: 3h, formats: [jamf]}"),
        cause("repeated", severity: "medium", "  - repeat: {signal: registration-attempt, min: 3, cluster: 10m}"),
        cause("duplicates", severity: "medium", "  - distinct: {signal: device-id, capture: device_id, min: 3}"),
        cause("mismatch", severity: "low", "  - together: {all: [device-not-compliant, registration-evidence], window: 30m}"),
        cause("graph-unknown", severity: "medium", "  - together: {all: [graph-token-error], none: [permission-evidence]}"),
        cause("graph-perm", severity: "medium", "  - together: {all: [graph-token-error, permission-evidence]}", consequenceOf: "fatal"),
    ])
    return set
}()

/// A random stream of events from two logs written side by side: mostly in time order, some
/// lines earlier than the one before (another file's clock, a late write), some without a
/// time, some matched by two rules, and the logs' coverage growing as lines come.
struct LiveStream {
    struct Step {
        var event: Event?
        var coverage: [Coverage]
    }
    var generator: SeededGenerator
    var clock: Int64 = 1_700_000_000
    var lines = ["jamf.log": 0, "cp.log": 0]
    var previous: [String: Instant] = [:]
    var first: [String: Instant] = [:]
    var last: [String: Instant] = [:]
    var arrival = 0

    mutating func next() -> Step {
        let g = Double.random(in: 0..<1, using: &generator)
        // Minutes most of the time, hours now and then (gaps, spans).
        clock += g < 0.85 ? Int64.random(in: 0...900, using: &generator) : Int64.random(in: 3_600...30_000, using: &generator)
        let source = Bool.random(using: &generator) ? "jamf.log" : "cp.log"
        let tick = Int.random(in: 0..<12, using: &generator) == 0
        if !tick {
            var seconds = clock
            if Int.random(in: 0..<8, using: &generator) == 0 { seconds -= Int64.random(in: 0...7_200, using: &generator) }
            let timed = Int.random(in: 0..<20, using: &generator) != 0
            let time = timed ? Instant(seconds: seconds) : nil
            // Now and then a second rule matches the line before (same place on the timeline).
            if !(Int.random(in: 0..<10, using: &generator) == 0 && lines[source]! > 0) { lines[source]! += 1 }
            let rules = liveRules.rules
            let r = Int.random(in: 0..<rules.count, using: &generator)
            var captures: [String: String] = [:]
            if rules[r].id == "devid" {
                let id = ["{4E1D8A6B-AAAA}", "4e1d8a6b-aaaa", "<5F2E-BBBB>", "6A3F-CCCC", "7B40-DDDD"].randomElement(using: &generator)!
                captures["device_id"] = id
            }
            var e = Event(bundle: "b", source: source, fileIndex: source == "jamf.log" ? 0 : 1, line: lines[source]!,
                          ruleIndex: r, rule: rules[r].id, text: "\(arrival)", captures: captures,
                          format: source == "jamf.log" ? .jamf : .companyPortal, time: time)
            arrival += 1
            e.orderTime = time ?? previous[source]
            if let o = e.orderTime { previous[source] = o }
            if let t = time {
                if first[source] == nil { first[source] = t }
                last[source] = max(last[source] ?? t, t)
            }
            return Step(event: e, coverage: coverage())
        }
        // A tick: the jamf log went on without a match.
        if first["jamf.log"] != nil { last["jamf.log"] = Instant(seconds: clock) }
        return Step(event: nil, coverage: coverage())
    }

    func coverage() -> [Coverage] {
        var out: [Coverage] = []
        for (source, format) in [("jamf.log", LogFormat.jamf), ("cp.log", .companyPortal)] {
            guard let a = first[source], let b = last[source] else { continue }
            func edge(_ t: Instant) -> Event {
                var e = Event(bundle: "b", source: source, fileIndex: 0, line: 0, ruleIndex: -1, rule: Coverage.edgeRule,
                              text: "edge", captures: [:], format: format, time: t)
                e.orderTime = t
                return e
            }
            // Every third step the start is cut (as by --since): no edge line there.
            out.append(Coverage(format: format, start: a, end: b, startEvent: arrival % 3 == 0 ? nil : edge(a), endEvent: edge(b)))
        }
        return out
    }
}

/// What a finding says, for comparing two ways of making it.
func summary(_ f: Finding) -> String {
    let evidence = f.evidence.map { "\($0.source):\($0.line):\($0.text):\($0.cause ?? "-")" }.joined(separator: ",")
    return "\(f.cause) [\(f.reason)] root=\(f.consequenceOf ?? "-") \(f.firstSeen?.nanoseconds ?? 0)-\(f.lastSeen?.nanoseconds ?? 0) \(evidence)"
}

@Suite struct LiveClassifierTests {
    /// Fed the same events, the live classifier announces the causes the batch classifier
    /// finds, at the same steps, with the same findings, and gives each new event the cause the
    /// batch classifier gives it; at the end both agree on everything.
    @Test(arguments: 0..<6) func sameAsBatchAtEveryStep(round: Int) {
        var stream = LiveStream(generator: SeededGenerator(name: "sameAsBatchAtEveryStep(\(round))"))
        let seed = stream.generator.seed
        let classifier = Classifier(rules: liveRules)
        let live = LiveClassifier(classifier: classifier, bundle: "b")
        var arrived: [Event] = []
        var found = Set<String>()
        var announcedSteps = 0
        for step in 0..<400 {
            let next = stream.next()
            var established: [Finding]
            var liveCause: String? = nil
            if let e = next.event {
                arrived.append(e)
                let result = live.add(e, coverage: next.coverage)
                established = result.established
                liveCause = result.event.cause
            } else {
                established = live.update(coverage: next.coverage)
            }
            // The batch path over everything so far (a stable sort keeps arrival order on ties).
            let ordered = arrived.sorted(by: Event.timelineOrder)
            let (findings, causes) = classifier.classify(bundle: "b", events: ordered, coverage: next.coverage)
            let new = findings.filter { !found.contains($0.cause) }
            found.formUnion(findings.map(\.cause))
            #expect(established.map(summary) == new.map(summary), "step \(step), seed \(seed)")
            if !new.isEmpty { announcedSteps += 1 }
            if let e = next.event {
                let i = ordered.lastIndex { $0.text == e.text }!
                #expect(liveCause == causes[i], "cause of event \(e.text) (\(e.rule)) at step \(step), seed \(seed)")
            }
        }
        let (liveFindings, liveEvents) = live.classifyAll()
        let ordered = arrived.sorted(by: Event.timelineOrder)
        let (findings, causes) = classifier.classify(bundle: "b", events: ordered, coverage: stream.coverage())
        #expect(liveFindings.map(summary) == findings.map(summary), "seed \(seed)")
        #expect(liveEvents.map(\.text) == ordered.map(\.text), "seed \(seed)")
        #expect(liveEvents.indices.map { liveEvents[$0].cause } == ordered.indices.map { causes[$0] }, "seed \(seed)")
        // The stream is meant to establish causes along the way, not only at the end.
        #expect(announcedSteps >= 2, "seed \(seed)")
    }

    /// Each condition's tracker, fed the stream, holds exactly when `evaluate` over the events
    /// so far gives evidence, and counts the new event as evidence exactly when `evaluate` does
    /// (thresholds drawn at random, so that holding flips at different points).
    @Test(arguments: 0..<6) func trackersAgreeWithEvaluate(round: Int) {
        var stream = LiveStream(generator: SeededGenerator(name: "trackersAgreeWithEvaluate(\(round))"))
        let seed = stream.generator.seed
        func hours(_ g: inout SeededGenerator) -> Duration { Duration(seconds: Int64.random(in: 1...12, using: &g) * 3_600) }
        let conditions: [any CauseCondition] = [
            GapCondition(signal: "checkin", min: hours(&stream.generator), coverage: [.jamf]),
            GapCondition(signal: "checkin", min: hours(&stream.generator), coverage: [.jamf, .companyPortal]),
            SpanCondition(failure: "token-failure", success: "token-success", min: hours(&stream.generator), formats: nil),
            SpanCondition(failure: "token-failure", success: "token-success", min: hours(&stream.generator), formats: [.jamf]),
        ] + (1...12).map { min in
            // Every count from 2 to 24: an occurrence miscounted anywhere flips one of them.
            RepeatCondition(signal: "registration-attempt", min: 2 * min,
                            cluster: Duration(seconds: Int64.random(in: 0...1_800, using: &stream.generator)))
        } + [
            DistinctCondition(signal: "device-id", capture: "device_id", min: Int.random(in: 1...4, using: &stream.generator)),
            TogetherCondition(all: ["device-not-compliant", "registration-evidence"], none: [], window: Duration(seconds: Int64.random(in: 60...7_200, using: &stream.generator))),
            TogetherCondition(all: ["graph-token-error", "checkin"], none: ["permission-evidence"], window: nil),
        ]
        let trackers = conditions.map { $0.makeTracker() }
        let classifier = Classifier(rules: liveRules)
        var arrived: [Event] = []
        for step in 0..<400 {
            let next = stream.next()
            var tracked: TrackedEvent? = nil
            if let e = next.event {
                tracked = TrackedEvent(e, signals: liveRules.rules[e.ruleIndex].signals, arrival: arrived.count)
                arrived.append(e)
            }
            let ordered = arrived.sorted(by: Event.timelineOrder)
            let index = classifier.index(ordered)
            let input = ConditionInput(events: ordered, bySignal: index.bySignal, coverage: next.coverage)
            let newIndex = next.event.map { e in ordered.lastIndex { $0.text == e.text }! }
            for (condition, tracker) in zip(conditions, trackers) {
                if let tracked, !Set(tracked.signals).isDisjoint(with: condition.signalNames) { tracker.add(tracked) }
                tracker.update(coverage: next.coverage)
                let result = condition.evaluate(input)
                let holds = result.map { !$0.indexes.isEmpty || !$0.extra.isEmpty } ?? false
                #expect(tracker.holds == holds, "\(condition) at step \(step), seed \(seed)")
                if let tracked, let i = newIndex {
                    #expect(tracker.isEvidence(tracked) == (result?.indexes.contains(i) ?? false),
                            "\(condition), event \(i) at step \(step), seed \(seed)")
                }
            }
        }
    }

    /// A cause that stops holding (a `none` signal arrives) is not announced again, and the
    /// events after it get the cause that now holds.
    @Test func causeThatStopsHoldingIsNotAnnouncedAgain() {
        let classifier = Classifier(rules: liveRules)
        let live = LiveClassifier(classifier: classifier, bundle: "b")
        func event(_ rule: String, _ line: Int) -> Event {
            let r = liveRules.rules.firstIndex { $0.id == rule }!
            var e = Event(bundle: "b", source: "jamf.log", fileIndex: 0, line: line, ruleIndex: r, rule: rule, text: rule,
                          captures: [:], format: .jamf, time: Instant(seconds: 1_700_000_000 + Int64(line)))
            e.orderTime = e.time
            return e
        }
        let first = live.add(event("graph", 1), coverage: [])
        #expect(first.established.map(\.cause) == ["graph-unknown"])
        #expect(first.event.cause == "graph-unknown")
        let second = live.add(event("perm", 2), coverage: [])
        #expect(second.established.map(\.cause) == ["graph-perm"])
        #expect(second.event.cause == "graph-perm")
        let third = live.add(event("graph", 3), coverage: [])
        #expect(third.established.isEmpty)
        #expect(third.event.cause == "graph-perm")
    }
}
