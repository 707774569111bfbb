import LogscanInput
import LogscanPCRE2
import LogscanRules

/// Runs a rule's own examples through the same path a scan uses: prefilter, PCRE2, JSON escapes.
public struct ExampleTester {
    public let rules: CompiledRules

    public init(rules: CompiledRules) { self.rules = rules }

    /// Whether `line` is matched by rule `ruleIndex` alone, and the captures it yields.
    public func run(ruleIndex: Int, line: String) -> RawHit? {
        run(ruleIndex: ruleIndex, bytes: Array(line.utf8)).hit
    }

    /// Runs rule `ruleIndex` alone on one line, through the scan's path: its hit, and the
    /// problems matching met (PCRE2 stopping at its match limit).
    package func run(ruleIndex: Int, bytes line: [UInt8]) -> (hit: RawHit?, problems: [ScanProblem]) {
        let rule = rules.rules[ruleIndex]
        let single = CompiledRules(RuleSet(rules: [rule], causes: [:], causeOrder: [], diagnostics: []))
        let format = rule.formats?.sorted { $0.rawValue < $1.rawValue }.first ?? .text
        var hit: RawHit? = nil
        let scanner = FileScanner(format: DetectedFormat(format: format, shape: .text), rules: single, matcher: Matcher()) { hit = RawHit($0) }
        var bytes = line
        bytes.append(0x0A)
        bytes.withUnsafeBytes { scanner.consume($0, .lines) }
        scanner.finish()
        return (hit, scanner.problems)
    }

    /// The long lines a rule must get through without PCRE2 giving up, each `length` bytes:
    /// built from the rule's first match example (so its literals pass the prefilter and its
    /// pattern really runs), the example repeated, and the example less its last few
    /// characters repeated (near misses, where backtracking patterns go quadratic).
    static func longLines(for rule: Rule, length: Int) -> [(String, [UInt8])] {
        guard let example = rule.matchExamples.first?.line ?? rule.noMatchExamples.first?.line else { return [] }
        func repeated(_ unit: [UInt8]) -> [UInt8] {
            guard !unit.isEmpty else { return [] }
            var line: [UInt8] = []
            line.reserveCapacity(length)
            while line.count + unit.count + 1 <= length { line += unit; line.append(0x20) }
            return line
        }
        let whole = Array(example.utf8)
        var cut = Array(example.unicodeScalars.dropLast(min(3, max(0, example.unicodeScalars.count - 1))))
        if cut.isEmpty { cut = Array(example.unicodeScalars) }
        let shortened = Array(String(String.UnicodeScalarView(cut)).utf8)
        return [("its first example repeated", repeated(whole)), ("its first example less its last characters, repeated", repeated(shortened))]
    }

    /// Where the rule hits PCRE2's match limit on lines of `length` bytes (empty when never).
    public func checkLongLines(ruleIndex: Int, length: Int) -> [String] {
        let rule = rules.rules[ruleIndex]
        var problems: [String] = []
        for (shape, line) in Self.longLines(for: rule, length: length) where !line.isEmpty {
            if let p = run(ruleIndex: ruleIndex, bytes: line).problems.first {
                problems.append("hits a PCRE2 limit on a \(line.count)-byte line made of \(shape) (\(p.reason)): make the pattern linear (\(rule.file))")
            }
        }
        return problems
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
            // Every named group, as a report shows it: those a scan keeps and those read back.
            let captures = example.captures.isEmpty ? hit.captures
                : EvidenceNotes(rules: RuleSet(rules: [rule], causes: [:], causeOrder: [], diagnostics: []))
                    .notes(rule: rule.id, text: example.line, captures: hit.captures).captures
            for (name, value) in example.captures.sorted(by: { $0.key < $1.key }) where captures[name] != value {
                problems.append("capture \(name) is \(captures[name].map { "'\($0)'" } ?? "missing"), expected '\(value)' (\(at(example)))")
            }
        }
        for example in rule.noMatchExamples where run(ruleIndex: ruleIndex, line: example.line) != nil {
            problems.append("no_match example matches (\(at(example))): \(example.line)")
        }
        return problems
    }
}
