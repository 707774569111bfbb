import LogscanInput
import LogscanPCRE2

/// Runs a rule's own examples through the same path a scan uses: prefilter, PCRE2, JSON escapes.
public struct ExampleTester {
    public let rules: CompiledRules

    public init(rules: CompiledRules) { self.rules = rules }

    /// Whether `line` is matched by rule `ruleIndex` alone, and the captures it yields.
    public func run(ruleIndex: Int, line: String) -> RawHit? {
        let rule = rules.rules[ruleIndex]
        let single = CompiledRules(RuleSet(rules: [rule], causes: [:], causeOrder: [], diagnostics: []))
        let format = rule.formats?.sorted { $0.rawValue < $1.rawValue }.first ?? .text
        var hit: RawHit? = nil
        let scanner = FileScanner(format: DetectedFormat(format: format, shape: .text), rules: single, matcher: Matcher()) { hit = RawHit($0) }
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { scanner.consume($0, .lines) }
        scanner.finish()
        return hit
    }

    /// Every way the rule's examples fail, as sentences (empty when all pass).
    public func check(ruleIndex: Int) -> [String] {
        let rule = rules.rules[ruleIndex]
        var problems: [String] = []
        func at(_ e: RuleExample) -> String { "\(rule.file)\(e.sourceLine.map { ":\($0)" } ?? "")" }
        for example in rule.matchExamples {
            guard let hit = run(ruleIndex: ruleIndex, line: example.line) else {
                func has(_ words: [String]) -> Bool { words.contains { example.line.lowercased().contains($0.lowercased()) } }
                let why = !has(rule.literals) ? " (it contains none of the literals \(rule.literals))"
                    : !rule.andLiterals.isEmpty && !has(rule.andLiterals) ? " (it contains none of the and_literals \(rule.andLiterals))" : ""
                problems.append("match example does not match\(why) (\(at(example))): \(example.line)")
                continue
            }
            for (name, value) in example.captures.sorted(by: { $0.key < $1.key }) where hit.captures[name] != value {
                problems.append("capture \(name) is \(hit.captures[name].map { "'\($0)'" } ?? "missing"), expected '\(value)' (\(at(example)))")
            }
        }
        for example in rule.noMatchExamples where run(ruleIndex: ruleIndex, line: example.line) != nil {
            problems.append("no_match example matches (\(at(example))): \(example.line)")
        }
        return problems
    }
}
