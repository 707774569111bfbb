import LogscanRules
import LogscanSupport

/// One bundle's classification in a live session, kept up to date one event at a time.
///
/// The same causes, evidence and findings as `Classifier.classify` over the events so far, at
/// a cost per event that does not grow with the session: direct evidence is counted, and each
/// condition keeps its own running state (`ConditionTracker`). A finding is built from all
/// events only once, when its cause is first established (at most once per cause).
final class LiveClassifier {
    let classifier: Classifier
    let bundle: String
    /// The bundle's events in timeline order (ties in order of arrival).
    private(set) var events: [Event] = []
    /// The spans the bundle's logs cover, as last given.
    private(set) var coverage: [Coverage] = []
    private let causes: [CauseDefinition]
    /// By cause (in cause order): lines of direct evidence, and one tracker per condition.
    private var direct: [Int]
    private let trackers: [[any ConditionTracker]]
    /// The trackers each signal is read by, as (cause, condition) indexes.
    private let readers: [String: [(cause: Int, condition: Int)]]
    /// Rules whose named groups are catalog ids, with those names.
    private let codeRules: [Int: [String]]
    private var announced = Set<String>()
    private var arrivals = 0

    init(classifier: Classifier, bundle: String) {
        self.classifier = classifier
        self.bundle = bundle
        let set = classifier.rules
        causes = set.causeOrder.compactMap { set.causes[$0] }
        direct = Array(repeating: 0, count: causes.count)
        trackers = causes.map { $0.conditions.map { $0.makeTracker() } }
        var readers: [String: [(cause: Int, condition: Int)]] = [:]
        for (c, cause) in causes.enumerated() {
            for (k, condition) in cause.conditions.enumerated() {
                for signal in Set(condition.signalNames) { readers[signal, default: []].append((c, k)) }
            }
        }
        self.readers = readers
        codeRules = Dictionary(classifier.codeRules.map { ($0.rule, $0.names) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds an event (its place on the timeline is found from the end) with the coverage at
    /// the time. Returns the event with the cause it is evidence for now, and the findings of
    /// causes established for the first time.
    func add(_ event: Event, coverage: [Coverage]) -> (event: Event, established: [Finding]) {
        var event = event
        let at = events.insertionIndex(of: event, by: Event.timelineOrder)
        let rule = event.ruleIndex >= 0 && event.ruleIndex < classifier.rules.rules.count ? classifier.rules.rules[event.ruleIndex] : nil
        let tracked = TrackedEvent(event, signals: rule?.signals ?? [], arrival: arrivals)
        arrivals += 1
        let directCauses = self.directCauses(of: event, rule: rule)
        for c in directCauses { direct[c] += 1 }
        var touched: [(cause: Int, condition: Int)] = []
        for signal in Set(tracked.signals) { touched += readers[signal] ?? [] }
        var seen = Set<Int>()
        touched = touched.filter { seen.insert($0.cause << 16 | $0.condition).inserted }
        for (c, k) in touched { trackers[c][k].add(tracked) }
        setCoverage(coverage)
        // The cause of highest severity it is evidence for (the first in cause order on a tie).
        var best: Int? = nil
        for c in causes.indices where directCauses.contains(c) || touched.contains(where: { $0.cause == c && trackers[c][$0.condition].isEvidence(tracked) }) {
            if best.map({ causes[$0].severity < causes[c].severity }) ?? true { best = c }
        }
        event.cause = best.map { causes[$0].id }
        events.insert(event, at: at)
        return (event, establish())
    }

    /// The logs' coverage moved on: returns the findings of causes it establishes.
    func update(coverage: [Coverage]) -> [Finding] {
        setCoverage(coverage)
        return establish()
    }

    /// Every finding and the cause of every event, as `Classifier.classify` gives them over
    /// all events so far (the session's end: one pass).
    func classifyAll() -> (findings: [Finding], events: [Event]) {
        let (findings, causes) = classifier.classify(bundle: bundle, events: events, coverage: coverage)
        var out = events
        for i in out.indices { out[i].cause = causes[i] }
        return (findings, out)
    }

    private func setCoverage(_ coverage: [Coverage]) {
        self.coverage = coverage
        for list in trackers { for t in list { t.update(coverage: coverage) } }
    }

    /// The causes (by index) an event is direct evidence for: its rule's, and those its codes name.
    private func directCauses(of event: Event, rule: Rule?) -> [Int] {
        guard let rule else { return [] }
        var ids: [String] = rule.cause.map { [$0] } ?? []
        if let names = codeRules[event.ruleIndex] {
            ids += classifier.codeCauses(rule: event.ruleIndex, names: names, captures: event.captures)
        }
        return causes.indices.filter { ids.contains(causes[$0].id) }
    }

    /// Findings of the causes that hold now and were not announced before, in report order.
    private func establish() -> [Finding] {
        let found = causes.indices.filter { c in direct[c] > 0 || trackers[c].contains(where: \.holds) }
        let new = found.filter { !announced.contains(causes[$0].id) }
        guard !new.isEmpty else { return [] }
        let index = classifier.index(events)
        let roots = Classifier.consequenceRoots(found: found.map { causes[$0].id }, causes: classifier.rules.causes)
        var findings: [Finding] = []
        for c in new {
            guard var (finding, _) = classifier.finding(for: causes[c], bundle: bundle, events: events, index: index, coverage: coverage)
            else { continue }
            finding.consequenceOf = roots[finding.cause]
            announced.insert(finding.cause)
            findings.append(finding)
        }
        return Classifier.reportOrder(findings)
    }
}

extension TrackedEvent {
    /// An event as trackers see it; `arrival` counts the bundle's events before it.
    init(_ event: Event, signals: [String], arrival: Int) {
        self.init(position: LivePosition(order: event.timelinePosition, arrival: arrival), isTimed: event.time != nil,
                  format: event.format, captures: event.captures, signals: signals)
    }
}
