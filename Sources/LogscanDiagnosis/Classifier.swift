import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan

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
        let index = self.index(events)
        var findings: [Finding] = []
        // Only evidence gets a cause: kept sparse, as most events are context.
        var eventCause: [Int: (cause: String, severity: Severity)] = [:]
        for id in rules.causeOrder {
            guard let cause = rules.causes[id],
                  let (finding, evidence) = finding(for: cause, bundle: bundle, events: events, index: index, coverage: coverage)
            else { continue }
            for i in evidence where eventCause[i].map({ $0.severity < cause.severity }) ?? true {
                eventCause[i] = (id, cause.severity)
            }
            findings.append(finding)
        }
        return (Self.ordered(findings, causes: rules.causes), eventCause.mapValues(\.cause))
    }

    /// The events of each signal and the direct evidence of each cause, by event index in
    /// timeline order.
    struct EventIndex {
        var bySignal: [String: [UInt32]] = [:]
        var byCause: [String: [UInt32]] = [:]
    }

    func index<Events: ClassifiableEvents>(_ events: Events) -> EventIndex {
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
        var index = EventIndex()
        // Codes whose catalog entry names a cause are evidence for it: read only for the lines
        // of rules that capture codes (and only those codes' catalog lines are parsed).
        for (r, names) in codeRules where r < byRule.count {
            for i in byRule[r] {
                for cause in codeCauses(rule: r, names: names, captures: events.captures(at: Int(i)))
                where index.byCause[cause]?.last != i {
                    index.byCause[cause, default: []].append(i)
                }
            }
        }
        for r in byRule.indices where !byRule[r].isEmpty {
            let list = byRule[r]
            byRule[r] = []
            let rule = rules.rules[r]
            // A signal or cause of one rule shares that rule's list (no copy).
            for s in rule.signals { if index.bySignal[s] == nil { index.bySignal[s] = list } else { index.bySignal[s]! += list } }
            if let c = rule.cause { if index.byCause[c] == nil { index.byCause[c] = list } else { index.byCause[c]! += list } }
        }
        // Lists made of several rules' events go back to timeline order.
        for (s, list) in index.bySignal where zip(list, list.dropFirst()).contains(where: { $0 > $1 }) { index.bySignal[s] = list.sorted() }
        for (c, list) in index.byCause where zip(list, list.dropFirst()).contains(where: { $0 > $1 }) { index.byCause[c] = list.sorted() }
        return index
    }

    /// The causes other than the rule's own that the catalog codes in a line's captures name.
    func codeCauses(rule r: Int, names: [String], captures: [String: String]) -> [String] {
        var out: [String] = []
        for name in names {
            guard let value = captures[name], let catalog = rules.codes.catalog(forCapture: name) else { continue }
            guard let cause = rules.codes.lookup(catalog: catalog, value: value)?.cause, rules.causes[cause] != nil,
                  rules.rules[r].cause != cause else { continue }
            out.append(cause)
        }
        return out
    }

    /// The finding for one cause, when its rules matched or one of its conditions holds, with
    /// the indexes of its evidence events.
    func finding<Events: ClassifiableEvents>(for cause: CauseDefinition, bundle: String, events: Events, index: EventIndex,
                                             coverage: [Coverage]) -> (Finding, [Int])? {
        var evidence = Set<Int>()
        var extra: [Event] = []
        var reasons: [String] = []
        if let direct = index.byCause[cause.id], !direct.isEmpty {
            evidence.formUnion(direct.lazy.map { Int($0) })
            reasons.append("direct")
        }
        let input = ConditionInput(events: events, bySignal: index.bySignal, coverage: coverage)
        for condition in cause.conditions {
            if let result = condition.evaluate(input) {
                evidence.formUnion(result.indexes)
                extra += result.extra
                reasons.append(result.reason)
            }
        }
        guard !evidence.isEmpty || !extra.isEmpty else { return nil }
        let ordered = evidence.sorted()
        var items = ordered.map { events.event(at: $0) }
        for e in extra where !items.contains(where: { $0.source == e.source && $0.line == e.line }) { items.append(e) }
        items.sort(by: Event.timelineOrder)
        for k in items.indices { items[k].cause = cause.id }
        let times = items.compactMap(\.time)
        let finding = Finding(cause: cause.id, title: cause.title, severity: cause.severity, bundle: bundle,
                              firstSeen: times.min(), lastSeen: times.max(), evidence: items, fix: cause.fix,
                              reason: reasons.joined(separator: "; "))
        return (finding, ordered)
    }

    /// Findings as reported: consequences linked to their roots, earliest first.
    static func ordered(_ findings: [Finding], causes: [String: CauseDefinition]) -> [Finding] {
        var findings = findings
        linkConsequences(&findings, causes: causes)
        return reportOrder(findings)
    }

    /// Earliest first; those without a time last; by cause id on a tie.
    static func reportOrder(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            switch (a.firstSeen, b.firstSeen) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.cause < b.cause
            }
        }
    }

    /// Marks each finding whose cause lists, in `consequence_of`, a cause also found here:
    /// the first one listed that was found is its root.
    static func linkConsequences(_ findings: inout [Finding], causes: [String: CauseDefinition]) {
        let roots = consequenceRoots(found: findings.map(\.cause), causes: causes)
        for k in findings.indices { findings[k].consequenceOf = roots[findings[k].cause] }
    }

    /// The root of each cause of `found` (in cause order) that is a consequence of another
    /// found. `rules check` rejects cycles, so following the links always ends; a cycle loaded
    /// anyway (a bad `--patterns` folder) is cut where it would close.
    static func consequenceRoots(found: [String], causes: [String: CauseDefinition]) -> [String: String] {
        let foundSet = Set(found)
        var link: [String: String] = [:]
        for c in found {
            if let root = causes[c]?.consequenceOf.first(where: { $0 != c && foundSet.contains($0) }) { link[c] = root }
        }
        var roots: [String: String] = [:]
        for c in found {
            guard let root = link[c] else { continue }
            // Walk up from the root: reaching this cause again means a cycle, so stop here.
            var seen: Set<String> = [c]
            var at: String? = root
            var closes = false
            while let next = at {
                if !seen.insert(next).inserted { closes = true; break }
                at = link[next]
            }
            if closes { link[c] = nil } else { roots[c] = root }
        }
        return roots
    }
}
